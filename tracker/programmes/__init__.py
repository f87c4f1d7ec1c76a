"""Several programmes in the web: the switcher in the header, and the admin's list (create, close, reopen)."""
