"""Quarterly status updates by measure owners, reporting rounds and reminders."""
