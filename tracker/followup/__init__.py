"""The follow-up of one measure gathered in one place: the panel, `measures show` and the AMU report."""
