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
    "activities": FOUNDATION | {"cooperatives", "enterprises", "imports", "documents"},
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


# --- the file set of a domain app (README, "Architecture"; docs/development.md) ------------

DOMAIN_APPS = [
    "documents",
    "plans",
    "cooperatives",
    "supervision",
    "enterprises",
    "activities",
    "monev",
    "indicators",
    "regions",
]
# Every domain app has these; the others of the README's set (choices.py, forms.py, filters.py,
# tables.py, api.py) exist where the app has such content, never as an empty file.
REQUIRED = ["models.py", "services.py", "selectors.py", "views.py", "urls.py", "apps.py"]
# One name for one kind of module: the README's names, never a variant of them (in the app's
# folder; a sub-package such as monev/reports/ names its own parts).
VARIANTS = {
    "lookup.py": "lookups.py",
    "validation.py": "validators.py",
    "validations.py": "validators.py",
    "validator.py": "validators.py",
    "selector.py": "selectors.py",
    "service.py": "services.py",
    "choice.py": "choices.py",
    "filter.py": "filters.py",
    "filtersets.py": "filters.py",
    "table.py": "tables.py",
    "form.py": "forms.py",
    "view.py": "views.py",
    "model.py": "models.py",
    "serializers.py": "api.py",
    "logic.py": "sikumi/rules/<app>.py (business rules live in sikumi/rules)",
    "rules.py": "sikumi/rules/<app>.py (business rules live in sikumi/rules)",
}


def _modules(app: str, *, top_level: bool = False) -> list[Path]:
    found = (ROOT / app).glob("*.py") if top_level else (ROOT / app).rglob("*.py")
    return [path for path in found if "migrations" not in path.parts and "tests" not in path.parts]


def _is_placeholder(path: Path) -> bool:
    """Nothing but a docstring, imports, `pass` and empty assignments (a router nobody
    registers on, an empty urlpatterns list)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom | ast.Pass):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring
        if isinstance(node, ast.Assign) and (
            isinstance(node.value, ast.List | ast.Tuple | ast.Dict) and not _elements(node.value)
        ):
            continue  # urlpatterns = []
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and path.name == "api.py"
        ):
            # `router = DefaultRouter()` is a placeholder unless something is registered on it
            continue
        return False
    if path.name == "api.py":
        return "router.register(" not in path.read_text(encoding="utf-8")
    return True


def _elements(node: ast.List | ast.Tuple | ast.Dict) -> list[object]:
    return list(node.keys) if isinstance(node, ast.Dict) else list(node.elts)


@pytest.mark.parametrize("app", DOMAIN_APPS)
def test_a_domain_app_has_the_files_the_readme_promises(app):
    folder = ROOT / app
    missing = [name for name in REQUIRED if not (folder / name).is_file()]
    tests = list((folder / "tests").glob("test_*.py"))
    assert missing == [], f"{app} lacks {missing}"
    assert tests, f"{app}/tests has no test_*.py"


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_modules_are_named_one_way(app):
    odd = {
        str(path.relative_to(ROOT)): VARIANTS[path.name]
        for path in _modules(app, top_level=True)
        if path.name in VARIANTS
    }
    assert odd == {}, "rename to the README's name"


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_no_module_is_an_empty_placeholder(app):
    empty = [
        str(path.relative_to(ROOT))
        for path in _modules(app)
        if path.name != "__init__.py" and _is_placeholder(path)
    ]
    assert empty == [], "delete the file (the README says which files are optional)"


def test_the_placeholder_check_recognises_an_empty_api_and_a_real_one(tmp_path):
    empty = tmp_path / "api.py"
    empty.write_text(
        "from rest_framework.routers import DefaultRouter\n\nrouter = DefaultRouter()\n"
    )
    assert _is_placeholder(empty)
    empty.write_text(empty.read_text() + 'router.register("x", object, basename="x")\n')
    assert not _is_placeholder(empty)
    urls = tmp_path / "urls.py"
    urls.write_text('"""Nothing yet."""\nurlpatterns = []\n')
    assert _is_placeholder(urls)


def test_the_data_model_document_is_current():
    from sikumi.core.management.commands.data_model import render

    docs = ROOT.parent / "docs" / "data-model.md"
    assert docs.read_text(encoding="utf-8") == render(), (
        "run: manage.py data_model > docs/data-model.md"
    )
