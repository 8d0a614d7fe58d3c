"""All writes to the cooperative registry: permission check, domain rules, then the audited core
services (validation, stale-edit check and audit entry in one transaction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.audit import services as audit
from sikumi.audit.choices import Action
from sikumi.cooperatives.models import (
    CompetenceCertificate,
    Cooperative,
    CooperativeAward,
    CooperativeOfficial,
    CooperativeRating,
    CooperativeSettings,
    EmpowermentRecord,
    QualityRuleSet,
    RatReport,
)
from sikumi.core import services as core
from sikumi.rules import cooperative as coop_rules

# ------------------------------------------------------------------------------ cooperatives


def _lock(cooperative_id: int) -> Cooperative:
    return Cooperative._base_manager.select_for_update().get(pk=cooperative_id)


def _check_unique_nik(cooperative: Cooperative) -> None:
    nik = (cooperative.nik_koperasi or "").strip()
    if not nik:
        return
    clash = Cooperative._base_manager.filter(nik_koperasi=nik).exclude(pk=cooperative.pk).first()
    if clash is not None:
        raise ValidationError(
            {
                "nik_koperasi": _("NIK Koperasi %(nik)s sudah dipakai oleh %(name)s.")
                % {"nik": nik, "name": clash.name}
            }
        )


@transaction.atomic
def cooperative_create(*, actor: Any, cooperative: Cooperative) -> Cooperative:
    if cooperative.owner_unit_id is None:
        from sikumi.cooperatives.models import default_owner_unit

        cooperative.owner_unit = default_owner_unit()
    access.require(access.can_create(actor, Cooperative, cooperative.owner_unit))
    if cooperative.dissolved_at is not None:
        raise ValidationError(
            {"dissolved_at": _("Koperasi baru tidak dapat langsung berstatus dibubarkan.")}
        )
    _check_unique_nik(cooperative)
    cooperative.last_rat_year = None
    if actor is not None and getattr(actor, "is_authenticated", False):
        cooperative.created_by = actor
    return core.record_create(actor=actor, instance=cooperative)


@transaction.atomic
def cooperative_update(
    *, actor: Any, cooperative: Cooperative, expected_version: int | None
) -> Cooperative:
    stored = _lock(cooperative.pk)
    access.require(access.can_edit(actor, stored) and access.can_edit(actor, cooperative))
    if stored.dissolved_at is not None and cooperative.dissolved_at != stored.dissolved_at:
        raise ValidationError(
            {"dissolved_at": _("Koperasi yang sudah dibubarkan tidak dapat diubah statusnya.")}
        )
    _check_unique_nik(cooperative)
    # Derived by the RAT services: never taken from a form that may be stale.
    cooperative.last_rat_year = stored.last_rat_year
    return core.record_update(actor=actor, instance=cooperative, expected_version=expected_version)


@transaction.atomic
def cooperative_dissolve(
    *, actor: Any, cooperative: Cooperative, date: dt.date, note: str = ""
) -> Cooperative:
    """Dibubarkan is final: the date is set once and cannot be changed or cleared."""
    stored = _lock(cooperative.pk)
    access.require(access.can_edit(actor, stored))
    if stored.dissolved_at is not None:
        raise ValidationError(_("Koperasi ini sudah dibubarkan."))
    stored.dissolved_at = date
    return core.record_update(actor=actor, instance=stored, note=note or _("Pembubaran"))


def cooperative_archive(*, actor: Any, cooperative: Cooperative) -> Cooperative:
    access.require(access.can_archive(actor, cooperative))
    return core.record_archive(actor=actor, instance=cooperative)


def settings_update(*, actor: Any, activity_window_years: int) -> CooperativeSettings:
    access.require(access.is_admin(actor))
    with transaction.atomic():
        obj = CooperativeSettings.load()
        before = audit.snapshot(obj)
        obj.activity_window_years = activity_window_years
        obj.full_clean()
        obj.save()
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            instance=obj,
            before=before,
            after=audit.snapshot(obj),
        )
    return obj


# ------------------------------------------------------------------------------ RAT reports


def refresh_last_rat_year(cooperative_id: int) -> int | None:
    """Recompute the denormalised `Cooperative.last_rat_year` (call inside the transaction)."""
    last = (
        RatReport.objects.active()
        .filter(cooperative_id=cooperative_id)
        .aggregate(y=Max("year"))["y"]
    )
    Cooperative._base_manager.filter(pk=cooperative_id).update(last_rat_year=last)
    return last


def settle_rat_years(report: RatReport, stored: RatReport | None = None) -> None:
    """Set the year a RAT was held from its book year and date (what the form asks), or the
    book year from the year held when only that is given (older API clients, scripts).

    ``stored``: the report as saved, for an edit: when the caller moved the year held and left
    the book year as it was, the year held is what it gave."""
    only_year = report.book_year is None or (
        stored is not None and report.year != stored.year and report.book_year == stored.book_year
    )
    if not only_year:
        report.year = coop_rules.rat_held_year(report.book_year, report.rat_date)
        return
    if report.year is None:
        return  # neither year: the model's validation names the missing book year
    if report.rat_date is not None and report.rat_date.year != report.year:
        raise ValidationError(
            {
                "rat_date": _("Tanggal RAT harus jatuh pada tahun diselenggarakan (%(year)s).")
                % {"year": report.year}
            }
        )
    report.book_year = coop_rules.rat_book_year(report.year)


def _check_rat(cooperative: Cooperative, report: RatReport) -> None:
    if cooperative.dissolved_at is not None and report.year > cooperative.dissolved_at.year:
        raise ValidationError(
            {
                "rat_date": _(
                    "Koperasi sudah dibubarkan pada %(date)s; RAT sesudahnya tidak dapat dicatat."
                )
                % {"date": cooperative.dissolved_at.strftime("%d-%m-%Y")}
            }
        )
    others = RatReport.objects.active().filter(cooperative_id=cooperative.pk).exclude(pk=report.pk)
    if others.filter(book_year=report.book_year).exists():
        raise ValidationError(
            {
                "book_year": _("Laporan RAT tahun buku %(year)s untuk koperasi ini sudah ada.")
                % {"year": report.book_year}
            }
        )
    if others.filter(year=report.year).exists():
        raise ValidationError(
            {
                "rat_date": _(
                    "Koperasi ini sudah mempunyai laporan RAT yang diselenggarakan pada tahun "
                    "%(year)s."
                )
                % {"year": report.year}
            }
        )


@transaction.atomic
def rat_report_create(*, actor: Any, report: RatReport) -> RatReport:
    cooperative = _lock(report.cooperative_id)
    access.require(access.can_edit(actor, cooperative))
    settle_rat_years(report)
    _check_rat(cooperative, report)
    saved = core.record_create(actor=actor, instance=report)
    refresh_last_rat_year(cooperative.pk)
    return saved


@transaction.atomic
def rat_report_update(*, actor: Any, report: RatReport, expected_version: int | None) -> RatReport:
    stored = RatReport.objects.select_related("cooperative").get(pk=report.pk)
    if stored.cooperative_id != report.cooperative_id:
        raise ValidationError(
            {"cooperative": _("Laporan RAT tidak dapat dipindah ke koperasi lain.")}
        )
    cooperative = _lock(report.cooperative_id)
    access.require(access.can_edit(actor, cooperative))
    settle_rat_years(report, stored)
    _check_rat(cooperative, report)
    saved = core.record_update(actor=actor, instance=report, expected_version=expected_version)
    refresh_last_rat_year(cooperative.pk)
    return saved


@transaction.atomic
def rat_report_archive(*, actor: Any, report: RatReport) -> RatReport:
    cooperative = _lock(report.cooperative_id)
    access.require(access.can_edit(actor, cooperative))
    saved = core.record_archive(actor=actor, instance=report)
    refresh_last_rat_year(cooperative.pk)
    return saved


# ------------------------------------------------------------------- child records (generic)


def _cooperative_of(instance: Any) -> Cooperative:
    if isinstance(instance, CompetenceCertificate):
        return instance.official.cooperative
    return instance.cooperative


def child_create(*, actor: Any, instance: Any) -> Any:
    """Create an official, certificate, award or rating of a cooperative the actor may edit."""
    cooperative = _cooperative_of(instance)
    access.require(access.can_edit(actor, cooperative))
    return core.record_create(actor=actor, instance=instance)


def child_update(*, actor: Any, instance: Any, expected_version: int | None) -> Any:
    stored = type(instance).objects.get(pk=instance.pk)
    access.require(
        access.can_edit(actor, _cooperative_of(stored))
        and access.can_edit(actor, _cooperative_of(instance))
    )
    return core.record_update(actor=actor, instance=instance, expected_version=expected_version)


def child_archive(*, actor: Any, instance: Any) -> Any:
    access.require(access.can_edit(actor, _cooperative_of(instance)))
    return core.record_archive(actor=actor, instance=instance)


def official_create(*, actor: Any, official: CooperativeOfficial) -> CooperativeOfficial:
    return child_create(actor=actor, instance=official)


def certificate_create(*, actor: Any, certificate: CompetenceCertificate) -> CompetenceCertificate:
    return child_create(actor=actor, instance=certificate)


def award_create(*, actor: Any, award: CooperativeAward) -> CooperativeAward:
    return child_create(actor=actor, instance=award)


def rating_create(*, actor: Any, rating: CooperativeRating) -> CooperativeRating:
    clash = (
        CooperativeRating.objects.active()
        .filter(cooperative_id=rating.cooperative_id, year=rating.year)
        .exclude(pk=rating.pk)
        .exists()
    )
    if clash:
        raise ValidationError(
            {"year": _("Hasil pemeringkatan tahun %(year)s sudah ada.") % {"year": rating.year}}
        )
    return child_create(actor=actor, instance=rating)


# ------------------------------------------------------------------------------ empowerment


def empowerment_create(*, actor: Any, record: EmpowermentRecord) -> EmpowermentRecord:
    cooperative = record.cooperative
    if record.owner_unit_id is None:
        record.owner_unit_id = cooperative.owner_unit_id
    access.require(access.can_create(actor, EmpowermentRecord, record.owner_unit))
    return core.record_create(actor=actor, instance=record)


def empowerment_update(
    *, actor: Any, record: EmpowermentRecord, expected_version: int | None
) -> EmpowermentRecord:
    stored = EmpowermentRecord.objects.get(pk=record.pk)
    access.require(access.can_edit(actor, stored) and access.can_edit(actor, record))
    return core.record_update(actor=actor, instance=record, expected_version=expected_version)


def empowerment_archive(*, actor: Any, record: EmpowermentRecord) -> EmpowermentRecord:
    access.require(access.can_archive(actor, record))
    return core.record_archive(actor=actor, instance=record)


# ---------------------------------------------------------------------------- quality rules


def ensure_default_rule_sets(model: Any = QualityRuleSet) -> int:
    """Store the shipped rule sets (sikumi/rules/data/quality-rules.json) when none are stored;
    returns how many were stored. Run by migration 0004 (``model`` is then the historical model)
    and by ``manage.py load_quality_rules`` (setup), never by a page: a GET does not write."""
    if model.objects.exists():
        return 0
    from sikumi.rules._data import load_json

    data = load_json("quality-rules.json")
    stored = 0
    with transaction.atomic():
        for code, definition in data.get("rule_sets", {}).items():
            _rule_set, created = model.objects.get_or_create(
                code=code,
                defaults={
                    "label": definition.get("label", code),
                    "includes": list(definition.get("includes", [])),
                    "rules": list(definition.get("rules", [])),
                    "source_version": str(data.get("version", "")),
                },
            )
            stored += created
    return stored


def rule_set_update(
    *, actor: Any, rule_set: QualityRuleSet, expected_version: int | None
) -> QualityRuleSet:
    access.require(access.can_edit(actor, rule_set))
    return core.record_update(actor=actor, instance=rule_set, expected_version=expected_version)
