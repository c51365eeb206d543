import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_210ea27e4310d9e6.txt"


@pytest.fixture(scope="session")
def nlp():
    from news_etl.nlp.pipeline import load_nlp

    return load_nlp()


@pytest.fixture
def inbox(tmp_path) -> Path:
    d = tmp_path / "inbox"
    shutil.copytree(SEEDS, d)
    return d


@pytest.fixture
def database(tmp_path) -> Path:
    return tmp_path / "db" / "news.duckdb"


@pytest.fixture
def instance():
    import dagster as dg

    with dg.instance_for_test() as inst:
        yield inst


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """The whole graph materialised once on ``seeds/`` (a real Dagster run into a real DuckDB file).

    Shared by every test that needs the seed's database: read it through ``seed_run.database``,
    or take a private writable copy with the ``seeded_database`` fixture. Never write to it.
    """
    import dagster as dg

    base = tmp_path_factory.mktemp("seed_run")
    inbox = base / "inbox"
    shutil.copytree(SEEDS, inbox)
    database = base / "db" / "news.duckdb"
    with dg.instance_for_test() as inst:
        result = materialize_all(inbox, database, inst)
    return SeedRun(inbox=inbox, database=database, result=result)


@dataclass(frozen=True)
class SeedRun:
    inbox: Path
    database: Path
    result: object  # the dagster ExecuteInProcessResult of the run


def no_network_prefix() -> list[str]:
    """``unshare -rn`` (an empty network namespace) where the kernel allows it: a command run
    under it proves that it downloads nothing."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"], check=False).returncode == 0:
        return ["unshare", "-rn"]
    return []


def copy_database(source: Path, target: Path) -> Path:
    """A DuckDB file (and its WAL, if any) copied to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copy(wal, target.with_name(target.name + ".wal"))
    return target


@pytest.fixture
def seeded_database(seed_run, database) -> Path:
    """A private, writable copy of the seed run's database, at the ``database`` path."""
    return copy_database(seed_run.database, database)


def materialize_all(inbox, database, instance, raise_on_error: bool = True):
    """One real Dagster materialisation of the whole graph (assets and the checks they run) into ``database``."""
    import dagster as dg

    from news_etl.defs.assets import articles, daily_counts, enrichment, raw_documents
    from news_etl.defs.resources import NewsInbox, NewsStore, RunWorkers, SpacyModel
    from news_etl.defs.search import search_index

    res = {"news_store": NewsStore(database=str(database)), "inbox": NewsInbox(path=str(inbox)),
           "spacy_model": SpacyModel()}
    return dg.materialize(
        [raw_documents, articles, enrichment, daily_counts, search_index],
        resources={**res, "run_workers": RunWorkers(**res)},
        instance=instance,
        raise_on_error=raise_on_error,
    )


def query(database, sql, params=None):
    from news_etl.warehouse import store

    with store.connection(database, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


_PEOPLE = ["Maria Lopez", "Ahmed Karimi", "Olena Shevchuk", "David Chen", "Grace Mwangi", "Tomas Novak"]
_PLACES = ["Kharkiv", "Lagos", "Manila", "Bogota", "Cairo", "Dhaka", "Lima", "Nairobi"]


def html_article(i: int) -> str:
    """A small, varied, real-looking news page (distinct text per ``i``)."""
    who, place = _PEOPLE[i % len(_PEOPLE)], _PLACES[i % len(_PLACES)]
    paras = [
        f"Officials in {place} said on Tuesday that {3 + i} people were killed and {10 + 2 * i} injured when a "
        f"storm system number {i} brought flooding to the city's eastern districts.",
        f"\u201cWe are doing everything we can to reach the families who are still cut off,\u201d {who}, the city's "
        f"emergency coordinator, told reporters. \u201cThe next {24 + i} hours are decisive.\u201d",
        f"{who.split()[-1]} said rescue teams from neighbouring regions had arrived overnight, and that shelters "
        f"housed about {100 * (i + 1)} residents, according to Reuters.",
        f"Forecasters expect the rain to ease by the weekend, though rivers near {place} remain above warning levels "
        f"and schools will stay closed until further notice (report {i}).",
    ]
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<html lang=\"en\"><head><title>Flooding in {place} kills {3 + i}</title>"
            f"<meta property=\"article:published_time\" content=\"2024-03-{(i % 27) + 1:02d}T08:30:00+00:00\">"
            f"<meta name=\"author\" content=\"{_PEOPLE[(i + 1) % len(_PEOPLE)]}\"></head>"
            f"<body><nav>Home | World | Sport</nav><article><h1>Flooding in {place} kills {3 + i}</h1>{body}"
            f"</article><footer>Subscribe to our newsletter</footer></body></html>")


def pytest_collection_modifyitems(config, items):
    """Each test carries the marker of its lane (its folder): ``-m fast`` runs the fast lane."""
    for item in items:
        lane = Path(str(item.fspath)).parent.name
        if lane in ("fast", "nlp", "integration"):
            item.add_marker(getattr(pytest.mark, lane))
