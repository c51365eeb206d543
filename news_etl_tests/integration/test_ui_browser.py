"""The real Dagster web UI (`dagster dev`), driven in headless Chromium.

Needs Debian's chromium (`make browser`) and playwright (a test extra); skipped with
a clear message otherwise. Screenshots go to test-artifacts/.
"""

import re
import shutil

import pytest

from news_etl_tests.conftest import ROOT, SEEDS
from news_etl_tests.integration.ui_server import CHROMIUM, DagsterDev

playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed: run `make browser` "
                                                "(apt-get install chromium) to enable the web-UI tests"),
]

ARTIFACTS = ROOT / "test-artifacts"
ASSETS = ["raw_documents", "articles", "sentences", "entities", "quotes", "citations", "casualties", "daily_counts",
          "news_report", "search_index", "sharded_load"]
CHROME_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync"]


@pytest.fixture
def server(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(SEEDS, inbox)
    dev = DagsterDev(tmp_path, inbox, tmp_path / "news.duckdb")
    try:
        dev.wait_ready()
        yield dev
    finally:
        dev.stop()


def _skip_modal(page):
    try:
        page.get_by_role("button", name="Skip").click(timeout=3000)
    except playwright.TimeoutError:
        pass


def test_asset_graph_launch_and_metadata_in_the_browser(server):
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        try:
            # 1. The catalog lists every asset of the graph.
            page.goto(f"{server.base}/assets")
            _skip_modal(page)
            for name in ASSETS:
                page.get_by_text(name, exact=True).first.wait_for(timeout=30000)
            page.screenshot(path=str(ARTIFACTS / "ui-catalog.png"))

            # 2. Launch a materialisation of the main job from the UI and follow it to success.
            page.goto(f"{server.base}/locations/news_etl/jobs/news_etl_job")
            _skip_modal(page)
            page.get_by_role("button", name="Materialize all").click(timeout=30000)
            toast = page.get_by_text(re.compile(r"Launched run [0-9a-f]{8}"))
            toast.wait_for(timeout=30000)
            run_prefix = re.search(r"[0-9a-f]{8}", toast.inner_text()).group(0)
            runs = server.graphql("{ runsOrError(limit: 10) { ... on Runs { results { runId status } } } }")
            (run_id,) = [r["runId"] for r in runs["data"]["runsOrError"]["results"] if r["runId"].startswith(run_prefix)]
            page.goto(f"{server.base}/runs/{run_id}")
            page.get_by_text("Success", exact=True).first.wait_for(timeout=180000)
            page.screenshot(path=str(ARTIFACTS / "ui-run-success.png"))
            runs = server.graphql("{ runsOrError(limit: 10) { ... on Runs { results { runId status } } } }")
            status = {r["runId"]: r["status"] for r in runs["data"]["runsOrError"]["results"]}
            assert status[run_id] == "SUCCESS"

            # 3. The materialisation's metadata shows the row counts.
            page.goto(f"{server.base}/assets/articles")
            page.get_by_text("Row count").first.wait_for(timeout=30000)
            page.wait_for_timeout(1000)
            text = page.inner_text("body")
            assert re.search(r"Row count\s*\n?\s*1\b", text), text[:2000]
            page.screenshot(path=str(ARTIFACTS / "ui-articles.png"), full_page=True)

            page.goto(f"{server.base}/assets/entities?view=events")
            page.get_by_text("dagster/row_count").first.wait_for(timeout=30000)
            page.get_by_text("nlp_model").first.wait_for(timeout=30000)

            # 4. The lineage graph with its groups expanded.
            page.goto(f"{server.base}/asset-groups")
            for group in ("ingest", "clean", "enrich", "marts"):
                page.get_by_text(group, exact=True).first.wait_for(timeout=30000)
            for group in ("ingest", "clean", "enrich", "marts"):  # expanding is cosmetic (for the screenshot)
                try:
                    page.get_by_text(group, exact=True).last.dblclick(timeout=3000)
                except playwright.TimeoutError:
                    pass
            page.wait_for_timeout(1500)
            page.screenshot(path=str(ARTIFACTS / "ui-lineage.png"))
        finally:
            browser.close()
