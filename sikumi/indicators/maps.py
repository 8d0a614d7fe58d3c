"""What the indicator map shows: each kecamatan in the indicator's own unit.

A count is coloured by the count. A percentage (or ratio) is coloured by the percentage of each
kecamatan: its numerator over its own denominator, never by the numerator alone. The
per-kecamatan denominator is the denominator measure's own split when the binding divides by
a measure, else a figure from outside entered per kecamatan ("<key>@<kecamatan code>"), else
the measure's population (the cooperatives a "koperasi patuh" is one of) when
the city divides by a fixed data dasar or a figure from outside, which then differs from the
city's denominator and the legend says so. With neither, the map is left uncoloured and says
why. The city value is always shown, or the reason there is none.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from sikumi.indicators.engine import Computer, Tally
from sikumi.indicators.measures import REGISTRY, Period
from sikumi.indicators.models import ComputedValue, Denominator, IndicatorBinding, ManualFigure
from sikumi.rules.formatting import format_number, format_percent

HUNDRED = Decimal(100)
PERCENT, RATIO, COUNT = "percent", "ratio", "count"


def scale_of(binding: IndicatorBinding) -> str:
    spec = REGISTRY.get(binding.measure)
    if spec is not None and spec.kind == "growth":
        return PERCENT
    if binding.denominator == Denominator.NONE:
        return COUNT
    return PERCENT if binding.percent else RATIO


def _show(value: Decimal | float | None, scale: str) -> str:
    if value is None:
        return "-"
    if scale == PERCENT:
        return format_percent(Decimal(str(value)), 2)
    number = Decimal(str(value))
    return format_number(number, 0 if number == number.to_integral_value() else 2)


def _ratio(numerator: float, denominator: Decimal | float | None, scale: str) -> float | None:
    if not denominator:
        return None
    factor = HUNDRED if scale == PERCENT else Decimal(1)
    value = Decimal(str(numerator)) / Decimal(str(denominator)) * factor
    return float(value.quantize(Decimal("0.01")))


def _manual_split(binding: IndicatorBinding, period: Period) -> dict[str, Decimal]:
    """A manual denominator entered per kecamatan for the period (the quarter's, else the
    year's), under the key "<manual key>@<kecamatan code>" on the page "Angka manual"."""
    if binding.denominator != Denominator.MANUAL or not binding.manual_key:
        return {}
    prefix = f"{binding.manual_key}@"
    found: dict[str, tuple[int, Decimal]] = {}
    for figure in ManualFigure.objects.active().filter(
        key__startswith=prefix, year=period.year, quarter__in=[0, period.quarter or 0]
    ):
        code = figure.key[len(prefix) :]
        if code not in found or figure.quarter > found[code][0]:
            found[code] = (figure.quarter, figure.value)
    return {code: value for code, (_q, value) in found.items()}


def map_data(
    *, binding: IndicatorBinding, stored: ComputedValue | None, period: Period
) -> dict[str, Any]:
    """The map's figures per kecamatan (and kelurahan for counts), legend and city value."""
    indicator = binding.indicator
    scale = scale_of(binding)
    legend = {
        PERCENT: _("Persentase (%)"),
        RATIO: _("Rasio"),
        COUNT: _("Jumlah (%(unit)s)") % {"unit": indicator.unit} if indicator.unit else "",
    }[scale] or _("Jumlah")
    data: dict[str, Any] = {
        "scale": scale,
        "legend": legend,
        "kecamatan": {},
        "kelurahan": {},
        "rows": [],
        "note": "",
        "city": {"value": None, "text": "-", "reason": ""},
    }
    if stored is None:
        data["city"]["reason"] = _("Belum dihitung untuk periode ini.")
        return data
    data["city"] = {
        "value": None if stored.value is None else float(stored.value),
        "text": _show(stored.value, scale),
        "reason": stored.reason,
        "numerator": None if stored.numerator is None else float(stored.numerator),
        "denominator": None if stored.denominator is None else float(stored.denominator),
    }
    rows: dict[str, dict[str, Any]] = {k: dict(r) for k, r in (stored.by_kecamatan or {}).items()}
    spec = REGISTRY.get(binding.measure)
    values: dict[str, Any]
    if scale == COUNT:
        values = {k: r.get("value", r.get("numerator")) for k, r in rows.items()}
        data["kelurahan"] = stored.by_kelurahan or {}
    elif spec is not None and spec.kind == "growth":
        values = {k: r.get("value") for k, r in rows.items()}
        data["note"] = _("Pertumbuhan per kecamatan dari jumlah tahun ini dan tahun lalu.")
    elif any("denominator" in r for r in rows.values()):
        # the binding divides by a measure: its split by kecamatan was stored with the value
        values = {k: r.get("value") for k, r in rows.items()}
    elif split := _manual_split(binding, period):
        # a figure from outside entered per kecamatan (key "<key>@<kecamatan code>")
        values = {}
        for code in set(rows) | set(split):
            row = rows.setdefault(code, {"numerator": 0.0})
            row["denominator"] = float(split.get(code, 0))
            values[code] = _ratio(row.get("numerator", 0.0), split.get(code), scale)
        data["note"] = _("Nilai per kecamatan dibagi angka '%(key)s' kecamatan itu.") % {
            "key": binding.manual_key
        }
    elif spec is not None and spec.population in REGISTRY:
        outcome = Computer(period).measure(spec.population)
        split = outcome.by_kecamatan if isinstance(outcome, Tally) else {}
        values = {}
        for code in set(rows) | set(split):
            row = rows.setdefault(code, {"numerator": 0.0})
            row["denominator"] = float(split.get(code, 0))
            values[code] = _ratio(row.get("numerator", 0.0), split.get(code), scale)
        data["note"] = _(
            "Nilai per kecamatan dibagi %(population)s di kecamatan itu; nilai kota dibagi "
            "pembagi indikator (%(denominator)s)."
        ) % {
            "population": str(REGISTRY[spec.population].label).lower(),
            "denominator": binding.get_denominator_display(),
        }
    else:
        values = dict.fromkeys(rows)
        data["note"] = _(
            "Pembagi per kecamatan tidak tersedia (%(denominator)s hanya ada untuk tingkat "
            "kota): peta tidak diwarnai. Pembilang per kecamatan ada di tabel."
        ) % {"denominator": binding.get_denominator_display()}
    data["kecamatan"] = {k: v for k, v in values.items() if k}
    data["rows"] = [
        {
            "code": code,
            "numerator": row.get("numerator"),
            "denominator": row.get("denominator"),
            "value": values.get(code),
            "text": _show(values.get(code), scale),
        }
        for code, row in rows.items()
    ]
    return data
