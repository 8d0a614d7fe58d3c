"""Checks of a registry record shared by forms, the API, services and the importer.

The rules between fields live here once: `record_problems` takes plain values by field name,
so a form (its cleaned data), the model's `clean()` (the instance) and an import row (its
validated data) all ask the same questions and get the same messages.
"""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from sikumi.rules.identifiers import nik_sex, validate_nib, validate_nik


def today() -> dt.date:
    return timezone.localdate()


def record_problems(
    values: Mapping[str, Any], *, on: dt.date | None = None
) -> dict[str, list[str]]:
    """Problems between the fields of a business and its owner (any of them may be absent):
    owner fields `nik`, `sex`, `birth_date`; business fields `start_date`, `capital`,
    `is_new_entrepreneur`, `programme_year`."""
    on = on or today()
    errors: dict[str, list[str]] = {}
    nik, sex = values.get("nik"), values.get("sex")
    if nik and sex:
        encoded = nik_sex(nik)
        if encoded and encoded != sex:
            errors.setdefault("sex", []).append(
                "Jenis kelamin tidak sesuai dengan NIK (NIK ini milik "
                + ("perempuan" if encoded == "P" else "laki-laki")
                + ")"
            )
    birth, start = values.get("birth_date"), values.get("start_date")
    if birth and birth > on:
        errors.setdefault("birth_date", []).append("Tanggal lahir tidak boleh di masa depan")
    if start and start > on:
        errors.setdefault("start_date", []).append("Tanggal mulai usaha tidak boleh di masa depan")
    elif birth and start and start < birth:
        errors.setdefault("start_date", []).append(
            "Tanggal mulai usaha tidak boleh sebelum tanggal lahir pemilik"
        )
    capital = values.get("capital")
    if capital is not None and capital < 0:
        errors.setdefault("capital", []).append("Modal usaha tidak boleh negatif")
    if values.get("is_new_entrepreneur") and not values.get("programme_year"):
        errors.setdefault("programme_year", []).append(
            "Tahun program wajib diisi untuk wirausaha baru"
        )
    return errors


def enterprise_errors(enterprise: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if enterprise.nib:
        problems = validate_nib(enterprise.nib)
        if problems:
            errors["nib"] = problems
    owner = getattr(enterprise, "owner", None) if getattr(enterprise, "owner_id", None) else None
    values = {
        "start_date": enterprise.start_date,
        "capital": enterprise.capital,
        "is_new_entrepreneur": enterprise.is_new_entrepreneur,
        "programme_year": enterprise.programme_year,
        "birth_date": getattr(owner, "birth_date", None),
    }
    for field, messages in record_problems(values).items():
        if field != "birth_date":  # the owner's own field: the person's form reports it
            errors.setdefault(field, []).extend(messages)
    return errors


def person_errors(person: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if person.nik:
        problems = validate_nik(person.nik)
        if problems:
            errors["nik"] = problems
    values = {"nik": None if errors else person.nik, "sex": person.sex}
    values["birth_date"] = person.birth_date
    for field, messages in record_problems(values).items():
        errors.setdefault(field, []).extend(messages)
    return errors
