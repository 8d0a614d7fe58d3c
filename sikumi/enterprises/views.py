from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sikumi.accounts import access
from sikumi.audit.choices import Action
from sikumi.audit.services import record_personal_data_access
from sikumi.core.views import apply_service_errors, or_404, submit_form
from sikumi.enterprises import selectors, services
from sikumi.enterprises.exports import enterprise_export
from sikumi.enterprises.filters import EnterpriseFilter, PersonFilter
from sikumi.enterprises.forms import EnterpriseForm, OwnerForm, PersonForm, TurnoverForm
from sikumi.enterprises.models import Enterprise, Person
from sikumi.enterprises.paging import paginate
from sikumi.enterprises.timeline import timeline_for
from sikumi.rules.identifiers import mask_nik, mask_phone


def _enterprise(request: HttpRequest, pk: int) -> Enterprise:
    return or_404(selectors.enterprise_get, user=request.user, pk=pk)


def _person(request: HttpRequest, pk: int) -> Person:
    return or_404(selectors.person_get, user=request.user, pk=pk)


def personal(request: HttpRequest, person: Person, *, record: bool = True) -> dict[str, str]:
    """NIK and phone as this user may see them; a full view is recorded."""
    if access.can_view_personal_data(request.user, person) and (person.nik or person.phone):
        if record:
            record_personal_data_access(
                actor=request.user,
                action=Action.VIEW_PERSONAL,
                what=f"NIK dan nomor HP {person.name}",
                instance=person,
            )
        return {"nik": person.nik or "", "phone": person.phone, "full": "1"}
    return {"nik": mask_nik(person.nik), "phone": mask_phone(person.phone), "full": ""}


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, Enterprise))
    filterset = EnterpriseFilter(
        request.GET, queryset=selectors.enterprise_list(user=request.user), request=request
    )
    queryset = filterset.qs if filterset.is_valid() else Enterprise.objects.none()
    if request.GET.get("format") == "xlsx":
        return enterprise_export(user=request.user, queryset=queryset)
    page = paginate(request, queryset.order_by("-id"))
    return render(
        request,
        "enterprises/list.html",
        {
            "filter": filterset,
            "page": page,
            "can_create": access.can_create(request.user, Enterprise),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "owner": personal(request, enterprise.owner),
            "turnovers": selectors.turnovers_of(enterprise),
            "timeline": timeline_for(enterprise, request.user),
            "can_edit": access.can_edit(request.user, enterprise),
            "turnover_form": TurnoverForm(),
        },
    )


@login_required
def enterprise_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        access.require(access.can_create(request.user, Enterprise))
        enterprise = Enterprise()
    else:
        enterprise = _enterprise(request, pk)
        if not access.can_edit(request.user, enterprise):
            raise PermissionDenied
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    owner_form = OwnerForm(request.POST or None, prefix="pemilik") if pk is None else None
    if (
        request.method == "POST"
        and form.is_valid()
        and (owner_form is None or owner_form.is_valid())
    ):
        try:
            if pk is None:
                saved = services.enterprise_create(
                    actor=request.user,
                    enterprise=form.save(commit=False),
                    owner=owner_form.cleaned_data if owner_form else None,
                )
            else:
                saved = services.enterprise_update(
                    actor=request.user,
                    enterprise=form.save(commit=False),
                    expected_version=form.expected_version,
                )
        except services.OwnerConflict as exc:
            apply_service_errors(owner_form, exc)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Data usaha tersimpan."))
            return redirect("enterprises:detail", pk=saved.pk)
    return render(
        request,
        "enterprises/form.html",
        {"form": form, "owner_form": owner_form, "enterprise": enterprise},
    )


@login_required
@require_POST
def enterprise_archive(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    if not access.can_archive(request.user, enterprise):
        raise PermissionDenied
    services.enterprise_archive(actor=request.user, enterprise=enterprise)
    messages.success(request, _("Data usaha diarsipkan."))
    return redirect("enterprises:list")


@login_required
@require_POST
def turnover_add(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise(request, pk)
    if not access.can_edit(request.user, enterprise):
        raise PermissionDenied
    form = TurnoverForm(request.POST)
    if form.is_valid():
        try:
            services.turnover_set(
                actor=request.user,
                enterprise=enterprise,
                year=form.cleaned_data["year"],
                amount=form.cleaned_data["amount"],
            )
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("Omzet tersimpan."))
    else:
        messages.error(request, _("Periksa tahun dan jumlah omzet."))
    return redirect("enterprises:detail", pk=pk)


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, Person))
    filterset = PersonFilter(
        request.GET, queryset=selectors.person_list(user=request.user), request=request
    )
    queryset = filterset.qs if filterset.is_valid() else Person.objects.none()
    page = paginate(request, queryset.order_by("-id"))
    # The NIK's last digits, the kelurahan and the birth year tell namesakes apart.
    hints = selectors.person_hints(page.object_list)
    rows = [(p, hints[p.pk]) for p in page.object_list]
    return render(
        request, "enterprises/persons.html", {"filter": filterset, "page": page, "rows": rows}
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    return render(
        request,
        "enterprises/person_detail.html",
        {
            "person": person,
            "personal": personal(request, person),
            "enterprises": person.enterprises.filter(archived_at__isnull=True).select_related(
                "kelurahan"
            ),
            "can_edit": access.can_edit(request.user, person),
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    if not access.can_edit(request.user, person):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=person)
    if done := submit_form(
        request,
        form,
        lambda: services.person_update(
            actor=request.user,
            person=form.save(commit=False),
            expected_version=form.expected_version,
        ),
        success=_("Data pelaku usaha tersimpan."),
        then=lambda saved: reverse("enterprises:person", args=[saved.pk]),
    ):
        return done
    if person.nik or person.phone or person.birth_date:
        # The form shows NIK, phone and birth date in full: a personal-data view.
        record_personal_data_access(
            actor=request.user,
            action=Action.VIEW_PERSONAL,
            what=f"NIK, nomor HP dan tanggal lahir {person.name} (formulir ubah)",
            instance=person,
        )
    return render(request, "enterprises/person_form.html", {"form": form, "person": person})


def _year(request: HttpRequest, default: int | None) -> int | None:
    value = request.GET.get("tahun", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default


@login_required
def promise(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, Enterprise))
    year = _year(request, None)
    return render(
        request,
        "enterprises/promise.html",
        {
            "progress": selectors.promise_progress(year),
            "year": year,
            "years": range(selectors.PROMISE["start"], selectors.PROMISE["end"] + 1),
        },
    )


@login_required
def growth(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, Enterprise))
    year = _year(request, 2025) or 2025
    omzet = selectors.naik_omzet(year)
    kelas = selectors.naik_kelas(year)
    omzet.pop("enterprises")
    kelas.pop("enterprises")
    rows = [
        {"code": o["code"], "name": o["name"], "omzet": o["count"], "kelas": k["count"]}
        for o, k in zip(omzet["per_kecamatan"], kelas["per_kecamatan"], strict=True)
    ]
    return render(
        request,
        "enterprises/growth.html",
        {
            "year": year,
            "omzet": omzet,
            "kelas": kelas,
            "rows": rows,
            "years": range(2021, 2027),
        },
    )


@login_required
def kecamatan_map(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, Enterprise))
    progress = selectors.promise_progress(None)
    summary = selectors.enterprises_per_kecamatan()
    data = [
        {
            "name": row["name"],
            "code": row["code"],
            "value": summary.get(row["code"], 0),
            "new": row["new"],
            "women": row["women"],
        }
        for row in progress["per_kecamatan"]
    ]
    return render(request, "enterprises/map.html", {"map_data": data, "rows": data})
