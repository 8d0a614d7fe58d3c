"""Checks of a registry record shared by forms, services and the importer."""

import datetime as dt
from typing import Any

from django.utils import timezone

from sikumi.rules.identifiers import validate_nib, validate_nik


def today() -> dt.date:
    return timezone.localdate()


def enterprise_errors(enterprise: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if enterprise.nib:
        problems = validate_nib(enterprise.nib)
        if problems:
            errors["nib"] = problems
    if enterprise.start_date and enterprise.start_date > today():
        errors["start_date"] = ["Tanggal mulai usaha tidak boleh di masa depan"]
    if enterprise.capital is not None and enterprise.capital < 0:
        errors["capital"] = ["Modal usaha tidak boleh negatif"]
    if enterprise.is_new_entrepreneur and not enterprise.programme_year:
        errors["programme_year"] = ["Tahun program wajib diisi untuk wirausaha baru"]
    return errors


def person_errors(person: Any) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if person.nik:
        problems = validate_nik(person.nik)
        if problems:
            errors["nik"] = problems
    if person.birth_date and person.birth_date > today():
        errors["birth_date"] = ["Tanggal lahir tidak boleh di masa depan"]
    return errors
