"""Configuration read once (environment, else defaults) and near-duplicate detection, directly."""

from news_etl import settings
from news_etl.clean import dedup

STORY = ("The council voted on Tuesday to close the old bridge over the river after engineers found "
         "cracks in two of its supports. Repairs are expected to take at least six months, and a "
         "ferry will carry pedestrians in the meantime. Drivers face a detour of about twelve miles "
         "through the northern suburbs, the council said in a statement issued after the meeting.")


def test_settings_come_from_the_environment_else_the_default(monkeypatch):
    monkeypatch.delenv("NEWS_ETL_BATCH_SIZE", raising=False)
    assert settings.get("NEWS_ETL_BATCH_SIZE") == 128
    monkeypatch.setenv("NEWS_ETL_BATCH_SIZE", "8")
    assert settings.get("NEWS_ETL_BATCH_SIZE") == 8
    monkeypatch.setenv("NEWS_ETL_DUCKDB_MEMORY", "")  # an empty text setting lifts the cap
    assert settings.get("NEWS_ETL_DUCKDB_MEMORY") == ""
    assert "| `NEWS_ETL_DATABASE` | `data/news.duckdb` |" in settings.markdown_table()


def test_a_reprint_with_a_changed_line_is_a_near_duplicate():
    reprint = STORY.replace("on Tuesday", "on Tuesday evening") + " Comments are closed."
    h1, h2 = dedup.simhash(STORY), dedup.simhash(reprint)
    assert dedup.hamming(h1, h2) <= dedup.MAX_HAMMING
    assert dedup.find_duplicate(reprint, h2, [("orig", h1, STORY)]) == "orig"


def test_a_different_story_is_not_a_near_duplicate():
    other = ("The museum reopened its east wing on Saturday with an exhibition of maps drawn by sailors "
             "in the eighteenth century. Curators spent two years restoring the fragile paper, and "
             "visitors queued around the block before the doors opened at ten in the morning.")
    h = dedup.simhash(other)
    assert dedup.find_duplicate(other, h, [("orig", dedup.simhash(STORY), STORY)]) is None


def test_the_readme_configuration_table_is_the_generated_one():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf8")
    assert settings.markdown_table() in readme


def test_simhash_equals_trafilaturas_simhash():
    """Stored hashes must stay comparable: the numpy vote gives trafilatura's value exactly."""
    import random

    from trafilatura.deduplication import Simhash

    from news_etl.clean.dedup import simhash

    rnd = random.Random(7)
    words = ["shelling", "Kyiv", "said", "officials", "a", "of", "1,200", "co-op", "it's", "Ω-test", "—", "mayor"]
    texts = ["", "one", "!!! ???", "只有中文。没有拉丁字母。", "The mayor said the bridge would reopen. " * 20]
    texts += [" ".join(rnd.choice(words) for _ in range(rnd.randint(0, 120))) for _ in range(300)]
    for text in texts:
        want = Simhash(text).hash
        assert simhash(text) == (want - (1 << 64) if want >= (1 << 63) else want), text[:60]
