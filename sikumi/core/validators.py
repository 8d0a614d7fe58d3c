"""Model field validators shared by every registry: forms, the API and imports run them alike
(imports through each column's model field, see `sikumi.imports.base.Column`)."""

from typing import Any

from django.core.exceptions import ValidationError

from sikumi.rules.parsing import ParseError, parse_phone


def validate_phone(value: Any) -> None:
    """A phone number as `sikumi.rules.parsing.parse_phone` reads it (8-15 digits)."""
    if value in (None, ""):
        return
    try:
        parse_phone(value)
    except ParseError as exc:
        raise ValidationError(str(exc), code="phone") from exc
