"""Pages of the activities app. Each record type is described once (`ENTITIES`) and served by
the same short views: list with filters and XLSX export, detail, create/edit, archive. The
training and event pages add their participant sub-lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sikumi.accounts import access
from sikumi.activities import filters, forms, selectors, services, tables
from sikumi.activities.lookups import PARTICIPANT_KINDS
from sikumi.activities.models import (
    Curation,
    EventParticipant,
    FinancingFacilitation,
    LegalityApplication,
    Partnership,
    Product,
    PromotionEvent,
    Training,
    TrainingParticipant,
)
from sikumi.audit.choices import Action
from sikumi.audit.services import record_personal_data_access
from sikumi.core import exports, lookups
from sikumi.core.personal_search import SearchThrottled
from sikumi.core.views import apply_service_errors, paginate, submit_form
from sikumi.rules.formatting import format_number


@dataclass(frozen=True)
class Entity:
    key: str
    model: Any
    form: Any
    filterset: Any
    columns: list[tables.Col]
    selector: Callable[..., Any]
    title: Any
    singular: Any
    # For participants: the attribute naming the parent record and the parent's entity key.
    parent: tuple[str, str] | None = None


ENTITIES: dict[str, Entity] = {
    e.key: e
    for e in [
        Entity(
            "product",
            Product,
            forms.ProductForm,
            filters.ProductFilter,
            tables.PRODUCT,
            selectors.product_list,
            gettext_lazy("Produk usaha mikro"),
            gettext_lazy("produk"),
        ),
        Entity(
            "legality",
            LegalityApplication,
            forms.LegalityForm,
            filters.LegalityFilter,
            tables.LEGALITY,
            selectors.legality_list,
            gettext_lazy("Legalitas produk"),
            gettext_lazy("pengajuan legalitas"),
        ),
        Entity(
            "training",
            Training,
            forms.TrainingForm,
            filters.TrainingFilter,
            tables.TRAINING,
            selectors.training_list,
            gettext_lazy("Pelatihan"),
            gettext_lazy("pelatihan"),
        ),
        Entity(
            "participant",
            TrainingParticipant,
            forms.ParticipantForm,
            filters.ParticipantFilter,
            tables.PARTICIPANT,
            selectors.participant_list,
            gettext_lazy("Peserta pelatihan"),
            gettext_lazy("peserta"),
            parent=("training", "training"),
        ),
        Entity(
            "curation",
            Curation,
            forms.CurationForm,
            filters.CurationFilter,
            tables.CURATION,
            selectors.curation_list,
            gettext_lazy("Kurasi produk"),
            gettext_lazy("kurasi"),
        ),
        Entity(
            "event",
            PromotionEvent,
            forms.EventForm,
            filters.EventFilter,
            tables.EVENT,
            selectors.event_list,
            gettext_lazy("Kegiatan promosi"),
            gettext_lazy("kegiatan promosi"),
        ),
        Entity(
            "eventparticipant",
            EventParticipant,
            forms.EventParticipantForm,
            filters.EventParticipantFilter,
            tables.EVENT_PARTICIPANT,
            selectors.event_participant_list,
            gettext_lazy("Peserta kegiatan promosi"),
            gettext_lazy("peserta kegiatan"),
            parent=("event", "event"),
        ),
        Entity(
            "financing",
            FinancingFacilitation,
            forms.FinancingForm,
            filters.FinancingFilter,
            tables.FINANCING,
            selectors.financing_list,
            gettext_lazy("Fasilitasi pembiayaan"),
            gettext_lazy("fasilitasi pembiayaan"),
        ),
        Entity(
            "partnership",
            Partnership,
            forms.PartnershipForm,
            filters.PartnershipFilter,
            tables.PARTNERSHIP,
            selectors.partnership_list,
            gettext_lazy("Kemitraan"),
            gettext_lazy("kemitraan"),
        ),
    ]
}


def _entity(key: str) -> Entity:
    try:
        return ENTITIES[key]
    except KeyError as exc:
        raise Http404 from exc


def _hider(request: HttpRequest) -> Callable[[Any], bool]:
    """True for a record whose personal figures the user may not see (a business's financing
    belongs to its owner, a person)."""

    def hide(obj: Any) -> bool:
        if not getattr(obj, "enterprise_id", None):
            return False
        return not access.can_view_personal_data(request.user, obj)

    return hide


def _rows(request: HttpRequest, entity: Entity, objects: Any) -> tuple[list[Any], bool]:
    """Cells of a list page; returns whether any personal figure was shown in full."""
    hide = _hider(request)
    rows = []
    shown = False
    columns = [col for col in entity.columns if col.in_list]
    for obj in objects:
        cells = []
        for col in columns:
            masked = col.personal and hide(obj)
            shown = shown or (col.personal and not masked and obj.enterprise_id is not None)
            cells.append(
                {"kind": col.kind, "value": None if masked else col.value(obj), "masked": masked}
            )
        rows.append({"obj": obj, "cells": cells, "url": _detail_url(entity, obj)})
    return rows, shown


def _detail_url(entity: Entity, obj: Any) -> str:
    if entity.parent:
        attr, parent_key = entity.parent
        return reverse(f"activities:{parent_key}-detail", args=[getattr(obj, f"{attr}_id")])
    return reverse(f"activities:{entity.key}-detail", args=[obj.pk])


def _props(request: HttpRequest, entity: Entity, obj: Any) -> tuple[list[dict[str, Any]], bool]:
    hide = _hider(request)
    props = []
    shown = False
    for col in entity.columns:
        masked = col.personal and hide(obj)
        shown = shown or (col.personal and not masked and obj.enterprise_id is not None)
        props.append(
            {
                "label": col.label,
                "kind": col.kind,
                "value": None if masked else col.value(obj),
                "masked": masked,
            }
        )
    return props, shown


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    access.require(access.can_view(request.user, Training))
    try:
        year = int(request.GET.get("tahun") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    from sikumi.regions.selectors import kecamatan_list

    summary = selectors.year_summary(year)
    names = {r.code: r.name for r in kecamatan_list()}
    keys = [
        ("participants", _("Peserta pelatihan hadir")),
        ("trained_cooperatives", _("Koperasi dilatih")),
        ("certified_officials", _("Pengurus/pengelola bersertifikat")),
        ("certified_products", _("Produk bersertifikat")),
        ("event_participants", _("Peserta kegiatan promosi")),
        ("financing", _("Pembiayaan tersalur")),
    ]
    table = [
        {
            "code": code,
            "name": names.get(code) or _("Tidak diketahui"),
            "values": [summary[key].by_kecamatan.get(code, 0) for key, _label in keys],
        }
        for code in [*names, selectors.UNKNOWN_KECAMATAN]
        if code in names or any(summary[key].by_kecamatan.get(code) for key, _l in keys)
    ]
    return render(
        request,
        "activities/overview.html",
        {
            "summary": summary,
            "year": year,
            "years": range(2021, timezone.localdate().year + 1),
            "headers": [label for _key, label in keys],
            "totals": [summary[key].total for key, _label in keys],
            "table": table,
            "legality_kinds": [
                (LegalityApplication(kind=k).get_kind_display(), n)
                for k, n in summary["legality_by_kind"].items()
            ],
        },
    )


@login_required
def entity_list(request: HttpRequest, key: str) -> HttpResponseBase:
    entity = _entity(key)
    access.require(access.can_view(request.user, entity.model))
    queryset = entity.selector(user=request.user)
    if key == "financing":
        queryset = queryset.select_related("owner_unit__parent")
    filterset = entity.filterset(request.GET, queryset=queryset)
    objects = filterset.qs  # an invalid value is shown on the form and ignored
    if request.GET.get("ekspor") == "xlsx":
        return _export(request, entity, objects)
    page = paginate(request, objects)
    rows, shown = _rows(request, entity, page.object_list)
    if shown:
        record_personal_data_access(
            actor=request.user,
            action=Action.VIEW_PERSONAL,
            what=str(entity.title),
            model=entity.model,
            note=_("Daftar %(title)s halaman %(page)s: nilai pembiayaan usaha")
            % {"title": entity.title, "page": page.number},
        )
    return render(
        request,
        "activities/list.html",
        {
            "entity": entity,
            "filter": filterset,
            "page": page,
            "rows": rows,
            "headers": [col.label for col in entity.columns if col.in_list],
            "can_create": entity.parent is None and access.can_create(request.user, entity.model),
            "create_url": reverse(f"activities:{key}-create") if entity.parent is None else "",
        },
    )


def _export(request: HttpRequest, entity: Entity, objects: Any) -> HttpResponseBase:
    hide = _hider(request)
    columns = [col.export_column(hide) for col in entity.columns]
    personal = any(col.personal for col in entity.columns) and access.can_view_personal_data(
        request.user
    )
    record_personal_data_access(
        actor=request.user,
        action=Action.EXPORT_PERSONAL if personal else Action.EXPORT,
        what=str(entity.title),
        model=entity.model,
        note=request.GET.urlencode()[:500],
    )
    stamp = timezone.localdate().isoformat()
    return exports.xlsx_response(
        f"{entity.key}-{stamp}.xlsx",
        columns,
        objects.iterator(chunk_size=2000),
        title=str(entity.title),
        note=_("Diunduh %(date)s. Baris data contoh ditandai pada kolom 'Data contoh'.")
        % {"date": stamp},
    )


def _get(entity: Entity, request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.get(entity.model, user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


@login_required
def entity_detail(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    entity = _entity(key)
    if entity.parent:
        obj = _get(entity, request, pk)
        return redirect(_detail_url(entity, obj))
    obj = _get(entity, request, pk)
    props, shown = _props(request, entity, obj)
    if shown:
        record_personal_data_access(
            actor=request.user,
            action=Action.VIEW_PERSONAL,
            what=str(entity.singular),
            instance=obj,
        )
    context: dict[str, Any] = {
        "entity": entity,
        "obj": obj,
        "props": props,
        "can_edit": access.can_edit(request.user, obj),
    }
    if key == "training":
        context.update(_training_context(request, obj))
    elif key == "event":
        context.update(_event_context(request, obj))
    elif key == "product":
        context["legalities"] = obj.legalities.active().order_by("-applied_on")
        context["curations"] = obj.curations.active().order_by("-date")
    return render(request, "activities/detail.html", context)


def _training_context(request: HttpRequest, training: Training, form: Any = None) -> dict:
    participants = (
        training.participants.active()
        .select_related("person", "enterprise", "cooperative", "official")
        .order_by("id")
    )
    return {
        "participants": paginate(request, participants, per_page=100),
        "participant_form": form,
        "search_kinds": [(k, lookups.describe(k)) for k in PARTICIPANT_KINDS],
    }


def _event_context(request: HttpRequest, event: PromotionEvent, form: Any = None) -> dict:
    participants = (
        event.participants.active().select_related("enterprise", "cooperative").order_by("id")
    )
    return {
        "event_participants": paginate(request, participants, per_page=100),
        "event_participant_form": form
        or forms.EventParticipantForm(user=request.user, prefix="ep"),
    }


def _service_save(request: HttpRequest, form: Any, creating: bool) -> Any:
    """Run the create or update service for a valid form (its ValidationError propagates)."""
    if creating:
        return services.create(actor=request.user, instance=form.save(commit=False))
    return services.update(
        actor=request.user,
        instance=form.save(commit=False),
        expected_version=form.expected_version,
    )


def _save(request: HttpRequest, form: Any, creating: bool) -> Any:
    """Run the service for a valid form; None (with errors on the form) when it refuses."""
    try:
        return _service_save(request, form, creating)
    except ValidationError as exc:
        apply_service_errors(form, exc)
    return None


@login_required
def entity_edit(request: HttpRequest, key: str, pk: int | None = None) -> HttpResponse:
    entity = _entity(key)
    if pk is None:
        if entity.parent:
            raise Http404
        access.require(access.can_create(request.user, entity.model))
        obj = entity.model()
    else:
        obj = _get(entity, request, pk)
        access.require(access.can_edit(request.user, obj))
    # A link may preselect a record (e.g. "add legality" from a product's page: ?product=12).
    initial = {k: v for k, v in request.GET.items() if k in forms.LOOKUPS and str(v).isdigit()}
    form = entity.form(request.POST or None, instance=obj, user=request.user, initial=initial)
    if done := submit_form(
        request,
        form,
        lambda: _service_save(request, form, creating=pk is None),
        success=_("Data tersimpan."),
        then=lambda saved: _detail_url(entity, saved),
    ):
        return done
    return render(
        request,
        "activities/form.html",
        {
            "entity": entity,
            "form": form,
            "obj": obj,
            "cancel_url": _detail_url(entity, obj) if obj.pk else reverse(f"activities:{key}-list"),
        },
    )


@login_required
@require_POST
def entity_archive(request: HttpRequest, key: str, pk: int) -> HttpResponse:
    entity = _entity(key)
    obj = _get(entity, request, pk)
    access.require(access.can_archive(request.user, obj))
    services.archive(actor=request.user, instance=obj)
    messages.success(request, _("Data diarsipkan."))
    if entity.parent:
        return redirect(_detail_url(entity, obj))
    return redirect(f"activities:{key}-list")


def _link_fields(data: Any) -> dict[str, str]:
    return {
        name: data.get(name, "") for name in ("person", "enterprise", "cooperative", "official")
    }


@login_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a participant to a training (from the search results or the full form)."""
    training = _get(ENTITIES["training"], request, pk)
    access.require(access.can_edit(request.user, training))
    data = request.POST.copy()
    data.setdefault("attendance", "hadir")
    data.setdefault("outcome", "belum")
    form = forms.ParticipantForm(
        data, instance=TrainingParticipant(training=training), user=request.user
    )
    if form.is_valid() and _save(request, form, creating=True) is not None:
        messages.success(request, _("Peserta ditambahkan."))
        return redirect(reverse("activities:training-detail", args=[pk]) + "#peserta")
    messages.error(request, " ".join(_errors(form)))
    entity = ENTITIES["training"]
    props, _shown = _props(request, entity, training)
    context = {
        "entity": entity,
        "obj": training,
        "props": props,
        "can_edit": True,
        **_training_context(request, training, form),
    }
    return render(request, "activities/detail.html", context, status=400)


@login_required
@require_POST
def event_participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    event = _get(ENTITIES["event"], request, pk)
    access.require(access.can_edit(request.user, event))
    form = forms.EventParticipantForm(
        request.POST, instance=EventParticipant(event=event), user=request.user, prefix="ep"
    )
    if form.is_valid() and _save(request, form, creating=True) is not None:
        messages.success(request, _("Peserta ditambahkan."))
        return redirect(reverse("activities:event-detail", args=[pk]) + "#peserta")
    entity = ENTITIES["event"]
    props, _shown = _props(request, entity, event)
    context = {
        "entity": entity,
        "obj": event,
        "props": props,
        "can_edit": True,
        **_event_context(request, event, form),
    }
    return render(request, "activities/detail.html", context, status=400)


def _errors(form: Any) -> list[str]:
    return [str(message) for errors in form.errors.values() for message in errors]


@login_required
def participant_search(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: people, businesses, cooperatives or officials matching the query, each with an
    "add" button for the training."""
    training = _get(ENTITIES["training"], request, pk)
    kind = request.GET.get("jenis", "person")
    hits = (
        lookups.search(kind, request.GET.get("q", ""), user=request.user)
        if kind in PARTICIPANT_KINDS
        else []
    )
    return render(
        request,
        "activities/partials/participant_search.html",
        {
            "training": training,
            "hits": hits,
            "kind": kind,
            "query": request.GET.get("q", ""),
            "can_edit": access.can_edit(request.user, training),
        },
    )


@login_required
def expiring(request: HttpRequest) -> HttpResponse:
    """Certificates expiring within N days (default 90) and those already expired."""
    access.require(access.can_view(request.user, LegalityApplication))
    try:
        days = int(request.GET.get("hari") or selectors.DEFAULT_EXPIRY_DAYS)
    except ValueError:
        days = selectors.DEFAULT_EXPIRY_DAYS
        messages.warning(request, _("Jumlah hari tidak valid; memakai 90 hari."))
    days = min(max(days, 1), 3650)
    today = timezone.localdate()
    soon = selectors.expiring_certificates(user=request.user, days=days, today=today)
    expired = selectors.expired_certificates(user=request.user, today=today)
    return render(
        request,
        "activities/expiring.html",
        {
            "days": days,
            "today": today,
            "until": today + dt.timedelta(days=days),
            "soon": paginate(request, soon, per_page=100),
            "expired": expired[:200],
            "expired_count": expired.count(),
        },
    )


@login_required
def participant_paste(request: HttpRequest, pk: int) -> HttpResponse:
    """Add many participants at once from a pasted list of NIKs: "periksa" shows what the
    list holds (found, not in the registry, invalid, registered already), "tambah" adds them
    in one transaction. The list travels in POST bodies only (never in a URL or a log)."""
    training = _get(ENTITIES["training"], request, pk)
    access.require(access.can_edit(request.user, training))
    text = request.POST.get("daftar", "")
    names = {
        key.removeprefix("nama-"): " ".join(request.POST.get(key, "").split())
        for key in request.POST
        if key.startswith("nama-")
    }
    context: dict[str, Any] = {"training": training, "text": text, "names": names}
    if request.method != "POST":
        return render(request, "activities/participant_paste.html", context)
    try:
        check = selectors.participant_paste_check(user=request.user, training=training, text=text)
    except SearchThrottled as exc:
        messages.error(request, str(exc))
        return render(request, "activities/participant_paste.html", context, status=429)
    if request.POST.get("langkah") == "tambah" and not check.too_many:
        new_people = [
            (entry.nik, names[entry.nik])
            for entry in check.unknown
            if check.may_add_people and names.get(entry.nik)
        ]
        people = [entry.person for entry in check.found]
        if people or new_people:
            try:
                counts = services.participants_add_many(
                    actor=request.user, training=training, people=people, new_people=new_people
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _paste_done(counts))
                return redirect(reverse("activities:training-detail", args=[pk]) + "#peserta")
        else:
            messages.error(request, _("Tidak ada peserta yang dapat ditambahkan dari daftar ini."))
    # A name pasted beside a NIK is the suggested name of a new person.
    for entry in check.unknown:
        names.setdefault(entry.nik, entry.name)
    context.update(
        check=check,
        unknown=[(entry, names.get(entry.nik, "")) for entry in check.unknown],
        to_add=len(check.found)
        + (sum(1 for e in check.unknown if names.get(e.nik)) if check.may_add_people else 0),
        max_paste=selectors.MAX_PASTE,
    )
    return render(request, "activities/participant_paste.html", context)


def _paste_done(counts: dict[str, int]) -> str:
    message = _("%(n)s peserta ditambahkan.") % {"n": _number(counts["added"])}
    if counts["new_people"]:
        message += " " + _("%(n)s orang baru ditambahkan ke data pelaku usaha.") % {
            "n": _number(counts["new_people"])
        }
    return message


def _number(value: int) -> str:
    return format_number(value)


@login_required
def event_participant_paste(request: HttpRequest, pk: int) -> HttpResponse:
    """Add many businesses to a promotion event from a pasted list of NIBs or owners' NIKs:
    "periksa" shows the preview, "tambah" adds them in one transaction."""
    event = _get(ENTITIES["event"], request, pk)
    access.require(access.can_edit(request.user, event))
    text = request.POST.get("daftar", "")
    context: dict[str, Any] = {"event": event, "text": text, "max_paste": selectors.MAX_PASTE}
    if request.method != "POST":
        return render(request, "activities/event_paste.html", context)
    try:
        check = selectors.event_paste_check(user=request.user, event=event, text=text)
    except SearchThrottled as exc:
        messages.error(request, str(exc))
        return render(request, "activities/event_paste.html", context, status=429)
    if request.POST.get("langkah") == "tambah" and not check.too_many:
        if check.found:
            try:
                counts = services.event_participants_add_many(
                    actor=request.user,
                    event=event,
                    enterprises=[b.enterprise for b in check.found],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("%(n)s peserta ditambahkan.") % {"n": _number(counts["added"])},
                )
                return redirect(reverse("activities:event-detail", args=[pk]) + "#peserta")
        else:
            messages.error(request, _("Tidak ada peserta yang dapat ditambahkan dari daftar ini."))
    context["check"] = check
    return render(request, "activities/event_paste.html", context)
