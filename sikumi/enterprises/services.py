"""Writes of the registry: every path keeps the derived fields (kecamatan, scale, woman-owned)
in sync and bumps the registry version that keys the cached counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.accounts.models import Unit
from sikumi.accounts.selectors import required_unit_for_function
from sikumi.core import services as core
from sikumi.enterprises import facts
from sikumi.enterprises.models import (
    DEFAULT_OWNER_FUNCTION,
    Enterprise,
    EnterpriseTurnover,
    Person,
)
from sikumi.enterprises.normalise import name_key
from sikumi.enterprises.selectors import invalidate_counts
from sikumi.rules.identifiers import same_person
from sikumi.rules.msme import scale_by_capital


def default_owner_unit() -> Unit:
    return required_unit_for_function(DEFAULT_OWNER_FUNCTION)


def derive(enterprise: Enterprise) -> Enterprise:
    """Fill the denormalised fields from their sources."""
    if enterprise.kelurahan_id:
        enterprise.kecamatan_code = str(enterprise.kelurahan_id)[:8]
    enterprise.scale = (
        scale_by_capital(enterprise.capital) or "" if enterprise.capital is not None else ""
    )
    if enterprise.owner_id:
        sex = Person.objects.filter(pk=enterprise.owner_id).values_list("sex", flat=True).first()
        enterprise.is_woman_owned = sex == "P"
    if not enterprise.is_new_entrepreneur:
        enterprise.programme_year = enterprise.programme_year or None
    return enterprise


class OwnerConflict(ValidationError):
    """The NIK is registered to someone with another name, sex or birth date."""


def person_find_or_create(*, actor: Any, data: dict[str, Any], owner_unit: Unit) -> Person:
    """The person with this NIK (one record per NIK), or a new one. A NIK held by someone
    whose name, sex or birth date differ is never merged silently: refused (`OwnerConflict`)
    unless the user said it is the same person (`same_person`), who is then updated."""
    nik = (data.get("nik") or "").strip() or None
    if nik:
        existing = Person.objects.filter(nik=nik).first()
        if existing is not None:
            stored = (existing.name_key, existing.sex, existing.birth_date)
            incoming = (name_key(data["name"]), data.get("sex") or "", data.get("birth_date"))
            if same_person(stored, incoming):
                return existing
            if not data.get("same_person"):
                raise OwnerConflict(
                    {
                        "nik": [
                            _(
                                "NIK ini sudah terdaftar atas nama %(name)s dengan data berbeda "
                                "(nama, jenis kelamin atau tanggal lahir). Periksa NIK, atau "
                                "centang 'orang yang sama' bila memang orang yang sama."
                            )
                            % {"name": existing.name}
                        ]
                    }
                )
            existing.name = data["name"]
            existing.sex = data.get("sex") or existing.sex
            existing.birth_date = data.get("birth_date") or existing.birth_date
            return person_update(actor=actor, person=existing, expected_version=existing.version)
    person = Person(
        nik=nik,
        name=data["name"],
        sex=data.get("sex") or "",
        birth_date=data.get("birth_date"),
        phone=data.get("phone") or "",
        owner_unit=owner_unit,
    )
    return core.record_create(actor=actor, instance=person)


@transaction.atomic
def enterprise_create(
    *, actor: Any, enterprise: Enterprise, owner: dict[str, Any] | None = None
) -> Enterprise:
    if not enterprise.owner_unit_id:
        enterprise.owner_unit = default_owner_unit()
    access.require(access.can_create(actor, Enterprise, enterprise.owner_unit))
    if owner is not None:
        enterprise.owner = person_find_or_create(
            actor=actor, data=owner, owner_unit=enterprise.owner_unit
        )
    saved = core.record_create(actor=actor, instance=derive(enterprise))
    facts.refresh_enterprise(saved)
    invalidate_counts()
    return saved


@transaction.atomic
def enterprise_update(
    *, actor: Any, enterprise: Enterprise, expected_version: int | None
) -> Enterprise:
    stored = Enterprise.objects.select_related("owner_unit__parent").get(pk=enterprise.pk)
    access.require(access.can_edit(actor, stored) and access.can_edit(actor, enterprise))
    saved = core.record_update(
        actor=actor, instance=derive(enterprise), expected_version=expected_version
    )
    facts.refresh_enterprise(saved, stored.owner_id)
    invalidate_counts()
    return saved


@transaction.atomic
def enterprise_archive(*, actor: Any, enterprise: Enterprise) -> Enterprise:
    access.require(access.can_archive(actor, enterprise))
    saved = core.record_archive(actor=actor, instance=enterprise)
    facts.refresh_enterprise(saved)
    invalidate_counts()
    return saved


@transaction.atomic
def person_update(*, actor: Any, person: Person, expected_version: int | None) -> Person:
    stored = Person.objects.select_related("owner_unit__parent").get(pk=person.pk)
    access.require(access.can_edit(actor, stored) and access.can_edit(actor, person))
    saved = core.record_update(actor=actor, instance=person, expected_version=expected_version)
    # The owner's sex decides "woman entrepreneur" on every business they own.
    Enterprise.objects.filter(owner=person).exclude(is_woman_owned=(person.sex == "P")).update(
        is_woman_owned=(person.sex == "P")
    )
    invalidate_counts()
    return saved


@transaction.atomic
def turnover_set(
    *, actor: Any, enterprise: Enterprise, year: int, amount: Decimal
) -> EnterpriseTurnover:
    """Record (or correct) the turnover of one business in one year."""
    access.require(access.can_edit(actor, enterprise))
    if amount < 0:
        raise ValidationError({"amount": "Omzet tidak boleh negatif"})
    record = EnterpriseTurnover.objects.filter(enterprise=enterprise, year=year).first()
    if record is None:
        record = EnterpriseTurnover(
            enterprise=enterprise,
            year=year,
            amount=amount,
            kecamatan_code=enterprise.kecamatan_code,
        )
        saved = core.record_create(actor=actor, instance=record)
    else:
        record.amount = amount
        record.is_example = False  # the amount is now the user's, not the generator's
        saved = core.record_update(actor=actor, instance=record, expected_version=record.version)
    facts.refresh_turnovers([enterprise.pk])
    invalidate_counts()
    return saved
