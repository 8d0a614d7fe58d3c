"""Field validators of the organisation and its users, shared by the forms, the services and the
organisation loader (the rules themselves live in `sikumi.rules`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sikumi.accounts.choices import UnitFunction
from sikumi.rules.identifiers import validate_nip as nip_problems


def validate_nip(value: Any) -> None:
    """An 18-digit NIP (`sikumi.rules.identifiers.validate_nip`); empty is allowed (not every
    user is a civil servant)."""
    if value in (None, ""):
        return
    problems = nip_problems(str(value))
    if problems:
        raise ValidationError([f"{problem}." for problem in problems], code="nip")


def validate_unit_functions(value: Any) -> None:
    """A list of known urusan codes (`UnitFunction`)."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Urusan harus berupa daftar kode urusan."), code="functions")
    unknown = sorted(set(value) - set(UnitFunction.values))
    if unknown:
        raise ValidationError(
            _("Urusan tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)},
            code="functions",
        )
