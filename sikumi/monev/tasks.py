"""Reports built in the background with a progress bar (the command runs synchronously)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from sikumi.core.tasks import progress_finish, progress_step

REPORT_DIR = "monev/laporan"


def report_path(progress_id: int, fmt: str) -> Path:
    return Path(settings.MEDIA_ROOT) / REPORT_DIR / f"laporan-{progress_id}.{fmt}"


@task
def report_task(
    progress_id: int, name: str, fmt: str, params: dict[str, Any], official: Any = None
) -> None:
    from sikumi.monev.reports.builders import ReportError, build
    from sikumi.monev.reports.render import write_pdf, write_xlsx

    progress_step(progress_id, done=0, total=2, message=_("Menghitung laporan..."))
    try:
        report = build(name, **params)
    except ReportError as exc:
        progress_finish(progress_id, failed=True, message=str(exc))
        return
    progress_step(progress_id, done=1, total=2, message=_("Menulis berkas..."))
    path = report_path(progress_id, fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "pdf":
        write_pdf(report, str(path), official=official)
    else:
        write_xlsx(report, str(path))
    progress_finish(
        progress_id,
        message=_("Laporan siap."),
        result_url=reverse("monev:report-file", args=[progress_id]),
    )
