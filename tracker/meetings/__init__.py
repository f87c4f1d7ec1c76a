"""Ledergruppe: the work queue ("Til behandling i ledergruppa"), meetings, agendas and the decision log."""
