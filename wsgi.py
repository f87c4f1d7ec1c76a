"""The application object for `flask --app wsgi` and `gunicorn wsgi:app`."""

import gc

from tracker import create_app

app = create_app()
# Everything built so far (modules, templates, routes, configuration) lives as long as the process:
# move it out of the garbage collector's sight, so that each collection scans only what requests
# create. Under gunicorn's preload_app this runs in the master before it forks, so collections in
# the workers also stop writing to the memory pages they share with it.
gc.freeze()
