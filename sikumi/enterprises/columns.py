"""Column-wise validation of pendataan rows: the fast path of a large import.

`EnterpriseImporter.validate` checks one row at a time, with every rule and every message. For a
million rows that costs more than reading the file, mostly in Python's per-row overhead. Here a
slice of rows is checked column by column, with only the common, clean cell forms accepted (text
where text is expected, whole numbers from Excel's number cells, dates from date cells). A row is
packed directly (the same tuple `sikumi.enterprises.bulk.pack` builds) only when every one of its
cells takes such a path; any other row (a problem, an unusual form such as "Rp 1.500.000" or a NIK
typed with spaces, an empty row) is returned as None and goes through `validate`, which gives the
messages. So this module never decides that a row is wrong, and never changes what a valid row
becomes: `sikumi/enterprises/tests/test_columns.py` checks it against `validate` + `pack`.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from bisect import bisect_left
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sikumi.enterprises.normalise import name_key
from sikumi.rules.identifiers import validate_nik

if TYPE_CHECKING:
    from sikumi.enterprises.importer import EnterpriseImporter

MIN_YEAR = 1900
_SEX = {"Laki-laki": "L", "Perempuan": "P", "L": "L", "P": "P"}
_YES_NO = {"Ya": True, "Tidak": False, "ya": True, "tidak": False}
_DATE = dt.date
_FLOAT = float
_STR = str


def _key(text: str) -> str:
    """name_key(text) for a text already single-spaced (`owner_name`)."""
    if text.isascii() and text[-1:] != " ":
        return text.lower()
    return name_key(text)


def _types(values: list[Any]) -> set[type]:
    return set(map(type, values))


_STR_ONLY = {str}
_STR_OR_NONE = {str, type(None)}
_FLOAT_OR_NONE = {float, type(None)}
_DATE_OR_NONE = {dt.date, type(None)}
_BOOL_OR_NONE = {bool, type(None)}
_UNLIMITED = Decimal("Infinity")


def _wholes(values: list[Any], low: int | None, high: int | None) -> list[Any] | None:
    """The column as ints when every cell is empty or a whole number in [low, high] (checked
    for the column at once, at C speed), else None."""
    if not _types(values) <= _FLOAT_OR_NONE:
        return None
    try:
        numbers = [None if v is None else int(v) for v in values]
    except (ValueError, OverflowError):  # NaN, infinity
        return None
    if not all(map(operator.eq, values, numbers)):  # 2.5 != 2
        return None
    present = [n for n in numbers if n is not None]
    if present and (
        (low is not None and min(present) < low) or (high is not None and max(present) > high)
    ):
        return None
    return numbers


def validate_columns(
    importer: EnterpriseImporter, columns: dict[str, list[Any]], count: int
) -> list[tuple[Any, ...] | None]:
    """Packed rows for a slice given as `columns` (field -> cells, stripped, None when empty;
    only the fields the file has), None for each row that needs `validate`.

    Each column is first checked as a whole with set and map operations (a clean column, the
    common case, then costs a fraction of a microsecond per cell); a column with any unusual
    cell is walked cell by cell, marking only those rows."""
    bad: set[int] = set()
    none = [None] * count
    today = importer.today
    iso = importer._iso_dates

    def col(field: str) -> list[Any]:
        return columns.get(field, none)

    def text(field: str, limit: int, required: bool = False) -> list[Any]:
        """Text cells cut at `limit`; "" for an empty optional cell."""
        values = col(field)
        kinds = _types(values)
        if kinds <= _STR_ONLY:
            return [v[:limit] for v in values]  # a short text is returned as is
        if not required and kinds <= _STR_OR_NONE:
            return ["" if v is None else v[:limit] for v in values]
        out: list[Any] = []
        append = out.append
        for i, v in enumerate(col(field)):
            if v.__class__ is _STR:
                append(v[:limit] if len(v) > limit else v)
            elif v is None and not required:
                append("")
            else:
                bad.add(i)
                append(None)
        return out

    def whole(field: str, low: int | None = None, high: int | None = None) -> list[Any]:
        """Whole numbers from number cells (Excel's floats), within [low, high]."""
        quick = _wholes(col(field), low, high)
        if quick is not None:
            return quick
        out: list[Any] = []
        append = out.append
        for i, v in enumerate(col(field)):
            if v is None:
                append(None)
            elif v.__class__ is _FLOAT and v.is_integer():
                number = int(v)
                if (low is not None and number < low) or (high is not None and number > high):
                    bad.add(i)
                append(number)
            else:
                bad.add(i)
                append(None)
        return out

    def date(field: str, check: Callable[[dt.date], bool]) -> list[Any]:
        values = col(field)
        if _types(values) <= _DATE_OR_NONE:
            distinct = set(values)
            distinct.discard(None)
            if all(map(check, distinct)):
                text = {d: d.isoformat() if iso else d for d in distinct}
                return [None if v is None else text[v] for v in values]
        out: list[Any] = []
        append = out.append
        for i, v in enumerate(col(field)):
            if v is None:
                append(None)
            elif v.__class__ is _DATE and check(v):
                append(v.isoformat() if iso else v)
            else:
                bad.add(i)
                append(None)
        return out

    # -- the business
    names = text("name", 200, required=True)
    name_keys = [name_key(v) if v is not None else None for v in names]
    owners: list[Any] = []
    values = col("owner_name")
    if _types(values) <= _STR_ONLY:
        owners = [" ".join(v.split())[:200] for v in values]
        values = []
    for i, v in enumerate(values):
        if v.__class__ is _STR:
            owners.append(" ".join(v.split())[:200])
        else:
            bad.add(i)
            owners.append(None)
    owner_keys = [_key(v) if v is not None else None for v in owners]

    # -- NIK and sex (sex from the NIK when the cell is empty)
    nik_dates = importer._nik_dates
    values = col("nik")
    niks: list[Any] = values
    simple = _types(values) <= _STR_OR_NONE
    if simple:
        # Birth-date parts not met yet: checked once each, as validate's cache does.
        parts = {v[6:12] for v in values if v is not None and len(v) == 16} - nik_dates.keys()
        for part in parts:
            nik_dates[part] = not validate_nik(f"320000{part}0000")
    if not (
        simple
        and all(
            [  # noqa: C419 (a list comprehension is faster than a generator here)
                v is None
                or (
                    len(v) == 16
                    and v.isdigit()
                    and v.isascii()
                    and "11" <= v[:2] <= "96"
                    and nik_dates.get(v[6:12]) is True
                )
                for v in values
            ]
        )
    ):
        niks, values = [], niks
    for i, v in enumerate(values if not niks else ()):
        if v is None:
            niks.append(None)
            continue
        if (
            v.__class__ is _STR
            and len(v) == 16
            and v.isdigit()
            and v.isascii()
            and "11" <= v[:2] <= "96"
        ):
            part = v[6:12]
            ok = nik_dates.get(part)
            if ok is None:
                # The same rule as EnterpriseImporter.validate's cache.
                ok = nik_dates[part] = not validate_nik(f"320000{part}0000")
            if ok:
                niks.append(v)
                continue
        bad.add(i)
        niks.append(None)
    sexes: list[Any] = list(map(_SEX.get, col("sex"), col("sex")))  # unknown texts stay as is
    if _types(sexes) <= _STR_ONLY and all(map(_SEX.__contains__, sexes)):
        pairs: Any = ()
    else:
        sexes, pairs = [], zip(col("sex"), niks, strict=True)
    for i, (v, nik) in enumerate(pairs):
        if v is None:
            sexes.append(("P" if nik[6:8] > "40" else "L") if nik else "")
        else:
            code = _SEX.get(v) if v.__class__ is _STR else None
            if code is None:
                bad.add(i)
            sexes.append(code)
    births = date("birth_date", lambda d: not (d > today or d.year < MIN_YEAR))
    phones: list[Any] = []
    values = col("phone")
    if _types(values) <= _STR_OR_NONE:
        quick = ["" if v is None else ("0" + v if v[:1] == "8" else v) for v in values]
        filled = [v for v in quick if v]
        if not filled or (
            all(map(str.isdecimal, filled))
            and min(map(len, filled)) >= 8
            and max(map(len, filled)) <= 15
        ):
            phones, values = quick, []
    for i, v in enumerate(values if not phones else ()):
        if v is None:
            phones.append("")
        elif v.__class__ is _STR and v.isdecimal():
            phone = "0" + v if v[:1] == "8" else v
            if not 8 <= len(phone) <= 15:
                bad.add(i)
            phones.append(phone[:20])
        else:
            bad.add(i)
            phones.append(None)

    # -- place
    find = importer._kelurahan
    places = list(zip(col("kelurahan"), col("kecamatan"), strict=True))
    found = {place: find(*place) if place[0] is not None else None for place in set(places)}
    kelurahan_codes: list[Any] = [found[place] for place in places]
    if not _types(kelurahan_codes) <= _STR_ONLY:
        for i, code in enumerate(kelurahan_codes):
            if code is None or code.__class__ is tuple:  # empty, or (message,)
                bad.add(i)
                kelurahan_codes[i] = None
    kecamatan_codes = [v[:8] if v is not None else None for v in kelurahan_codes]
    addresses = text("address", 300)
    coordinates = []
    for field, limit in (("latitude", 90), ("longitude", 180)):
        values = col(field)
        if _types(values) <= _FLOAT_OR_NONE:
            present = [v for v in values if v is not None]
            if not present or (
                not any(map(math.isnan, present))
                and min(present) >= -limit
                and max(present) <= limit
            ):
                coordinates.append(values)
                continue
        values = []
        for i, v in enumerate(col(field)):
            if v is None:
                values.append(None)
            elif v.__class__ is _FLOAT and -limit <= v <= limit:
                values.append(v)
            else:
                bad.add(i)
                values.append(None)
        coordinates.append(values)

    # -- sector, KBLI, products, NIB, start
    sectors: list[Any] = []
    cache = importer._sector_cache
    from sikumi.enterprises.importer import sector_from_text

    values = col("sector")
    if _types(values) <= _STR_OR_NONE:
        codes = {v: cache.get(v) or sector_from_text(v) for v in set(values) if v is not None}
        if len(cache) < 1000:
            cache.update(codes)
        sectors, values = ["" if v is None else codes[v] for v in values], []
    for i, v in enumerate(values):
        if v is None:
            sectors.append("")
        elif v.__class__ is _STR:
            code = cache.get(v)
            if code is None:
                code = sector_from_text(v)
                if len(cache) < 1000:
                    cache[v] = code
            sectors.append(code)
        else:
            bad.add(i)
            sectors.append(None)
    kblis: list[Any] = []
    values = col("kbli")
    if _types(values) <= _STR_OR_NONE and all(
        v is None or (2 <= len(v) <= 5 and v.isdigit()) for v in set(values)
    ):
        kblis, values = ["" if v is None else v for v in values], []
    for i, v in enumerate(values):
        if v is None:
            kblis.append("")
        elif v.__class__ is _STR and 2 <= len(v) <= 5 and v.isdigit():
            kblis.append(v)
        else:
            bad.add(i)
            kblis.append(None)
    products = text("main_products", 300)
    nibs: list[Any] = []
    values = col("nib")
    if _types(values) <= _STR_OR_NONE and all(
        [v is None or (len(v) == 13 and v.isdigit() and v.isascii()) for v in values]  # noqa: C419
    ):
        nibs, values = values, []
    for i, v in enumerate(values):
        if v is None or (v.__class__ is _STR and len(v) == 13 and v.isdigit() and v.isascii()):
            nibs.append(v)
        else:
            bad.add(i)
            nibs.append(None)
    starts = date("start_date", lambda d: not (d > today or d.year < MIN_YEAR))

    # -- figures
    capitals = whole("capital", low=0)
    # The smallest scale whose capital maximum (inclusive) holds the capital (PP 7/2021).
    maxima = [_UNLIMITED if maximum is None else maximum for maximum, _ in importer._scales]
    codes_by_rank = [code for _, code in importer._scales]
    scales = ["" if c is None else codes_by_rank[bisect_left(maxima, c)] for c in capitals]
    employees = whole("employees", low=0)
    amounts = whole("turnover", low=0)
    years = whole("turnover_year", low=MIN_YEAR + 1, high=today.year)
    default_year = today.year - 1 if "turnover_year" not in columns else None
    turnovers: list[Any] = [
        () if amount is None else ((year or default_year, amount),)
        for amount, year in zip(amounts, years, strict=True)
    ]
    if default_year is None and None in years:
        for i, (amount, year) in enumerate(zip(amounts, years, strict=True)):
            if amount is not None and year is None:
                bad.add(i)  # a turnover without its year
                turnovers[i] = ()

    # -- new entrepreneurs
    programmes = whole("programme_year", low=2000, high=today.year + 1)
    flags: list[Any] = []
    implied = "is_new_entrepreneur" not in columns
    values = col("is_new_entrepreneur")
    answers = list(map(_YES_NO.get, values, values))  # unknown texts stay as they are
    if _types(answers) <= _BOOL_OR_NONE:
        flags = [
            new if new is not None else (implied and programme is not None)
            for new, programme in zip(answers, programmes, strict=True)
        ]
        if None in programmes:
            for i, (new, programme) in enumerate(zip(flags, programmes, strict=True)):
                if new and programme is None:
                    bad.add(i)
        values = []
    for i, (v, programme) in enumerate(zip(values, programmes if values else (), strict=False)):
        new = _YES_NO.get(v) if v.__class__ is _STR else None
        if new is None and v is not None:
            bad.add(i)
        elif new is None and programme is not None and implied:
            new = True
        if new and programme is None:
            bad.add(i)
        flags.append(bool(new))
    cohorts = text("cohort", 60)

    people = zip(niks, owners, owner_keys, sexes, births, phones, strict=True)
    businesses = zip(
        names,
        name_keys,
        kelurahan_codes,
        kecamatan_codes,
        addresses,
        coordinates[0],
        coordinates[1],
        sectors,
        kblis,
        products,
        nibs,
        starts,
        capitals,
        employees,
        flags,
        programmes,
        cohorts,
        scales,
        strict=True,
    )
    packed: list[tuple[Any, ...] | None] = list(
        zip(niks, sexes, people, businesses, turnovers, nibs, strict=True)
    )
    for i in bad:
        packed[i] = None
    return packed
