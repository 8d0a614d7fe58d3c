"""An import cut off while writing (kill -9 during the commit) leaves nothing half-imported
visible once the system starts again, and the same file is never imported twice (issue 15)."""

import os

import pytest
from django.db import connection, connections

from sikumi.enterprises import bulk
from sikumi.enterprises.models import Enterprise, Person
from sikumi.enterprises.tests.helpers import row, write_xlsx
from sikumi.imports import engine, services
from sikumi.imports.models import ImportBatch, ImportStatus

ROWS = 60


class Killed(BaseException):
    """Stands for SIGKILL: no `except Exception` sees it, no cleanup of ours runs."""


def _file(tmp_path):
    return write_xlsx(
        tmp_path / "pendataan.xlsx", [row(f"Usaha {i}", f"Pemilik {i}", None) for i in range(ROWS)]
    )


def _batch(path, personas):
    from django.core.files import File

    with path.open("rb") as fh:
        sha256 = services.file_sha256(fh)
        batch = ImportBatch(
            kind="enterprises",
            original_name=path.name,
            file_sha256=sha256,
            created_by=personas.pandu,
            status=ImportStatus.CONFIRMED,
        )
        batch.file.save(path.name, File(fh), save=False)
    batch.save()
    return batch


def _cut_off_after(monkeypatch, chunks):
    """The writer dies after `chunks` chunks, leaving what a killed process leaves: committed
    transactions, dropped indexes not built again."""
    written = {"n": 0}
    write = bulk.EnterpriseWriter.write

    def dying(self, rows):
        if written["n"] == chunks:
            raise Killed
        written["n"] += 1
        return write(self, rows)

    monkeypatch.setattr(bulk.EnterpriseWriter, "write", dying)
    monkeypatch.setattr(bulk.EnterpriseWriter, "untune", lambda self: None)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("chunks", [1, 3])
def test_a_commit_cut_off_is_removed_at_start_up_and_can_be_confirmed_again(
    personas, depok, tmp_path, monkeypatch, chunks
):
    from sikumi.enterprises.importer import EnterpriseImporter

    monkeypatch.setattr(EnterpriseImporter, "chunk_size", 10)
    monkeypatch.setattr(EnterpriseImporter, "rows_per_transaction", 10)
    monkeypatch.setattr(bulk, "DEFER_INDEXES_MIN_ROWS", 10)
    before = _indexes()
    path = _file(tmp_path)
    batch = _batch(path, personas)
    _cut_off_after(monkeypatch, chunks)
    with pytest.raises(Killed):
        services.commit(batch=batch, actor=personas.pandu)
    # What the kill leaves: a "confirmed" batch with part of its rows stored.
    assert Enterprise.objects.count() == 10 * chunks
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.CONFIRMED
    monkeypatch.undo()

    recovered = services.recover_interrupted()  # what start-up runs (manage.py recover_imports)
    assert [b.pk for b in recovered] == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW
    assert batch.report["interrupted"]["removed"]["usaha"] == 10 * chunks
    assert Enterprise.objects.count() == 0 and Person.objects.count() == 0
    assert _indexes() == before

    batch.status = ImportStatus.CONFIRMED
    batch.save()
    report = services.commit(batch=batch, actor=personas.pandu)
    assert report["valid_rows"] == Enterprise.objects.count() == ROWS


def _indexes():
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("point", ["first-transaction", "second-transaction", "before-finish"])
def test_a_real_kill_of_the_importing_process_is_recovered(personas, depok, tmp_path, point):
    """The importing process is forked and killed (os._exit, as SIGKILL: nothing runs after)
    at several points of its commit; the database it leaves is then recovered."""
    if connection.vendor != "postgresql":
        pytest.skip("needs a database that a forked process shares: run on PostgreSQL")
    from sikumi.enterprises.importer import EnterpriseImporter

    path = _file(tmp_path)
    batch = _batch(path, personas)
    pid = os.fork()
    if pid == 0:  # the importing process
        try:
            keep = [c.connection for c in connections.all()]  # never closed by the child
            for c in connections.all():
                c.connection = None
            EnterpriseImporter.chunk_size = 10
            EnterpriseImporter.rows_per_transaction = 20
            written = {"n": 0}
            write = bulk.EnterpriseWriter.write

            def dying(self, rows):
                written["n"] += 1
                if point == "first-transaction" and written["n"] == 2:
                    os._exit(9)
                if point == "second-transaction" and written["n"] == 4:
                    os._exit(9)
                return write(self, rows)

            bulk.EnterpriseWriter.write = dying  # type: ignore[method-assign]

            def finish(self, **kwargs):
                os._exit(9)

            if point == "before-finish":
                EnterpriseImporter.finish = finish  # type: ignore[method-assign]
            engine.run("enterprises", path, commit=True, batch=batch, parallel=False)
            del keep
        finally:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.WEXITSTATUS(status) == 9
    stored = Enterprise.objects.count()
    assert (
        stored == {"first-transaction": 0, "second-transaction": 20, "before-finish": ROWS}[point]
    )
    services.recover_interrupted()
    assert Enterprise.objects.count() == 0 and Person.objects.count() == 0
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.PREVIEW


@pytest.mark.django_db
def test_the_same_file_is_not_imported_twice(personas, depok, tmp_path, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    path = _file(tmp_path)
    batch = _batch(path, personas)
    services.commit(batch=batch, actor=personas.pandu)
    file = SimpleUploadedFile("lagi.xlsx", path.read_bytes())
    with pytest.raises(services.ImportStateError, match=f"batch #{batch.pk}"):
        services.batch_upload(actor=personas.pandu, kind="enterprises", file=file)
    client = client_for(personas.pandu)
    with path.open("rb") as fh:
        page = client.post("/impor/enterprises/unggah/", {"file": fh})
    assert "Berkas yang sama sudah diimpor" in page.content.decode()
    assert Enterprise.objects.count() == ROWS


@pytest.mark.django_db
def test_an_upload_refused_by_the_task_limit_leaves_no_file(personas, depok, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sikumi.core.models import TaskProgress
    from sikumi.core.tasks import TaskLimitError

    settings.SIKUMI_TASKS_PER_USER = 1
    settings.MEDIA_ROOT = tmp_path / "media"
    TaskProgress.objects.create(label="Laporan", owner=personas.pandu)
    file = SimpleUploadedFile("a.xlsx", _file(tmp_path).read_bytes())
    with pytest.raises(TaskLimitError):
        services.batch_upload(actor=personas.pandu, kind="enterprises", file=file)
    assert ImportBatch.objects.count() == 0
    stored = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert stored == []
