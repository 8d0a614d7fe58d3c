from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sikumi.accounts import access
from sikumi.audit.choices import Action
from sikumi.audit.services import record_personal_data_access
from sikumi.core.views import file_response
from sikumi.imports import engine, services, workbooks
from sikumi.imports.base import Importer, get_importer, kinds
from sikumi.imports.forms import MappingForm, UploadForm
from sikumi.imports.models import ImportBatch, ImportStatus
from sikumi.imports.reader import ReadError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISSUES_PER_PAGE = 200
# Conflict rows decided on one page; a file with more needs its NIKs checked at the source.
CONFLICTS_SHOWN = 500


def _importer(kind: str) -> Importer:
    try:
        return get_importer(kind)
    except LookupError:
        raise Http404 from None


def _importer_of(request: HttpRequest, batch: ImportBatch) -> Importer:
    try:
        return services.importer_for(batch, user=request.user)
    except LookupError:
        raise Http404 from None


def _target(request: HttpRequest, importer: Importer) -> int | None:
    """The record a kind with a target imports into, from the upload link (`?pelatihan=12`)."""
    if not importer.target_param:
        return None
    value = request.GET.get(importer.target_param, "")
    if not value.isdigit():
        raise Http404
    try:
        importer.use_target(int(value), user=request.user)
    except LookupError:
        raise Http404 from None
    return int(value)


def _batch(request: HttpRequest, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch, pk=pk)
    if not access.is_internal(request.user):
        raise PermissionDenied
    return batch


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    if not access.is_internal(request.user):
        raise PermissionDenied
    page = Paginator(ImportBatch.objects.select_related("created_by"), 50).get_page(
        request.GET.get("page")
    )
    # Kinds with a target are uploaded from their record's page (a training's participants).
    allowed = [
        (k, cls.label)
        for k, cls in kinds().items()
        if not cls.target_param and cls().can_import(request.user)
    ]
    labels = {k: cls.label for k, cls in kinds().items()}
    for batch in page.object_list:
        # The importer's name, not its code ("Usaha mikro", not "enterprises").
        batch.kind_label = labels.get(batch.kind, batch.kind)  # type: ignore[attr-defined]
    return render(request, "imports/list.html", {"page": page, "kinds": allowed})


@login_required
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    importer = _importer(kind)
    target = _target(request, importer)
    if not importer.can_import(request.user):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        saved = form.cleaned_data.get("mapping")
        try:
            batch = services.batch_upload(
                actor=request.user,
                kind=kind,
                file=form.cleaned_data["file"],
                mapping=saved.mapping if saved else None,
                target=target,
            )
        except services.ImportStateError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("imports:batch", pk=batch.pk)
    return render(
        request,
        "imports/upload.html",
        {
            "form": form,
            "importer": importer,
            "columns": [(c, workbooks.header(c), workbooks.describe(c)) for c in importer.columns],
            "target": importer.target_link(),
        },
    )


@login_required
def template(request: HttpRequest, kind: str) -> FileResponse:
    """The XLSX template of a kind, generated from its column declarations."""
    importer = _importer(kind)
    if not access.is_internal(request.user):
        raise PermissionDenied
    tmp = workbooks.temporary_xlsx()
    workbooks.write_template(tmp.name, importer)
    tmp.seek(0)
    return FileResponse(
        tmp, as_attachment=True, filename=f"templat-impor-{kind}.xlsx", content_type=XLSX
    )


@login_required
def batch_errors(request: HttpRequest, pk: int) -> FileResponse:
    """The rows the preview refused, as the file had them plus "Kesalahan", to fix and upload
    again. They carry the file's personal data in full: allowed to whoever may download the
    file itself, and recorded."""
    batch = _batch(request, pk)
    importer = _importer_of(request, batch)
    access.require(access.can_download_import_file(request.user, batch, importer))
    messages_by_row: dict[int, list[str]] = {}
    for issue in (batch.report or {}).get("errors", []):
        if issue.get("row"):
            messages_by_row.setdefault(issue["row"], []).append(
                f"{issue['column']}: {issue['message']}"
                if issue.get("column")
                else issue["message"]
            )
    if not messages_by_row or not batch.file:
        raise Http404
    record_personal_data_access(
        actor=request.user,
        action=Action.EXPORT_PERSONAL,
        instance=batch,
        what=f"Unduh baris bermasalah impor {batch.original_name}",
    )
    tmp = workbooks.temporary_xlsx()
    try:
        rows = engine.read_rows(importer, batch.file.path, batch.mapping, set(messages_by_row))
        workbooks.write_error_rows(tmp.name, importer, rows, messages_by_row)
    except (ReadError, engine.HeaderError) as exc:
        tmp.close()
        messages.error(request, str(exc))
        return redirect("imports:batch", pk=pk)  # type: ignore[return-value]
    tmp.seek(0)
    stem = batch.original_name.rsplit(".", 1)[0] or "impor"
    return FileResponse(
        tmp, as_attachment=True, filename=f"{stem}-baris-bermasalah.xlsx", content_type=XLSX
    )


@login_required
def batch_file(request: HttpRequest, pk: int) -> FileResponse:
    """The imported file as uploaded: it carries personal data, so the download is recorded."""
    batch = _batch(request, pk)
    importer = _importer_of(request, batch)
    access.require(access.can_download_import_file(request.user, batch, importer))
    record_personal_data_access(
        actor=request.user,
        action=Action.EXPORT_PERSONAL,
        instance=batch,
        what=f"Unduh berkas impor {batch.original_name}",
    )
    return file_response(batch.file)


@login_required
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    importer = _importer_of(request, batch)
    report = batch.report or {}
    issues = sorted(
        [*report.get("errors", []), *report.get("duplicates", [])], key=lambda i: i["row"]
    )
    page = Paginator(issues, ISSUES_PER_PAGE).get_page(request.GET.get("page"))
    conflicts = report.get("conflicts", [])[:CONFLICTS_SHOWN]
    sample, sample_headers = _sample_rows(report)
    return render(
        request,
        "imports/batch.html",
        {
            "batch": batch,
            "importer": importer,
            "report": report,
            "page": page,
            "sample": sample,
            "conflicts": conflicts,
            "sample_headers": sample_headers,
            "can_import": importer.can_import(request.user),
            "can_download": access.can_download_import_file(request.user, batch, importer),
            "has_error_rows": any(i.get("row") for i in report.get("errors", [])),
            "target": importer.target_link(),
            "mapping_form": MappingForm(),
            "Status": ImportStatus,
        },
    )


def _sample_rows(report: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The preview's first rows, each with the problems the report found in it (an error, a
    duplicate or a NIK conflict) so that the table marks the bad ones."""
    sample = report.get("sample", [])
    problems: dict[int, list[str]] = {}
    kinds_by_row: dict[int, str] = {}
    rows = {s["row"] for s in sample}
    for key, css in (("errors", "error"), ("duplicates", "duplicate"), ("conflicts", "conflict")):
        for issue in report.get(key, []):
            if issue.get("row") in rows:
                problems.setdefault(issue["row"], []).append(
                    f"{issue['column']}: {issue['message']}"
                    if issue.get("column")
                    else issue["message"]
                )
                kinds_by_row.setdefault(issue["row"], css)
    shown = [
        {
            "row": s["row"],
            "values": list(s["values"].values()),
            "problems": problems.get(s["row"], []),
            "css": kinds_by_row.get(s["row"], ""),
        }
        for s in sample
    ]
    return shown, list(sample[0]["values"].keys()) if sample else []


@login_required
@require_POST
def batch_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        services.batch_confirm(actor=request.user, batch=batch)
    except services.ImportStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Impor sedang disimpan; lihat kemajuannya di bawah."))
    return redirect("imports:batch", pk=pk)


@login_required
@require_POST
def batch_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's decisions for the conflict rows of a preview (same person, fixed NIK, skip)."""
    batch = _batch(request, pk)
    decisions: dict[int, tuple[str, str]] = {}
    for entry in (batch.report or {}).get("conflicts", [])[:CONFLICTS_SHOWN]:
        row = entry["row"]
        action = request.POST.get(f"action-{row}")
        if action:
            decisions[row] = (action, request.POST.get(f"nik-{row}", ""))
    try:
        services.batch_decide(actor=request.user, batch=batch, decisions=decisions)
    except services.ImportStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Keputusan disimpan; berkas dibaca ulang."))
    return redirect("imports:batch", pk=pk)


@login_required
@require_POST
def batch_revert(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    try:
        counts = services.batch_revert(actor=request.user, batch=batch)
    except services.ImportStateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Impor dibatalkan: %(counts)s dihapus.")
            % {"counts": ", ".join(f"{k} {v}" for k, v in counts.items())},
        )
    return redirect("imports:batch", pk=pk)


@login_required
@require_POST
def mapping_save(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _batch(request, pk)
    form = MappingForm(request.POST)
    if form.is_valid():
        services.mapping_save(
            actor=request.user,
            kind=batch.kind,
            name=form.cleaned_data["name"],
            mapping=(batch.report or {}).get("columns", {}),
        )
        messages.success(request, _("Pemetaan kolom tersimpan."))
    return redirect("imports:batch", pk=pk)
