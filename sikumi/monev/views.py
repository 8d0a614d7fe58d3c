from __future__ import annotations

import datetime as dt
import tempfile
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sikumi.accounts import access
from sikumi.core.letterhead import SIGNATORY_PARAM
from sikumi.core.models import TaskProgress
from sikumi.core.tasks import task_start
from sikumi.core.views import apply_service_errors, or_404, submit_form
from sikumi.monev import dashboard as dash
from sikumi.monev import selectors, services
from sikumi.monev.choices import ROMAN, SubmissionStatus
from sikumi.monev.forms import EvidenceForm, PromiseFigureForm, RenjaCreateForm, entry_hint
from sikumi.monev.models import (
    BudgetRealisation,
    IndicatorRealisation,
    PromiseFigure,
    QuarterSubmission,
    Renja,
    RenjaChange,
)
from sikumi.monev.reports.builders import REPORTS, ReportError, build
from sikumi.monev.reports.render import OFFICIAL, prepare_pdf, render_pdf, write_xlsx
from sikumi.monev.tasks import report_path, report_task
from sikumi.rules.capaian import default_quarter
from sikumi.rules.parsing import ParseError, parse_number


def _internal(request: HttpRequest) -> None:
    access.require(access.is_internal(request.user))


def _messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _year(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# --- Renja -------------------------------------------------------------------------------------


@login_required
def renja_list(request: HttpRequest) -> HttpResponse:
    _internal(request)
    plan = selectors.active_plan()
    form = RenjaCreateForm(request.POST or None)
    if request.method == "POST":
        access.require(access.can_create(request.user, Renja))
        if plan is None:
            messages.error(request, _("Belum ada Renstra yang dimuat."))
        elif form.is_valid():
            try:
                renja = services.renja_create_from_plan(
                    actor=request.user, plan=plan, year=form.cleaned_data["year"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Renja tersimpan, disalin dari Renstra."))
                return redirect("monev:renja-detail", pk=renja.pk)
    return render(
        request,
        "monev/renja_list.html",
        {
            "plan": plan,
            "renja_list": selectors.renja_list(user=request.user),
            "form": form,
            "can_create": access.can_create(request.user, Renja) and plan is not None,
        },
    )


@login_required
def renja_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _internal(request)
    renja = or_404(selectors.renja_get, user=request.user, pk=pk)
    data = selectors.load_plan_data(renja.plan)
    targets = selectors.renja_targets(renja)
    budgets = selectors.renja_budgets(renja)
    can_edit = access.can_edit(request.user, renja)
    errors: list[str] = []
    if request.method == "POST":
        access.require(can_edit)
        new_targets: dict[int, Decimal | None] = {}
        new_budgets: dict[int, Decimal | None] = {}
        for key in request.POST:
            raw = request.POST.get(key, "")
            kind, _sep, ident = key.partition("-")
            if kind not in ("t", "b") or not ident.isdigit():
                continue
            try:
                value = parse_number(raw)
            except (ParseError, ValueError):
                errors.append(_("'%(v)s' bukan angka.") % {"v": raw})
                continue
            (new_targets if kind == "t" else new_budgets)[int(ident)] = value
        if not errors:
            try:
                services.renja_adjust(
                    actor=request.user,
                    renja=renja,
                    reason=request.POST.get("reason", ""),
                    targets=new_targets,
                    budgets=new_budgets,
                    expected_version=_year(request.POST.get("version"), renja.version),
                )
            except ValidationError as exc:
                errors.append(_messages(exc))
            else:
                messages.success(request, _("Perubahan Renja tersimpan."))
                return redirect("monev:renja-detail", pk=renja.pk)
    indicator_rows = [
        {"indicator": ind, "target": targets.get(ind.pk)}
        for ind in data.indicators
        if ind.pk in targets
    ]
    budget_rows = [
        {"node": node, "pagu": budgets.get(node.pk)} for node in data.ordered if node.pk in budgets
    ]
    return render(
        request,
        "monev/renja_detail.html",
        {
            "renja": renja,
            "indicator_rows": indicator_rows,
            "budget_rows": budget_rows,
            "changes": RenjaChange.objects.filter(renja=renja).select_related(
                "indicator", "node", "changed_by"
            )[:200],
            "can_edit": can_edit,
            "errors": errors,
            "submissions": selectors.submissions(user=request.user, renja=renja),
        },
    )


@login_required
@require_POST
def renja_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    renja = or_404(selectors.renja_get, user=request.user, pk=pk)
    try:
        services.renja_adopt(actor=request.user, renja=renja)
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    else:
        messages.success(request, _("Renja ditetapkan."))
    return redirect("monev:renja-detail", pk=pk)


# --- quarterly realisation ---------------------------------------------------------------------


def _visible_unit(user: Any, unit: Any) -> bool:
    """Staff see the lines of their own Bidang; approvers, auditors and admins see all."""
    if access.can_approve(user, None) or access.has_role(user, "auditor"):
        return True
    mine = access.user_bidang(user)
    return mine is not None and unit.bidang is not None and unit.bidang.pk == mine.pk


def today() -> dt.date:
    """Today's date in the instance's time zone (tests replace it to freeze the calendar)."""
    return timezone.localdate()


@login_required
def realisation(
    request: HttpRequest, renja_pk: int | None = None, quarter: int = 1
) -> HttpResponse:
    _internal(request)
    if renja_pk is None:
        # The open Renja (this year's, else the latest) on the quarter we are in.
        plan = selectors.active_plan()
        renja = None
        if plan is not None:
            year = _year(request.GET.get("tahun"), dash.default_year(plan, today()))
            renja = selectors.renja_of_year(user=request.user, plan=plan, year=year)
        if renja is None:
            messages.info(request, _("Belum ada Renja. Buat Renja dari Renstra terlebih dahulu."))
            return redirect("monev:renja-list")
        quarter = _year(request.GET.get("triwulan"), default_quarter(renja.year, today()))
        return redirect("monev:realisation-quarter", renja_pk=renja.pk, quarter=quarter)
    renja = or_404(selectors.renja_get, user=request.user, pk=renja_pk)
    if quarter not in ROMAN:
        raise Http404
    data = selectors.load_plan_data(renja.plan)
    targets = selectors.renja_targets(renja)
    budgets = selectors.renja_budgets(renja)
    existing = {
        r.indicator_id: r
        for r in IndicatorRealisation.objects.filter(renja=renja, quarter=quarter).prefetch_related(
            "evidence"
        )
    }
    existing_budget = {
        b.node_id: b for b in BudgetRealisation.objects.filter(renja=renja, quarter=quarter)
    }
    subs = {
        s.owner_unit_id: s
        for s in QuarterSubmission.objects.filter(renja=renja, quarter=quarter).select_related(
            "submitted_by", "verified_by", "approved_by"
        )
    }
    groups: dict[int, dict[str, Any]] = {}
    errors: list[str] = []
    for ind in data.indicators:
        if targets.get(ind.pk) is None and ind.pk not in existing:
            continue
        unit = services.responsible_unit(ind.node)
        if not _visible_unit(request.user, unit):
            continue
        group = groups.setdefault(
            unit.pk,
            {"unit": unit, "indicators": [], "budgets": [], "submission": subs.get(unit.pk)},
        )
        kind, hint = entry_hint(ind.combine)
        group["indicators"].append(
            {
                "indicator": ind,
                "target": targets.get(ind.pk),
                "row": existing.get(ind.pk),
                "entry_kind": kind,
                "hint": hint,
            }
        )
    for node in data.ordered:
        if not data.budget_leaf(node) or budgets.get(node.pk) is None:
            continue
        unit = services.responsible_unit(node)
        if not _visible_unit(request.user, unit):
            continue
        group = groups.setdefault(
            unit.pk,
            {"unit": unit, "indicators": [], "budgets": [], "submission": subs.get(unit.pk)},
        )
        group["budgets"].append(
            {"node": node, "pagu": budgets.get(node.pk), "row": existing_budget.get(node.pk)}
        )
    if request.method == "POST":
        unit_id = _year(request.POST.get("unit"), 0)
        target = groups.get(unit_id)
        if target is None:
            raise PermissionDenied
        values: dict[str, dict[int, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
        for key in request.POST:
            parts = key.split("-")
            if len(parts) == 3 and parts[0] in ("i", "b") and parts[1].isdigit():
                values[parts[0]][int(parts[1])][parts[2]] = request.POST.get(key, "").strip()
        try:
            from django.db import transaction

            with transaction.atomic():
                for item in target["indicators"]:
                    ind = item["indicator"]
                    posted = values["i"].get(ind.pk)
                    if posted is None:
                        continue
                    row = item["row"]
                    if row is None and not posted.get("value") and not posted.get("note"):
                        continue
                    if (
                        row is not None
                        and posted.get("note", "") == row.note
                        and (posted.get("reason", "") == row.override_reason)
                    ):
                        try:
                            same = parse_number(posted.get("value", "")) == row.value
                        except (ParseError, ValueError):
                            same = False
                        if same:
                            continue
                    services.realisation_save(
                        actor=request.user,
                        renja=renja,
                        indicator=ind,
                        quarter=quarter,
                        value=posted.get("value"),
                        note=posted.get("note", ""),
                        expected_version=_year(posted.get("version"), 0) or None,
                        override_reason=posted.get("reason"),
                    )
                for item in target["budgets"]:
                    node = item["node"]
                    posted = values["b"].get(node.pk)
                    if posted is None:
                        continue
                    row = item["row"]
                    if row is None and not posted.get("anggaran") and not posted.get("realisasi"):
                        continue
                    services.budget_realisation_save(
                        actor=request.user,
                        renja=renja,
                        node=node,
                        quarter=quarter,
                        anggaran=posted.get("anggaran"),
                        realisasi=posted.get("realisasi"),
                        expected_version=_year(posted.get("version"), 0) or None,
                    )
        except ValidationError as exc:
            errors.append(_messages(exc))
        else:
            messages.success(request, _("Realisasi tersimpan."))
            return redirect("monev:realisation-quarter", renja_pk=renja.pk, quarter=quarter)
    for group in groups.values():
        sub = group["submission"]
        group["can_enter"] = access.can_submit(request.user, sub or _UnitStub(group["unit"])) and (
            sub is None or sub.editable
        )
        group["actions"] = _actions(request.user, sub)
    return render(
        request,
        "monev/realisation.html",
        {
            "renja": renja,
            "quarter": quarter,
            "quarter_label": ROMAN[quarter],
            "quarters": [(q, ROMAN[q]) for q in ROMAN],
            "groups": sorted(groups.values(), key=lambda g: (g["unit"].order, g["unit"].name)),
            "errors": errors,
            "renja_all": Renja.objects.filter(plan=renja.plan).order_by("year"),
        },
    )


class _UnitStub:
    def __init__(self, unit: Any) -> None:
        self.owner_unit = unit


def _actions(user: Any, sub: QuarterSubmission | None) -> list[tuple[str, str, str]]:
    """(action, button label, the question asked before it is done) the user may take on the
    unit's quarter; every one changes who may edit the figures, so each asks first."""
    if sub is None:
        return []
    out = []
    status = sub.status
    period = {"q": ROMAN[sub.quarter], "unit": sub.owner_unit}
    if sub.editable and access.can_submit(user, sub):
        question = _(
            "Ajukan realisasi triwulan %(q)s %(unit)s untuk diverifikasi? Setelah diajukan, "
            "angkanya tidak dapat diubah kecuali dikembalikan."
        )
        out.append(("submit", _("Ajukan"), question % period))
    return_question = (
        _("Kembalikan realisasi triwulan %(q)s %(unit)s ke unit untuk diperbaiki?") % period
    )
    if status == SubmissionStatus.SUBMITTED and access.can_verify(user, sub):
        if sub.submitted_by_id != user.pk:
            question = _(
                "Verifikasi realisasi triwulan %(q)s %(unit)s? Pengajuan diteruskan untuk "
                "disetujui."
            )
            out.append(("verify", _("Verifikasi"), question % period))
        out.append(("return", _("Kembalikan"), return_question))
    if status == SubmissionStatus.VERIFIED and access.can_approve(
        user, sub, submitted_by=sub.submitted_by
    ):
        question = _(
            "Setujui realisasi triwulan %(q)s %(unit)s? Triwulan ini lalu dikunci dan hanya "
            "dapat dibuka kembali dengan alasan."
        )
        out.append(("approve", _("Setujui"), question % period))
        out.append(("return", _("Kembalikan"), return_question))
    if status == SubmissionStatus.APPROVED and access.can_approve(user, sub):
        question = _("Buka kembali realisasi triwulan %(q)s %(unit)s yang sudah disetujui?")
        out.append(("reopen", _("Buka kembali"), question % period))
    return out


@login_required
@require_POST
def submission_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    sub = or_404(selectors.submission_get, user=request.user, pk=pk)
    note = request.POST.get("note", "")
    handlers = {
        "submit": lambda: services.submission_submit(actor=request.user, submission=sub),
        "verify": lambda: services.submission_verify(actor=request.user, submission=sub, note=note),
        "return": lambda: services.submission_return(actor=request.user, submission=sub, note=note),
        "approve": lambda: services.submission_approve(actor=request.user, submission=sub),
        "reopen": lambda: services.submission_reopen(
            actor=request.user, submission=sub, reason=note
        ),
    }
    if action not in handlers:
        raise Http404
    try:
        result = handlers[action]()
    except ValidationError as exc:
        messages.error(request, _messages(exc))
    else:
        messages.success(
            request,
            _("Status pengajuan: %(status)s.") % {"status": result.get_status_display()},
        )
    return redirect("monev:realisation-quarter", renja_pk=sub.renja_id, quarter=sub.quarter)


@login_required
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    row = or_404(selectors.realisation_get, user=request.user, pk=pk)
    access.require(access.can_add_evidence(request.user, row.submission))
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if done := submit_form(
        request,
        form,
        lambda: services.evidence_add(
            actor=request.user,
            realisation=row,
            file=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        ),
        success=_("Bukti tersimpan."),
        then=reverse("monev:realisation-quarter", args=[row.renja_id, row.quarter]),
    ):
        return done
    return render(
        request,
        "monev/evidence_form.html",
        {
            "form": form,
            "row": row,
            "cancel_url": reverse("monev:realisation-quarter", args=[row.renja_id, row.quarter]),
        },
    )


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    _internal(request)
    evidence = or_404(selectors.evidence_get, user=request.user, pk=pk)
    return FileResponse(evidence.file.open("rb"), as_attachment=False)


# --- reports -----------------------------------------------------------------------------------


def _report_params(query: Any, name: str, plan: Any) -> dict[str, Any]:
    default = dash.default_year(plan) if plan else 2026
    if name == "history":
        start = plan.baseline_year - 4 if plan else default - 10
        return {
            "year_from": _year(query.get("dari"), start),
            "year_to": _year(query.get("sampai"), plan.baseline_year if plan else default),
        }
    params: dict[str, Any] = {"year": _year(query.get("tahun"), default)}
    if name == "e81":
        quarter = _year(query.get("triwulan"), 0)
        params["quarter"] = quarter if quarter in ROMAN else None
        if query.get("semua") == "1":
            params["approved_only"] = False
    return params


@login_required
def report(request: HttpRequest, name: str) -> HttpResponse | FileResponse:
    _internal(request)
    if name not in REPORTS:
        raise Http404
    plan = selectors.active_plan()
    params = _report_params(request.GET, name, plan)
    fmt = request.GET.get("format", "")
    error = ""
    built = None
    try:
        built = build(name, **params)
    except ReportError as exc:
        error = str(exc)
    if built is not None and fmt in ("xlsx", "pdf"):
        filename = f"{name}-{params.get('year') or params.get('year_from')}.{fmt}"
        if fmt == "pdf":
            return HttpResponse(
                render_pdf(built, official=request.GET.get(SIGNATORY_PARAM)),
                content_type="application/pdf",
                headers={"Content-Disposition": f'attachment; filename="{filename}"'},
            )
        tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
        write_xlsx(built, tmp.name)
        tmp.seek(0)
        return FileResponse(
            tmp,
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    query = request.GET.copy()
    response = render(
        request,
        "monev/report.html",
        {
            "name": name,
            "label": REPORTS[name][0],
            "report": built,
            "error": error,
            "params": params,
            "query": query.urlencode(),
            "plan": plan,
            "years": plan.years if plan else [],
            "quarters": [(q, ROMAN[q]) for q in ROMAN],
            "official_report": name in OFFICIAL,
        },
    )
    if built is not None:
        # The PDF of what the user sees, ready by the time they click "Unduh PDF".
        prepare_pdf(built, official=request.GET.get(SIGNATORY_PARAM))
    return response


@login_required
@require_POST
def report_start(request: HttpRequest, name: str) -> HttpResponse:
    _internal(request)
    if name not in REPORTS:
        raise Http404
    fmt = request.POST.get("format", "pdf")
    if fmt not in ("xlsx", "pdf"):
        fmt = "pdf"
    plan = selectors.active_plan()
    params = _report_params(request.POST, name, plan)
    progress = task_start(
        report_task,
        label=_("Laporan %(name)s (%(fmt)s)") % {"name": REPORTS[name][0], "fmt": fmt.upper()},
        owner=request.user,
        args=(name, fmt, params, request.POST.get(SIGNATORY_PARAM)),
    )
    return render(request, "core/partials/progress.html", {"progress": progress})


@login_required
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    progress = get_object_or_404(TaskProgress, pk=pk)
    if progress.owner_id != request.user.pk and not access.is_admin(request.user):
        raise PermissionDenied
    for fmt in ("pdf", "xlsx"):
        path = report_path(pk, fmt)
        if path.exists():
            return FileResponse(path.open("rb"), as_attachment=True, filename=f"laporan.{fmt}")
    raise Http404


# --- dashboard, promise and the public page ---------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _internal(request)
    plan = selectors.active_plan()
    if plan is None:
        return render(request, "monev/dashboard.html", {"plan": None})
    year = _year(request.GET.get("tahun"), dash.default_year(plan))
    if not plan.contains_year(year):
        year = dash.default_year(plan)
    data = dash.dashboard_data(plan, year)
    charts = {
        "iku": data["iku"],
        "program": data["program_indicators"],
        "absorption": data["absorption"],
        "promise": data["promise"],
    }
    return render(
        request,
        "monev/dashboard.html",
        {
            "plan": plan,
            "data": data,
            "charts": charts,
            "years": plan.years,
            "can_edit_promise": access.can_create(request.user, PromiseFigure),
        },
    )


@login_required
def promise(request: HttpRequest) -> HttpResponse:
    _internal(request)
    access.require(access.can_create(request.user, PromiseFigure))
    year = _year(request.GET.get("tahun") or request.POST.get("year"), 0)
    instance = selectors.promise_figure_of_year(year) or PromiseFigure()
    form = PromiseFigureForm(request.POST or None, instance=instance)
    if done := submit_form(
        request,
        form,
        lambda: services.promise_figure_save(
            actor=request.user,
            year=form.cleaned_data["year"] if not instance.pk else instance.year,
            new_entrepreneurs=form.cleaned_data["new_entrepreneurs"],
            women_entrepreneurs=form.cleaned_data["women_entrepreneurs"],
            source=form.cleaned_data["source"],
            expected_version=form.expected_version,
        ),
        success=_("Angka janji wali kota tersimpan."),
        then="monev:dashboard",
    ):
        return done
    return render(
        request,
        "monev/promise_form.html",
        {
            "form": form,
            "figures": selectors.promise_figures(),
            "cancel_url": reverse("monev:dashboard"),
        },
    )


def public(request: HttpRequest) -> HttpResponse:
    """No login; aggregates only; served from the cache (see dashboard.public_data)."""
    data = dash.public_data()
    charts = {"iku": data["iku"], "absorption": data["absorption"]} if data else {}
    return render(request, "monev/public.html", {"data": data, "charts": charts})
