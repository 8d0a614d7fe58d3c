"""Consistent backup and restore of the database and the uploaded files, while the app runs.

SQLite: the online backup API copies a consistent snapshot page by page without stopping
writers. PostgreSQL: pg_dump takes a snapshot in one transaction (custom format), pg_restore
--clean puts it back. Uploaded files are copied as they are; they are never changed in place
(new uploads get new names), so a copy taken during the backup is consistent enough.

A backup holds every NIK: it is written for the owner only (file 0600, folder 0700) and, when
SIKUMI_BACKUP_KEY is set (a Fernet key), encrypted. Restoring the uploads extracts them beside
the current folder and swaps the two by renaming, so an interrupted restore never leaves a
half-deleted folder.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT_VERSION = 1
# An encrypted backup: this line, then chunks, each a 4-byte big-endian length and a Fernet token.
ENCRYPTED_MAGIC = b"SIKUMI-BACKUP-FERNET-1\n"
CHUNK = 8 * 1024 * 1024
FILE_MODE, DIR_MODE = 0o600, 0o700


class BackupError(ValueError):
    """A backup that cannot be written or restored; the message is for the operator."""


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


def _fernet(key: str | None = None) -> Any:
    from cryptography.fernet import Fernet

    key = key if key is not None else getattr(settings, "SIKUMI_BACKUP_KEY", "")
    if not key:
        return None
    try:
        return Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError) as exc:
        raise BackupError(
            "SIKUMI_BACKUP_KEY bukan kunci Fernet yang sah (44 karakter base64; buat dengan "
            "`python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`)."
        ) from exc


def _encrypt(source: IO[bytes], target: IO[bytes], fernet: Any) -> None:
    target.write(ENCRYPTED_MAGIC)
    while block := source.read(CHUNK):
        token = fernet.encrypt(block)
        target.write(struct.pack(">I", len(token)))
        target.write(token)


def _decrypted_chunks(source: IO[bytes], fernet: Any) -> Iterator[bytes]:
    from cryptography.fernet import InvalidToken

    while header := source.read(4):
        if len(header) != 4:
            raise BackupError("Berkas cadangan terenkripsi terpotong.")
        (length,) = struct.unpack(">I", header)
        token = source.read(length)
        if len(token) != length:
            raise BackupError("Berkas cadangan terenkripsi terpotong.")
        try:
            yield fernet.decrypt(token)
        except InvalidToken as exc:
            raise BackupError(
                "Cadangan tidak dapat dibuka: SIKUMI_BACKUP_KEY bukan kunci yang dipakai saat "
                "cadangan ini dibuat, atau berkasnya rusak."
            ) from exc


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(ENCRYPTED_MAGIC)) == ENCRYPTED_MAGIC


def _private_dir(path: Path) -> None:
    """Create `path` (and missing parents) for the owner only."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    path.chmod(DIR_MODE)


def backup_create(out: Path, *, key: str | None = None) -> dict[str, Any]:
    """Write a .tar.gz with the database, uploaded files and a manifest (encrypted when a key is
    given or SIKUMI_BACKUP_KEY is set); returns the manifest."""
    fernet = _fernet(key)
    _private_dir(out.parent)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".backup-") as tmp_name:
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
            "encrypted": fernet is not None,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2))
        archive = tmp / "archive.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            for name in ("manifest.json", "db.sqlite3", "db.dump"):
                if (tmp / name).exists():
                    tar.add(tmp / name, arcname=name)
            if media.exists():
                tar.add(media, arcname="media")
        # Written under a temporary name with the owner-only mode, then renamed: never a
        # readable or half-written backup at `out`.
        partial = tmp / "out.partial"
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(descriptor, "wb") as target:
            if fernet is None:
                with archive.open("rb") as source:
                    shutil.copyfileobj(source, target, CHUNK)
            else:
                with archive.open("rb") as source:
                    _encrypt(source, target, fernet)
        os.replace(partial, out)
        out.chmod(FILE_MODE)
    return manifest


def _plain_archive(path: Path, tmp: Path, key: str | None) -> Path:
    """The backup's .tar.gz: `path` itself, or decrypted into `tmp`."""
    if not is_encrypted(path):
        return path
    fernet = _fernet(key)
    if fernet is None:
        raise BackupError(
            "Cadangan ini terenkripsi: setel SIKUMI_BACKUP_KEY ke kunci yang dipakai saat "
            "cadangan dibuat."
        )
    plain = tmp / "archive.tar.gz"
    descriptor = os.open(plain, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with path.open("rb") as source, os.fdopen(descriptor, "wb") as target:
        source.read(len(ENCRYPTED_MAGIC))
        for block in _decrypted_chunks(source, fernet):
            target.write(block)
    return plain


def _swap_media(extracted: Path, media: Path) -> None:
    """Put `extracted` in place of `media` by renaming (same file system), then drop the old."""
    old = None
    if media.exists():
        old = media.with_name(f".{media.name}.old-{os.getpid()}")
        if old.exists():
            shutil.rmtree(old)
        os.rename(media, old)
    try:
        os.rename(extracted, media)
    except OSError:
        if old is not None:
            os.rename(old, media)  # put the previous uploads back
        raise
    media.chmod(DIR_MODE)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def backup_restore(path: Path, *, key: str | None = None) -> dict[str, Any]:
    """Replace the database and the uploaded files by the backup's content."""
    media = Path(settings.MEDIA_ROOT)
    _private_dir(media.parent)
    # Beside the uploads folder, so that the restored folder is swapped in by a rename.
    with tempfile.TemporaryDirectory(dir=media.parent, prefix=".restore-") as tmp_name:
        tmp = Path(tmp_name)
        archive = _plain_archive(path, tmp, key)
        extracted = tmp / "content"
        extracted.mkdir(mode=DIR_MODE)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(extracted, filter="data")
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise BackupError(f"Berkas cadangan tidak dapat dibaca: {exc}") from exc
        manifest_path = extracted / "manifest.json"
        if not manifest_path.exists():
            raise BackupError("Berkas ini bukan cadangan Sikumi (manifest.json tidak ada).")
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError("Format cadangan tidak dikenal.")
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"Cadangan ini dari {manifest['vendor']}, basis data saat ini {connection.vendor}."
            )
        if connection.vendor == "sqlite":
            source = sqlite3.connect(extracted / "db.sqlite3")
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
                    str(extracted / "db.dump"),
                ],
                check=True,
                env=env,
                capture_output=True,
            )
        restored_media = extracted / "media"
        if not restored_media.exists():
            restored_media.mkdir(mode=DIR_MODE)
        _swap_media(restored_media, media)
    return manifest
