"""The scheduler process: runs the periodic jobs, in one process of its own, never in web workers."""
