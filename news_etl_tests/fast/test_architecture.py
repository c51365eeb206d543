"""The shape of the codebase, checked: the rules of issue 11 as tests that fail when broken.

Static checks over the source (no model, no Dagster run): private imports, import cycles
(imports inside functions count), size limits, the functional core without dagster, the
lexicon modules, and the spaCy factory registry.
"""

from __future__ import annotations

import ast
import importlib
from collections import Counter
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "news_etl"
#: The Dagster shell: the only modules that may import dagster.
SHELL = ("news_etl.defs", "news_etl.definitions", "news_etl.cli")


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        rel = p.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _tree(name: str) -> ast.Module:
    return ast.parse(MODULES[name].read_text(encoding="utf8"))


def _imports(name: str) -> list[tuple[str, list[str], int]]:
    """(imported module, imported names, line) for every import anywhere in the module."""
    out = []
    is_pkg = MODULES[name].name == "__init__.py"
    for node in ast.walk(_tree(name)):
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                parts = name.split(".")
                parts = parts if is_pkg else parts[:-1]
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            out.append((base, [a.name for a in node.names], node.lineno))
    return out


def _edges(name: str) -> set[str]:
    """news_etl modules this module imports (a ``from pkg import sub`` names the submodule)."""
    out = set()
    for mod, names, _ in _imports(name):
        if not mod.startswith("news_etl"):
            continue
        subs = [f"{mod}.{n}" for n in names if f"{mod}.{n}" in MODULES]
        out.update(subs or ([mod] if mod in MODULES else []))
        if subs and len(subs) < len(names):
            out.add(mod)
    out.discard(name)
    return out


def test_the_package_is_split_by_stage():
    for pkg in ("ingest", "clean", "nlp", "nlp.quotes", "nlp.casualties", "warehouse", "stages", "report", "defs"):
        assert f"news_etl.{pkg}" in MODULES, pkg
    assert "news_etl.settings" in MODULES and "news_etl.warehouse.tables" in MODULES


def test_no_module_imports_a_private_name_of_another():
    bad = [f"{m}:{line} imports {mod}.{n}" for m in MODULES for mod, names, line in _imports(m)
           if mod.startswith("news_etl") for n in names if n.startswith("_") and not n.startswith("__")]
    assert not bad, "\n".join(bad)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles_counting_imports_inside_functions():
    graph = {m: _edges(m) for m in MODULES}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_cycles():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _sizes(limit_fn: int, limit_cls: int) -> list[str]:
    bad = []
    for m, p in MODULES.items():
        if "lexicon" in p.name:
            continue
        for node in ast.walk(_tree(m)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                n = node.end_lineno - node.lineno + 1
                limit = limit_cls if isinstance(node, ast.ClassDef) else limit_fn
                if n > limit:
                    bad.append(f"{m}.{node.name}: {n} lines (limit {limit})")
    return bad


def test_no_function_over_100_lines_no_class_over_400():
    bad = _sizes(100, 400)
    assert not bad, "\n".join(bad)


def test_no_module_over_700_lines():
    bad = [f"{m}: {n} lines" for m, p in MODULES.items() if "lexicon" not in p.name
           and (n := len(p.read_text(encoding="utf8").splitlines())) > 700]
    assert not bad, "\n".join(bad)


def test_the_functional_core_never_imports_dagster():
    bad = [f"{m}:{line}" for m in MODULES if not m.startswith(SHELL)
           for mod, _, line in _imports(m) if mod.split(".")[0] == "dagster"]
    assert not bad, "\n".join(bad)


def _literal_duplicates(tree: ast.AST) -> list[str]:
    dups = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            items = [ast.dump(e) for e in node.elts if isinstance(e, ast.Constant)]
        elif isinstance(node, ast.Dict):
            items = [ast.dump(k) for k in node.keys if isinstance(k, ast.Constant)]
        else:
            continue
        dups += [f"line {node.lineno}: {k}" for k, n in Counter(items).items() if n > 1]
    return dups


def test_lexicon_modules_hold_no_duplicate_entries():
    lexicons = [m for m, p in MODULES.items() if "lexicon" in p.name]
    assert len(lexicons) >= 3, lexicons  # quotes, casualties, cleaning at least
    bad = {m: d for m in lexicons if (d := _literal_duplicates(_tree(m)))}
    assert not bad, bad


def test_the_duplicate_finder_finds_duplicates():
    assert _literal_duplicates(ast.parse('A = {"said", "told", "said"}\nB = {"x": 1, "x": 2}')) == [
        "line 1: Constant(value='said')", "line 2: Constant(value='x')"]


@pytest.mark.parametrize("fragment", ["quote", "casualt", "people", "citation"])
def test_spacy_registry_holds_the_news_components_once_the_package_is_imported(fragment):
    from spacy.language import Language
    from spacy.util import registry

    importlib.import_module("news_etl.nlp.pipeline")
    names = [n for n in registry.factories.get_all() if fragment in n]
    assert names and all(Language.has_factory(n) for n in names), fragment
