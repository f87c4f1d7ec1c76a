"""The shared web kit: form pieces, error pages and URL helpers that every feature's views use.

It imports no feature package, so any feature's views may import it.
"""
