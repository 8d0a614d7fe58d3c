from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sikumi.accounts import access
from sikumi.accounts.models import Unit
from sikumi.core.exports import DECIMAL, TEXT, Column, xlsx_response
from sikumi.core.views import apply_service_errors, or_404, paginate, submit_form
from sikumi.indicators import selectors, services
from sikumi.indicators.forms import (
    BindingForm,
    CustomIndicatorForm,
    ManualFigureForm,
    PeriodForm,
    custom_suggestions,
)
from sikumi.indicators.maps import map_data
from sikumi.indicators.measures import REGISTRY, Period
from sikumi.indicators.models import CustomIndicator, ManualFigure
from sikumi.plans.selectors import active_plan, figure_marks
from sikumi.rules.capaian import capaian


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


def _stored(plan: Any, period: Period) -> dict[int, Any]:
    """The period's stored values, computed on the spot the first time the period is seen."""
    services.ensure_computed(plan=plan, year=period.year, quarter=period.quarter)
    return selectors.stored_values(plan=plan, year=period.year, quarter=period.quarter)


def _rows(request: HttpRequest, plan: Any, period: Period) -> tuple[list[dict[str, Any]], Any]:
    bindings = list(selectors.binding_list(user=request.user, plan=plan))
    stored = _stored(plan, period)
    beside = selectors.beside(plan=plan, year=period.year, quarter=period.quarter, stored=stored)
    rows = [
        {
            "binding": b,
            "value": stored.get(b.indicator_id),
            "beside": beside.get(b.indicator_id),
        }
        for b in bindings
    ]
    computed_at = max((v.computed_at for v in stored.values()), default=None)
    return rows, computed_at


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    plan = _plan()
    form, period = _period(request)
    rows, computed_at = _rows(request, plan, period)
    return render(
        request,
        "indicators/list.html",
        {
            "rows": rows,
            "form": form,
            "period": period,
            "query": _query(period),
            "computed_at": computed_at,
            "state": selectors.recompute_state(),
            "provisional": sum(
                1 for r in rows if r["value"] is not None and r["value"].status != "final"
            ),
            "can_compute": access.can_manage_plan(request.user),
        },
    )


def _num(value: Any) -> Any:
    return None if value is None else Decimal(value)


@login_required
def indicator_export(request: HttpRequest) -> FileResponse:
    """The list as XLSX: every value with its status and completeness, beside the approved
    realisation."""
    plan = _plan()
    _form, period = _period(request)
    rows, computed_at = _rows(request, plan, period)
    columns = [
        Column(_("Kode"), lambda r: r["binding"].indicator.source_id, TEXT, 12),
        Column(_("Indikator"), lambda r: r["binding"].indicator.name, None, 50),
        Column(_("Satuan"), lambda r: r["binding"].indicator.unit, None, 12),
        Column(
            _("Hasil hitung data"),
            lambda r: _num(r["value"].value) if r["value"] else None,
            DECIMAL,
        ),
        Column(
            _("Status data"),
            lambda r: r["value"].get_status_display() if r["value"] else _("belum ada data"),
            None,
            16,
        ),
        Column(
            _("Kelengkapan data"),
            lambda r: (r["value"].completeness or r["value"].reason) if r["value"] else "",
            None,
            50,
        ),
        Column(
            _("Realisasi disetujui"),
            lambda r: r["beside"].approved if r["beside"] else None,
            DECIMAL,
        ),
        Column(
            _("Selisih (disetujui - hitung)"),
            lambda r: r["beside"].difference if r["beside"] else None,
            DECIMAL,
        ),
        Column(
            _("Alasan perbedaan"),
            lambda r: "; ".join(r["beside"].reasons) if r["beside"] else "",
            None,
            40,
        ),
    ]
    when = f" (dihitung {computed_at:%d-%m-%Y %H:%M})" if computed_at else ""
    return xlsx_response(
        f"indikator-{period.year}{'-tw' + str(period.quarter) if period.quarter else ''}.xlsx",
        columns,
        rows,
        sheet="Indikator",
        title=_("Indikator Renstra dihitung dari data, %(period)s") % {"period": period},
        note=_("Nilai berstatus 'sementara' belum final: data sumbernya masih bertambah%(when)s.")
        % {"when": when},
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
    include = request.POST.get("include_provisional") == "1"
    counts = services.realisations_propose(
        actor=request.user, renja=renja, quarter=quarter, include_provisional=include
    )
    messages.success(
        request,
        _(
            "%(proposed)d nilai diusulkan sebagai realisasi TW %(q)s; %(locked)d dilewati karena "
            "triwulannya sudah disetujui; %(none)d belum bernilai; %(provisional)d bernilai "
            "sementara tidak diusulkan."
        )
        % {
            "proposed": counts["proposed"],
            "q": quarter,
            "locked": counts["locked"],
            "none": counts["without_value"],
            "provisional": counts["provisional"],
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
    stored_all = _stored(plan, period)
    stored = stored_all.get(pk)
    beside = selectors.beside(
        plan=plan, year=period.year, quarter=period.quarter, stored=stored_all
    ).get(pk)
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
            "beside": beside,
            "state": selectors.recompute_state(),
            "form": form,
            "period": period,
            "query": _query(period),
            "kecamatan_rows": kecamatan_rows,
            "measure": spec,
            "can_drill": spec is not None and spec.kind != "growth",
            "can_edit": access.can_manage_plan(request.user),
            "plan_marks": figure_marks(plan).of_indicator(binding.indicator_id),
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


def _map_context(request: HttpRequest) -> dict[str, Any]:
    plan = _plan()
    form, period = _period(request)
    bindings = list(selectors.binding_list(user=request.user, plan=plan).filter(method="measure"))
    chosen = request.GET.get("indicator")
    binding = next(
        (b for b in bindings if str(b.indicator_id) == chosen), bindings[0] if bindings else None
    )
    stored = None
    figures: dict[str, Any] = {}
    if binding is not None:
        stored = _stored(plan, period).get(binding.indicator_id)
        figures = map_data(binding=binding, stored=stored, period=period)
    names = selectors.region_names()
    for row in figures.get("rows", []):
        row["name"] = names.get(row["code"], row["code"])
    figures.get("rows", []).sort(key=lambda r: r["name"])
    return {
        "bindings": bindings,
        "binding": binding,
        "form": form,
        "period": period,
        "value": stored,
        "figures": figures,
        "names": names,
    }


@login_required
def indicator_map(request: HttpRequest) -> HttpResponse:
    context = _map_context(request)
    binding, figures = context["binding"], context["figures"]
    context["map_data"] = {
        "kecamatanUrl": reverse("regions:boundaries", args=["kecamatan"]),
        "kelurahanUrl": reverse("regions:boundaries", args=["kelurahan"]),
        "title": binding.indicator.name if binding else "",
        "unit": binding.indicator.unit if binding else "",
        "scale": figures.get("scale", "count"),
        "legend": figures.get("legend", ""),
        "kecamatan": figures.get("kecamatan", {}),
        "kelurahan": figures.get("kelurahan", {}),
        "names": context["names"],
        "status": context["value"].status if context["value"] else "",
        "statusLabel": context["value"].get_status_display() if context["value"] else "",
        "completeness": context["value"].completeness if context["value"] else "",
    }
    return render(request, "indicators/map.html", context)


@login_required
def indicator_map_data(request: HttpRequest) -> JsonResponse:
    """The map's figures as JSON: the unit (scale and legend), per kecamatan, the city value."""
    context = _map_context(request)
    binding, figures = context["binding"], context["figures"]
    return JsonResponse(
        {
            "indicator": binding.indicator_id if binding else None,
            "name": binding.indicator.name if binding else "",
            "period": str(context["period"]),
            **figures,
        }
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


# --- Indikator Dinas (di luar Renstra) ----------------------------------------------------


def _custom(request: HttpRequest, pk: int) -> CustomIndicator:
    return get_object_or_404(
        selectors.custom_indicator_list(user=request.user, include_inactive=True), pk=pk
    )


@login_required
def custom_list(request: HttpRequest) -> HttpResponse:
    """Every Dinas indicator, active or not, with the administrator's actions."""
    indicators = selectors.custom_indicator_list(user=request.user, include_inactive=True)
    return render(
        request,
        "indicators/custom_list.html",
        {
            "indicators": indicators,
            "can_create": access.can_create(request.user, CustomIndicator),
        },
    )


@login_required
def custom_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    indicator = _custom(request, pk) if pk else None
    if indicator is None:
        access.require(access.can_create(request.user, CustomIndicator))
    else:
        access.require(access.can_edit(request.user, indicator))
    suggestions = custom_suggestions() if indicator is None else {}
    initial: dict[str, Any] = {}
    chosen = suggestions.get(request.GET.get("usulan", ""))
    if chosen:
        initial = {**chosen, "owner_unit": Unit.objects.filter(code=chosen["owner_unit"]).first()}
    form = CustomIndicatorForm(
        request.POST or None, instance=indicator or CustomIndicator(), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            if indicator is None:
                saved = services.custom_indicator_create(
                    actor=request.user, indicator=form.save(commit=False)
                )
            else:
                saved = services.custom_indicator_update(
                    actor=request.user,
                    indicator=form.save(commit=False),
                    expected_version=form.expected_version,
                )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Indikator Dinas tersimpan."))
            return redirect("indicators:custom-detail", pk=saved.pk)
    return render(
        request,
        "indicators/custom_form.html",
        {"form": form, "indicator": indicator, "suggestions": suggestions},
    )


@login_required
@require_POST
def custom_archive(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _custom(request, pk)
    services.custom_indicator_archive(actor=request.user, indicator=indicator)
    messages.success(request, _("Indikator Dinas %(code)s diarsipkan.") % {"code": indicator.code})
    return redirect("indicators:custom-list")


@login_required
@require_POST
def custom_compute(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_plan(request.user))
    form = PeriodForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tahun atau triwulan tidak sah."))
        return redirect("indicators:list")
    period = Period(form.cleaned_data["year"], form.cleaned_data["quarter"])
    results = services.custom_indicators_compute_and_store(
        year=period.year, quarter=period.quarter, actor=request.user
    )
    messages.success(
        request, _("%(n)d indikator Dinas dihitung ulang dari data.") % {"n": len(results)}
    )
    return redirect(f"{reverse('indicators:list')}?{_query(period)}#indikator-dinas")


@login_required
def custom_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _custom(request, pk)
    form, period = _period(request)
    stored = selectors.custom_stored_values(year=period.year, quarter=period.quarter).get(pk)
    names = selectors.region_names()
    kecamatan_rows = []
    if stored:
        kecamatan_rows = [
            {"code": code, "name": names.get(code, code), **row}
            for code, row in sorted(
                stored.by_kecamatan.items(), key=lambda kv: names.get(kv[0], kv[0])
            )
        ]
    spec = REGISTRY.get(indicator.measure)
    target = indicator.target_for(period.year)
    return render(
        request,
        "indicators/custom_detail.html",
        {
            "indicator": indicator,
            "value": stored,
            "target": target,
            "capaian": capaian(target, stored.value if stored else None, indicator.polarity),
            "form": form,
            "period": period,
            "query": _query(period),
            "kecamatan_rows": kecamatan_rows,
            "measure": spec,
            "can_drill": spec is not None and spec.kind != "growth",
            "can_edit": access.can_edit(request.user, indicator),
        },
    )


@login_required
def custom_records(request: HttpRequest, pk: int) -> HttpResponse:
    """The records a Dinas indicator's value counted, as for the Renstra's indicators."""
    indicator = _custom(request, pk)
    _form, period = _period(request)
    kecamatan = request.GET.get("kecamatan")
    counted = selectors.counted_records(
        user=request.user,
        binding=services.custom_engine_binding(indicator),
        period=period,
        kecamatan=kecamatan,
    )
    if counted is None:
        raise Http404(_("Indikator ini tidak dihitung dari daftar data."))
    page = paginate(request, counted.queryset.order_by("pk"))
    names = selectors.region_names()
    return render(
        request,
        "indicators/custom_records.html",
        {
            "indicator": indicator,
            "period": period,
            "page": page,
            "kecamatan": kecamatan,
            "kecamatan_name": names.get(kecamatan or "", kecamatan),
            "model_name": counted.queryset.model._meta.verbose_name_plural,
            "query": _query(period),
        },
    )


@login_required
def custom_map(request: HttpRequest) -> HttpResponse:
    """The map of a Dinas indicator: the Renstra map's page, fed with the Dinas indicators."""
    form, period = _period(request)
    indicators = list(selectors.custom_indicator_list(user=request.user))
    chosen = request.GET.get("indicator")
    indicator = next(
        (i for i in indicators if str(i.pk) == chosen), indicators[0] if indicators else None
    )
    # The page template expects bindings; the engine's view of each indicator is one.
    bindings = [services.custom_engine_binding(i) for i in indicators]
    binding = next((b for b in bindings if indicator and b.indicator_id == indicator.pk), None)
    stored = None
    if indicator is not None:
        stored = selectors.custom_stored_values(year=period.year, quarter=period.quarter).get(
            indicator.pk
        )
    data = {
        "kecamatanUrl": reverse("regions:boundaries", args=["kecamatan"]),
        "kelurahanUrl": reverse("regions:boundaries", args=["kelurahan"]),
        "title": indicator.name if indicator else "",
        "unit": indicator.unit if indicator else "",
        "kecamatan": {
            k: v.get("value", v.get("numerator"))
            for k, v in (stored.by_kecamatan if stored else {}).items()
        },
        "kelurahan": stored.by_kelurahan if stored else {},
        "names": selectors.region_names(),
    }
    return render(
        request,
        "indicators/custom_map.html",
        {
            "bindings": bindings,
            "binding": binding,
            "form": form,
            "period": period,
            "value": stored,
            "map_data": data,
        },
    )
