"""Verified in the accounts: ledger actuals and budgets next to what owners report (issue 17)."""
