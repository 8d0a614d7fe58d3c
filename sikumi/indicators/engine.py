"""Computing a bound indicator for a period from the registries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sikumi.indicators import completeness
from sikumi.indicators.measures import REGISTRY, Counted, Growth, Period
from sikumi.indicators.models import Denominator, IndicatorBinding, ManualFigure, Method
from sikumi.rules import completeness as rules

NO_PLACE = ""  # records without a kecamatan are reported under this key, so the parts add up
HUNDRED = Decimal(100)


@dataclass
class Tally:
    """A measure's result: the total and the same total split by kecamatan and kelurahan."""

    total: Decimal
    by_kecamatan: dict[str, Decimal] = field(default_factory=dict)
    by_kelurahan: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class Result:
    indicator_id: int
    source_id: str
    name: str
    unit: str
    method: str
    measure: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    by_kecamatan: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_kelurahan: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    sources: str = ""
    # How complete the data behind the value is (sikumi.rules.completeness): final, sementara or
    # belum_ada_data, in words, and the lowest share of expected records received (percent).
    status: str = rules.NO_DATA
    completeness: str = ""
    completeness_share: Decimal | None = None

    @property
    def status_label(self) -> str:
        return completeness.status_label(self.status)


def tally(counted: Counted) -> Tally:
    """One grouped query: counts (or sums) per kelurahan and kecamatan; the total is their sum."""
    aggregate = Sum(counted.amount) if counted.amount is not None else Count("pk")
    queryset, kec_field, kel_field = counted.tally_source or (
        counted.queryset,
        counted.kecamatan_field,
        counted.kelurahan_field,
    )
    if not kec_field:
        # Things without a place (events, import files) are all "Tanpa wilayah".
        total = Decimal(queryset.aggregate(n=aggregate)["n"] or 0)
        return Tally(total, {NO_PLACE: total} if total else {})
    keys = [kec_field] + ([kel_field] if kel_field else [])
    result = Tally(Decimal(0))
    for row in queryset.values(*keys).annotate(n=aggregate).order_by():
        n = Decimal(row["n"] or 0)
        kec = row[kec_field] or NO_PLACE
        result.by_kecamatan[kec] = result.by_kecamatan.get(kec, Decimal(0)) + n
        if kel_field and row[kel_field]:
            kel = row[kel_field]
            result.by_kelurahan[kel] = result.by_kelurahan.get(kel, Decimal(0)) + n
        result.total += n
    return result


class Computer:
    """Computes indicators for one period, computing each measure at most once."""

    def __init__(self, period: Period, today: dt.date | None = None) -> None:
        self.period = period
        self.today = today or timezone.localdate()
        self._tallies: dict[str, Tally | Growth] = {}
        self._manual: dict[tuple[str, int, int], Decimal | None] = {}
        self._sources: dict[str, rules.SourceCount] = {}

    def source(self, name: str) -> rules.SourceCount:
        if name not in self._sources:
            self._sources[name] = completeness.count_source(
                name, self.period.year, lambda: self.measure_total("koperasi_aktif")
            )
        return self._sources[name]

    def measure_total(self, code: str) -> Decimal:
        outcome = self.measure(code)
        return outcome.total if isinstance(outcome, Tally) else outcome.current

    def completeness_of(self, rule: rules.Rule) -> rules.Completeness:
        counts = [self.source(name) for name in rule.sources]
        return rules.evaluate(rule, counts, period_end=self.period.end, today=self.today)

    def _apply_completeness(self, result: Result, state: rules.Completeness) -> Result:
        """Stamp the status on the result; absent data and hidden provisional values have no
        value (never 0 or a growth against a partial year)."""
        result.status = state.status
        result.completeness_share = state.share
        result.completeness = completeness.describe(
            state, year=self.period.year, period_end=self.period.end
        )
        if state.status == rules.NO_DATA or state.hide_value:
            # No figure per place either: a map of zeros would say the same as "0,00%".
            result.value = None
            result.by_kecamatan, result.by_kelurahan = {}, {}
            if state.status == rules.NO_DATA and result.completeness:
                result.reason = _("Belum ada data untuk %(period)s: %(what)s.") % {
                    "period": self.period,
                    "what": result.completeness,
                }
            elif state.status == rules.NO_DATA:
                result.reason = result.reason or _("Belum ada data untuk %(period)s.") % {
                    "period": self.period
                }
            else:
                result.reason = _(
                    "Data %(period)s belum lengkap (%(what)s): nilai dihitung setelah data final."
                ) % {"period": self.period, "what": result.completeness}
        elif result.value is None:
            # No value for another reason (no denominator...): nothing to call final.
            result.status = rules.NO_DATA
        return result

    def measure(self, code: str) -> Tally | Growth:
        if code not in self._tallies:
            spec = REGISTRY[code]
            outcome = spec.compute(self.period)
            self._tallies[code] = tally(outcome) if isinstance(outcome, Counted) else outcome
        return self._tallies[code]

    def manual(self, key: str) -> Decimal | None:
        """The quarter's figure, else the year's."""
        cache_key = (key, self.period.year, self.period.quarter or 0)
        if cache_key not in self._manual:
            figures = {
                f.quarter: f.value
                for f in ManualFigure.objects.active().filter(key=key, year=self.period.year)
            }
            self._manual[cache_key] = figures.get(self.period.quarter or 0, figures.get(0))
        return self._manual[cache_key]

    def compute(self, binding: IndicatorBinding) -> Result:
        result = self._compute_value(binding)
        if binding.method == Method.MEASURE and binding.measure in REGISTRY:
            state = self.completeness_of(completeness.rule_for(binding.measure))
            return self._apply_completeness(result, state)
        if binding.method == Method.MANUAL:
            status = rules.FINAL if result.value is not None else rules.NO_DATA
            return self._apply_completeness(result, rules.Completeness(status, None))
        if binding.method == Method.CHILDREN:
            return result  # status set from the children
        result.status = rules.NO_DATA
        return result

    def _compute_value(self, binding: IndicatorBinding) -> Result:
        indicator = binding.indicator
        result = Result(
            indicator.pk,
            indicator.source_id,
            indicator.name,
            indicator.unit,
            binding.method,
            binding.measure,
        )
        if binding.method == Method.MANUAL:
            return self._manual_result(binding, result)
        if binding.method == Method.CHILDREN:
            return self._children_result(binding, result)
        if binding.measure not in REGISTRY:
            result.reason = _("Ukuran '%(m)s' tidak dikenal.") % {"m": binding.measure}
            return result
        spec = REGISTRY[binding.measure]
        outcome = self.measure(binding.measure)
        result.sources = str(spec.description)
        if isinstance(outcome, Growth):
            return self._growth_result(outcome, result)
        result.numerator = outcome.total
        result.by_kelurahan = {k: float(v) for k, v in outcome.by_kelurahan.items()}
        denominator, denominators_by_kec, why = self._denominator(binding)
        for kec, n in sorted(outcome.by_kecamatan.items()):
            result.by_kecamatan[kec] = {"numerator": float(n)}
        if binding.denominator == Denominator.NONE:
            result.value = outcome.total
            for row in result.by_kecamatan.values():
                row["value"] = row["numerator"]
            return result
        if denominator is None or denominator == 0:
            result.reason = why or _("Pembagi bernilai nol: tidak ada rasio.")
            return result
        result.denominator = denominator
        scale = HUNDRED if binding.percent else Decimal(1)
        result.value = (outcome.total / denominator * scale).quantize(Decimal("0.01"))
        for kec, row in result.by_kecamatan.items():
            kec_denominator = denominators_by_kec.get(kec) if denominators_by_kec else None
            if kec_denominator:
                row["denominator"] = float(kec_denominator)
                row["value"] = float(
                    (Decimal(str(row["numerator"])) / kec_denominator * scale).quantize(
                        Decimal("0.01")
                    )
                )
        return result

    def _denominator(
        self, binding: IndicatorBinding
    ) -> tuple[Decimal | None, dict[str, Decimal], str]:
        kind = binding.denominator
        if kind == Denominator.DATA_DASAR:
            value = (
                binding.data_dasar
                if binding.data_dasar is not None
                else binding.indicator.data_dasar
            )
            return (
                (Decimal(value) if value is not None else None),
                {},
                _("Data dasar indikator belum diisi."),
            )
        if kind == Denominator.MEASURE:
            other = self.measure(binding.denominator_measure)
            if isinstance(other, Growth):
                return None, {}, _("Pembagi tidak boleh berupa laju pertumbuhan.")
            return (
                other.total,
                other.by_kecamatan,
                _("Belum ada data pembagi: %(m)s.")
                % {"m": REGISTRY[binding.denominator_measure].label},
            )
        if kind == Denominator.MANUAL:
            value = self.manual(binding.manual_key)
            return (
                value,
                {},
                _("Angka '%(key)s' tahun %(year)s belum diisi.")
                % {"key": binding.manual_key, "year": self.period.year},
            )
        return None, {}, ""

    def _manual_result(self, binding: IndicatorBinding, result: Result) -> Result:
        key = binding.manual_key or binding.indicator.source_id
        value = self.manual(key)
        result.sources = _("Diisi manual: %(key)s") % {"key": key}
        if value is None:
            result.reason = _("Angka dari luar Dinas untuk %(period)s belum diisi.") % {
                "period": self.period,
            }
        result.value = value
        return result

    def _children_result(self, binding: IndicatorBinding, result: Result) -> Result:
        """The sum of the values of the indicators of the node's children."""
        children = (
            IndicatorBinding.objects.active()
            .filter(indicator__node__parent=binding.indicator.node_id)
            .select_related("indicator")
        )
        values = [self.compute(child) for child in children]
        result.sources = _("Jumlah %(n)d indikator di bawahnya") % {"n": len(values)}
        result.status = rules.worst([v.status for v in values])
        result.completeness = "; ".join(
            dict.fromkeys(v.completeness for v in values if v.completeness)
        )
        shares = [v.completeness_share for v in values if v.completeness_share is not None]
        result.completeness_share = min(shares) if shares else None
        missing = [v.name for v in values if v.value is None]
        if not values or missing:
            result.reason = _("Belum semua indikator di bawahnya bernilai: %(names)s") % {
                "names": ", ".join(missing) or "-"
            }
            return result
        result.value = sum((v.value for v in values if v.value is not None), Decimal(0))
        for v in values:
            for kec, row in v.by_kecamatan.items():
                target = result.by_kecamatan.setdefault(kec, {"numerator": 0.0, "value": 0.0})
                target["numerator"] += row.get("value", row.get("numerator", 0)) or 0
                target["value"] = target["numerator"]
        return result

    def _growth_result(self, growth: Growth, result: Result) -> Result:
        result.numerator, result.denominator = growth.current, growth.previous
        if not growth.previous:
            result.reason = _("Tidak ada data tahun sebelumnya: pertumbuhan tidak dapat dihitung.")
            return result
        result.value = ((growth.current - growth.previous) / growth.previous * HUNDRED).quantize(
            Decimal("0.01")
        )
        for kec in sorted(set(growth.current_by_kecamatan) | set(growth.previous_by_kecamatan)):
            prev = growth.previous_by_kecamatan.get(kec, Decimal(0))
            cur = growth.current_by_kecamatan.get(kec, Decimal(0))
            row: dict[str, Any] = {"numerator": float(cur), "denominator": float(prev)}
            if prev:
                row["value"] = float(((cur - prev) / prev * HUNDRED).quantize(Decimal("0.01")))
            result.by_kecamatan[kec] = row
        return result
