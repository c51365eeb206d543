"""Imported by the worker pools' fork server before it forks any worker (no dagster imports).

The pools use multiprocessing's ``forkserver`` start method: one server process forks every
worker. :func:`news_etl.stages.workers.start_fork_server` starts that server with this module in
its preload list and the run's spaCy model in :data:`~news_etl.stages.workers.PRELOAD_MODEL_ENV`;
importing the module then does, once and in the server, what each worker would otherwise do as it
starts (:func:`news_etl.stages.runpool.warm_worker`: the libraries, the spaCy pipeline, the
cleaner's and the charts' lazy caches). Every worker starts as a copy of that warm process, at
once, its model pages shared copy-on-write, instead of importing and loading on its own while the
run starts (each worker ~4 s of CPU, two of them competing with the parent for two cores).
The server, and the pipeline it holds, live as long as the process that started it (a
``news-etl run`` ends with its run).

Imported anywhere else (the variable unset) the module does nothing. If warming fails (a model
that is not installed), the server still serves: each worker then loads the model itself and
reports the error where it always did.
"""

from __future__ import annotations

import atexit
import os
import sys

from news_etl.stages.workers import PRELOAD_MODEL_ENV

#: The model the server was warmed with ("" = the configured default), None: not a warm server.
WARMED_MODEL = os.environ.pop(PRELOAD_MODEL_ENV, None)  # popped: the workers forked later do not see it


def _end_without_teardown() -> None:
    """The server's end: it ends when the process that started it has gone (its pool shut down, every
    worker it forked already ended). Python's teardown would then free, object by object, the
    ~1,500 modules and the spaCy pipeline it holds (0.4-0.6 s); a ``news-etl run`` whose output is
    read through a pipe (``| tee``, a script) waits for that, as the server holds the pipe open.
    Registered last, this exit handler runs first: it flushes the output and leaves at once."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(0)


if WARMED_MODEL is not None:
    atexit.register(_end_without_teardown)
    try:
        from news_etl.stages.runpool import warm_worker

        warm_worker(WARMED_MODEL or None)
    except Exception:  # noqa: BLE001 - the workers load it themselves and report the error
        WARMED_MODEL = None
