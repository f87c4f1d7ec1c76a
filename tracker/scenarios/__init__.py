"""Budget alternatives (budsjettalternativer): selections from the menu, compared and adopted."""
