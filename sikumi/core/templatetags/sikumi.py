"""Indonesian formats for numbers, money, percentages and dates in templates."""

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from sikumi.core.forms import number_for_input

register = template.Library()

_DECIMAL_TEXT = re.compile(r"-?\d+\.\d+")


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def angka(value: Any, decimals: int = 0) -> str:
    """1234567.891 -> 1.234.567 (or with `decimals` places, comma decimal separator)."""
    number = _decimal(value)
    if number is None:
        return "-"
    return number_format(number, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)


@register.filter
def rupiah(value: Any) -> str:
    number = _decimal(value)
    if number is None:
        return "-"
    sign = "-" if number < 0 else ""
    return (
        f"{sign}Rp {number_format(abs(number), decimal_pos=0, use_l10n=True, force_grouping=True)}"
    )


@register.filter
def persen(value: Any, decimals: int = 2) -> str:
    number = _decimal(value)
    if number is None:
        return "-"
    return (
        f"{number_format(number, decimal_pos=int(decimals), use_l10n=True, force_grouping=True)}%"
    )


@register.filter
def isian(value: Any) -> str:
    """A number as the value of an input, the way people type it back: 321311250.00 ->
    "321.311.250", 58.4000 -> "58,4"; empty for None (read back with parse_number)."""
    return number_for_input(value)


@register.filter
def cetak_id(printed: Any, number_format: str = "id") -> str:
    """A figure as its source document prints it, with Indonesian separators on the screen: a
    document written the English way ("en": "70.15", "1,234.5") shows "70,15", "1.234,5"."""
    text = "" if printed is None else str(printed)
    if number_format != "en":
        return text
    return text.translate(str.maketrans(".,", ",."))


def _model_field(entry: Any, name: str) -> Any:
    content_type = getattr(entry, "content_type", None)
    model = content_type.model_class() if content_type is not None else None
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field since removed, or a key that is not a field
        return None


@register.simple_tag
def audit_value(entry: Any, name: str, value: Any) -> str:
    """A value of the audit trail as people read it: "Ya"/"Tidak" for booleans, a choice's
    label instead of its code, numbers with Indonesian separators (years and ids as they are),
    structured values (JSON) as code."""
    if value is None or value == "":
        return "∅"
    if isinstance(value, bool):
        return str(_("Ya") if value else _("Tidak"))
    field = _model_field(entry, name)
    if field is not None and getattr(field, "choices", None):
        labels = {str(k): v for k, v in field.flatchoices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
        return format_html(
            '<code class="code">{}</code>', text[:200] + ("…" if len(text) > 200 else "")
        )
    plain = field is not None and (field.is_relation or name.endswith("year") or name == "id")
    if isinstance(value, int) and not plain:
        return number_for_input(value)
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value) and not plain:
        return number_for_input(Decimal(value))
    return str(value)


@register.simple_tag(takes_context=True)
def query_replace(context: dict[str, Any], **kwargs: Any) -> str:
    """The current query string with some parameters replaced (pagination, sorting)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.inclusion_tag("core/partials/signatory_select.html", takes_context=True)
def signatory_select(context: dict[str, Any]) -> dict[str, Any]:
    """The choice of the official who signs a printed document (users with a NIP); empty:
    the Kepala Dinas. Goes inside the form (GET) whose submit opens the PDF."""
    from sikumi.core.letterhead import SIGNATORY_PARAM, officials

    request = context.get("request")
    chosen = request.GET.get(SIGNATORY_PARAM, "") if request is not None else ""
    return {"officials": list(officials()), "chosen": chosen, "param": SIGNATORY_PARAM}
