"""A background worker that dies (issue 15, item 1, worker part; item 9, fairness): the task it
ran is marked failed with a message the user sees on the batch page, the worker is started
again, and one user cannot queue more than SIKUMI_TASKS_PER_USER tasks."""

from __future__ import annotations

import os
import signal
import sys

import pytest
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from sikumi.core.models import TaskProgress
from sikumi.core.supervisor import Supervisor, worker_command
from sikumi.core.tasks import TaskLimitError, task_start, tasks_recover
from sikumi.imports.models import ImportBatch
from sikumi.imports.services import preview_task

pytestmark = pytest.mark.django_db

DIED = "proses latar belakang yang menjalankannya mati mendadak"
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _running_import(user, worker_id):
    """An import batch whose preview task a worker claimed (RUNNING), as the worker leaves it."""
    batch = ImportBatch.objects.create(
        kind="enterprises", file="impor/x.xlsx", original_name="usaha.xlsx", created_by=user
    )
    progress = TaskProgress.objects.create(
        label="Pratinjau impor usaha.xlsx", owner=user, status=TaskProgress.Status.RUNNING
    )
    with override_settings(TASKS=DB_TASKS):
        result = preview_task.enqueue(progress.pk, batch.pk)
    db_result = DBTaskResult.objects.get(pk=result.id)
    db_result.claim(worker_id)
    progress.task_result_id = str(result.id)
    progress.done, progress.total = 10, 100
    progress.save()
    batch.progress = progress
    batch.save()
    return batch, db_result


def _batch_page(client, batch):
    return client.get(reverse("imports:batch", args=[batch.pk])).content.decode()


def test_at_start_up_tasks_left_running_are_marked_failed_and_the_batch_says_so(
    personas, client_for
):
    batch, db_result = _running_import(personas.sari, "sikumi-1234-1-0")
    client = client_for(personas.sari)
    assert "Berjalan" in _batch_page(client, batch)

    assert tasks_recover(worker_ids=None) == 1

    db_result.refresh_from_db()
    assert db_result.status == TaskResultStatus.FAILED
    assert db_result.exception_class_path == "sikumi.core.tasks.WorkerDied"
    batch.progress.refresh_from_db()
    assert batch.progress.status == TaskProgress.Status.FAILED
    page = _batch_page(client, batch)
    assert "Gagal" in page
    assert DIED in page
    # Nothing left to recover: a second start-up changes nothing.
    assert tasks_recover(worker_ids=None) == 0


def test_a_killed_worker_is_restarted_and_only_its_task_is_marked_failed(personas, client_for):
    now = [1000.0]
    supervisor = Supervisor(
        workers=2,
        command=lambda worker_id: [sys.executable, "-c", "import time; time.sleep(120)"],
        clock=lambda: now[0],
    )
    supervisor.start()
    try:
        doomed, alive = supervisor.slots
        killed_batch, killed_task = _running_import(personas.sari, doomed.worker_id)
        other_batch, other_task = _running_import(personas.wawan, alive.worker_id)
        old_pid, old_id = doomed.process.pid, doomed.worker_id

        os.kill(old_pid, signal.SIGKILL)
        doomed.process.wait(timeout=10)
        now[0] += 60
        assert supervisor.check() == [-signal.SIGKILL]

        # Restarted: a new process with a new worker id; the other worker untouched.
        assert doomed.process is not None and doomed.process.poll() is None
        assert doomed.process.pid != old_pid and doomed.worker_id != old_id
        assert alive.process.poll() is None
        killed_task.refresh_from_db()
        other_task.refresh_from_db()
        assert killed_task.status == TaskResultStatus.FAILED
        assert other_task.status == TaskResultStatus.RUNNING
        assert DIED in _batch_page(client_for(personas.sari), killed_batch)
        assert "Berjalan" in _batch_page(client_for(personas.wawan), other_batch)
    finally:
        supervisor.stop(timeout=5)
    assert all(s.process.poll() is not None for s in supervisor.slots)


def test_a_worker_that_keeps_dying_at_once_is_restarted_after_a_growing_pause(personas):
    now = [0.0]
    supervisor = Supervisor(
        workers=1,
        command=lambda worker_id: [sys.executable, "-c", "raise SystemExit(3)"],
        clock=lambda: now[0],
    )
    supervisor.start()
    try:
        slot = supervisor.slots[0]
        slot.process.wait(timeout=10)
        assert supervisor.check() == [3]
        assert slot.process is None  # paused: it died within seconds of its start
        now[0] += 1
        supervisor.check()
        assert slot.process is not None and slot.restarts == 1
    finally:
        supervisor.stop(timeout=5)


def test_the_real_worker_command_runs_every_queue_under_its_own_id():
    command = worker_command("sikumi-1-1-0")
    assert command[-5:] == ["db_worker", "--worker-id", "sikumi-1-1-0", "--queue-name", "*"]


@override_settings(SIKUMI_TASKS_PER_USER=2)
def test_one_user_cannot_queue_more_than_the_limit(personas, client_for):
    for n in range(2):
        TaskProgress.objects.create(label=f"Laporan {n}", owner=personas.sari)
    TaskProgress.objects.create(label="Selesai", owner=personas.sari, status="done")
    with pytest.raises(TaskLimitError):
        task_start(preview_task, label="x", owner=personas.sari, args=(1,))
    # Another user is not held back by Sari's tasks.
    assert task_start(preview_task, label="y", owner=personas.wawan, args=(0,)).pk

    response = client_for(personas.sari).post(
        reverse("monev:report-start", args=["e81"]), {"format": "pdf"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "batasnya 2 per pengguna" in response.content.decode()
    assert TaskProgress.objects.filter(owner=personas.sari).count() == 3
    page = client_for(personas.sari).post(
        reverse("monev:report-start", args=["e81"]), {"format": "pdf"}
    )
    assert page.status_code == 429
    assert "Tunggu sampai salah satunya selesai" in page.content.decode()
