"""The completeness of the data behind computed values: the rules (data, read from the bindings
file's ``completeness`` section), the counts of what arrived (queries) and the words shown.

The decision itself is the pure function :func:`sikumi.rules.completeness.evaluate`.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sikumi.rules import completeness as rules
from sikumi.rules.formatting import format_number, format_percent

DATA_FILE = Path(__file__).parent / "data" / "bindings-depok-2021-2026.yaml"
DEFAULT = "default"

STATUS_LABELS = {
    rules.FINAL: gettext_lazy("final"),
    rules.PROVISIONAL: gettext_lazy("sementara"),
    rules.NO_DATA: gettext_lazy("belum ada data"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


@cache
def rule_table(path: Path = DATA_FILE) -> dict[str, rules.Rule]:
    """{measure code or "default": rule} from the data file (read once per process)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        key: rules.rule_from_data(spec) for key, spec in (data.get("completeness") or {}).items()
    }


def rule_for(measure: str) -> rules.Rule:
    table = rule_table()
    return table.get(measure) or table.get(DEFAULT) or rules.Rule()


def count_source(source: str, year: int, active_cooperatives: Any) -> rules.SourceCount:
    """How many records of ``source`` arrived for ``year`` and how many are expected.

    ``active_cooperatives`` is a callable giving the number of active cooperatives (computed
    once per period by the engine)."""
    if source == "rat":
        from sikumi.cooperatives.models import RatReport

        received = (
            RatReport.objects.active()
            .filter(year=year, cooperative__archived_at__isnull=True)
            .values("cooperative_id")
            .distinct()
            .count()
        )
        return rules.SourceCount("rat", received, int(active_cooperatives()))
    if source == "omzet":
        from sikumi.enterprises.models import Enterprise, EnterpriseTurnover

        received = EnterpriseTurnover.objects.active().filter(year=year).count()
        return rules.SourceCount("omzet", received, Enterprise.objects.active().count())
    raise rules.RuleError(f"unknown completeness source: {source}")


def source_text(count: rules.SourceCount, year: int) -> str:
    if count.source == "rat":
        if count.received == 0:
            return _("RAT %(year)s belum ada yang diterima") % {"year": year}
        return _("RAT %(year)s diterima dari %(n)s dari %(of)s koperasi aktif") % {
            "year": year,
            "n": format_number(count.received),
            "of": format_number(count.expected),
        }
    if count.source == "omzet":
        if count.received == 0:
            return _("omzet %(year)s belum tercatat") % {"year": year}
        return _("omzet %(year)s tercatat untuk %(share)s usaha") % {
            "year": year,
            "share": format_percent(
                count.share, 0 if count.share is None or count.share >= 1 else 2
            ),
        }
    return f"{count.source} {year}: {count.received}/{count.expected}"


def describe(result: rules.Completeness, *, year: int, period_end: dt.date) -> str:
    """The completeness in words, e.g. "RAT 2026 diterima dari 12 dari 165 koperasi aktif"."""
    parts = [source_text(c, year) for c in result.counts]
    if result.period_open:
        if timezone.localdate() <= period_end:
            parts.append(_("periode masih berjalan"))
        else:
            parts.append(_("data periode masih dapat bertambah"))
    if not parts and result.status == rules.FINAL:
        parts.append(_("periode sudah ditutup"))
    return "; ".join(parts)
