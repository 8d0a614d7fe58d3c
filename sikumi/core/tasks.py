"""Background work with a progress record the user can watch.

A task is a `django.tasks` task that takes `progress_id` as its first argument and reports
through `progress_step`; `task_start` creates the record and enqueues it. The worker is
`manage.py db_worker` (started by `make run`); tests use the immediate backend.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sikumi.core.models import TaskProgress


def task_start(
    task: Any,
    *,
    label: str,
    owner: Any,
    args: tuple[Any, ...] = (),
    kwargs: dict[str, Any] | None = None,
) -> TaskProgress:
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
