"""Organisational risk (five indicators) and the risk register per measure."""
