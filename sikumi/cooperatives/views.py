from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from sikumi.accounts import access
from sikumi.audit.choices import Action
from sikumi.audit.services import record_personal_data_access
from sikumi.cooperatives import forms as f
from sikumi.cooperatives import selectors, services, timeline
from sikumi.cooperatives.choices import EmpowermentKind
from sikumi.cooperatives.exports import cooperative_columns
from sikumi.cooperatives.filters import CooperativeFilter, EmpowermentFilter
from sikumi.cooperatives.models import (
    CompetenceCertificate,
    Cooperative,
    CooperativeAward,
    CooperativeOfficial,
    CooperativeRating,
    CooperativeSettings,
    EmpowermentRecord,
    RatReport,
)
from sikumi.cooperatives.tables import CooperativeTable, EmpowermentTable
from sikumi.core.exports import xlsx_response
from sikumi.core.views import or_404, submit_form
from sikumi.rules.identifiers import mask_nik, mask_phone


def _get_cooperative(request: HttpRequest, pk: int) -> Cooperative:
    return or_404(selectors.cooperative_get, user=request.user, pk=pk)


# ----------------------------------------------------------------------------------- lists


def _import_url() -> str:
    try:
        return reverse("imports:upload", kwargs={"kind": "cooperatives"})
    except NoReverseMatch:
        return ""


@login_required
def cooperative_list(request: HttpRequest) -> HttpResponseBase:
    access.require(access.can_view(request.user, Cooperative))
    filterset = CooperativeFilter(
        request.GET, queryset=selectors.cooperative_list(user=request.user)
    )
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            "koperasi.xlsx",
            cooperative_columns(),
            queryset.order_by("name", "pk").iterator(chunk_size=2000),
            title=_("Daftar koperasi"),
        )
    table = CooperativeTable(queryset)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    query = request.GET.copy()
    query["format"] = "xlsx"
    query.pop("page", None)
    return render(
        request,
        "cooperatives/list.html",
        {
            "filter": filterset,
            "table": table,
            "counts": selectors.status_counts(queryset),
            "export_query": query.urlencode(),
            "can_create": access.can_create(request.user, Cooperative),
            "import_url": _import_url(),
        },
    )


@login_required
def cooperative_map(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, Cooperative))
    filterset = CooperativeFilter(
        request.GET, queryset=selectors.cooperative_list(user=request.user)
    )
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    data = {
        "counts": [
            {"name": row["kecamatan__name"] or _("Tanpa kecamatan"), "value": row["n"]}
            for row in selectors.counts_by_kecamatan(queryset)
        ],
        "points": selectors.map_points(queryset),
        "geojson_url": "/wilayah/batas/kecamatan.geojson",
    }
    return render(request, "cooperatives/map.html", {"filter": filterset, "map_data": data})


# ---------------------------------------------------------------------------------- detail


@login_required
def cooperative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = _get_cooperative(request, pk)
    show_personal = request.GET.get("pribadi") == "1" and access.can_view_personal_data(
        request.user, cooperative
    )
    officials = list(selectors.officials_of(cooperative))
    if show_personal and officials:
        record_personal_data_access(
            actor=request.user,
            action=Action.VIEW_PERSONAL,
            what=_("NIK dan telepon pengurus %(name)s") % {"name": cooperative.name},
            instance=cooperative,
        )
    for official in officials:
        official.shown_phone = official.phone if show_personal else mask_phone(official.phone)  # type: ignore[attr-defined]
        official.shown_nik = official.nik if show_personal else mask_nik(official.nik)  # type: ignore[attr-defined]
    year = selectors.current_year()
    return render(
        request,
        "cooperatives/detail.html",
        {
            "cooperative": cooperative,
            "status": selectors.cooperative_status(cooperative),
            "officials": officials,
            "show_personal": show_personal,
            "can_view_personal": access.can_view_personal_data(request.user, cooperative),
            "reports": selectors.rat_reports_of(cooperative),
            "trend": selectors.business_volume_trend(cooperative=cooperative),
            "quality": selectors.cooperative_quality(cooperative, year),
            "quality_year": year,
            "awards": CooperativeAward.objects.active().filter(cooperative=cooperative),
            "ratings": CooperativeRating.objects.active().filter(cooperative=cooperative),
            "timeline": timeline.timeline(cooperative, request.user),
            "can_edit": access.can_edit(request.user, cooperative),
            "can_create_empowerment": access.can_create(request.user, EmpowermentRecord),
        },
    )


# ------------------------------------------------------------------------ cooperative forms


def _to_detail(cooperative_pk: int) -> str:
    return reverse("cooperatives:detail", args=[cooperative_pk])


@login_required
def cooperative_edit(request: HttpRequest, pk: int | None = None) -> HttpResponseBase:
    if pk is None:
        access.require(access.can_create(request.user, Cooperative))
        cooperative = Cooperative()
    else:
        cooperative = _get_cooperative(request, pk)
        access.require(access.can_edit(request.user, cooperative))
    form = f.CooperativeForm(request.POST or None, instance=cooperative, user=request.user)

    def save() -> Cooperative:
        if pk is None:
            return services.cooperative_create(
                actor=request.user, cooperative=form.save(commit=False)
            )
        return services.cooperative_update(
            actor=request.user,
            cooperative=form.save(commit=False),
            expected_version=form.expected_version,
        )

    if done := submit_form(
        request,
        form,
        save,
        success=_("Data koperasi tersimpan."),
        then=lambda saved: _to_detail(saved.pk),
    ):
        return done
    return render(
        request,
        "cooperatives/form.html",
        {
            "form": form,
            "cooperative": cooperative if pk else None,
            "title": _("Ubah koperasi") if pk else _("Tambah koperasi"),
        },
    )


@login_required
@require_POST
def cooperative_archive(request: HttpRequest, pk: int) -> HttpResponse:
    cooperative = _get_cooperative(request, pk)
    if not access.can_archive(request.user, cooperative):
        raise PermissionDenied
    services.cooperative_archive(actor=request.user, cooperative=cooperative)
    messages.success(request, _("Koperasi diarsipkan."))
    return redirect("cooperatives:list")


@login_required
def cooperative_dissolve(request: HttpRequest, pk: int) -> HttpResponseBase:
    cooperative = _get_cooperative(request, pk)
    access.require(access.can_edit(request.user, cooperative))
    form = f.DissolveForm(request.POST or None)
    if done := submit_form(
        request,
        form,
        lambda: services.cooperative_dissolve(
            actor=request.user,
            cooperative=cooperative,
            date=form.cleaned_data["date"],
            note=form.cleaned_data["note"],
        ),
        success=_("Koperasi dicatat sebagai dibubarkan."),
        then=_to_detail(pk),
    ):
        return done
    return render(
        request,
        "cooperatives/form.html",
        {"form": form, "cooperative": cooperative, "title": _("Pembubaran koperasi")},
    )


# -------------------------------------------------------------------- child records (generic)

CHILDREN: dict[str, tuple[type[Model], type[Any], str]] = {
    "rat": (RatReport, f.RatReportForm, _("Laporan RAT")),
    "official": (CooperativeOfficial, f.OfficialForm, _("Pengurus/pengawas/manajer")),
    "award": (CooperativeAward, f.AwardForm, _("Penghargaan")),
    "rating": (CooperativeRating, f.RatingForm, _("Hasil pemeringkatan")),
}


def _child_save(kind: str, actor: Any, instance: Any, form: Any) -> Any:
    if instance.pk is None:
        if kind == "rat":
            return services.rat_report_create(actor=actor, report=instance)
        if kind == "rating":
            return services.rating_create(actor=actor, rating=instance)
        return services.child_create(actor=actor, instance=instance)
    if kind == "rat":
        return services.rat_report_update(
            actor=actor, report=instance, expected_version=form.expected_version
        )
    return services.child_update(
        actor=actor, instance=instance, expected_version=form.expected_version
    )


def _child_edit(request: HttpRequest, kind: str, pk: int, child_pk: int | None) -> HttpResponseBase:
    model, form_class, label = CHILDREN[kind]
    cooperative = _get_cooperative(request, pk)
    access.require(access.can_edit(request.user, cooperative))
    if child_pk is None:
        instance = model(cooperative=cooperative)
    else:
        instance = or_404(
            selectors.child_get,
            user=request.user,
            model=model,
            cooperative=cooperative,
            pk=child_pk,
        )
    form = form_class(request.POST or None, instance=instance)
    if done := submit_form(
        request,
        form,
        lambda: _child_save(kind, request.user, form.save(commit=False), form),
        success=_("%(what)s tersimpan.") % {"what": label},
        then=_to_detail(pk),
    ):
        return done
    return render(
        request,
        "cooperatives/form.html",
        {
            "form": form,
            "cooperative": cooperative,
            "title": label,
            "intro": _(
                "Isi tahun buku yang laporannya disahkan dan tanggal RAT diselenggarakan: RAT "
                "tahun buku 2025 diselenggarakan sesudah 31 Desember 2025, biasanya paling "
                "lambat 30 Juni 2026. Jumlah RAT dan anggota per tahun dihitung menurut tahun "
                "RAT diselenggarakan."
            )
            if kind == "rat"
            else "",
        },
    )


@login_required
def rat_edit(request: HttpRequest, pk: int, child_pk: int | None = None) -> HttpResponseBase:
    return _child_edit(request, "rat", pk, child_pk)


@login_required
def official_edit(request: HttpRequest, pk: int, child_pk: int | None = None) -> HttpResponseBase:
    response = _child_edit(request, "official", pk, child_pk)
    if child_pk is not None and response.status_code == 200:
        # The form was shown with the official's NIK and phone in full: a personal-data view.
        official = CooperativeOfficial.objects.filter(pk=child_pk, cooperative_id=pk).first()
        if official is not None and (official.nik or official.phone):
            record_personal_data_access(
                actor=request.user,
                action=Action.VIEW_PERSONAL,
                what=_("NIK dan telepon pengurus %(name)s (formulir ubah)")
                % {"name": official.name},
                instance=official,
            )
    return response


@login_required
def award_edit(request: HttpRequest, pk: int, child_pk: int | None = None) -> HttpResponseBase:
    return _child_edit(request, "award", pk, child_pk)


@login_required
def rating_edit(request: HttpRequest, pk: int, child_pk: int | None = None) -> HttpResponseBase:
    return _child_edit(request, "rating", pk, child_pk)


@login_required
@require_POST
def rat_archive(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    cooperative = _get_cooperative(request, pk)
    report = or_404(
        selectors.child_get,
        user=request.user,
        model=RatReport,
        cooperative=cooperative,
        pk=child_pk,
    )
    services.rat_report_archive(actor=request.user, report=report)
    messages.success(request, _("Laporan RAT diarsipkan."))
    return redirect("cooperatives:detail", pk=pk)


@login_required
def certificate_edit(
    request: HttpRequest, pk: int, official_pk: int, child_pk: int | None = None
) -> HttpResponseBase:
    cooperative = _get_cooperative(request, pk)
    access.require(access.can_edit(request.user, cooperative))
    official = or_404(
        selectors.child_get,
        user=request.user,
        model=CooperativeOfficial,
        cooperative=cooperative,
        pk=official_pk,
    )
    if child_pk is None:
        instance = CompetenceCertificate(official=official)
    else:
        instance = or_404(
            selectors.certificate_get, user=request.user, official=official, pk=child_pk
        )
    form = f.CertificateForm(request.POST or None, instance=instance)

    def save() -> CompetenceCertificate:
        obj = form.save(commit=False)
        if obj.pk is None:
            return services.certificate_create(actor=request.user, certificate=obj)
        return services.child_update(
            actor=request.user, instance=obj, expected_version=form.expected_version
        )

    if done := submit_form(
        request,
        form,
        save,
        success=_("Sertifikat kompetensi tersimpan."),
        then=_to_detail(pk),
    ):
        return done
    return render(
        request,
        "cooperatives/form.html",
        {
            "form": form,
            "cooperative": cooperative,
            "title": _("Sertifikat kompetensi: %(name)s") % {"name": official.name},
        },
    )


# ------------------------------------------------------------------------------ empowerment


@login_required
def empowerment_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, EmpowermentRecord))
    qs = selectors.empowerment_list(user=request.user)
    filterset = EmpowermentFilter(request.GET, queryset=qs)
    queryset = filterset.qs if filterset.is_valid() else qs.none()
    table = EmpowermentTable(queryset)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(
        request,
        "cooperatives/empowerment_list.html",
        {
            "filter": filterset,
            "table": table,
            "counts": [
                {**row, "kind_label": EmpowermentKind(row["kind"]).label}
                for row in selectors.empowerment_counts_by_year_kind(queryset)
            ],
        },
    )


@login_required
def empowerment_edit(
    request: HttpRequest, pk: int, child_pk: int | None = None
) -> HttpResponseBase:
    cooperative = _get_cooperative(request, pk)
    if child_pk is None:
        access.require(access.can_create(request.user, EmpowermentRecord))
        record = EmpowermentRecord(cooperative=cooperative)
    else:
        record = or_404(
            selectors.child_get,
            user=request.user,
            model=EmpowermentRecord,
            cooperative=cooperative,
            pk=child_pk,
        )
        access.require(access.can_edit(request.user, record))
    form = f.EmpowermentForm(
        request.POST or None, instance=record, user=request.user, cooperative=cooperative
    )

    def save() -> EmpowermentRecord:
        obj = form.save(commit=False)
        if obj.pk is None:
            return services.empowerment_create(actor=request.user, record=obj)
        return services.empowerment_update(
            actor=request.user, record=obj, expected_version=form.expected_version
        )

    if done := submit_form(
        request,
        form,
        save,
        success=_("Catatan pemberdayaan tersimpan."),
        then=_to_detail(pk),
    ):
        return done
    return render(
        request,
        "cooperatives/form.html",
        {"form": form, "cooperative": cooperative, "title": _("Pemberdayaan koperasi")},
    )


# -------------------------------------------------------------------------------- settings


@login_required
def settings_view(request: HttpRequest) -> HttpResponseBase:
    """The activity window and the quality rule sets. Only reads on a GET: the shipped rule
    sets are stored by a migration and `manage.py load_quality_rules`, never by this page."""
    access.require(access.is_admin(request.user))
    current = CooperativeSettings.load()
    form = f.SettingsForm(
        request.POST or None, initial={"activity_window_years": current.activity_window_years}
    )
    if done := submit_form(
        request,
        form,
        lambda: services.settings_update(
            actor=request.user,
            activity_window_years=form.cleaned_data["activity_window_years"],
        ),
        success=_("Pengaturan koperasi tersimpan."),
        then="cooperatives:settings",
    ):
        return done
    return render(
        request,
        "cooperatives/settings.html",
        {"form": form, "rule_sets": selectors.rule_set_list(user=request.user)},
    )


@login_required
def rule_set_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    rule_set = or_404(selectors.rule_set_get, user=request.user, pk=pk)
    access.require(access.can_edit(request.user, rule_set))
    form = f.RuleSetForm(request.POST or None, instance=rule_set)
    if done := submit_form(
        request,
        form,
        lambda: services.rule_set_update(
            actor=request.user,
            rule_set=form.save(commit=False),
            expected_version=form.expected_version,
        ),
        success=_("Aturan tersimpan."),
        then="cooperatives:settings",
    ):
        return done
    return render(request, "cooperatives/form.html", {"form": form, "title": rule_set.label})


@login_required
def trend_json(request: HttpRequest) -> JsonResponse:
    """Business volume per RAT year of the filtered list, with growth (%)."""
    access.require(access.can_view(request.user, Cooperative))
    filterset = CooperativeFilter(
        request.GET, queryset=selectors.cooperative_list(user=request.user)
    )
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    rows = selectors.business_volume_trend(cooperatives=queryset)
    return JsonResponse(
        {
            "results": [
                {
                    "year": r["year"],
                    "business_volume": str(r["business_volume"] or 0),
                    "growth_percent": None
                    if r["growth_percent"] is None
                    else round(float(r["growth_percent"]), 2),
                    "reports": r["reports"],
                }
                for r in rows
            ]
        }
    )
