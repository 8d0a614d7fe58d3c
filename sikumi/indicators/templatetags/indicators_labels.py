"""Names of measures for pages: a measure's code (``koperasi_aktif``) is for the bindings file,
people read its label ("Koperasi aktif")."""

from typing import Any

from django import template

from sikumi.indicators.measures import REGISTRY

register = template.Library()


@register.filter
def measure_label(code: Any) -> str:
    measure = REGISTRY.get(str(code or ""))
    return str(measure.label) if measure is not None else str(code or "")
