"""A self-contained HTML report of the database: charts (PNG, embedded as data URIs) and small tables.

Functional core, no Dagster: :func:`build_report` takes a DuckDB connection or a database path and an
output folder, and writes ``report.html`` plus one PNG per chart. The HTML needs nothing else: no
JavaScript, no external CSS or fonts, no network. It reads only the views of :mod:`news_etl.warehouse.views`
(created as TEMP views, or TEMP tables (:data:`COMPUTED_ONCE`), on the report's own connection, so a database written by an older version,
or opened read-only, still gets the current definitions). An empty or missing database gives a
report that says there is no data yet; the report never raises on missing data.

Charts are drawn with matplotlib's object API on the Agg canvas (no pyplot, no global backend switch).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import html
import io
import json
import logging
import math
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from news_etl.warehouse import store
from news_etl.warehouse.views import VIEWS

log = logging.getLogger(__name__)

HTML_NAME = "report.html"

#: Charts, in the order they appear; file name = ``<key>.png``.
CHARTS: dict[str, str] = {
    "casualties_over_time": "Casualty figures over time",
    "casualties_by_place": "Casualty figures by place",
    "casualties_map": "Casualty figures on the map",
    "top_speakers": "Most-quoted speakers",
    "top_outlets": "Outlets cited",
    "entity_mentions_over_time": "Entity mentions over time",
}

#: The query results (keys of :data:`SQL`) each chart is drawn from: a chart is given only these,
#: and is drawn again only when they changed (a run whose articles leave a chart's data as it was
#: reuses its PNG).
CHART_INPUTS: dict[str, tuple[str, ...]] = {
    "casualties_over_time": ("casualties_by_day",),
    "casualties_by_place": ("casualties_by_place",),
    "casualties_map": ("casualties_map", "map_places"),
    "top_speakers": ("top_speakers",),
    "top_outlets": ("top_outlets",),
    "entity_mentions_over_time": ("entity_by_day",),
}

#: Views the report computes once, as a TEMP table of their rows, and not in every query that reads
#: them: ``named_entities`` (an aggregate over every entity mention) is read by each entity view,
#: so the report's queries computed it seven times (5,000 articles: the report's queries 1.8 s
#: with it a view, 0.8 s computed once; the same results).
COMPUTED_ONCE = ("named_entities",)

#: Tables whose row counts the report shows (and returns in ``ReportResult.counts``).
COUNTED_TABLES = ("articles", "sentences", "entities", "quotes", "citations", "casualties", "rejected_files")

CATEGORY_COLORS = {
    "killed": "#b2182b", "injured": "#ef8a62", "missing": "#7f7f7f", "arrested": "#2166ac",
    "displaced": "#67a9cf", "other": "#bababa",
}
PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]

FULL_DPI = 100
PREVIEW_DPI = 40          # 8x4 in -> 320x160 px, ~7 KB: small enough for Dagster metadata
FIGSIZE = (8.0, 4.0)
#: Grey orientation places named on the casualty map (the most populous; all are drawn as dots).
MAP_CONTEXT_LABELS = 40
MAX_DAYS_AS_BARS = 31     # more distinct days than this: lines on a date axis instead of bars


@dataclass
class ReportResult:
    """What :func:`build_report` wrote."""

    html_path: Path
    chart_paths: dict[str, Path]           # chart key -> PNG file
    counts: dict[str, int]                 # rows per table and per view (keys: table or view name)
    empty: bool                            # True when there are no articles yet
    preview_png: bytes = b""               # a small PNG of the headline chart (for metadata previews)
    preview_chart: str = ""                # which chart the preview shows
    notes: list[str] = field(default_factory=list)   # queries that failed (the sections show "no data")
    unchanged: bool = False                # the data had not changed: the existing files were kept

    @property
    def png_paths(self) -> list[Path]:
        return list(self.chart_paths.values())

    @property
    def html_bytes(self) -> int:
        return self.html_path.stat().st_size


# --------------------------------------------------------------------------------------
# Connection handling
# --------------------------------------------------------------------------------------

def _has_table(con, name: str) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND NOT temporary "
        "AND database_name = current_database()", [name]).fetchall()[0][0])


@contextlib.contextmanager
def _open(source, notes: list[str]) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection with the schema's tables and the current views (TEMP views, removed afterwards)."""
    if isinstance(source, (str, os.PathLike, store.Store)):
        target = source if isinstance(source, store.Store) else store.Store(source)
        path = Path(target.location.path)
        if not target.exists() or (not target.is_lake and str(path) != ":memory:" and path.stat().st_size == 0):
            notes.append(f"database {target.location.describe()!r} does not exist yet")
            con = _empty_connection()
        else:
            con = store.connect(target, read_only=str(path) != ":memory:")
        owned = True
    else:
        con, owned = source, False
    try:
        if not _has_table(con, "articles"):
            if owned:
                con.close()
            notes.append("the database has no articles table yet")
            con, owned = _empty_connection(), True
        created = _install_temp_views(con, notes)
        try:
            yield con
        finally:
            if not owned:
                for name in reversed(created):
                    with contextlib.suppress(duckdb.Error):
                        kind = "TABLE" if name in COMPUTED_ONCE else "VIEW"
                        con.execute(f'DROP {kind} IF EXISTS temp.main."{name}"')
    finally:
        if owned:
            con.close()


def _empty_connection() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    store.ensure_schema(con)
    return con


def _install_temp_views(con, notes: list[str]) -> list[str]:
    """Create every view of :data:`VIEWS` as a TEMP view (works on read-only files; shadows stored
    views), those of :data:`COMPUTED_ONCE` as TEMP tables of their rows."""
    created = []
    for name, ddl in VIEWS.items():
        temp_ddl = ddl.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TEMP VIEW", 1)
        if name in COMPUTED_ONCE:
            temp_ddl = re.sub(rf"^\s*CREATE OR REPLACE VIEW {name} AS", f'CREATE OR REPLACE TEMP TABLE "{name}" AS', ddl)
        try:
            con.execute(temp_ddl)
            created.append(name)
        except duckdb.Error as err:  # e.g. a column an old database lacks: fall back to the stored view
            notes.append(f"view {name}: current definition not usable here ({str(err).splitlines()[0]})")
    return created


def _query(con, sql: str, notes: list[str], params=None) -> pd.DataFrame:
    try:
        return con.execute(sql, params or []).df()
    except duckdb.Error as err:
        notes.append(f"query failed: {str(err).splitlines()[0]}")
        log.warning("report query failed: %s\n%s", err, sql)
        return pd.DataFrame()


def _count(con, name: str, notes: list[str]) -> int:
    df = _query(con, f'SELECT count(*) AS n FROM "{name}"', notes)
    return int(df["n"].iloc[0]) if len(df) else 0


# --------------------------------------------------------------------------------------
# Data for the charts and tables
# --------------------------------------------------------------------------------------

SQL = {
    "casualties_by_day": """
        SELECT event_day AS day, category, sum(coalesce(best, low, high)) AS n
        FROM casualty_reports WHERE event_day IS NOT NULL AND coalesce(best, low, high) IS NOT NULL
        GROUP BY ALL ORDER BY day, category""",
    "casualties_by_place": """
        SELECT location, category, sum(coalesce(best, low, high)) AS n
        FROM casualty_reports WHERE coalesce(best, low, high) IS NOT NULL
        GROUP BY ALL ORDER BY location, category""",
    "casualties_map": """
        SELECT place, country_code, latitude, longitude, category, sum(n_figures) AS figures,
               sum(coalesce(total_low, 0)) AS people
        FROM casualties_by_place WHERE latitude IS NOT NULL
        GROUP BY ALL ORDER BY figures DESC, place, category""",
    "map_places": """
        SELECT name, latitude, longitude, feature FROM places WHERE latitude IS NOT NULL AND feature = 'city'
        ORDER BY population DESC NULLS LAST, name, latitude LIMIT 200""",
    "top_speakers": "SELECT speaker, quotes, articles, direct_quotes FROM top_speakers LIMIT ?",
    "top_outlets": "SELECT outlet, articles, refs, citations, quotes, casualty_figures FROM outlets_cited LIMIT ?",
    "entity_by_day": """
        WITH top AS (
            SELECT canonical_name, label, sum(mentions) AS total FROM entity_mentions_by_day
            GROUP BY ALL ORDER BY total DESC, canonical_name LIMIT ?)
        SELECT d.day, d.canonical_name || ' (' || d.label || ')' AS entity, d.mentions AS n, t.total
        FROM entity_mentions_by_day d JOIN top t USING (canonical_name, label)
        WHERE d.day IS NOT NULL ORDER BY t.total DESC, entity, d.day""",
    "top_quotes": """
        WITH ranked AS (
            SELECT w.*, s.quotes AS speaker_quotes
            FROM who_said_what w JOIN top_speakers s USING (speaker)
            WHERE NOT w.is_duplicate_article
            QUALIFY row_number() OVER (PARTITION BY w.speaker
                                       ORDER BY w.kind = 'direct' DESC, length(w.quote_text) DESC,
                                                w.quote_text, w.article_id) <= 2)
        SELECT speaker, quote_text, kind, reported_via, outlet, title, published_day
        FROM ranked ORDER BY speaker_quotes DESC, speaker, kind = 'direct' DESC, length(quote_text) DESC,
                             quote_text, article_id LIMIT ?""",
    "casualty_table": """
        SELECT category, location, event_day, best, low, high, n_articles, reported_via, outlets
        FROM casualty_reports
        ORDER BY coalesce(best, high, low, 0) DESC, event_day DESC NULLS LAST, location, category LIMIT ?""",
    "cooccurrence": """
        SELECT entity_a, label_a, entity_b, label_b, articles FROM entity_cooccurrence
        WHERE label_a IN ('PERSON', 'ORG', 'GPE', 'LOC', 'NORP') AND label_b IN ('PERSON', 'ORG', 'GPE', 'LOC', 'NORP')
        ORDER BY articles DESC, entity_a, label_a, entity_b, label_b LIMIT ?""",
}


# --------------------------------------------------------------------------------------
# Charts
# --------------------------------------------------------------------------------------

def _new_figure():
    from matplotlib.figure import Figure

    fig = Figure(figsize=FIGSIZE, layout="constrained")
    return fig, fig.add_subplot()


def _png(fig, dpi: int) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # missing glyphs for some scripts are not worth a warning per chart
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def _no_data(title: str, message: str = "no data yet"):
    fig, ax = _new_figure()
    ax.set_axis_off()
    ax.set_title(title, fontsize=12, loc="left")
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=18, color="#888888", transform=ax.transAxes)
    return fig


def _short(s, n: int = 38) -> str:
    s = "" if s is None else str(s)
    return s if len(s) <= n else s[: n - 1] + "…"


def _as_date(values) -> list[dt.date]:
    return [pd.Timestamp(v).date() for v in values]


def _time_chart(df: pd.DataFrame, title: str, ylabel: str, colors: dict[str, str] | None = None,
                many: str = "lines"):
    """``df`` has day, series, n: grouped bars per day (few days), else on a date axis ``many`` =
    "lines" or "bars" (stacked; by week when the days span more than half a year)."""
    if df.empty:
        return _no_data(title)
    df = df.assign(day=_as_date(df["day"]))
    wide = df.pivot_table(index="day", columns="series", values="n", aggfunc="sum", fill_value=0, sort=True)
    series = list(dict.fromkeys(df["series"]))  # keep the query's order (known categories first)
    if colors:
        order = list(colors)
        series.sort(key=lambda s: order.index(s) if s in order else len(order))
    wide = wide[series]
    fig, ax = _new_figure()
    color_of = {s: (colors or {}).get(s, PALETTE[i % len(PALETTE)]) for i, s in enumerate(series)}
    if len(wide) <= MAX_DAYS_AS_BARS:
        x = list(range(len(wide)))
        width = 0.8 / max(len(series), 1)
        for i, s in enumerate(series):
            ax.bar([p - 0.4 + width * (i + 0.5) for p in x], wide[s].tolist(), width=width,
                   label=_short(s), color=color_of[s])
        ax.set_xticks(x, [d.isoformat() for d in wide.index], rotation=45 if len(x) > 4 else 0,
                      ha="right" if len(x) > 4 else "center", fontsize=8)
    else:
        import matplotlib.dates as mdates

        if many == "bars":
            width = 0.8
            if (wide.index[-1] - wide.index[0]).days > 183:
                weeks = [d - dt.timedelta(days=d.weekday()) for d in wide.index]
                wide = wide.groupby(weeks).sum()
                width, ylabel = 6.0, f"{ylabel} per week"
            bottom = [0.0] * len(wide)
            for s in series:
                vals = [float(v) for v in wide[s]]
                ax.bar(list(wide.index), vals, width=width, bottom=bottom, label=_short(s), color=color_of[s])
                bottom = [a + b for a, b in zip(bottom, vals)]
        else:
            for s in series:
                ax.plot(list(wide.index), wide[s].tolist(), marker="o", markersize=3, linewidth=1.5,
                        label=_short(s), color=color_of[s])
        ax.xaxis.set_major_locator(mdates.AutoDateLocator())
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.set_title(title, fontsize=12, loc="left")
    ax.set_ylabel(ylabel)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, ncols=min(len(series), 3))
    return fig


def _barh(labels: list, values: list, title: str, xlabel: str, color: str = "#3b6ea5", stacked: dict | None = None):
    """Horizontal bars, largest on top; ``stacked`` = {series: values} draws stacked segments instead."""
    if not labels:
        return _no_data(title)
    fig, ax = _new_figure()
    y = list(range(len(labels)))[::-1]
    if stacked:
        left = [0.0] * len(labels)
        for i, (name, vals) in enumerate(stacked.items()):
            ax.barh(y, vals, left=left, label=name, color=CATEGORY_COLORS.get(name, PALETTE[i % len(PALETTE)]))
            left = [a + b for a, b in zip(left, vals)]
        ax.legend(fontsize=8, frameon=False, loc="lower right")
        totals = left
    else:
        ax.barh(y, values, color=color)
        totals = values
    for yi, total in zip(y, totals):
        ax.text(total, yi, f" {total:g}", va="center", fontsize=8)
    ax.set_yticks(y, [_short(s) for s in labels], fontsize=8)
    ax.set_title(title, fontsize=12, loc="left")
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlim(0, max(totals) * 1.15 if totals and max(totals) > 0 else 1)
    ax.grid(axis="x", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def _map_chart(m: pd.DataFrame, context: pd.DataFrame, top_n: int):
    """Casualty figures at their places (longitude/latitude, equirectangular; no base map is
    downloaded, so the other places the articles name are drawn in grey for orientation): one
    marker per place and category, its area by the number of figures."""
    if not len(m):
        return _no_data(CHARTS["casualties_map"], "no casualty figure is linked to a place yet")
    fig, ax = _new_figure()
    lon, lat = m["longitude"].astype(float), m["latitude"].astype(float)
    pad = max(8.0, 0.15 * max(lon.max() - lon.min(), lat.max() - lat.min()))
    box = (max(-180, lon.min() - pad), min(180, lon.max() + pad), max(-90, lat.min() - pad), min(90, lat.max() + pad))
    ctx = context[(context["longitude"].between(box[0], box[1])) & (context["latitude"].between(box[2], box[3]))
                  & ~context["name"].isin(m["place"])] if len(context) else context
    if len(ctx):  # one scatter for all; names for the largest only (text is what costs, and clutters)
        ax.scatter(ctx["longitude"].astype(float), ctx["latitude"].astype(float), s=8, color="#bbbbbb", zorder=1)
        for _, r in ctx.head(MAP_CONTEXT_LABELS).iterrows():
            ax.annotate(_short(r["name"], 20), (float(r["longitude"]), float(r["latitude"])), fontsize=6,
                        color="#999999", xytext=(3, -8), textcoords="offset points")
    for cat, g in m.groupby("category", sort=False):
        ax.scatter(g["longitude"].astype(float), g["latitude"].astype(float), s=40 + 60 * g["figures"].astype(float),
                   alpha=0.6, color=CATEGORY_COLORS.get(cat, "#666666"), label=cat, edgecolors="white")
    for _, r in m.drop_duplicates("place").head(top_n).iterrows():
        ax.annotate(_short(r["place"], 20), (float(r["longitude"]), float(r["latitude"])), fontsize=7,
                    xytext=(4, 4), textcoords="offset points")
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    ax.set_title(CHARTS["casualties_map"] + " (marker area: figures reported)")
    return fig


def _chart(key: str, data: dict[str, pd.DataFrame], top_n: int):
    """The figure of one chart (``key`` of :data:`CHARTS`) from the report's query results."""
    if key == "casualties_over_time":
        d = data["casualties_by_day"]
        return _time_chart(d.rename(columns={"category": "series"}) if len(d) else d,
                           CHARTS["casualties_over_time"] + " (best estimate, summed over places)", "people",
                           colors=CATEGORY_COLORS, many="bars")
    if key == "casualties_by_place":
        p = data["casualties_by_place"]
        if not len(p):
            return _no_data(CHARTS["casualties_by_place"])
        wide = p.pivot_table(index="location", columns="category", values="n", aggfunc="sum", fill_value=0)
        wide = wide.loc[wide.sum(axis=1).sort_values(ascending=False, kind="stable").index[:top_n]]
        cats = [c for c in CATEGORY_COLORS if c in wide.columns] + [c for c in wide.columns if c not in CATEGORY_COLORS]
        return _barh(list(wide.index), [], CHARTS["casualties_by_place"] + " (best estimate)", "people",
                     stacked={c: [float(v) for v in wide[c]] for c in cats})
    if key == "casualties_map":
        return _map_chart(data["casualties_map"], data["map_places"], top_n)
    if key == "top_speakers":
        s = data["top_speakers"]
        return _barh(list(s["speaker"]) if len(s) else [], [int(v) for v in s["quotes"]] if len(s) else [],
                     CHARTS["top_speakers"], "quotes", color="#3b6ea5")
    if key == "top_outlets":
        o = data["top_outlets"]
        return _barh(list(o["outlet"]) if len(o) else [], [int(v) for v in o["articles"]] if len(o) else [],
                     CHARTS["top_outlets"] + " (as a source)", "articles citing the outlet", color="#5a9e6f")
    if key == "entity_mentions_over_time":
        e = data["entity_by_day"]
        return _time_chart(e[["day", "entity", "n"]].rename(columns={"entity": "series"}) if len(e) else e,
                           CHARTS["entity_mentions_over_time"] + " (most-mentioned named entities)", "mentions")
    raise KeyError(key)


def warm_up() -> None:
    """Import the chart libraries (matplotlib's figure and Agg canvas): a run-pool worker does it
    while it waits, so that drawing the report's charts does not start with the import."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: F401
    from matplotlib.figure import Figure  # noqa: F401
    import matplotlib.dates  # noqa: F401


def render_chart(job: tuple[str, dict[str, pd.DataFrame], int, bool]) -> tuple[str, bytes, bytes | None]:
    """(key, PNG, preview PNG if asked) of one chart: a picklable unit of work, so the charts of
    a run can be drawn in its worker processes."""
    key, data, top_n, preview = job
    fig = _chart(key, data, top_n)
    return key, _png(fig, FULL_DPI), _png(fig, PREVIEW_DPI) if preview else None


def _headline(data: dict[str, pd.DataFrame]) -> str:
    """The chart shown as the preview: the first of these with data."""
    return next((k for k, d in (("casualties_by_place", data["casualties_by_place"]),
                                ("top_speakers", data["top_speakers"]),
                                ("entity_mentions_over_time", data["entity_by_day"])) if len(d)),
                "casualties_by_place")


# --------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------

CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif; margin: 2rem auto;
       max-width: 1000px; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
.meta { color: #666; font-size: .9rem; }
.empty { background: #fff6e0; border: 1px solid #f0d58a; padding: .8rem 1rem; border-radius: 4px; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #666; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .6rem 0 1rem; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #eee; vertical-align: top; }
th { background: #f6f6f6; } td.nowrap { white-space: nowrap; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.none { color: #888; font-style: italic; } .notes { color: #8a5a00; font-size: .85rem; }
code { background: #f4f4f4; padding: 0 .2rem; }
"""


def _fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)) or (hasattr(v, "tolist") and not isinstance(v, (str, bytes))
                                        and getattr(v, "ndim", 0) == 1):
        items = v.tolist() if hasattr(v, "tolist") else v
        return ", ".join(_fmt(i) for i in items if _fmt(i))
    try:
        if pd.isna(v):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if (v.hour, v.minute, v.second) == (0, 0, 0) else v.isoformat(sep=" ")
    if isinstance(v, (dt.datetime, dt.date)):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _table(df: pd.DataFrame, columns: dict[str, str], caption: str = "") -> str:
    if df is None or df.empty:
        return '<p class="none">no rows yet</p>'
    head = "".join(f"<th>{html.escape(label)}</th>" for label in columns.values())
    rows = []
    for rec in df.to_dict("records"):
        cells = []
        for col in columns:
            v = rec.get(col)
            num = isinstance(v, (int, float)) and not isinstance(v, bool) and not (isinstance(v, float) and math.isnan(v))
            cls = ' class="num"' if num else (' class="nowrap"' if col.endswith(("day", "_at")) else "")
            cells.append(f"<td{cls}>{html.escape(_fmt(v))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figure(key: str, png: bytes, caption: str) -> str:
    b64 = base64.b64encode(png).decode("ascii")
    return (f'<figure id="chart-{key}"><img src="data:image/png;base64,{b64}" alt="{html.escape(CHARTS[key])}" '
            f'width="800" height="400"><figcaption>{html.escape(caption)}</figcaption></figure>')


def _html(title: str, source_label: str, counts: dict[str, int], empty: bool, pngs: dict[str, bytes],
          data: dict[str, pd.DataFrame], notes: list[str]) -> str:
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    summary = pd.DataFrame([{"table": t, "rows": counts.get(t, 0)} for t in COUNTED_TABLES])
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">Generated {now} from <code>{html.escape(source_label)}</code>: '
        f"{counts.get('articles', 0)} articles, {counts.get('quotes', 0)} quotes, "
        f"{counts.get('casualties', 0)} casualty figures, {counts.get('entities', 0)} entity mentions. "
        "Near-duplicate articles are counted once.</p>",
    ]
    if empty:
        parts.append('<p class="empty" id="no-data"><strong>No data yet.</strong> The database has no articles: '
                     "run <code>news-etl run --input FOLDER --database FILE</code> (or materialise the assets in "
                     "the Dagster UI) and build the report again.</p>")
    parts += ["<h2>Contents of the database</h2>", _table(summary, {"table": "table", "rows": "rows"})]

    parts += ["<h2>Casualty figures</h2>",
              _figure("casualties_over_time", pngs["casualties_over_time"],
                      "Best estimate per category and day (view casualty_reports), summed over places."),
              _figure("casualties_by_place", pngs["casualties_by_place"],
                      "Best estimate per place, by category (view casualty_reports)."),
              _figure("casualties_map", pngs["casualties_map"],
                      "Casualty figures at the places they were reported for (view casualties_by_place; "
                      "places from the offline GeoNames gazetteer)."),
              "<h3>Casualty reports</h3>",
              _table(data["casualty_table"], {
                  "category": "category", "location": "place", "event_day": "day", "best": "best", "low": "low",
                  "high": "high", "n_articles": "articles", "reported_via": "reported via", "outlets": "outlets"})]

    parts += ["<h2>Who said what</h2>",
              _figure("top_speakers", pngs["top_speakers"], "Quotes per speaker (view top_speakers)."),
              "<h3>Top quotes</h3>",
              _table(data["top_quotes"], {
                  "speaker": "speaker", "quote_text": "quote", "kind": "kind", "reported_via": "via",
                  "outlet": "outlet", "title": "article", "published_day": "date"})]

    parts += ["<h2>Outlets cited</h2>",
              _figure("top_outlets", pngs["top_outlets"],
                      "Articles crediting each outlet: citations, quotes and casualty figures reported via it "
                      "(view outlets_cited)."),
              _table(data["top_outlets"], {
                  "outlet": "outlet", "articles": "articles", "refs": "references", "citations": "citations",
                  "quotes": "quotes", "casualty_figures": "casualty figures"})]

    parts += ["<h2>Entities</h2>",
              _figure("entity_mentions_over_time", pngs["entity_mentions_over_time"],
                      "Mentions per day of the most-mentioned named entities (view entity_mentions_by_day)."),
              "<h3>Mentioned together</h3>",
              _table(data["cooccurrence"], {
                  "entity_a": "entity", "label_a": "label", "entity_b": "entity", "label_b": "label",
                  "articles": "articles"})]
    if notes:
        parts.append('<h2>Notes</h2><ul class="notes">' +
                     "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------

PREVIEW_NAME = "preview.png"
FINGERPRINT_NAME = "report.fingerprint.json"


def _fingerprint(*parts) -> str:
    """Hash of everything the report shows (the view results, counts, title) and of this module's
    code: equal fingerprints mean an identical report."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    for part in parts:
        if isinstance(part, dict):
            for k in sorted(part):
                v = part[k]
                h.update(k.encode())
                h.update(v.to_csv(index=False).encode() if isinstance(v, pd.DataFrame) else repr(v).encode())
        else:
            h.update(repr(part).encode())
    return h.hexdigest()


def _reuse(out: Path, fingerprint: str, counts: dict[str, int], empty: bool, notes: list[str]) -> ReportResult | None:
    """The report already in ``out`` when its fingerprint matches and its files are all there
    (a no-op run does not redraw the charts)."""
    try:
        saved = json.loads((out / FINGERPRINT_NAME).read_text())
    except (OSError, ValueError):
        return None
    chart_paths = {k: out / f"{k}.png" for k in CHARTS}
    files = [out / HTML_NAME, out / PREVIEW_NAME, *chart_paths.values()]
    if saved.get("fingerprint") != fingerprint or not all(f.exists() for f in files):
        return None
    counts = {**counts, "charts": len(chart_paths)}
    return ReportResult(html_path=out / HTML_NAME, chart_paths=chart_paths, counts=counts, empty=empty,
                        preview_png=(out / PREVIEW_NAME).read_bytes(), preview_chart=saved.get("preview_chart", ""),
                        notes=notes, unchanged=True)


def _reusable_charts(out: Path, chart_paths: dict[str, Path], chart_prints: dict[str, str],
                     headline: str) -> dict[str, bytes]:
    """{chart: PNG} of the charts in ``out`` drawn from the same inputs as now (their fingerprints,
    see :data:`CHART_INPUTS`, match the saved ones); the headline chart only with its preview."""
    try:
        saved = json.loads((out / FINGERPRINT_NAME).read_text()).get("charts", {})
    except (OSError, ValueError, AttributeError):
        return {}
    reuse = {}
    for key, path in chart_paths.items():
        if saved.get(key) == chart_prints[key] and path.exists() and \
                (key != headline or (out / PREVIEW_NAME).exists()):
            reuse[key] = path.read_bytes()
    return reuse


def build_report(con_or_database_path, out_dir, *, title: str = "News report", top_n: int = 15,
                 map_charts=None) -> ReportResult:
    """Write ``out_dir/report.html`` (self-contained) and ``out_dir/<chart>.png``; return what was written.

    ``con_or_database_path``: an open DuckDB connection (used as is; TEMP views it gets are dropped
    again) or the path of a database file (opened read-only, waiting while a writer holds the lock;
    a missing file gives an empty report). ``map_charts``: a ``map``-like function that draws the
    charts (:func:`render_chart` over picklable jobs), e.g. on a run's worker processes; default: here.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    source_label = str(con_or_database_path) if isinstance(con_or_database_path, (str, os.PathLike)) \
        else "DuckDB connection"
    with _open(con_or_database_path, notes) as con:
        counts = {t: _count(con, t, notes) for t in COUNTED_TABLES}
        for v in VIEWS:
            counts[v] = _count(con, v, notes)
        limits = {"top_speakers": top_n, "top_outlets": top_n, "entity_by_day": 6, "top_quotes": top_n,
                  "casualty_table": 20, "cooccurrence": 10}
        data = {k: _query(con, sql, notes, [limits[k]] if k in limits else None) for k, sql in SQL.items()}
    empty = counts.get("articles", 0) == 0

    fingerprint = _fingerprint(title, source_label, top_n, counts, data, notes)
    reused = _reuse(out, fingerprint, counts, empty, notes)
    if reused is not None:
        return reused

    headline = _headline(data)
    chart_paths = {k: out / f"{k}.png" for k in CHARTS}
    jobs = {k: (k, {i: data[i] for i in CHART_INPUTS[k]}, top_n, k == headline) for k in CHARTS}
    chart_prints = {k: _fingerprint(*job) for k, job in jobs.items()}
    pngs = _reusable_charts(out, chart_paths, chart_prints, headline)
    preview = (out / PREVIEW_NAME).read_bytes() if headline in pngs else b""
    for key, png, small in (map_charts or map)(render_chart, [j for k, j in jobs.items() if k not in pngs]):
        pngs[key] = png
        chart_paths[key].write_bytes(png)
        preview = small if small is not None else preview
    pngs = {k: pngs[k] for k in CHARTS}  # the report's order

    html_path = out / HTML_NAME
    tmp = html_path.with_suffix(".html.tmp")
    tmp.write_text(_html(title, source_label, counts, empty, pngs, data, notes), encoding="utf-8")
    os.replace(tmp, html_path)
    (out / PREVIEW_NAME).write_bytes(preview)
    (out / FINGERPRINT_NAME).write_text(json.dumps({"fingerprint": fingerprint, "preview_chart": headline,
                                                    "charts": chart_prints}))
    counts["charts"] = len(chart_paths)
    return ReportResult(html_path=html_path, chart_paths=chart_paths, counts=counts, empty=empty,
                        preview_png=preview, preview_chart=headline, notes=notes)
