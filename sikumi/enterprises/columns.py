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
from bisect import bisect_left
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sikumi.enterprises.normalise import name_key
from sikumi.rules.identifiers import validate_nik

if TYPE_CHECKING:
    from sikumi.enterprises.importer import EnterpriseImporter

MIN_YEAR = 1900
_SEX = {"Laki-laki": "L", "Perempuan": "P", "L": "L", "P": "P"}
_YES_NO = {"Ya": True, "Tidak": False, "ya": True, "tidak": False}
_UNLIMITED = Decimal("Infinity")
# What a cell converter returns for a cell it does not take: the row goes to `validate`.
_OTHER: Any = object()


def _key(text: str) -> str:
    """name_key(text) for a text already single-spaced (`owner_name`)."""
    if text.isascii() and text[-1:] != " ":
        return text.lower()
    return name_key(text)


def _text(limit: int, required: bool = False) -> Callable[[Any], Any]:
    """Text cut at `limit`; "" for an empty optional cell."""

    def cell(v: Any) -> Any:
        if v.__class__ is str:
            return v[:limit]  # a shorter text is returned as it is
        return "" if v is None and not required else _OTHER

    return cell


def _whole(low: int | None = None, high: int | None = None) -> Callable[[Any], Any]:
    """A whole number from a number cell (Excel's float), within [low, high]."""

    def cell(v: Any) -> Any:
        if v is None:
            return None
        if v.__class__ is float and v.is_integer():
            number = int(v)
            if (low is None or number >= low) and (high is None or number <= high):
                return number
        return _OTHER

    return cell


def validate_columns(
    importer: EnterpriseImporter, columns: dict[str, list[Any]], count: int
) -> list[tuple[Any, ...] | None]:
    """Packed rows for a slice given as `columns` (field -> cells, stripped, None when empty;
    only the fields the file has), None for each row that needs `validate`."""
    bad: set[int] = set()
    none = [None] * count
    today = importer.today
    iso = importer._iso_dates

    def col(field: str) -> list[Any]:
        return columns.get(field, none)

    def convert(
        cells: Iterable[Any], cell: Callable[..., Any], *, pairs: bool = False
    ) -> list[Any]:
        """`cell` applied to every cell (to both cells of a pair with `pairs`); the rows whose
        cell it does not take are marked for `validate`."""
        out: list[Any] = []
        append = out.append
        for i, v in enumerate(cells):
            value = cell(*v) if pairs else cell(v)
            if value is _OTHER:
                bad.add(i)
                value = None
            append(value)
        return out

    def date(v: Any) -> Any:
        if v is None:
            return None
        if v.__class__ is dt.date and not (v > today or v.year < MIN_YEAR):
            return v.isoformat() if iso else v
        return _OTHER

    # -- the business and its owner
    names = convert(col("name"), _text(200, required=True))
    name_keys = [name_key(v) if v is not None else None for v in names]
    owners = convert(
        col("owner_name"), lambda v: " ".join(v.split())[:200] if v.__class__ is str else _OTHER
    )
    owner_keys = [_key(v) if v is not None else None for v in owners]

    # -- NIK, and sex (from the NIK when the cell is empty)
    nik_dates = importer._nik_dates

    def nik(v: Any) -> Any:
        if v is None:
            return None
        if (
            v.__class__ is str
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
                return v
        return _OTHER

    def sex(v: Any, number: str | None) -> Any:
        if v is None:
            return ("P" if number[6:8] > "40" else "L") if number else ""
        return _SEX.get(v, _OTHER) if v.__class__ is str else _OTHER

    def phone(v: Any) -> Any:
        if v is None:
            return ""
        if v.__class__ is str and v.isdecimal():
            text = "0" + v if v[:1] == "8" else v  # Excel dropped the leading zero
            if 8 <= len(text) <= 15:
                return text
        return _OTHER

    niks = convert(col("nik"), nik)
    sexes = convert(zip(col("sex"), niks, strict=True), sex, pairs=True)
    births = convert(col("birth_date"), date)
    phones = convert(col("phone"), phone)

    # -- place: each distinct (kelurahan, kecamatan) looked up once
    find = importer._kelurahan
    places = list(zip(col("kelurahan"), col("kecamatan"), strict=True))
    found = {place: (find(*place) if place[0] is not None else _OTHER) for place in set(places)}
    kelurahan_codes = convert(
        places,
        lambda *place: _OTHER if found[place].__class__ is tuple else found[place],
        pairs=True,
    )
    kecamatan_codes = [v[:8] if v is not None else None for v in kelurahan_codes]
    addresses = convert(col("address"), _text(300))

    def coordinate(limit: int) -> Callable[[Any], Any]:
        def cell(v: Any) -> Any:
            if v is None or (v.__class__ is float and -limit <= v <= limit):
                return v
            return _OTHER  # text, or out of range, or NaN

        return cell

    latitudes = convert(col("latitude"), coordinate(90))
    longitudes = convert(col("longitude"), coordinate(180))

    # -- sector, KBLI, products, NIB, start
    from sikumi.enterprises.importer import sector_from_text

    cache = importer._sector_cache

    def sector(v: Any) -> Any:
        if v is None:
            return ""
        if v.__class__ is not str:
            return _OTHER
        code = cache.get(v)
        if code is None:
            code = sector_from_text(v)
            if len(cache) < 1000:
                cache[v] = code
        return code

    sectors = convert(col("sector"), sector)
    kblis = convert(
        col("kbli"),
        lambda v: (
            ""
            if v is None
            else (v if v.__class__ is str and 2 <= len(v) <= 5 and v.isdigit() else _OTHER)
        ),
    )
    products = convert(col("main_products"), _text(300))
    nibs = convert(
        col("nib"),
        lambda v: (
            v
            if v is None or (v.__class__ is str and len(v) == 13 and v.isdigit() and v.isascii())
            else _OTHER
        ),
    )
    starts = convert(col("start_date"), date)

    # -- figures
    capitals = convert(col("capital"), _whole(low=0))
    # The smallest scale whose capital maximum (inclusive) holds the capital (PP 7/2021).
    maxima = [_UNLIMITED if maximum is None else maximum for maximum, _ in importer._scales]
    codes_by_rank = [code for _, code in importer._scales]
    scales = ["" if c is None else codes_by_rank[bisect_left(maxima, c)] for c in capitals]
    employees = convert(col("employees"), _whole(low=0))
    amounts = convert(col("turnover"), _whole(low=0))
    years = convert(col("turnover_year"), _whole(low=MIN_YEAR + 1, high=today.year))
    # A file without the year column reports last year's turnover (as validate reads it).
    default_year = today.year - 1 if "turnover_year" not in columns else None

    def turnover(amount: Any, year: Any) -> Any:
        if amount is None:
            return ()
        year = year or default_year
        return ((year, amount),) if year else _OTHER  # a turnover without its year

    turnovers = convert(zip(amounts, years, strict=True), turnover, pairs=True)

    # -- new entrepreneurs
    programmes = convert(col("programme_year"), _whole(low=2000, high=today.year + 1))
    implied = "is_new_entrepreneur" not in columns

    def flag(v: Any, programme: Any) -> Any:
        new = _YES_NO.get(v) if v.__class__ is str else None
        if new is None:
            if v is not None:
                return _OTHER
            new = implied and programme is not None
        return _OTHER if new and programme is None else new

    flags = convert(zip(col("is_new_entrepreneur"), programmes, strict=True), flag, pairs=True)
    cohorts = convert(col("cohort"), _text(60))

    people = zip(niks, owners, owner_keys, sexes, births, phones, strict=True)
    businesses = zip(
        names,
        name_keys,
        kelurahan_codes,
        kecamatan_codes,
        addresses,
        latitudes,
        longitudes,
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
