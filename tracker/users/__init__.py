"""User administration pages (admin only)."""
