"""Start and stop a real `dagster dev` (webserver + daemon) for browser tests."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _graphql(base: str, query: str) -> dict:
    req = urllib.request.Request(f"{base}/graphql", data=json.dumps({"query": query}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


class DagsterDev:
    def __init__(self, tmp: Path, inbox: Path, database: Path):
        self.home = tmp / "dagster_home"
        self.home.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "dagster_home" / "dagster.yaml", self.home / "dagster.yaml")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(tmp / "dagster-dev.log", "w")
        env = dict(os.environ, DAGSTER_HOME=str(self.home), NEWS_ETL_INPUT=str(inbox),
                   NEWS_ETL_DATABASE=str(database))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dagster", "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(self.port)],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dagster dev exited with {self.proc.returncode}; see {self.log.name}")
            try:
                data = _graphql(self.base, "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus "
                                           "locationOrLoadError { __typename } } } } }")
                entries = data["data"]["workspaceOrError"]["locationEntries"]
                if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                    errs = [e for e in entries if e["locationOrLoadError"]["__typename"] == "PythonError"]
                    if errs:
                        raise RuntimeError(f"code location failed to load: {errs}")
                    return
            except (OSError, KeyError, TypeError, ValueError):
                pass
            time.sleep(1)
        raise TimeoutError(f"dagster dev not ready after {timeout}s; see {self.log.name}")

    def graphql(self, query: str) -> dict:
        return _graphql(self.base, query)

    def stop(self) -> None:
        # SIGINT first (dagster dev stops its services), then the whole process group: with a run
        # still going, dagster dev waited out the full grace time (30 s of every suite run).
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGINT)
                self.proc.wait(8)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()
