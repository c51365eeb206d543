"""Worker pools: the heavy per-article work (cleaning, spaCy + extractors) runs in worker
processes when there is enough of it; the parent validates and writes. Small runs stay
in-process (a pool costs a model load per worker).
"""

from __future__ import annotations

import collections
import contextlib
import multiprocessing
import os
from typing import Iterable, Iterator


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def use_workers(workers: int | None, pending: int, batch_size: int) -> int:
    """Worker processes for ``pending`` items: a pool only when there are two batches of work."""
    workers = default_workers() if workers is None else workers
    return workers if workers > 1 and pending >= 2 * batch_size else 1


def chunks(batches: Iterable[list[dict]], size: int) -> Iterator[list[dict]]:
    for batch in batches:
        for i in range(0, len(batch), size):
            yield batch[i:i + size]


@contextlib.contextmanager
def mapper(workers: int, initializer=None, initargs=()):
    """``map``-like function: in-process for one worker, else a process pool.

    The pool keeps at most ``2 * workers`` tasks in flight (memory stays bounded, results come
    back in order), and a worker that dies or fails to start raises ``BrokenProcessPool``
    instead of hanging the run.
    """
    if workers <= 1:
        if initializer:
            initializer(*initargs)
        yield map
        return
    from concurrent.futures import ProcessPoolExecutor

    ex = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver"),
                             initializer=initializer, initargs=initargs)

    def bounded_map(fn, iterable):
        window: collections.deque = collections.deque()
        for item in iterable:
            window.append(ex.submit(fn, item))
            if len(window) >= 2 * workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()

    try:
        yield bounded_map
    finally:
        ex.shutdown(wait=True, cancel_futures=True)
