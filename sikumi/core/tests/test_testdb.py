"""The test-database template is never stale: its key follows every file its build read."""

from __future__ import annotations

from pathlib import Path

import pytest

from sikumi.core import testdb

ENVIRONMENT = {"format": "test", "vendor": "sqlite"}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small repository: one app with a migration, a loader and a data file."""
    monkeypatch.setattr(testdb, "ROOT", tmp_path)
    (tmp_path / "app" / "migrations").mkdir(parents=True)
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("# initial\n")
    (tmp_path / "app" / "loader.py").write_text("def load(): ...\n")
    (tmp_path / "app" / "data.csv").write_text("kode,nama\n32,JAWA BARAT\n")
    (tmp_path / "app" / "views.py").write_text("# not read by the build\n")
    return tmp_path


DEPS = {
    "files": ["app/migrations/0001_initial.py", "app/loader.py", "app/data.csv"],
    "dirs": ["app/migrations"],
}


def test_editing_a_migration_a_loader_or_a_data_file_changes_the_key(repo: Path) -> None:
    before = testdb.fingerprint(DEPS, ENVIRONMENT)
    for rel in DEPS["files"]:
        path = repo / rel
        original = path.read_text()
        path.write_text(original + "# edited\n")
        assert testdb.fingerprint(DEPS, ENVIRONMENT) != before, rel
        path.write_text(original)
    assert testdb.fingerprint(DEPS, ENVIRONMENT) == before


def test_adding_or_removing_a_migration_changes_the_key(repo: Path) -> None:
    before = testdb.fingerprint(DEPS, ENVIRONMENT)
    added = repo / "app" / "migrations" / "0002_more.py"
    added.write_text("# new\n")
    assert testdb.fingerprint(DEPS, ENVIRONMENT) != before
    added.unlink()
    assert testdb.fingerprint(DEPS, ENVIRONMENT) == before
    (repo / "app" / "migrations" / "0001_initial.py").unlink()
    assert testdb.fingerprint(DEPS, ENVIRONMENT) != before


def test_files_the_build_did_not_read_and_compiled_caches_leave_the_key(repo: Path) -> None:
    before = testdb.fingerprint(DEPS, ENVIRONMENT)
    (repo / "app" / "views.py").write_text("# edited view\n")
    (repo / "app" / "migrations" / "__pycache__").mkdir()
    (repo / "app" / "migrations" / ".0001_initial.py.swp").write_text("")
    assert testdb.fingerprint(DEPS, ENVIRONMENT) == before


def test_packages_engine_and_settings_environment_are_part_of_the_key(repo: Path) -> None:
    before = testdb.fingerprint(DEPS, ENVIRONMENT)
    assert testdb.fingerprint(DEPS, {**ENVIRONMENT, "vendor": "postgresql"}) != before
    assert testdb.fingerprint(DEPS, {**ENVIRONMENT, "packages": ["django-6.2"]}) != before


def test_only_repository_sources_are_recorded(repo: Path) -> None:
    assert testdb._relative(repo / "app" / "loader.py") == "app/loader.py"
    assert testdb._relative(repo / ".venv" / "lib" / "django.py") is None
    assert testdb._relative(repo / "var" / "testdb" / "x.sqlite3") is None
    assert testdb._relative(repo / "app" / "__pycache__" / "loader.cpython-312.pyc") is None
    assert testdb._relative(repo.parent / "elsewhere.py") is None


def test_this_session_template_recorded_the_migrations_loaders_and_data(db) -> None:
    """The build's audit hook saw what shapes the reference data (read from the manifest of the
    template this session started from)."""
    from django.db import connection

    if not testdb.enabled() or connection.vendor not in {"sqlite", "postgresql"}:
        pytest.skip("test database templates are off (SIKUMI_TEST_TEMPLATE=0)")
    environment = testdb._environment(connection.vendor, _loaders())
    current = [
        m
        for m in testdb._manifests(connection.vendor)
        if testdb.fingerprint(m, environment) == m["key"]
    ]
    if not current:
        pytest.skip("this session's template was used once and not kept (files changed)")
    files, dirs = set(current[0]["files"]), set(current[0]["dirs"])
    assert {
        "sikumi/regions/services.py",
        "sikumi/regions/data/wilayah-indonesia.csv",
        "sikumi/regions/data/depok-kelurahan.geojson",
        "sikumi/plans/loader.py",
        "sikumi/plans/data/depok-2021-2026/program.yaml",
        "sikumi/accounts/data/organisation.yaml",
        "sikumi/core/testing.py",
        "sikumi/cooperatives/migrations/0001_initial.py",
        "config/settings.py",
    } <= files
    assert {"sikumi/cooperatives/migrations", "sikumi/plans/data/depok-2021-2026"} <= dirs


def _loaders() -> list[str]:
    import conftest

    return list(conftest.REFERENCE_LOADERS)
