import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_210ea27e4310d9e6.txt"


@pytest.fixture(scope="session")
def nlp():
    from news_etl.nlp import load_nlp

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


def materialize_all(inbox, database, instance):
    """One real Dagster materialisation of the whole graph (assets + checks) into ``database``."""
    import dagster as dg

    from news_etl.defs.assets import articles, daily_counts, enrichment, raw_documents
    from news_etl.defs.checks import integrity_checks
    from news_etl.defs.resources import NewsInbox, NewsStore, SpacyModel

    return dg.materialize(
        [raw_documents, articles, enrichment, daily_counts, *integrity_checks],
        resources={"news_store": NewsStore(database=str(database)), "inbox": NewsInbox(path=str(inbox)),
                   "spacy_model": SpacyModel()},
        instance=instance,
    )


def query(database, sql, params=None):
    from news_etl import store

    with store.connection(database, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
