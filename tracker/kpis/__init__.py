"""KPIs per measure: baseline, target and one measurement per quarter."""
