"""The portfolio's pages and files: the overview, the measure page and its edit screens, import and export.

Above the follow-up features (the measure page shows their panels) and below the reports. The
models, the read model and the writes they use live in `tracker.portfolio`.
"""
