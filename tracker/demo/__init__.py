"""Example data for showing the dashboards (always marked "Eksempeldata")."""
