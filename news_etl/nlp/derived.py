"""Derived data kept between processes: built once per machine, loaded from a pickle after that.

Gazetteer indexes and tokenised name lists cost seconds to build and a fraction of a second to
load. Every process that enriches (CLI runs, pool workers, scale-out shards, Dagster step
processes) would otherwise pay the build. A cache file is named after the sources it was built
from (module source files and package versions), so any change builds it again; an unwritable
cache folder only costs the build. No dagster imports.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import importlib.metadata
import os
import pickle
from pathlib import Path
from typing import Callable, Iterable, TypeVar

from news_etl import settings

T = TypeVar("T")


def cache_file(name: str, sources: Iterable[Path], packages: Iterable[str] = ()) -> Path:
    """``<NEWS_ETL_CACHE_DIR>/<name>-<hash of the sources' bytes and the packages' versions>.pickle``."""
    h = hashlib.sha1()
    for src in sources:
        h.update(Path(src).read_bytes())
    for pkg in packages:
        h.update(f"{pkg}={importlib.metadata.version(pkg)};".encode())
    return Path(settings.get("NEWS_ETL_CACHE_DIR")).expanduser() / f"{name}-{h.hexdigest()[:12]}.pickle"


@contextlib.contextmanager
def _no_gc():
    """Cyclic garbage collection paused while a large object graph is unpickled: its passes over
    the growing heap cost more than the load itself, and the loaded data has no cycles to free."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_or_build(path: Path, build: Callable[[], T]) -> T:
    """The object pickled at ``path``, else ``build()`` (then written atomically for next time)."""
    try:
        with open(path, "rb") as fh, _no_gc():
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    obj = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return obj
