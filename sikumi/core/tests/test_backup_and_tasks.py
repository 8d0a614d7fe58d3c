import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.tasks import task
from django.urls import reverse

from sikumi.core.models import TaskProgress
from sikumi.core.tasks import progress_finish, progress_step, task_start
from sikumi.documents.models import Document


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_database_and_the_uploaded_files(personas, tmp_path, settings):
    doc = Document(
        title="SK Kepala Dinas 12/2026",
        category="sk",
        date=dt.date(2026, 2, 1),
        owner_unit=personas.unit("sekretariat"),
    )
    doc.file.save("sk.pdf", ContentFile(b"%PDF-1.4 isi sk"), save=True)
    stored_name = doc.file.name
    out = tmp_path / "cadangan.tar.gz"
    call_command("backup", out=str(out))

    # Things go wrong after the backup: a record changes, another appears, the file is lost.
    Document.objects.filter(pk=doc.pk).update(title="Rusak")
    Document.objects.create(
        title="Sesudah cadangan",
        category="lainnya",
        date=dt.date(2026, 3, 1),
        owner_unit=personas.unit("sekretariat"),
    )
    (settings.MEDIA_ROOT / stored_name).unlink()

    call_command("restore", str(out), yes=True)
    titles = sorted(Document.objects.values_list("title", flat=True))
    assert titles == ["SK Kepala Dinas 12/2026"]
    assert (settings.MEDIA_ROOT / stored_name).read_bytes() == b"%PDF-1.4 isi sk"
    assert personas.ani.__class__.objects.count() == 9


@task
def count_to(progress_id: int, n: int) -> int:
    for i in range(1, n + 1):
        progress_step(progress_id, done=i, total=n)
    progress_finish(progress_id, message=f"Selesai menghitung {n}")
    return n


@pytest.mark.django_db(transaction=True)
def test_a_background_task_reports_its_progress_to_its_owner(personas, client_for):
    progress = task_start(count_to, label="Hitung", owner=personas.sari, args=(7,))
    progress.refresh_from_db()
    assert progress.status == "done"
    assert progress.task_result_id
    page = client_for(personas.sari).get(reverse("task-progress", args=[progress.pk]))
    html = page.content.decode()
    assert 'value="100"' in html
    assert "Selesai menghitung 7" in html
    assert (
        client_for(personas.wawan).get(reverse("task-progress", args=[progress.pk])).status_code
        == 403
    )
    assert TaskProgress.objects.get(pk=progress.pk).done == 7
