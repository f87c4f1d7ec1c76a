"""The read-only HTTP API, /api/v1/, for Power BI, Excel and scripts (docs/api.md)."""
