"""The audit trail as pages: the global log and one measure's log (the trail itself lives in audit)."""
