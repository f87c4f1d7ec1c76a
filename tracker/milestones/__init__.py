"""Milestones per measure: baseline and current due dates, done dates, late detection."""
