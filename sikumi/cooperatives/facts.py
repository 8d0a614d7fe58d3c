"""Facts other apps contribute to the quality rule sets and list filters, without this app
importing them.

`sikumi.supervision` (health assessments, inspections) registers from its ``AppConfig.ready()``::

    from sikumi.cooperatives import facts

    def supervision_facts(cooperative_ids, year):
        # one or two SQL queries for all the ids, never one per cooperative
        return {coop_id: {"predikat_kesehatan": "Cukup Sehat", "patuh_pemeriksaan": True}, ...}

    facts.register("supervision", supervision_facts)

``cooperative_ids`` is a list of ids or ``None`` for every cooperative; ``year`` is the year the
rule sets are evaluated for. Facts the default rule sets read from supervision:
``predikat_kesehatan`` (str, predicate of the latest health assessment up to that year) and
``patuh_pemeriksaan`` (bool, compliant at the latest inspection up to that year). A missing fact
never meets a rule ("Data ... belum tersedia").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

FactProvider = Callable[[list[int] | None, int], dict[int, dict[str, Any]]]

_PROVIDERS: dict[str, FactProvider] = {}


def register(name: str, provider: FactProvider) -> None:
    _PROVIDERS[name] = provider


def unregister(name: str) -> None:
    _PROVIDERS.pop(name, None)


def extra_facts(cooperative_ids: list[int] | None, year: int) -> dict[int, dict[str, Any]]:
    merged: dict[int, dict[str, Any]] = {}
    for name, provider in _PROVIDERS.items():
        try:
            contributed = provider(cooperative_ids, year)
        except Exception:  # an extension's failure leaves its facts missing, not the page broken
            logger.exception("fact provider %s failed", name)
            continue
        for coop_id, values in contributed.items():
            merged.setdefault(coop_id, {}).update(values)
    return merged


# ------------------------------------------------------------------- health predicate filter

HealthFilter = Callable[[Any, str], Any]

_HEALTH_FILTER: dict[str, Any] = {}


def register_health_filter(choices: list[tuple[str, str]], method: HealthFilter) -> None:
    """Let supervision add the "predikat kesehatan" filter to the cooperative list and API.

    ``method(queryset, value)`` must return the queryset filtered in SQL (e.g. with ``Exists`` on
    the latest assessment); ``choices`` are the predicate codes and labels.
    """
    _HEALTH_FILTER["filter"] = (choices, method)


def health_filter() -> tuple[list[tuple[str, str]], HealthFilter] | None:
    value: tuple[list[tuple[str, str]], HealthFilter] | None = _HEALTH_FILTER.get("filter")
    return value
