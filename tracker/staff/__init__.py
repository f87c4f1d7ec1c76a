"""Consequences for employees of a measure (what AMU needs)."""
