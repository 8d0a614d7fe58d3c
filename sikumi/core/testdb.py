"""Test databases cloned from a template that already holds the migrations and reference data.

Migrating an empty database and loading the reference data (organisation, Depok's regions with
boundaries, the Renstra) took 16-33 s before every pytest run. The conftest now asks
`use_template()` for a template database built once and cloned for each run:

- SQLite: the template is a file in `var/testdb/`; the in-memory test database receives a copy
  through SQLite's backup API before Django connects to it.
- PostgreSQL: the template is a database `sikumi_tpl_<key>` on the same server; Django creates the
  test database with `CREATE DATABASE ... TEMPLATE` (its `TEST["TEMPLATE"]` setting).

The template is never stale. It is built by a separate Python process (`python -m
sikumi.core.testdb`) that records, with an audit hook, every repository file it imports or opens
and every directory it lists (the migrations folders, the Renstra folder...). The template's key
is a hash of those files' contents and listings, the installed packages' versions, the database
engine, the reference loaders and the SIKUMI_* environment. A later run recomputes that hash
from the recorded list and uses the template only when it still matches, so editing a migration,
a model, a loader or a data file (or adding a migration) builds a new one, while editing a view
or a test does not. Django still runs `migrate` on the clone (it finds nothing to apply) and the
conftest still calls the loaders (they find nothing to do).

`SIKUMI_TEST_TEMPLATE=0` turns templates off (the plain migrate-then-load path).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CACHE_DIR = ROOT / "var" / "testdb"
FORMAT = "1"  # bump when what goes into a template changes in a way files don't show
KEEP = 3  # templates kept per engine in this checkout
# Not part of the key: folders whose files never shape the template's content.
IGNORED = (".venv", ".tools", ".git", "var", "node_modules", "bench")
# Environment that does not change what the build writes.
IGNORED_ENV = {"SIKUMI_CHROMIUM", "SIKUMI_SQLITE_PATH", "SIKUMI_TEST_TEMPLATE"}


def enabled() -> bool:
    return os.environ.get("SIKUMI_TEST_TEMPLATE", "1").lower() not in {"0", "false", "no", "off"}


# --- the key -------------------------------------------------------------------------------


def _relative(path: str | os.PathLike[str]) -> str | None:
    """`path` relative to the repository root, or None when outside it or ignored."""
    try:
        rel = Path(os.path.abspath(path)).relative_to(ROOT)
    except ValueError:
        return None
    if not rel.parts or rel.parts[0] in IGNORED or "__pycache__" in rel.parts:
        return None
    if rel.suffix == ".pyc":
        return None
    return rel.as_posix()


def _environment(vendor: str, loaders: list[str]) -> dict[str, Any]:
    # The installed distributions by their metadata folders (name-version.dist-info): the same
    # information as importlib.metadata, without reading every METADATA file.
    packages = sorted(
        entry.name
        for folder in sys.path
        if os.path.isdir(folder)
        for entry in os.scandir(folder)
        if entry.name.endswith((".dist-info", ".egg-info", ".egg-link", ".pth"))
    )
    env = {k: v for k, v in os.environ.items() if k.startswith("SIKUMI_") and k not in IGNORED_ENV}
    return {
        "format": FORMAT,
        "python": platform.python_version(),
        "packages": packages,
        "vendor": vendor,
        "loaders": loaders,
        "env": sorted(env.items()),
    }


def _listing(folder: Path) -> list[str]:
    """A folder's entries, without the ones tools create beside the sources."""
    return sorted(
        p.name
        for p in folder.iterdir()
        if not p.name.startswith(".") and p.name != "__pycache__" and p.suffix != ".pyc"
    )


def fingerprint(deps: dict[str, list[str]], environment: dict[str, Any]) -> str:
    """Hash of what a template was built from: files' contents, listings, the environment."""
    digest = hashlib.sha256(json.dumps(environment, sort_keys=True).encode())
    for rel in sorted(deps["files"]):
        path = ROOT / rel
        digest.update(b"\0file\0" + rel.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"\0missing\0")
    for rel in sorted(deps["dirs"]):
        path = ROOT / rel
        names = _listing(path) if path.is_dir() else ["\0missing"]
        digest.update(b"\0dir\0" + rel.encode() + b"\0" + "\0".join(names).encode())
    return digest.hexdigest()


def _source_snapshot() -> dict[str, tuple[int, int]]:
    """(mtime, size) of every source file, to notice edits made while a template builds."""
    snapshot = {}
    for top in ("sikumi", "config", "locale"):
        for path in (ROOT / top).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                snapshot[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return snapshot


# --- the cache of templates ----------------------------------------------------------------


def _manifests(vendor: str) -> list[dict[str, Any]]:
    found = []
    for path in CACHE_DIR.glob(f"{vendor}-*.json"):
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        manifest["_path"] = str(path)
        found.append(manifest)
    return sorted(found, key=lambda m: m.get("created", 0), reverse=True)


def _write_manifest(vendor: str, key: str, template: str, deps: dict[str, list[str]]) -> None:
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    path = CACHE_DIR / f"{vendor}-{key[:24]}.json"
    tmp = path.with_suffix(f".{uuid.uuid4().hex}.tmp")
    manifest = {"key": key, "template": template, "created": time.time(), **deps}
    tmp.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _log(message: str) -> None:
    sys.stderr.write(f"[testdb] {message}\n")
    sys.stderr.flush()


def _build(env: dict[str, str], loaders: list[str]) -> dict[str, list[str]]:
    """Run the build in a fresh interpreter; return the files and folders it depended on."""
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as out:
        deps_path = out.name
    try:
        subprocess.run(
            [sys.executable, "-m", "sikumi.core.testdb", deps_path, *loaders],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
        )
        return json.loads(Path(deps_path).read_text(encoding="utf-8"))
    finally:
        os.unlink(deps_path)


# --- SQLite --------------------------------------------------------------------------------


class _SqliteTemplate:
    def __init__(self, connection: Any, loaders: list[str]) -> None:
        self.connection = connection
        self.loaders = loaders
        self.environment = _environment("sqlite", loaders)
        self.holder: sqlite3.Connection | None = None

    def find(self) -> str | None:
        for manifest in _manifests("sqlite"):
            path = Path(manifest["template"])
            if path.is_file() and fingerprint(manifest, self.environment) == manifest["key"]:
                return str(path)
        return None

    def build(self) -> str:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        building = CACHE_DIR / f"build-{uuid.uuid4().hex}.sqlite3"
        before = _source_snapshot()
        try:
            deps = _build({"SIKUMI_SQLITE_PATH": str(building), "DATABASE_URL": ""}, self.loaders)
            key = fingerprint(deps, self.environment)
            if _source_snapshot() != before:
                # Files changed during the build: use this template once, never cache it.
                _log("source files changed while the template was built: not kept")
                final = CACHE_DIR / f"once-{uuid.uuid4().hex}.sqlite3"
                os.replace(building, final)
                return str(final)
            final = CACHE_DIR / f"sqlite-{key[:24]}.sqlite3"
            os.replace(building, final)
            _write_manifest("sqlite", key, str(final), deps)
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{building}{suffix}").unlink(missing_ok=True)
        self._prune()
        return str(final)

    def _prune(self) -> None:
        for manifest in _manifests("sqlite")[KEEP:]:
            Path(manifest["template"]).unlink(missing_ok=True)
            Path(manifest["_path"]).unlink(missing_ok=True)

    def install(self, template: str) -> bool:
        """Copy the template into the in-memory test database Django is about to create."""
        creation = self.connection.creation
        test_name = creation._get_test_db_name()
        if not creation.is_in_memory_db(test_name):
            return False
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        # The shared-cache memory database lives while one connection is open: this one stays
        # open for the session, so Django's connection finds the copied tables.
        self.holder = sqlite3.connect(test_name, uri=True, check_same_thread=False)
        source.backup(self.holder)
        source.close()
        if template.startswith(str(CACHE_DIR / "once-")):
            Path(template).unlink(missing_ok=True)
        return True

    def close(self) -> None:
        if self.holder is not None:
            self.holder.close()


# --- PostgreSQL ----------------------------------------------------------------------------


class _PostgresTemplate:
    PREFIX = "sikumi_tpl_"

    def __init__(self, connection: Any, loaders: list[str]) -> None:
        self.connection = connection
        self.loaders = loaders
        self.environment = _environment("postgresql", loaders)
        self.once: str | None = None

    def _exists(self, name: str) -> bool:
        with self.connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None

    def _execute(self, sql: str) -> None:
        with self.connection._nodb_cursor() as cursor:
            cursor.execute(sql)

    def find(self) -> str | None:
        for manifest in _manifests("postgresql"):
            if fingerprint(manifest, self.environment) == manifest["key"] and self._exists(
                manifest["template"]
            ):
                return str(manifest["template"])
        return None

    def _url(self, name: str) -> str:
        """DATABASE_URL (how the settings reach PostgreSQL) with another database name."""
        parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))

    def build(self) -> str:
        building = f"sikumi_tplbuild_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{building}"')
        before = _source_snapshot()
        try:
            deps = _build({"DATABASE_URL": self._url(building)}, self.loaders)
            key = fingerprint(deps, self.environment)
            if _source_snapshot() != before:
                _log("source files changed while the template was built: not kept")
                self.once = building
                return building
            final = f"{self.PREFIX}{key[:24]}"
            if self._exists(final):
                self._execute(f'DROP DATABASE "{building}"')
            else:
                self._execute(f'ALTER DATABASE "{building}" RENAME TO "{final}"')
            _write_manifest("postgresql", key, final, deps)
        except BaseException:
            self._drop_quietly(building)
            raise
        self._prune()
        return final

    def _drop_quietly(self, name: str) -> None:
        try:
            self._execute(f'DROP DATABASE IF EXISTS "{name}"')
        except Exception as exc:  # in use by another run: left for later
            _log(f"could not drop {name}: {exc}")

    def _prune(self) -> None:
        for manifest in _manifests("postgresql")[KEEP:]:
            self._drop_quietly(manifest["template"])
            Path(manifest["_path"]).unlink(missing_ok=True)

    def install(self, template: str) -> bool:
        self.connection.settings_dict.setdefault("TEST", {})["TEMPLATE"] = template
        return True

    def close(self) -> None:
        if self.once:
            self._drop_quietly(self.once)


# --- entry points --------------------------------------------------------------------------


def use_template(loaders: list[str]) -> Any:
    """Make the default test database start from a current template (built when missing).

    Call before Django creates the test databases; returns an object whose `close()` is called
    at the end of the session, or None when templates are off or not supported here."""
    if not enabled():
        return None
    from django.db import connection as default_connection

    connection: Any = default_connection
    template: _SqliteTemplate | _PostgresTemplate
    if connection.vendor == "sqlite":
        creation = connection.creation
        if not creation.is_in_memory_db(creation._get_test_db_name()):
            return None  # a file test database named in the settings: migrated as usual
        template = _SqliteTemplate(connection, loaders)
    elif connection.vendor == "postgresql":
        template = _PostgresTemplate(connection, loaders)
    else:
        return None
    found = template.find()
    if found is None:
        _log(f"building the {connection.vendor} test template (migrations + reference data)")
        found = template.build()
    template.install(found)
    return template


def _main(deps_path: str, loaders: list[str]) -> None:
    """The build (in its own interpreter): migrate, load, and record what was read."""
    files: set[str] = set()
    dirs: set[str] = set()

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and isinstance(args[0], (str, os.PathLike)):
            rel = _relative(args[0])
            if rel is not None and (args[1] is None or "r" in str(args[1])):
                files.add(rel)
        elif event in {"os.listdir", "os.scandir"} and isinstance(args[0], (str, os.PathLike)):
            rel = _relative(args[0])
            if rel is not None:
                dirs.add(rel)

    sys.addaudithook(audit)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils.module_loading import import_string

    call_command("migrate", interactive=False, run_syncdb=True, verbosity=0)
    call_command("createcachetable", verbosity=0)
    for dotted in loaders:
        import_string(dotted)()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("PRAGMA journal_mode=DELETE")
    connection.close()

    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        rel = _relative(path) if path else None
        if rel is not None:
            files.add(rel)
    # Listing a package folder is how migrations are found: a new file there changes the key.
    dirs = {d for d in dirs if (ROOT / d).is_dir()}
    files = {f for f in files if (ROOT / f).is_file()}
    Path(deps_path).write_text(
        json.dumps({"files": sorted(files), "dirs": sorted(dirs)}), encoding="utf-8"
    )


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2:])
