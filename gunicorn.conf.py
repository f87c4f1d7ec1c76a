"""gunicorn's settings for the tracker; gunicorn reads this file from the working directory.

    .venv/bin/gunicorn wsgi:app                  # these settings
    .venv/bin/gunicorn -w 4 -b 0.0.0.0:8000 wsgi:app   # command-line options override them

Workers are sync processes; each keeps its own cache of the read model (tracker.readmodel), keyed
by the data version in the database, so any number of workers and hosts stay consistent.
"""

import gc
import multiprocessing

bind = "127.0.0.1:8000"
# Two per core and one more: a worker waiting for the database leaves its core to another.
workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "sync"
# Build the app once in the master (wsgi.py then freezes it out of the garbage collector's sight)
# and fork the workers from it: they start at once and share its memory until they write to it.
preload_app = True
# A worker that leaks is replaced now and then (the jitter keeps them from restarting together).
max_requests = 20_000
max_requests_jitter = 2_000
timeout = 60

# The youngest generation is collected after this many new container objects instead of 700: a
# large page creates hundreds of thousands of short-lived objects, and with Python's default a
# collection ran every few hundred rows, about a tenth of a request's time. The cost is at most
# this many unreachable objects waiting a little longer to be freed.
GC_GENERATION0_THRESHOLD = 50_000
GC_OLDER_THRESHOLDS = (20, 20)


def post_fork(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    """In each worker, just after the fork: collect less often (see above)."""
    gc.set_threshold(GC_GENERATION0_THRESHOLD, *GC_OLDER_THRESHOLDS)
