"""Consistent backup and restore of the database and the uploaded files, while the app runs.

SQLite: the online backup API copies a consistent snapshot page by page without stopping
writers. PostgreSQL: pg_dump takes a snapshot in one transaction (custom format), pg_restore
--clean puts it back. Uploaded files are copied as they are; they are never changed in place
(new uploads get new names), so a copy taken during the backup is consistent enough.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = [
        "-h",
        db.get("HOST") or "127.0.0.1",
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        db.get("USER") or "postgres",
    ]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _sqlite_raw() -> sqlite3.Connection:
    connection.ensure_connection()
    return connection.connection


def backup_create(out: Path) -> dict[str, Any]:
    """Write a .tar.gz with the database, uploaded files and a manifest; returns the manifest."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        vendor = connection.vendor
        if vendor == "sqlite":
            dest = sqlite3.connect(tmp / "db.sqlite3")
            with dest:
                _sqlite_raw().backup(dest)
            dest.close()
        elif vendor == "postgresql":
            args, env = _pg_env()
            subprocess.run(
                [
                    "pg_dump",
                    *args,
                    "-Fc",
                    "-f",
                    str(tmp / "db.dump"),
                    connection.settings_dict["NAME"],
                ],
                check=True,
                env=env,
                capture_output=True,
            )
        else:
            raise RuntimeError(f"Backup is not supported for {vendor}")
        media = Path(settings.MEDIA_ROOT)
        manifest = {
            "format": FORMAT_VERSION,
            "vendor": vendor,
            "created_at": timezone.now().isoformat(),
            "media_files": sum(1 for p in media.rglob("*") if p.is_file()) if media.exists() else 0,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2))
        with tarfile.open(out, "w:gz") as tar:
            for item in sorted(tmp.iterdir()):
                tar.add(item, arcname=item.name)
            if media.exists():
                tar.add(media, arcname="media")
    return manifest


def backup_restore(path: Path) -> dict[str, Any]:
    """Replace the database and the uploaded files by the backup's content."""
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(tmp, filter="data")
        manifest = json.loads((tmp / "manifest.json").read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError("Format cadangan tidak dikenal.")
        if manifest["vendor"] != connection.vendor:
            raise ValueError(
                f"Cadangan ini dari {manifest['vendor']}, basis data saat ini {connection.vendor}."
            )
        if connection.vendor == "sqlite":
            source = sqlite3.connect(tmp / "db.sqlite3")
            with source:
                source.backup(_sqlite_raw())
            source.close()
        else:
            args, env = _pg_env()
            connection.close()
            subprocess.run(
                [
                    "pg_restore",
                    *args,
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "-d",
                    connection.settings_dict["NAME"],
                    str(tmp / "db.dump"),
                ],
                check=True,
                env=env,
                capture_output=True,
            )
        media = Path(settings.MEDIA_ROOT)
        if (tmp / "media").exists():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(tmp / "media", media)
    return manifest
