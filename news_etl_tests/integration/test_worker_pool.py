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
