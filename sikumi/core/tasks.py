"""Background work with a progress record the user can watch.

A task is a `django.tasks` task that takes `progress_id` as its first argument and reports
through `progress_step`; `task_start` creates the record and enqueues it. The workers are
`manage.py db_worker` processes started and restarted by `manage.py run_workers` (started by
`make run`); tests use the immediate backend.

A worker that dies in the middle of a task (killed, out of memory, a crashing reader) leaves
the task RUNNING forever: `tasks_recover` marks such tasks and their progress failed with a
message the user sees, at start-up and whenever the supervisor sees a worker die.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sikumi.core.models import TaskProgress

UNFINISHED = (TaskProgress.Status.PENDING, TaskProgress.Status.RUNNING)


class TaskLimitError(ValidationError):
    """The user already has as many unfinished background tasks as one user may have."""


class WorkerDied(RuntimeError):
    """Recorded as the failure of a task whose worker process died while running it."""


def worker_died_message() -> str:
    return _(
        "Tugas ini terhenti karena proses latar belakang yang menjalankannya mati mendadak "
        "(misalnya kehabisan memori atau dimatikan). Jalankan ulang tugas ini; bila terulang, "
        "hubungi administrator."
    )


def tasks_unfinished(owner: Any) -> int:
    """How many of `owner`'s background tasks wait or run."""
    if owner is None or not getattr(owner, "pk", None):
        return 0
    return TaskProgress.objects.filter(owner=owner, status__in=UNFINISHED).count()


def task_limit_check(owner: Any) -> None:
    """Refuse a new task to a user who already has SIKUMI_TASKS_PER_USER unfinished ones, so
    that one user's imports and reports cannot fill the workers for everyone else."""
    limit = int(getattr(settings, "SIKUMI_TASKS_PER_USER", 0) or 0)
    if limit <= 0:
        return
    waiting = tasks_unfinished(owner)
    if waiting >= limit:
        raise TaskLimitError(
            _(
                "Anda masih memiliki %(count)s tugas latar belakang (impor atau laporan) yang "
                "menunggu atau berjalan; batasnya %(limit)s per pengguna. Tunggu sampai salah "
                "satunya selesai, lalu coba lagi."
            )
            % {"count": waiting, "limit": limit},
            code="task_limit",
        )


def task_start(
    task: Any,
    *,
    label: str,
    owner: Any,
    args: tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
) -> TaskProgress:
    task_limit_check(owner)
    progress = TaskProgress.objects.create(
        label=label[:200], owner=owner if owner is not None and owner.pk else None
    )

    def enqueue() -> None:
        result = task.enqueue(progress.pk, *args, **(kwargs or {}))
        TaskProgress.objects.filter(pk=progress.pk).update(task_result_id=str(result.id))

    # Enqueue only once the progress row (and whatever the caller wrote) is committed.
    transaction.on_commit(enqueue)
    return progress


def progress_step(
    progress_id: int | None, *, done: int, total: int | None = None, message: str | None = None
) -> None:
    if progress_id is None:
        return
    changes: dict[str, Any] = {"done": done, "status": TaskProgress.Status.RUNNING}
    if total is not None:
        changes["total"] = total
    if message is not None:
        changes["message"] = message
    TaskProgress.objects.filter(pk=progress_id).update(**changes)


def progress_finish(
    progress_id: int | None, *, message: str = "", failed: bool = False, result_url: str = ""
) -> None:
    if progress_id is None:
        return
    status = TaskProgress.Status.FAILED if failed else TaskProgress.Status.DONE
    TaskProgress.objects.filter(pk=progress_id).update(
        status=status, message=message, result_url=result_url
    )


def tasks_recover(*, worker_ids: Iterable[str] | None = None) -> int:
    """Mark failed the tasks left RUNNING by dead workers, and their progress records.

    `worker_ids`: the workers known dead (the task's last claimant); None when no worker runs
    at all (the supervisor's start-up), so that every RUNNING task is orphaned. Returns how many
    tasks were marked failed.
    """
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    dead = None if worker_ids is None else set(worker_ids)
    message = worker_died_message()
    count = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        claimed_by = result.worker_ids[-1] if result.worker_ids else None
        if dead is not None and claimed_by not in dead:
            continue
        with transaction.atomic():
            result.set_failed(WorkerDied(message))
            progress_fail(task_result_id=str(result.id), message=message)
        count += 1
    return count


def progress_fail(*, task_result_id: str, message: str) -> int:
    """Mark failed the unfinished progress of the task `task_result_id` (the user sees the
    message on the progress bar, e.g. on the import batch page)."""
    return (
        TaskProgress.objects.filter(task_result_id=task_result_id)
        .filter(status__in=UNFINISHED)
        .update(status=TaskProgress.Status.FAILED, message=message)
    )
