"""Benefits realisation: the savings ledger, quarterly figures, periods and the ledergruppe dashboard."""
