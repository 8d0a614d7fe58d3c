from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.accounts.models import Unit
from sikumi.core.views import or_404, submit_form
from sikumi.plans import selectors, services
from sikumi.plans.convert import plan_to_document
from sikumi.plans.exports import findings_response, table_response
from sikumi.plans.forms import (
    CascadeFilterForm,
    FindingFilterForm,
    PaguForm,
    RevisionForm,
    TargetsForm,
)
from sikumi.plans.models import BUDGET_KINDS, Plan, PlanNode, PlanRevision
from sikumi.plans.reports import KIND_LABELS, TABLES, available_tables


def _plan(request: HttpRequest) -> Plan:
    access.require(access.can_view(request.user, Plan))
    raw = request.GET.get("plan")
    plan = (
        Plan.objects.active().filter(pk=raw).first()
        if raw and raw.isdigit()
        else selectors.active_plan()
    )
    if plan is None:
        raise Http404(_("Renstra belum dimuat."))
    return plan


@login_required
def cascade(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    unit_ids = PlanNode.objects.filter(plan=plan, unit__isnull=False).values_list("unit", flat=True)
    units = list(Unit.objects.filter(pk__in=unit_ids).order_by("order", "name"))
    form = CascadeFilterForm(request.GET or None, plan=plan, units=units)
    unit = year = None
    if form.is_valid():
        unit = next((u for u in units if u.code == form.cleaned_data["unit"]), None)
        year = form.cleaned_data["year"]
    data = selectors.cascade(plan, unit=unit, year=year)
    return render(
        request,
        "plans/cascade.html",
        {
            "plan": plan,
            "plans": selectors.plans_for(request.user),
            "cascade": data,
            "filter": form,
            "budget_kinds": [str(k) for k in BUDGET_KINDS],
            "can_edit": access.can_edit(request.user, plan),
        },
    )


def _reason_and_revision(form: Any) -> tuple[str, Any]:
    return form.cleaned_data["reason"], form.cleaned_data.get("revision")


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = or_404(selectors.indicator_get, user=request.user, pk=pk)
    access.require(access.can_edit(request.user, indicator))
    form = TargetsForm(request.POST or None, indicator=indicator)

    def save() -> int:
        reason, revision = _reason_and_revision(form)
        return services.targets_save(
            actor=request.user,
            indicator=indicator,
            values=form.values,
            versions=form.versions,
            reason=reason,
            end_target=form.end_value,
            end_target_version=form.cleaned_data.get("end_version"),
            change_end_target=form.end_value != indicator.end_target,
            revision=revision,
        )

    if done := submit_form(
        request,
        form,
        save,
        success=lambda changed: _("Target tersimpan (%(n)s angka berubah).") % {"n": changed},
        then=f"{_cascade_url(indicator.plan)}#node-{indicator.node_id}",
    ):
        return done
    return render(
        request,
        "plans/edit_figures.html",
        {"form": form, "plan": indicator.plan, "subject": indicator, "what": _("Target")},
    )


@login_required
def pagu_edit(request: HttpRequest, pk: int) -> HttpResponse:
    node = or_404(selectors.node_get, user=request.user, pk=pk)
    access.require(access.can_edit(request.user, node))
    if node.kind not in BUDGET_KINDS:
        raise Http404
    form = PaguForm(request.POST or None, node=node)

    def save() -> int:
        reason, revision = _reason_and_revision(form)
        return services.pagu_save(
            actor=request.user,
            node=node,
            values=form.values,
            versions=form.versions,
            reason=reason,
            total=form.total_value,
            total_version=form.cleaned_data.get("total_version"),
            change_total=form.total_value != node.pagu_total,
            revision=revision,
        )

    if done := submit_form(
        request,
        form,
        save,
        success=lambda changed: _("Pagu tersimpan (%(n)s angka berubah).") % {"n": changed},
        then=f"{_cascade_url(node.plan)}#node-{node.pk}",
    ):
        return done
    return render(
        request,
        "plans/edit_figures.html",
        {"form": form, "plan": node.plan, "subject": node, "what": _("Pagu indikatif")},
    )


def _cascade_url(plan: Plan) -> str:
    from django.urls import reverse

    return f"{reverse('plans:cascade')}?plan={plan.pk}"


@login_required
def changes(request: HttpRequest) -> HttpResponse:
    """The history of changed targets and pagu, and the Renstra perubahan (revisions) they
    belong to; a Perencana opens a new revision here with its reason."""
    plan = _plan(request)
    form = RevisionForm(request.POST or None)
    if request.method == "POST":
        access.require(access.can_edit(request.user, plan))
        if form.is_valid():
            revision = services.revision_create(
                actor=request.user,
                plan=plan,
                reason=form.cleaned_data["reason"],
                date=form.cleaned_data["date"],
            )
            messages.success(
                request,
                _(
                    "Perubahan Renstra ke-%(n)s dibuka. Pilih perubahan ini saat mengubah target "
                    "atau pagu."
                )
                % {"n": revision.number},
            )
            return redirect("plans:changes")
    page = Paginator(selectors.target_changes(plan), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/changes.html",
        {
            "plan": plan,
            "page_obj": page,
            "form": form,
            "revisions": PlanRevision.objects.filter(plan=plan)
            .select_related("created_by")
            .order_by("-number"),
            "can_edit": access.can_edit(request.user, plan),
        },
    )


@login_required
def check(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    items = selectors.plan_findings(plan)
    tables = sorted({i.finding.table for i in items})
    form = FindingFilterForm(request.GET or None, kinds=list(KIND_LABELS.items()), tables=tables)
    if form.is_valid():
        if kind := form.cleaned_data["kind"]:
            items = [i for i in items if i.finding.kind == kind]
        if table := form.cleaned_data["table"]:
            items = [i for i in items if i.finding.table == table]
    if request.GET.get("format") == "xlsx":
        return findings_response(items, f"{plan.title}")
    groups = [
        (kind, label, [i for i in items if i.finding.kind == kind])
        for kind, label in KIND_LABELS.items()
    ]
    return render(
        request,
        "plans/check.html",
        {
            "plan": plan,
            "filter": form,
            "groups": [g for g in groups if g[2]],
            "total": len(items),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def tables(request: HttpRequest) -> HttpResponse:
    plan = _plan(request)
    doc = plan_to_document(plan)
    present = available_tables(doc)
    return render(
        request,
        "plans/tables.html",
        {"plan": plan, "tables": [(key, TABLES[key]) for key in present]},
    )


@login_required
def table_download(request: HttpRequest, key: str, fmt: str) -> HttpResponse:
    plan = _plan(request)
    if key not in TABLES or fmt not in ("xlsx", "pdf"):
        raise Http404
    doc = plan_to_document(plan)
    if key not in available_tables(doc):
        raise Http404
    return table_response(doc, key, fmt, is_example=plan.is_example)


__all__ = ["PermissionDenied"]
