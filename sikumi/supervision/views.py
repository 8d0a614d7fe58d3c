"""Pages of layanan kelembagaan, supervision and health assessment (thin: logic lives in
services, selectors and sikumi.rules.health)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sikumi.accounts import access
from sikumi.audit import services as audit
from sikumi.audit.choices import Action
from sikumi.core import exports
from sikumi.core.views import apply_service_errors, file_response, or_404, paginate, submit_form
from sikumi.rules import health_methodology as method_rules
from sikumi.rules.identifiers import mask_phone
from sikumi.supervision import selectors, services
from sikumi.supervision.choices import OPEN_STATUSES
from sikumi.supervision.filters import (
    FindingFilter,
    HealthAssessmentFilter,
    InspectionFilter,
    ServiceCaseFilter,
)
from sikumi.supervision.forms import (
    CalculatorForm,
    CaseDecisionForm,
    CaseTransitionForm,
    FindingForm,
    FollowUpDoneForm,
    FollowUpForm,
    HealthAssessmentForm,
    InspectionForm,
    PlanForm,
    PlannedForm,
    RequirementFormSet,
    SanctionForm,
    ServiceCaseForm,
)
from sikumi.supervision.models import (
    Finding,
    FollowUp,
    HealthAssessment,
    HealthMethodology,
    Inspection,
    InspectionPlan,
    Sanction,
    ServiceCase,
)


def _prefill_cooperative(request: HttpRequest) -> dict[str, Any]:
    value = request.GET.get("cooperative", "")
    return {"cooperative": int(value)} if value.isdigit() else {}


# ===================================================================== layanan kelembagaan


@login_required
def case_list(request: HttpRequest) -> HttpResponseBase:
    access.require(access.can_view(request.user, ServiceCase))
    filterset = ServiceCaseFilter(request.GET, queryset=selectors.case_list(user=request.user))
    queryset = filterset.qs.order_by("-requested_on", "-id")
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(
            "layanan-kelembagaan.xlsx",
            [
                exports.Column(_("Nomor"), lambda c: c.number),
                exports.Column(_("Jenis layanan"), lambda c: c.get_kind_display(), width=30),
                exports.Column(
                    _("Koperasi"),
                    lambda c: c.cooperative.name if c.cooperative else c.proposed_name,
                    width=36,
                ),
                exports.Column(_("Pemohon"), lambda c: c.applicant_name, width=24),
                exports.Column(_("Status"), lambda c: c.get_status_display()),
                exports.Column(_("Tanggal permohonan"), lambda c: c.requested_on),
                exports.Column(_("Tanggal keputusan"), lambda c: c.decided_on),
                exports.Column(_("Lama layanan (hari)"), lambda c: c.service_days, exports.NUMBER),
                exports.Column(_("Nomor keputusan"), lambda c: c.decision_number),
                exports.Column(_("Data contoh"), lambda c: _("Ya") if c.is_example else ""),
            ],
            queryset.iterator(chunk_size=2000),
            title=_("Layanan kelembagaan"),
        )
    return render(
        request,
        "supervision/case_list.html",
        {
            "filter": filterset,
            "page": paginate(request, queryset),
            "can_create": access.can_create(request.user, ServiceCase),
        },
    )


@login_required
def service_time(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, ServiceCase))
    filterset = ServiceCaseFilter(request.GET, queryset=selectors.case_list(user=request.user))
    return render(
        request,
        "supervision/service_time.html",
        {"filter": filterset, "rows": selectors.service_time_report(filterset.qs)},
    )


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = or_404(selectors.case_get, user=request.user, pk=pk)
    can_edit = access.can_edit(request.user, case)
    contact = case.applicant_contact
    if contact and access.can_view_personal_data(request.user, case):
        audit.record_personal_data_access(
            actor=request.user,
            action=Action.VIEW_PERSONAL,
            what=_("Kontak pemohon layanan"),
            instance=case,
        )
    elif contact:
        contact = mask_phone(contact)
    return render(
        request,
        "supervision/case_detail.html",
        {
            "case": case,
            "applicant_contact": contact,
            "requirements": case.requirements.active(),
            "status_changes": case.status_changes.select_related("changed_by").order_by(
                "changed_at", "id"
            ),
            "can_edit": can_edit,
            "is_open": case.status in OPEN_STATUSES,
            "transition_form": CaseTransitionForm(case=case) if can_edit else None,
            "decision_form": CaseDecisionForm(initial={"version": case.version})
            if can_edit
            else None,
        },
    )


@login_required
def case_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    from sikumi.supervision.printing import case_receipt_pdf

    case = or_404(selectors.case_get, user=request.user, pk=pk)
    response = HttpResponse(case_receipt_pdf(request, case), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-layanan-{case.pk}.pdf"'
    return response


@login_required
def case_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        access.require(access.can_create(request.user, ServiceCase))
        case = ServiceCase()
    else:
        case = or_404(selectors.case_get, user=request.user, pk=pk)
        access.require(access.can_edit(request.user, case))
    form = ServiceCaseForm(
        request.POST or None,
        instance=case,
        user=request.user,
        initial=_prefill_cooperative(request),
    )

    def save() -> ServiceCase:
        if pk is None:
            return services.case_create(actor=request.user, case=form.save(commit=False))
        return services.case_update(
            actor=request.user,
            case=form.save(commit=False),
            expected_version=form.expected_version,
        )

    if done := submit_form(
        request,
        form,
        save,
        success=_("Layanan tersimpan."),
        then=lambda saved: reverse("supervision:case-detail", args=[saved.pk]),
    ):
        return done
    return render(request, "supervision/case_form.html", {"form": form, "case": case})


@login_required
@require_POST
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    case = or_404(selectors.case_get, user=request.user, pk=pk)
    access.require(access.can_edit(request.user, case))
    form = CaseTransitionForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.case_transition(
                actor=request.user,
                case=case,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data.get("version"),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Status diubah."))
    else:
        messages.error(request, _("Pilih status yang diperbolehkan."))
    return redirect("supervision:case-detail", pk=pk)


@login_required
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = or_404(selectors.case_get, user=request.user, pk=pk)
    access.require(access.can_edit(request.user, case))
    form = CaseDecisionForm(request.POST or None, initial={"version": case.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.case_decide(
                    actor=request.user,
                    case=case,
                    result=data["result"],
                    number=data["number"],
                    date=data["date"],
                    notes=data["notes"],
                    expected_version=data.get("version"),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Keputusan tersimpan."))
                return redirect("supervision:case-detail", pk=pk)
        else:
            status = 400
    return render(
        request, "supervision/case_decide.html", {"form": form, "case": case}, status=status
    )


@login_required
def requirement_file(request: HttpRequest, pk: int) -> FileResponse:
    requirement = or_404(selectors.requirement_get, user=request.user, pk=pk)
    access.require(access.can_view(request.user, requirement.case))
    return file_response(requirement.file)


@login_required
def case_requirements(request: HttpRequest, pk: int) -> HttpResponse:
    """Every requirement of a case on one page: tick it, upload its file, note; one save."""
    case = or_404(selectors.case_get, user=request.user, pk=pk)
    access.require(access.can_edit(request.user, case))
    if case.status not in OPEN_STATUSES:
        messages.error(request, _("Kasus sudah diputuskan; persyaratan tidak dapat diubah."))
        return redirect("supervision:case-detail", pk=pk)
    formset = RequirementFormSet(
        request.POST or None,
        request.FILES or None,
        queryset=case.requirements.active().order_by("order", "id"),
        prefix="req",
    )
    problems: list[str] = []
    if request.method == "POST" and formset.is_valid():
        changed = [
            (form.save(commit=False), form.cleaned_data.get("version"))
            for form in formset.forms
            if set(form.changed_data) - {"version"}
        ]
        try:
            services.requirements_update(actor=request.user, case=case, changes=changed)
        except ValidationError as exc:
            rows = {str(form.instance.pk): form for form in formset.forms}
            if hasattr(exc, "error_dict"):
                for key, errors in exc.message_dict.items():
                    if key in rows:
                        rows[key].add_error(None, errors)
                    else:
                        problems.extend(errors)
            else:
                problems.extend(exc.messages)
        else:
            messages.success(
                request,
                _("Persyaratan tersimpan (%(n)s diubah).") % {"n": len(changed)}
                if changed
                else _("Tidak ada perubahan pada persyaratan."),
            )
            return redirect("supervision:case-detail", pk=pk)
    return render(
        request,
        "supervision/case_requirements.html",
        {"case": case, "formset": formset, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


# ============================================================================== supervision


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, InspectionPlan))
    return render(
        request,
        "supervision/plan_list.html",
        {
            "plans": selectors.plan_list(user=request.user),
            "can_create": access.can_create(request.user, InspectionPlan),
        },
    )


@login_required
def plan_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        access.require(access.can_create(request.user, InspectionPlan))
        plan = InspectionPlan()
    else:
        plan = or_404(selectors.plan_get, user=request.user, pk=pk)
        access.require(access.can_edit(request.user, plan))
    form = PlanForm(request.POST or None, instance=plan)
    if done := submit_form(
        request,
        form,
        lambda: services.plan_save(
            actor=request.user,
            plan=form.save(commit=False),
            expected_version=form.expected_version,
        ),
        success=_("Rencana tersimpan."),
        then=lambda saved: reverse("supervision:plan-detail", args=[saved.pk]),
    ):
        return done
    return render(request, "supervision/plan_form.html", {"form": form, "plan": plan})


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_view(request.user, InspectionPlan))
    plan = or_404(selectors.plan_get, user=request.user, pk=pk)
    can_edit = access.can_edit(request.user, plan)
    form = PlannedForm(request.POST or None)
    if request.method == "POST":
        access.require(can_edit)
        if form.is_valid():
            item = form.save(commit=False)
            item.plan = plan
            try:
                services.planned_add(actor=request.user, item=item)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Koperasi ditambahkan ke rencana."))
                return redirect("supervision:plan-detail", pk=pk)
    items = selectors.plan_items(user=request.user, plan=plan)
    return render(
        request,
        "supervision/plan_detail.html",
        {
            "plan": plan,
            "page": paginate(request, items, 100),
            "progress": selectors.plan_progress(items),
            "form": form,
            "can_edit": can_edit,
            "can_record": access.can_create(request.user, Inspection),
        },
    )


@login_required
def inspection_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, Inspection))
    filterset = InspectionFilter(request.GET, queryset=selectors.inspection_list(user=request.user))
    return render(
        request,
        "supervision/inspection_list.html",
        {
            "filter": filterset,
            "page": paginate(request, filterset.qs.order_by("-date", "-id")),
            "can_create": access.can_create(request.user, Inspection),
        },
    )


@login_required
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = or_404(selectors.inspection_get, user=request.user, pk=pk)
    findings = (
        selectors.finding_list(user=request.user)
        .filter(inspection=inspection)
        .prefetch_related(selectors.active_follow_ups())
        .order_by("id")
    )
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "answers": inspection.answers.select_related("item").order_by("item__order"),
            "findings": findings,
            "sanctions": Sanction.objects.active().filter(inspection=inspection),
            "inspectors": inspection.inspectors.all(),
            "can_edit": access.can_edit(request.user, inspection),
            "today": timezone.localdate(),
        },
    )


@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    """Every finding with its follow-up status, what needs action first (overdue, open...)."""
    access.require(access.can_view(request.user, Inspection))
    filterset = FindingFilter(request.GET, queryset=selectors.finding_list(user=request.user))
    queryset = (
        filterset.qs.prefetch_related(selectors.active_follow_ups())
        .select_related("inspection__owner_unit__parent")
        .order_by("status_rank", F("next_due").asc(nulls_last=True), "-inspection__date", "-id")
    )
    page = paginate(request, queryset)
    return render(
        request,
        "supervision/finding_list.html",
        {
            "filter": filterset,
            "page": page,
            "editable": {f.pk for f in page if access.can_edit(request.user, f.inspection)},
            "today": timezone.localdate(),
        },
    )


def _editable_findings(user: Any, findings: Any) -> set[int]:
    """The findings (of a page) whose follow-ups the user may mark done: one access check per
    inspection."""
    editable: dict[int, bool] = {}
    for finding in findings:
        if finding.inspection_id not in editable:
            editable[finding.inspection_id] = access.can_edit(user, finding.inspection)
    return {f.pk for f in findings if editable[f.inspection_id]}


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a follow-up done on the date given (a form on the inspection and findings pages)."""
    follow_up = or_404(selectors.follow_up_with_finding_get, user=request.user, pk=pk)
    access.require(access.can_edit(request.user, follow_up.finding.inspection))
    form = FollowUpDoneForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else str(message))
    else:
        try:
            services.follow_up_complete(
                actor=request.user,
                follow_up=follow_up,
                done_on=form.cleaned_data["done_on"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Tindak lanjut ditandai selesai."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("supervision:inspection-detail", pk=follow_up.finding.inspection_id)


@login_required
def inspection_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        access.require(access.can_create(request.user, Inspection))
        inspection = Inspection()
    else:
        inspection = or_404(selectors.inspection_get, user=request.user, pk=pk)
        access.require(access.can_edit(request.user, inspection))
    initial = _prefill_cooperative(request)
    planned = None
    planned_id = request.GET.get("planned", "")
    if pk is None and planned_id.isdigit():
        # Recorded from a row of the plan: the cooperative and the row come filled in.
        planned = or_404(selectors.planned_get, user=request.user, pk=int(planned_id))
        initial = {"cooperative": planned.cooperative_id, "planned": planned.pk}
    form = InspectionForm(
        request.POST or None, instance=inspection, user=request.user, initial=initial
    )

    def save() -> Inspection:
        obj = form.save(commit=False)
        inspectors = list(form.cleaned_data.get("inspectors") or [])
        if pk is None:
            return services.inspection_create(
                actor=request.user, inspection=obj, answers=form.answers(), inspectors=inspectors
            )
        return services.inspection_update(
            actor=request.user,
            inspection=obj,
            expected_version=form.expected_version,
            answers=form.answers(),
            inspectors=inspectors,
        )

    if done := submit_form(
        request,
        form,
        save,
        success=_("Pemeriksaan tersimpan."),
        then=lambda saved: reverse("supervision:inspection-detail", args=[saved.pk]),
    ):
        return done
    return render(
        request,
        "supervision/inspection_form.html",
        {"form": form, "inspection": inspection, "planned": planned or inspection.planned},
    )


@login_required
def finding_edit(request: HttpRequest, inspection_pk: int, pk: int | None = None) -> HttpResponse:
    inspection = or_404(selectors.inspection_get, user=request.user, pk=inspection_pk)
    access.require(access.can_edit(request.user, inspection))
    finding = (
        or_404(selectors.finding_get, user=request.user, inspection=inspection, pk=pk)
        if pk
        else Finding(inspection=inspection)
    )
    form = FindingForm(request.POST or None, instance=finding)
    if done := submit_form(
        request,
        form,
        lambda: services.finding_save(
            actor=request.user,
            finding=form.save(commit=False),
            expected_version=form.expected_version,
            follow_up=form.follow_up(),
        ),
        success=_("Temuan tersimpan."),
        then=reverse("supervision:inspection-detail", args=[inspection.pk]),
    ):
        return done
    return render(
        request,
        "supervision/simple_form.html",
        {"form": form, "title": _("Temuan"), "back": inspection},
    )


@login_required
def follow_up_edit(request: HttpRequest, finding_pk: int, pk: int | None = None) -> HttpResponse:
    finding = or_404(selectors.finding_with_inspection_get, user=request.user, pk=finding_pk)
    access.require(access.can_edit(request.user, finding.inspection))
    follow_up = (
        or_404(selectors.follow_up_get, user=request.user, finding=finding, pk=pk)
        if pk
        else FollowUp(finding=finding)
    )
    form = FollowUpForm(request.POST or None, instance=follow_up)
    if done := submit_form(
        request,
        form,
        lambda: services.follow_up_save(
            actor=request.user,
            follow_up=form.save(commit=False),
            expected_version=form.expected_version,
        ),
        success=_("Tindak lanjut tersimpan."),
        then=reverse("supervision:inspection-detail", args=[finding.inspection_id]),
    ):
        return done
    return render(
        request,
        "supervision/simple_form.html",
        {"form": form, "title": _("Tindak lanjut"), "back": finding.inspection},
    )


@login_required
def sanction_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    inspection = None
    if pk is None:
        access.require(access.can_create(request.user, Sanction))
        sanction = Sanction()
        inspection_id = request.GET.get("inspection", "")
        if inspection_id.isdigit():
            inspection = or_404(selectors.inspection_get, user=request.user, pk=int(inspection_id))
            access.require(access.can_edit(request.user, inspection))
            sanction.inspection = inspection
            sanction.cooperative = inspection.cooperative
    else:
        sanction = or_404(selectors.sanction_get, user=request.user, pk=pk)
        access.require(access.can_edit(request.user, sanction))
        inspection = sanction.inspection
    form = SanctionForm(request.POST or None, instance=sanction)
    if done := submit_form(
        request,
        form,
        lambda: services.sanction_save(
            actor=request.user,
            sanction=form.save(commit=False),
            expected_version=form.expected_version,
        ),
        success=_("Sanksi tersimpan."),
        then=lambda saved: (
            reverse("supervision:inspection-detail", args=[saved.inspection_id])
            if saved.inspection_id
            else reverse("supervision:inspection-list")
        ),
    ):
        return done
    return render(
        request,
        "supervision/simple_form.html",
        {
            "form": form,
            "title": _("Sanksi"),
            "back": inspection,
            "confirm": _(
                "Catat sanksi ini untuk koperasi? Sanksi tercatat di riwayat koperasi dan "
                "jejak audit."
            ),
        },
    )


# =================================================================================== health


def _method_code(request: HttpRequest, default: str | None = None) -> str:
    """The methodology asked for (``method``), else ``default``, else the one that applies to
    the last closed book year."""
    known = {m.code for m in selectors.methodologies()} | {"2016", "2021"}
    code = request.POST.get("method") or request.GET.get("method") or ""
    if code in known:
        return code
    if default is None:
        default = services.methodology_code_for_year(timezone.localdate().year - 1) or "2016"
    return default


def _book_year(request: HttpRequest) -> int:
    """The book year the new assessment is for: ``?year=`` (posted or in the address), else
    the last closed book year."""
    value = request.POST.get("year") or request.GET.get("year") or ""
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return timezone.localdate().year - 1


def _methodology_for(request: HttpRequest, year: int) -> HealthMethodology | None:
    """The methodology chosen on the page (``method``) or, by default, the one that applies to
    the book year (sikumi.rules.health_methodology)."""
    code = request.POST.get("method") or request.GET.get("method") or ""
    if code:
        return services.methodology_current(
            code, method_rules.book_year_close(year)
        ) or services.methodology_current(code)
    return services.methodology_for_year(year) or selectors.methodologies().first()


@login_required
def assessment_list(request: HttpRequest) -> HttpResponseBase:
    access.require(access.can_view(request.user, HealthAssessment))
    filterset = HealthAssessmentFilter(
        request.GET, queryset=selectors.assessment_list(user=request.user)
    )
    queryset = filterset.qs.order_by("-year", "cooperative__name")
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(
            "penilaian-kesehatan.xlsx",
            [
                exports.Column(_("Koperasi"), lambda a: a.cooperative.name, width=36),
                exports.Column(_("Tahun buku"), lambda a: a.year),
                exports.Column(_("Metode"), lambda a: a.methodology.code),
                exports.Column(_("Tanggal penilaian"), lambda a: a.assessed_on),
                exports.Column(_("Skor total"), lambda a: a.total_score, exports.DECIMAL),
                exports.Column(_("Predikat"), lambda a: a.predicate, width=24),
                exports.Column(_("Data contoh"), lambda a: _("Ya") if a.is_example else ""),
            ],
            queryset.iterator(chunk_size=2000),
            title=_("Penilaian kesehatan KSP/USP"),
        )
    return render(
        request,
        "supervision/assessment_list.html",
        {
            "filter": filterset,
            "page": paginate(request, queryset),
            "can_create": access.can_create(request.user, HealthAssessment),
        },
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = or_404(selectors.assessment_get, user=request.user, pk=pk)
    history = (
        HealthAssessment.objects.active()
        .filter(cooperative_id=assessment.cooperative_id)
        .select_related("methodology")
        .order_by("-year")
    )
    return render(
        request,
        "supervision/assessment_detail.html",
        {
            "assessment": assessment,
            "result": assessment.result,
            "history": history,
            "inputs": _input_rows(assessment),
            "can_edit": access.can_edit(request.user, assessment),
        },
    )


def _input_rows(assessment: HealthAssessment) -> list[dict[str, Any]]:
    fields = assessment.methodology.definition.get("fields", {})
    return [
        {
            "code": code,
            "label": spec.get("label", code),
            "unit": spec.get("unit", ""),
            "value": assessment.inputs.get(code),
        }
        for code, spec in fields.items()
    ]


@login_required
def assessment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from sikumi.supervision.printing import assessment_pdf as render_pdf

    assessment = or_404(selectors.assessment_get, user=request.user, pk=pk)
    pdf = render_pdf(request, assessment, _input_rows(assessment))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="penilaian-kesehatan-{assessment.cooperative_id}-{assessment.year}.pdf"'
    )
    return response


@login_required
def assessment_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    initial = _prefill_cooperative(request)
    if pk is None:
        access.require(access.can_create(request.user, HealthAssessment))
        year = _book_year(request)
        found = _methodology_for(request, year)
        if found is None:
            messages.error(
                request,
                _("Metode %(code)s belum dimuat. Jalankan load_health_methodologies.")
                % {"code": request.GET.get("method") or "2016"},
            )
            return redirect("supervision:assessment-list")
        methodology = found
        assessment = HealthAssessment(methodology=methodology)
        initial["year"] = year
    else:
        assessment = or_404(selectors.assessment_get, user=request.user, pk=pk)
        access.require(access.can_edit(request.user, assessment))
        methodology = assessment.methodology
        year = assessment.year
    form = HealthAssessmentForm(
        request.POST or None,
        instance=assessment,
        definition=methodology.definition,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            obj = form.save(commit=False)
            obj.methodology = methodology
            obj.inputs = form.inputs()
            try:
                if pk is None:
                    saved = services.assessment_create(actor=request.user, assessment=obj)
                else:
                    saved = services.assessment_update(
                        actor=request.user, assessment=obj, expected_version=form.expected_version
                    )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Penilaian kesehatan tersimpan."))
                return redirect("supervision:assessment-detail", pk=saved.pk)
    return render(
        request,
        "supervision/assessment_form.html",
        {
            "form": form,
            "assessment": assessment,
            "methodology": methodology,
            "methodologies": selectors.methodologies(),
            **(_method_proposal(year, methodology) if pk is None else {}),
        },
        status=status,
    )


def _method_proposal(year: int, methodology: HealthMethodology) -> dict[str, Any]:
    """What the form says about the methodology: the one that applies to the book year and, for
    the page's script, the one that applies to every year one might type."""
    this_year = timezone.localdate().year
    table = services.methodologies_by_year(range(2000, this_year + 2))
    applies = table.get(year)
    return {
        "year": year,
        "applies": applies,
        "mismatch": applies is not None and applies.code != methodology.code,
        "method_by_year": {
            str(y): {"code": row.code, "label": str(row)} for y, row in table.items()
        },
    }


@login_required
def calculator(request: HttpRequest) -> HttpResponse:
    """Compute a health score without saving anything."""
    access.require(access.is_internal(request.user))
    code = _method_code(request)
    try:
        definition = services.methodology_definition(code)
    except ValidationError as exc:
        raise Http404(str(exc)) from None
    form = CalculatorForm(request.POST or None, definition=definition)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = services.calculate(definition, form.inputs()).as_dict()
        except ValidationError as exc:
            apply_service_errors(form, exc)
            status = 400
    return render(
        request,
        "supervision/calculator.html",
        {
            "form": form,
            "code": code,
            "definition": definition,
            "result": result,
            "result_json": json.dumps(result, ensure_ascii=False, indent=2) if result else "",
            "methodologies": selectors.methodologies(),
        },
        status=status,
    )
