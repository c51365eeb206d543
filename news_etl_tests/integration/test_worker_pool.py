"""A run's worker pool comes from a warm fork server (news_etl.stages.preload): the workers start
with the spaCy pipeline already loaded, and nothing of the warm-up leaks into other processes."""

import json
import subprocess
import sys

from news_etl.nlp.model import model_name

SCRIPT = '''
import json, os, sys
from news_etl.stages import workers


def probe(_):
    import time
    time.sleep(0.5)  # long enough that both workers take tasks
    from news_etl.nlp.pipeline import _load_nlp
    preload = sys.modules.get("news_etl.stages.preload")
    info = _load_nlp.cache_info()
    return {"pid": os.getpid(), "ppid": os.getppid(), "warmed": getattr(preload, "WARMED_MODEL", None),
            "hits": info.hits, "misses": info.misses, "env": os.environ.get(workers.PRELOAD_MODEL_ENV)}


if __name__ == "__main__":
    model = sys.argv[1]
    with workers.run_pool(2, model):
        out = [f.result() for f in [workers._RUN_POOL["pool"].submit(probe, i) for i in range(4)]]
    print(json.dumps({"pid": os.getpid(), "env": os.environ.get(workers.PRELOAD_MODEL_ENV),
                      "spacy_in_parent": "spacy" in sys.modules, "workers": out}))
'''


def test_workers_start_from_a_server_that_loaded_the_model(tmp_path):
    script = tmp_path / "probe_pool.py"
    script.write_text(SCRIPT)
    res = subprocess.run([sys.executable, str(script), model_name()], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    seen = {w["pid"]: w for w in out["workers"]}
    assert len(seen) == 2  # the pool's two processes
    for w in seen.values():
        assert w["ppid"] != out["pid"]  # forked by the fork server, not started by the run's process
        assert w["warmed"] == model_name()
        # The worker's own start (warm_worker -> load_nlp) found the pipeline the server had loaded:
        # the server's one load is the only miss, the worker's call a hit.
        assert w["misses"] == 1 and w["hits"] >= 1
        assert w["env"] is None  # the server's variable is not passed on to the workers
    assert out["env"] is None and not out["spacy_in_parent"]  # the parent loads nothing of it


SERVER_END = '''
import os, sys
from news_etl.stages import workers

os.environ[workers.PRELOAD_MODEL_ENV] = sys.argv[1]  # as start_fork_server sets it for the server
import news_etl.stages.preload as preload  # what the fork server imports: warms this process


class Marker:
    def __del__(self):  # runs only in Python's teardown of this module
        os.write(2, b"torn down")


MARKER = Marker()
print("served", preload.WARMED_MODEL)  # buffered: only the exit handler's flush writes it to the pipe
raise SystemExit  # how multiprocessing's fork server ends when its client has gone
'''


def test_fork_server_ends_without_python_teardown(tmp_path):
    """The warm server leaves at once when its run has gone (no teardown of the spaCy pipeline and
    the modules it holds, which a pipe reading a run's output would wait for), output flushed."""
    script = tmp_path / "server_end.py"
    script.write_text(SERVER_END)
    res = subprocess.run([sys.executable, str(script), model_name()], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    assert res.stdout.strip() == f"served {model_name()}"
    assert "torn down" not in res.stderr
    # The same script in a process that is not a fork server (variable unset): a normal teardown.
    plain = SERVER_END.replace("os.environ[workers.PRELOAD_MODEL_ENV] = sys.argv[1]", "pass")
    script.write_text(plain)
    res = subprocess.run([sys.executable, str(script), model_name()], capture_output=True, text=True, timeout=300)
    assert res.stdout.strip() == "served None" and "torn down" in res.stderr
