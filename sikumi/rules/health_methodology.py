"""Which health-assessment methodology applies to a book year.

A methodology edition is in force from its ``valid_from`` date until the next edition (of any
methodology code) takes effect: the Perdep of April 2016 until the end of 2020, the Juknis of
2021 from 1 January 2021. A KSP/USP is assessed on the books of a closed year, so the edition
that applies to book year ``Y`` is the one in force when those books close, on 31 December ``Y``.
Book year 2020 is assessed with the 2016 methodology even when the assessment is done in 2021.

The form (default and proposal when the year changes), the API (an assessment without a
``method``) and the ``health_score`` command (``--year``) all ask :func:`for_book_year`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Edition:
    """One methodology edition as the rule needs it; ``key`` identifies the caller's record."""

    key: Hashable
    code: str
    revision: int
    valid_from: dt.date


def in_force(editions: Iterable[Edition], on: dt.date) -> Edition | None:
    """The edition in force on ``on``: the one that took effect last on or before that day
    (a later revision wins a tie); ``None`` before the first one took effect."""
    started = [e for e in editions if e.valid_from <= on]
    if not started:
        return None
    return max(started, key=lambda e: (e.valid_from, e.revision, e.code))


def book_year_close(year: int) -> dt.date:
    """The day the books of ``year`` close: the date that decides the methodology."""
    return dt.date(year, 12, 31)


def for_book_year(editions: Iterable[Edition], year: int) -> Edition | None:
    """The edition that applies to the assessment of book year ``year``."""
    return in_force(editions, book_year_close(year))


def by_book_year(editions: Iterable[Edition], years: Iterable[int]) -> dict[int, Edition]:
    """:func:`for_book_year` for several years at once (the form's proposal table); years
    before every edition are left out."""
    listed = list(editions)
    table = {year: for_book_year(listed, year) for year in years}
    return {year: edition for year, edition in table.items() if edition is not None}
