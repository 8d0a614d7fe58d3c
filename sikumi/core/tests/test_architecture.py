"""Which app may import which (the README's table), checked on the source."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOUNDATION = {"audit", "core", "accounts", "regions", "rules"}
ALLOWED: dict[str, set[str]] = {
    "rules": set(),
    "audit": FOUNDATION,
    "core": FOUNDATION,
    "accounts": FOUNDATION,
    "regions": FOUNDATION,
    "documents": FOUNDATION,
    "imports": FOUNDATION,
    "plans": FOUNDATION,
    "cooperatives": FOUNDATION | {"imports", "documents"},
    "enterprises": FOUNDATION | {"imports", "documents"},
    "supervision": FOUNDATION | {"cooperatives", "documents"},
    "activities": FOUNDATION | {"cooperatives", "enterprises", "documents"},
    "monev": FOUNDATION | {"plans", "documents", "enterprises"},
}


def _imported_apps(path: Path) -> set[str]:
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "sikumi" and len(parts) > 1:
                apps.add(parts[1])
    return apps


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_below_it(app):
    offending = {}
    for path in (ROOT / app).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        bad = _imported_apps(path) - ALLOWED[app] - {app}
        if bad:
            offending[str(path.relative_to(ROOT))] = sorted(bad)
    assert offending == {}


def test_the_rules_never_import_django():
    for path in (ROOT / "rules").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import django" not in source and "from django" not in source, path


def test_the_data_model_document_is_current():
    from sikumi.core.management.commands.data_model import render

    docs = ROOT.parent / "docs" / "data-model.md"
    assert docs.read_text(encoding="utf-8") == render(), (
        "run: manage.py data_model > docs/data-model.md"
    )
