"""`dagster definitions validate` on the shipped workspace (what CI and `dagster dev` load)."""

import subprocess
import sys

from news_etl_tests.conftest import ROOT


def test_dagster_definitions_validate(tmp_path):
    r = subprocess.run([sys.executable, "-m", "dagster", "definitions", "validate", "-w", "workspace.yaml"],
                       cwd=ROOT, capture_output=True, text=True, timeout=300,
                       env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DAGSTER_HOME": str(tmp_path)})
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Validation successful" in r.stdout + r.stderr
