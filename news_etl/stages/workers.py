"""Worker pools: the heavy per-article work (cleaning, spaCy + extractors) runs in worker
processes when there is enough of it; the parent validates and writes. Small runs stay
in-process (a pool costs a model load per worker).
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import ctypes.util
import functools
import multiprocessing
import os
import threading
from typing import Iterable, Iterator


def release_freed_memory() -> bool:
    """Hand freed heap memory back to the system (glibc's ``malloc_trim``; True when called).

    glibc keeps the memory a process has freed, so a process's RSS stays at the high-water mark of
    its largest piece of work: the parent's largest ingestion batch (~8x its bytes), a worker's
    longest documents. Called after each such piece, the process holds what it still uses, not
    the most it ever needed, beside the other processes of the run. Elsewhere (no glibc): False."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim``, looked up once (``find_library`` runs ``ldconfig``), or None."""
    name = ctypes.util.find_library("c")
    return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


#: The pool of the run in progress (see :func:`run_pool`): {"pool": executor, "workers": n}.
_RUN_POOL: dict = {}


def use_workers(workers: int | None, pending: int, batch_size: int) -> int:
    """Worker processes for ``pending`` items: the run's pool when one is open (its workers are
    started already), else a pool only when there are two batches of work."""
    if _RUN_POOL and pending > 0:
        return _RUN_POOL["workers"]
    workers = default_workers() if workers is None else workers
    return workers if workers > 1 and pending >= 2 * batch_size else 1


def chunk_size(batch_size: int, workers: int) -> int:
    """Items per task at most: small enough that every worker has work and results stream back in
    order (``batch_size / (2 * workers)``); :func:`chunks` makes the tasks smaller towards the end."""
    return batch_size if workers <= 1 else max(1, batch_size // (2 * workers))


#: A task takes at most ``1 / (TAPER * workers)`` of the items left (:func:`chunks`).
TAPER = 4


def chunks(batches: Iterable[list[dict]], size: int, pending: int = 0, workers: int = 1) -> Iterator[list[dict]]:
    """The items of ``batches`` in tasks of at most ``size``.

    With several ``workers`` and the number of ``pending`` items known, the tasks taper towards
    the end (guided self-scheduling): a task takes at most ``1 / (TAPER * workers)`` of the items
    left, so the workers finish together instead of one waiting out the other's last full-size
    task (documents differ in length tenfold; a run of 20 documents was two tasks of 10).
    """
    left = pending
    for batch in batches:
        i = 0
        while i < len(batch):
            n = size if workers <= 1 or left <= 0 else max(1, min(size, -(-left // (TAPER * workers))))
            task = batch[i:i + n]
            yield task
            i += len(task)
            left -= len(task)


#: A run starts its worker pool when it has at least this many documents per worker (fewer: one
#: process, as a model load per worker would cost more than the work it shares).
POOL_DOCS_PER_WORKER = 8


def pool_size_for_run(documents: int, workers: int | None) -> int:
    """The processes a run of about ``documents`` documents starts: ``workers`` (None or 0: one per
    core) when that is enough work for them, else 1 (no pool)."""
    n = workers or default_workers()
    return n if n > 1 and documents >= POOL_DOCS_PER_WORKER * n else 1


def _warm_worker(model: str | None) -> None:
    """A run-pool worker's start: load the spaCy pipeline (cached per process) before any task."""
    from news_etl.nlp.pipeline import load_nlp

    load_nlp(model)


@contextlib.contextmanager
def run_pool(workers: int, model: str | None = None, initializer=_warm_worker):
    """One pool of ``workers`` processes for every stage of a run, started at once.

    ``initializer(model)`` runs in each worker as it starts (default: load the spaCy pipeline;
    a run's pool also warms the cleaner and the charts: :mod:`news_etl.stages.runpool`). The
    fork server the workers come from is started first, warm (:func:`start_fork_server`): it
    loads the libraries and the spaCy pipeline once while the parent is still starting the run
    and ingesting, then forks the workers ready to work; the parent does not wait for it (the
    processes are requested from a background thread; the first task submitted waits for them).
    Cleaning and enrichment then use the same warm workers, so no stage waits for processes to
    start or a model to load. Inside this context, :func:`mapper` and :func:`use_workers` use the
    pool. A pool that breaks (a worker killed) is dropped, so a retried step starts a pool of its own.
    """
    if workers <= 1 or _RUN_POOL:
        yield
        return
    start_fork_server(model)
    ex = _executor(workers, initializer, (model,))

    def start_processes():  # the executor starts a process per submitted task, on demand
        with contextlib.suppress(Exception):  # a failure shows again at the first real task
            for _ in range(workers):
                ex.submit(os.getpid)

    starter = threading.Thread(target=start_processes, name="news-etl-pool-start", daemon=True)
    starter.start()
    _RUN_POOL.update(pool=ex, workers=workers)
    try:
        yield
    finally:
        _RUN_POOL.clear()
        starter.join()
        ex.shutdown(wait=True, cancel_futures=True)


#: Set only while the fork server starts: the spaCy model its preload (:mod:`news_etl.stages.preload`)
#: loads ("" = the configured default).
PRELOAD_MODEL_ENV = "NEWS_ETL_FORK_SERVER_MODEL"
_PRELOAD = ["news_etl.stages.preload"]


def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(_PRELOAD)
    return ctx


def start_fork_server(model: str | None) -> None:
    """Start this process's fork server, if it is not running, warmed with ``model``'s pipeline
    (see :mod:`news_etl.stages.preload`). Returns at once: the server warms up on its own, and
    the first worker requested from it waits until it has."""
    from multiprocessing import forkserver

    _context()
    os.environ[PRELOAD_MODEL_ENV] = model or ""
    try:
        forkserver.ensure_running()
    finally:
        os.environ.pop(PRELOAD_MODEL_ENV, None)


def _executor(workers: int, initializer=None, initargs=()):
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=_context(), initializer=initializer, initargs=initargs)


#: Tasks submitted ahead per worker. Results are taken in order, so a long task at the head holds
#: the window: with two per worker, a worker that finished the small tasks behind it sat idle.
TASKS_IN_FLIGHT_PER_WORKER = 4


def _bounded_map(ex, workers: int, on_broken=None):
    from concurrent.futures.process import BrokenProcessPool

    def bounded_map(fn, iterable):
        window: collections.deque = collections.deque()
        try:
            for item in iterable:
                window.append(ex.submit(fn, item))
                if len(window) >= TASKS_IN_FLIGHT_PER_WORKER * workers:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()
        except BrokenProcessPool:
            if on_broken:
                on_broken()
            raise

    return bounded_map


@contextlib.contextmanager
def mapper(workers: int, initializer=None, initargs=()):
    """``map``-like function: in-process for one worker, else a process pool (the run's pool
    when one is open with that many workers; its workers are already initialised).

    The pool keeps at most ``TASKS_IN_FLIGHT_PER_WORKER * workers`` tasks in flight (memory stays
    bounded, results come back in order), and a worker that dies or fails to start raises
    ``BrokenProcessPool`` instead of hanging the run.
    """
    if workers <= 1:
        if initializer:
            initializer(*initargs)
        yield map
        return
    if _RUN_POOL and _RUN_POOL["workers"] == workers:
        yield _bounded_map(_RUN_POOL["pool"], workers, on_broken=_RUN_POOL.clear)
        return
    ex = _executor(workers, initializer, initargs)
    try:
        yield _bounded_map(ex, workers)
    finally:
        ex.shutdown(wait=True, cancel_futures=True)


def shared_map(fn, items: list) -> list:
    """``map`` on the run's worker pool when one is open (small independent jobs, e.g. the
    report's charts), else in this process."""
    if not _RUN_POOL:
        return list(map(fn, items))
    from concurrent.futures.process import BrokenProcessPool

    try:
        return [f.result() for f in [_RUN_POOL["pool"].submit(fn, item) for item in items]]
    except BrokenProcessPool:  # the pool is gone (a worker killed): drop it, do the work here
        _RUN_POOL.clear()
        return list(map(fn, items))


def run_pool_size() -> int:
    """Worker processes of the run's pool (0: none open)."""
    return _RUN_POOL.get("workers", 0)
