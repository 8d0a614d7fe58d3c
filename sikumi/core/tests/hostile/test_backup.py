"""Backups, uploads and API tokens (issue 15, item 12): owner-only files, tokens stored hashed,
optional encryption, a restore that neither crashes without a terminal nor deletes the uploads
before the new ones are in place."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from sikumi.accounts.models import ApiToken
from sikumi.accounts.tokens import token_create, token_hash
from sikumi.core.backup import ENCRYPTED_MAGIC
from sikumi.documents.models import Document

ROOT = Path(__file__).resolve().parents[4]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _document(personas, title="SK Kepala Dinas 12/2026", content=b"%PDF-1.4 isi sk"):
    doc = Document(
        title=title,
        category="sk",
        date=dt.date(2026, 2, 1),
        owner_unit=personas.unit("sekretariat"),
    )
    doc.file.save("sk.pdf", ContentFile(content), save=True)
    return doc


@pytest.mark.django_db(transaction=True)  # SQLite's backup API waits on an open transaction
def test_uploads_and_backups_are_for_the_owner_only(personas, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    doc = _document(personas)
    uploaded = Path(doc.file.path)
    assert _mode(uploaded) == 0o600
    assert _mode(uploaded.parent) == 0o700

    call_command("backup")
    (backup,) = (tmp_path / "data" / "backups").iterdir()
    assert _mode(backup) == 0o600
    assert _mode(backup.parent) == 0o700


def test_the_secret_key_file_and_the_data_folder_are_private():
    from django.conf import settings

    if os.environ.get("SIKUMI_SECRET_KEY"):
        pytest.skip("secret key from the environment")
    assert _mode(settings.DATA_DIR / "secret_key") == 0o600
    assert _mode(settings.DATA_DIR) == 0o700


@pytest.mark.django_db
def test_api_tokens_are_stored_hashed_and_shown_once(personas, client):
    token, key = token_create(user=personas.wawan, name="integrasi")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in str(stored)
    assert stored["key_hash"] == token_hash(key)
    ok = client.get("/api/documents/", HTTP_AUTHORIZATION=f"Token {key}")
    assert ok.status_code == 200
    # The hash itself is not a token.
    refused = client.get("/api/documents/", HTTP_AUTHORIZATION=f"Token {stored['key_hash']}")
    assert refused.status_code in (401, 403)


@pytest.mark.django_db
def test_the_admin_shows_a_new_token_once_and_keeps_only_its_hash(personas, client_for):
    personas.ani.is_staff = personas.ani.is_superuser = True
    personas.ani.save()
    client = client_for(personas.ani)
    response = client.post(
        "/admin/accounts/apitoken/add/",
        {"user": personas.wawan.pk, "name": "SIPD"},
        follow=True,
    )
    text = response.content.decode()
    assert "tidak akan ditampilkan lagi" in text
    token = ApiToken.objects.get(user=personas.wawan)
    key = text.split("Token API untuk ")[1].split(": ", 1)[1].split(" ", 1)[0]
    assert token_hash(key) == token.key_hash
    again = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert key not in again


@pytest.mark.django_db
def test_existing_clear_tokens_are_migrated_to_hashes(personas):
    migration = importlib.import_module("sikumi.accounts.migrations.0002_api_token_hashed")
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamp with time zone NOT NULL, user_id bigint NOT NULL)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created datetime NOT NULL, user_id bigint NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, created, user_id) VALUES (%s, %s, %s)",
            [key, "2026-01-02 03:04:05+00:00", personas.wawan.pk],
        )

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.hash_existing_tokens(apps, editor)

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    token = ApiToken.objects.get(user=personas.wawan)
    assert token.key_hash == token_hash(key) and token.prefix == key[:8]


@pytest.mark.django_db(transaction=True)
def test_an_encrypted_backup_restores_and_swaps_the_uploads(personas, settings, tmp_path):
    key = Fernet.generate_key().decode()
    settings.SIKUMI_BACKUP_KEY = key
    doc = _document(personas)
    stored_name = doc.file.name
    out = tmp_path / "cadangan.tar.gz"
    call_command("backup", out=str(out))
    raw = out.read_bytes()
    assert raw.startswith(ENCRYPTED_MAGIC)
    assert b"SK Kepala Dinas" not in raw and b"%PDF-1.4" not in raw

    # After the backup: the record changes, a new upload appears, the old one is lost.
    Document.objects.filter(pk=doc.pk).update(title="Rusak")
    later = _document(personas, title="Sesudah cadangan", content=b"baru")
    later_path = Path(later.file.path)
    (settings.MEDIA_ROOT / stored_name).unlink()

    # Without the key, or with another key: a clear refusal and nothing changed.
    settings.SIKUMI_BACKUP_KEY = ""
    with pytest.raises(CommandError, match="terenkripsi"):
        call_command("restore", str(out), yes=True)
    settings.SIKUMI_BACKUP_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="bukan kunci yang dipakai"):
        call_command("restore", str(out), yes=True)
    assert later_path.read_bytes() == b"baru"
    assert Document.objects.filter(title="Rusak").exists()

    settings.SIKUMI_BACKUP_KEY = key
    call_command("restore", str(out), yes=True)

    assert sorted(Document.objects.values_list("title", flat=True)) == ["SK Kepala Dinas 12/2026"]
    assert (settings.MEDIA_ROOT / stored_name).read_bytes() == b"%PDF-1.4 isi sk"
    assert not later_path.exists()
    assert _mode(settings.MEDIA_ROOT) == 0o700
    # Nothing of the restore is left beside the uploads folder.
    leftovers = [p.name for p in settings.MEDIA_ROOT.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_restore_without_a_terminal_and_without_yes_exits_with_a_message(tmp_path):
    dummy = tmp_path / "cadangan.tar.gz"
    dummy.write_bytes(b"bukan cadangan")
    env = {**os.environ, "SIKUMI_DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "restore", str(dummy)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "--yes" in result.stderr
    assert "Traceback" not in result.stderr
    assert dummy.read_bytes() == b"bukan cadangan"
