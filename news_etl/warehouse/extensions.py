"""DuckDB extensions loaded offline, from the PyPI wheels (``duckdb-extension-<name>``).

``INSTALL fts`` downloads from extensions.duckdb.org, which a locked-down machine cannot reach.
PyPI ships the same signed extension files as wheels: the package ``duckdb_extension_<name>``
holds ``extensions/v<duckdb version>/<name>.duckdb_extension``. :func:`load` installs that file
(``INSTALL '<path>'``: a copy into DuckDB's extension directory, a no-op once done) and loads it
by name (``LOAD '<path>'`` would not do: the postgres wheel's file holds ``postgres_scanner``).
Nothing is downloaded. The wheel's version must equal DuckDB's exactly (pinned together in
pyproject.toml); a missing or mismatched wheel raises :class:`ExtensionUnavailable` saying which
package to install.

No dagster imports.
"""

from __future__ import annotations

import importlib.util
import os
import re
import tempfile
from pathlib import Path

import duckdb

NAME = re.compile(r"[a-z][a-z0-9_]*")


class ExtensionUnavailable(RuntimeError):
    """The wheel of a DuckDB extension is not installed, or is for another DuckDB version."""


def package_name(name: str) -> str:
    """The importable package of an extension's wheel (``fts`` -> ``duckdb_extension_fts``)."""
    return f"duckdb_extension_{name}"


def _pip_hint(name: str, version: str) -> str:
    return f"pip install duckdb-extension-{name}=={version}"


def extension_path(name: str, version: str | None = None) -> Path:
    """The ``.duckdb_extension`` file for ``name`` matching DuckDB ``version`` (default: the running one)."""
    version = version or duckdb.__version__
    spec = importlib.util.find_spec(package_name(name))
    if spec is None or not spec.submodule_search_locations:
        raise ExtensionUnavailable(
            f"the DuckDB extension {name!r} is not installed: {_pip_hint(name, version)} "
            f"(its version must equal duckdb's, {version}; nothing is downloaded at run time)")
    root = Path(next(iter(spec.submodule_search_locations))) / "extensions"
    path = root / f"v{version}" / f"{name}.duckdb_extension"
    if not path.is_file():
        found = sorted(p.parent.name.lstrip("v") for p in root.glob(f"v*/{name}.duckdb_extension"))
        raise ExtensionUnavailable(
            f"the installed package {package_name(name)} is for DuckDB {', '.join(found) or '(no version)'}, "
            f"not {version}: {_pip_hint(name, version)}")
    return path


def load(con: duckdb.DuckDBPyConnection, name: str) -> Path:
    """Load extension ``name`` into ``con`` from its wheel; returns the file it came from.

    ``INSTALL '<path>'`` copies the file into DuckDB's extension directory (so a plain
    ``LOAD fts`` in a SQL session works afterwards too), then ``LOAD <name>``. Both are no-ops
    once done (about a millisecond), so callers load before every use. Where the extension
    directory cannot be written (no home directory, a read-only one), a private directory in the
    temporary folder is used instead. DuckDB checks the extension's signature as usual.
    """
    if not NAME.fullmatch(name):
        raise ValueError(f"not an extension name: {name!r}")
    path = extension_path(name)
    quoted = str(path).replace("'", "''")
    progress = con.execute("SELECT current_setting('enable_progress_bar')").fetchall()[0][0]
    con.execute("SET enable_progress_bar = false")  # copying a large file would draw a bar on stdout
    try:
        try:
            con.execute(f"INSTALL '{quoted}'")
        except duckdb.IOException:
            con.execute(f"SET extension_directory = '{fallback_directory()}'")
            con.execute(f"INSTALL '{quoted}'")
        con.execute(f"LOAD {name}")
    finally:
        con.execute(f"SET enable_progress_bar = {'true' if progress else 'false'}")
    return path


def fallback_directory() -> Path:
    """The extension directory used when DuckDB's own cannot be written (one per user, private)."""
    d = Path(tempfile.gettempdir()) / f"news_etl-duckdb-extensions-{os.getuid()}"
    d.mkdir(mode=0o700, exist_ok=True)
    return d
