from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sikumi.accounts import access
from sikumi.core.views import or_404, paginate, submit_form
from sikumi.indicators import selectors, services
from sikumi.indicators.forms import BindingForm, ManualFigureForm, PeriodForm
from sikumi.indicators.measures import REGISTRY, Period
from sikumi.indicators.models import ManualFigure
from sikumi.plans.selectors import active_plan


def _plan() -> Any:
    plan = active_plan()
    if plan is None:
        raise Http404(_("Belum ada Renstra yang dimuat."))
    return plan


def _period(request: HttpRequest) -> tuple[PeriodForm, Period]:
    default_year = dt.date.today().year
    form = PeriodForm(request.GET or {"year": default_year})
    if form.is_valid():
        return form, Period(form.cleaned_data["year"], form.cleaned_data["quarter"])
    return PeriodForm({"year": default_year}), Period(default_year)


def _query(period: Period) -> str:
    return f"year={period.year}" + (f"&quarter={period.quarter}" if period.quarter else "")


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    plan = _plan()
    form, period = _period(request)
    bindings = list(selectors.binding_list(user=request.user, plan=plan))
    stored = selectors.stored_values(plan=plan, year=period.year, quarter=period.quarter)
    rows = [{"binding": b, "value": stored.get(b.indicator_id)} for b in bindings]
    computed_at = max((v.computed_at for v in stored.values()), default=None)
    return render(
        request,
        "indicators/list.html",
        {
            "rows": rows,
            "form": form,
            "period": period,
            "query": _query(period),
            "computed_at": computed_at,
            "can_compute": access.can_manage_plan(request.user),
        },
    )


@login_required
@require_POST
def indicator_compute(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_plan(request.user))
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tahun atau triwulan tidak sah."))
        return redirect("indicators:list")
    period = Period(form.cleaned_data["year"], form.cleaned_data["quarter"])
    results = services.compute_and_store(
        plan=_plan(), year=period.year, quarter=period.quarter, actor=request.user
    )
    messages.success(request, _("%(n)d indikator dihitung ulang dari data.") % {"n": len(results)})
    return redirect(f"{reverse('indicators:list')}?{_query(period)}")


@login_required
@require_POST
def indicator_propose(request: HttpRequest) -> HttpResponse:
    """Offer the computed values to the quarter's realisation form of the Renja."""
    from sikumi.monev.models import Renja

    access.require(access.can_manage_plan(request.user))
    form = PeriodForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["quarter"]:
        messages.error(request, _("Pilih tahun dan triwulan untuk diusulkan sebagai realisasi."))
        return redirect("indicators:list")
    year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    renja = Renja.objects.filter(plan=_plan(), year=year).first()
    if renja is None:
        messages.error(request, _("Renja tahun %(year)s belum dibuat.") % {"year": year})
        return redirect(f"{reverse('indicators:list')}?year={year}&quarter={quarter}")
    counts = services.realisations_propose(actor=request.user, renja=renja, quarter=quarter)
    messages.success(
        request,
        _(
            "%(proposed)d nilai diusulkan sebagai realisasi TW %(q)s; %(locked)d dilewati karena "
            "triwulannya sudah disetujui; %(none)d belum bernilai."
        )
        % {
            "proposed": counts["proposed"],
            "q": quarter,
            "locked": counts["locked"],
            "none": counts["without_value"],
        },
    )
    return redirect("monev:realisation-quarter", renja_pk=renja.pk, quarter=quarter)


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan()
    binding = get_object_or_404(
        selectors.binding_list(user=request.user, plan=plan), indicator_id=pk
    )
    form, period = _period(request)
    stored = selectors.stored_values(plan=plan, year=period.year, quarter=period.quarter).get(pk)
    names = selectors.region_names()
    kecamatan_rows = []
    if stored:
        kecamatan_rows = [
            {"code": code, "name": names.get(code, code), **row}
            for code, row in sorted(
                stored.by_kecamatan.items(), key=lambda kv: names.get(kv[0], kv[0])
            )
        ]
    spec = REGISTRY.get(binding.measure)
    return render(
        request,
        "indicators/detail.html",
        {
            "binding": binding,
            "indicator": binding.indicator,
            "value": stored,
            "form": form,
            "period": period,
            "query": _query(period),
            "kecamatan_rows": kecamatan_rows,
            "measure": spec,
            "can_drill": spec is not None and spec.kind != "growth",
            "can_edit": access.can_manage_plan(request.user),
        },
    )


@login_required
def indicator_records(request: HttpRequest, pk: int) -> HttpResponse:
    """The records a computed value counted, so every number can be checked."""
    plan = _plan()
    binding = get_object_or_404(
        selectors.binding_list(user=request.user, plan=plan), indicator_id=pk
    )
    _form, period = _period(request)
    kecamatan = request.GET.get("kecamatan")
    counted = selectors.counted_records(
        user=request.user, binding=binding, period=period, kecamatan=kecamatan
    )
    if counted is None:
        raise Http404(_("Indikator ini tidak dihitung dari daftar data."))
    page = paginate(request, counted.queryset.order_by("pk"))
    names = selectors.region_names()
    return render(
        request,
        "indicators/records.html",
        {
            "binding": binding,
            "indicator": binding.indicator,
            "period": period,
            "page": page,
            "kecamatan": kecamatan,
            "kecamatan_name": names.get(kecamatan or "", kecamatan),
            "model_name": counted.queryset.model._meta.verbose_name_plural,
            "query": _query(period),
        },
    )


@login_required
def indicator_map(request: HttpRequest) -> HttpResponse:
    plan = _plan()
    form, period = _period(request)
    bindings = list(selectors.binding_list(user=request.user, plan=plan).filter(method="measure"))
    chosen = request.GET.get("indicator")
    binding = next(
        (b for b in bindings if str(b.indicator_id) == chosen), bindings[0] if bindings else None
    )
    stored = None
    if binding is not None:
        stored = selectors.stored_values(plan=plan, year=period.year, quarter=period.quarter).get(
            binding.indicator_id
        )
    names = selectors.region_names()
    data = {
        "kecamatanUrl": reverse("regions:boundaries", args=["kecamatan"]),
        "kelurahanUrl": reverse("regions:boundaries", args=["kelurahan"]),
        "title": binding.indicator.name if binding else "",
        "unit": binding.indicator.unit if binding else "",
        "kecamatan": {
            k: v.get("value", v.get("numerator"))
            for k, v in (stored.by_kecamatan if stored else {}).items()
        },
        "kelurahan": stored.by_kelurahan if stored else {},
        "names": names,
    }
    return render(
        request,
        "indicators/map.html",
        {
            "bindings": bindings,
            "binding": binding,
            "form": form,
            "period": period,
            "value": stored,
            "map_data": data,
        },
    )


@login_required
def binding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_plan(request.user))
    binding = or_404(selectors.binding_get, user=request.user, indicator_id=pk)
    form = BindingForm(request.POST or None, instance=binding)
    if done := submit_form(
        request,
        form,
        lambda: services.binding_update(
            actor=request.user,
            binding=form.save(commit=False),
            expected_version=form.expected_version,
        ),
        success=_("Cara pengukuran tersimpan."),
        then=reverse("indicators:detail", args=[pk]),
    ):
        return done
    return render(request, "indicators/binding_form.html", {"form": form, "binding": binding})


@login_required
def manual_list(request: HttpRequest) -> HttpResponse:
    access.require(access.is_internal(request.user))
    page = paginate(request, selectors.manual_figure_list(user=request.user))
    return render(
        request,
        "indicators/manual_list.html",
        {"page": page, "can_edit": access.can_manage_plan(request.user)},
    )


@login_required
def manual_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access.require(access.can_manage_plan(request.user))
    figure = or_404(selectors.manual_figure_get, user=request.user, pk=pk) if pk else ManualFigure()
    form = ManualFigureForm(
        request.POST or None, instance=figure, initial={"key": request.GET.get("key", "")}
    )
    if done := submit_form(
        request,
        form,
        lambda: services.manual_figure_save(
            actor=request.user,
            figure=form.save(commit=False),
            expected_version=form.expected_version,
        ),
        success=_("Angka tersimpan."),
        then="indicators:manual",
    ):
        return done
    return render(request, "indicators/manual_form.html", {"form": form, "figure": figure})


@login_required
def measure_list(request: HttpRequest) -> HttpResponse:
    access.require(access.is_internal(request.user))
    return render(
        request,
        "indicators/measures.html",
        {"measures": sorted(REGISTRY.values(), key=lambda m: m.code)},
    )
