"""Quarterly status reports to the politicians and to AMU: collect, render, archive, mail."""
