"""Robust parsing of Indonesian input, mainly cells of Excel files being imported.

python-calamine returns whole numbers as floats (``12.0``), dates as ``date``/``datetime`` and text
exactly as typed, so the same column may hold ``1500000.0``, ``"1.500.000"`` and
``"Rp 1.500.000,-"`` written by different officers. Every parser here returns ``None`` for an
empty cell and raises :class:`ParseError` with a message in Bahasa Indonesia that an import report
can show as is.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import string
import unicodedata
from decimal import Decimal, InvalidOperation

__all__ = [
    "ParseError",
    "normalise_name",
    "parse_date",
    "parse_int",
    "parse_number",
    "parse_sex",
    "parse_text_id",
]

# Cells that mean "nothing entered"; "-" is how Indonesian tables leave a figure blank.
_EMPTY_TEXT = frozenset({"", "-", "--", "–", "—"})

# Floats represent every integer exactly only below 2**53: above it a 16-digit NIK read as a number
# may already have lost its last digits.
_MAX_EXACT_FLOAT_INT = 2**53

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's 1900 date system, counting its 1900-02-29 bug
_MAX_EXCEL_SERIAL = 2958465  # 9999-12-31


class ParseError(ValueError):
    """A cell could not be read; ``str(error)`` is a message for the user in Bahasa Indonesia."""


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in _EMPTY_TEXT)


# --------------------------------------------------------------------------------------- numbers

_THOUSANDS_DOT = re.compile(r"\d{1,3}(\.\d{3})+")
_THOUSANDS_COMMA = re.compile(r"\d{1,3}(,\d{3})+")
_PLAIN = re.compile(r"\d+")
_SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE][+-]?\d+")


def _decimal_from_text(text: str) -> Decimal | None:
    """Read an unsigned number with Indonesian or English separators; ``None`` if it is not one.

    Rules, in order:
    - both ``.`` and ``,`` present: the one written last is the decimal mark
      (``1.234.567,89`` and ``1,234,567.89`` both work);
    - only commas: one comma is the decimal mark (``1,5``); several are thousands (``1,234,567``);
    - only dots: several are thousands (``1.234.567``); a single dot followed by exactly three
      digits is a thousands separator (``12.500`` is twelve thousand five hundred, as Indonesians
      write it) when one to three digits other than a lone ``0`` precede it; any other single dot
      is a decimal mark (``12.5``, ``3.14159``, ``0.125``, ``1234.567``).
    """
    if _PLAIN.fullmatch(text):
        return Decimal(text)
    if _SCIENTIFIC.fullmatch(text):
        return Decimal(text)
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        whole, _, fraction = text.rpartition(decimal_mark)
        pattern = _THOUSANDS_DOT if group_mark == "." else _THOUSANDS_COMMA
        if not (pattern.fullmatch(whole) or _PLAIN.fullmatch(whole)):
            return None
        if not _PLAIN.fullmatch(fraction):
            return None
        return Decimal(f"{whole.replace(group_mark, '')}.{fraction}")
    if has_comma:
        if text.count(",") > 1:
            return Decimal(text.replace(",", "")) if _THOUSANDS_COMMA.fullmatch(text) else None
        whole, _, fraction = text.partition(",")
        if not _PLAIN.fullmatch(fraction) or not (whole == "" or _PLAIN.fullmatch(whole)):
            return None
        return Decimal(f"{whole or '0'}.{fraction}")
    if has_dot:
        if text.count(".") > 1:
            return Decimal(text.replace(".", "")) if _THOUSANDS_DOT.fullmatch(text) else None
        whole, _, fraction = text.partition(".")
        if not _PLAIN.fullmatch(fraction) or not (whole == "" or _PLAIN.fullmatch(whole)):
            return None
        if len(fraction) == 3 and whole not in ("", "0") and len(whole) <= 3:
            return Decimal(whole + fraction)
        return Decimal(f"{whole or '0'}.{fraction}")
    return None


def parse_number(value: object) -> Decimal | None:
    """Read a number from a cell: ``"1.234.567,89"``, ``"Rp 1.234.567"``, ``"1,5"``, ``12.0``.

    Accepts ``int``, ``float`` (integral floats from calamine become integers), ``Decimal`` and text
    with an optional ``Rp`` prefix, a trailing ``%``, a sign or accounting parentheses
    ``(1.000)`` for a negative figure. See :func:`_decimal_from_text` for how dots and commas are
    told apart. Empty cells and ``"-"`` give ``None``.
    """
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        raise ParseError(f"'{value}' bukan angka")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ParseError(f"'{value}' bukan angka")
        return Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ParseError(f"'{value}' bukan angka")
        return value
    if not isinstance(value, str):
        raise ParseError(f"'{value}' bukan angka")

    text = "".join(value.split())  # drops spaces, tabs and non-breaking spaces
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text[:1] in "-+" and text:
        negative, text = negative ^ (text[0] == "-"), text[1:]
    lowered = text.lower()
    if lowered.startswith("rp"):
        text = text[2:].lstrip(".")
    if text[:1] in "-+" and text:
        negative, text = negative ^ (text[0] == "-"), text[1:]
    text = text.removesuffix("%").removesuffix(",-").removesuffix(".-")
    try:
        number = _decimal_from_text(text)
    except InvalidOperation:
        number = None
    if number is None:
        raise ParseError(f"'{value}' bukan angka")
    return -number if negative else number


def parse_int(value: object) -> int | None:
    """Read a whole number (counts such as jumlah anggota); ``"1,5"`` is refused, not rounded."""
    number = parse_number(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ParseError(f"'{value}' bukan bilangan bulat")
    return int(number)


# ----------------------------------------------------------------------------------------- dates

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("januari", "jan", "january"),
        ("februari", "pebruari", "feb", "peb", "pebr", "febr", "february"),
        ("maret", "mar", "march", "mrt"),
        ("april", "apr"),
        ("mei", "may"),
        ("juni", "jun", "june"),
        ("juli", "jul", "july"),
        ("agustus", "agu", "agt", "ags", "agst", "agus", "aug", "august"),
        ("september", "sep", "sept", "sept"),
        ("oktober", "okt", "oct", "october"),
        ("november", "nopember", "nov", "nop"),
        ("desember", "des", "dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _number

_DATE_WORDS = re.compile(r"(\d{1,2})[\s\-/.]*([A-Za-z]+)\.?[\s\-/.,]*(\d{2}|\d{4})")
_DATE_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")
_DATE_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_WEEKDAY_PREFIX = re.compile(r"^[A-Za-z']+,\s*")


def _full_year(year: int, digits: int) -> int:
    """Two-digit years pivot like POSIX ``%y``: 00-68 are 20xx, 69-99 are 19xx."""
    if digits == 4:
        return year
    return 2000 + year if year <= 68 else 1900 + year


def _from_excel_serial(serial: float) -> dt.date | None:
    if not (1 <= serial <= _MAX_EXCEL_SERIAL):
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: object) -> dt.date | None:
    """Read a date: ``date``/``datetime`` objects, Excel serial numbers and Indonesian text.

    Text forms: ``17 Agustus 2026`` (also abbreviations such as ``17 Agt 2026``, ``17-Des-26`` and
    an optional weekday ``Senin, 17 Agustus 2026``), day-first ``17-08-2026``/``17/08/2026``/
    ``17.08.2026``, ISO ``2026-08-17`` (a time part is ignored) and ``20260817``. Numeric dates are
    always read day first, as Indonesians write them. Two-digit years: 00-68 -> 20xx, 69-99 -> 19xx.
    """
    if _is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ParseError(f"'{value}' bukan tanggal yang dikenali")
    if isinstance(value, int | float | Decimal):
        result = _from_excel_serial(float(value))
        if result is None:
            raise ParseError(f"'{value}' bukan tanggal yang dikenali")
        return result
    if not isinstance(value, str):
        raise ParseError(f"'{value}' bukan tanggal yang dikenali")

    text = _WEEKDAY_PREFIX.sub("", value.strip())
    year = month = day = None
    if match := _DATE_YMD.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DATE_DMY.fullmatch(text):
        day, month = int(match[1]), int(match[2])
        year = _full_year(int(match[3]), len(match[3]))
    elif match := _DATE_WORDS.fullmatch(text):
        month = _MONTHS.get(match[2].lower())
        if month is not None:
            day = int(match[1])
            year = _full_year(int(match[3]), len(match[3]))
    elif match := _DATE_COMPACT.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif re.fullmatch(r"\d{5}(\.\d+)?", text):
        # An Excel serial number that arrived as text (e.g. a CSV export of a date column).
        result = _from_excel_serial(float(text))
        if result is not None:
            return result
    if year is None or month is None or day is None:
        raise ParseError(f"'{value}' bukan tanggal yang dikenali")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ParseError(f"'{value}' bukan tanggal yang valid") from exc


# ---------------------------------------------------------------------------------- sex, names

_SEX = {
    "l": "L",
    "lk": "L",
    "laki-laki": "L",
    "laki laki": "L",
    "lakilaki": "L",
    "laki": "L",
    "lelaki": "L",
    "pria": "L",
    "m": "L",
    "male": "L",
    "p": "P",
    "pr": "P",
    "perempuan": "P",
    "wanita": "P",
    "f": "P",
    "female": "P",
}


def parse_sex(value: object) -> str | None:
    """Read the sex column as ``"L"`` (laki-laki) or ``"P"`` (perempuan).

    Accepts ``L``/``P``, ``Laki-laki``, ``Perempuan``, ``Pria``, ``Wanita`` in any case (and the
    English ``M``/``F`` some templates carry). Empty gives ``None``.
    """
    if _is_empty(value):
        return None
    if not isinstance(value, str):
        raise ParseError(f"'{value}' bukan jenis kelamin (L/P)")
    key = " ".join(value.replace(".", " ").split()).lower()
    key = re.sub(r"\s*-\s*", "-", key)
    try:
        return _SEX[key]
    except KeyError:
        raise ParseError(f"'{value}' bukan jenis kelamin (L/P)") from None


# Phrases and words that only state the legal form; removed so that "KSP Maju Jaya" and
# "Koperasi Simpan Pinjam Maju Jaya" compare equal. Longer phrases first.
_NAME_FORM_PHRASES = (
    "simpan pinjam dan pembiayaan syariah",
    "simpan pinjam",
    "serba usaha",
)
_NAME_FORM_WORDS = frozenset(
    {"koperasi", "kop", "ksp", "kspps", "ksps", "ksu", "usp", "usps", "pt", "cv", "ud"}
)
_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation, " "))


def normalise_name(value: str | None) -> str:
    """Key for duplicate detection of cooperative and enterprise names.

    Case-folded, accents removed, punctuation turned into spaces, legal-form words ("Koperasi",
    "KSP", "Kop.", "Simpan Pinjam", "CV"...) dropped and spaces collapsed: ``"KSP. Maju-Jaya"``
    and ``"Koperasi Simpan Pinjam  MAJU JAYA"`` both give ``"maju jaya"``.
    """
    if not value:
        return ""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = " ".join(text.casefold().translate(_PUNCTUATION).split())
    for phrase in _NAME_FORM_PHRASES:
        text = re.sub(rf"\b{phrase}\b", " ", text)
    return " ".join(word for word in text.split() if word not in _NAME_FORM_WORDS)


# ------------------------------------------------------------------------------------------ ids


def parse_text_id(value: object) -> str | None:
    """Read an identifier such as NIK or NIB as text, never as a number.

    Excel turns long digit strings into floats (``3.276010101010001e15``); those are converted back
    to their digits when the float is still exact (below 2**53, which covers 16-digit NIKs of most
    provinces). A float that may have lost digits, or text in scientific notation
    (``"3,27601E+15"``), is refused because the real digits cannot be recovered. Spaces, the
    ``'`` Excel text prefix and a trailing ``.0`` are removed; validation is left to
    :mod:`sikumi.rules.identifiers`.
    """
    if value.__class__ is str and value.isascii() and value.isdigit():
        return value  # the usual cell (a text column of digits): nothing to clean
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        raise ParseError(f"'{value}' bukan nomor identitas")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        if not math.isfinite(value) or value != int(value):
            raise ParseError(f"'{value}' bukan nomor identitas")
        if isinstance(value, float) and abs(value) >= _MAX_EXACT_FLOAT_INT:
            raise ParseError(
                f"'{value}' terbaca sebagai angka dan digitnya bisa hilang; "
                "format kolom sebagai teks lalu unggah ulang"
            )
        return str(int(value))
    if not isinstance(value, str):
        raise ParseError(f"'{value}' bukan nomor identitas")
    text = "".join(value.split()).lstrip("'`")
    if re.fullmatch(r"\d+([.,]\d+)?[eE]\+?\d+", text):
        raise ParseError(
            f"'{value}' tertulis dalam notasi ilmiah sehingga digitnya hilang; "
            "format kolom sebagai teks lalu unggah ulang"
        )
    text = re.sub(r"[.,]0+$", "", text) if re.fullmatch(r"\d+[.,]0+", text) else text
    return text or None


# ------------------------------------------------------------------------------- yes/no, phone

_YES = frozenset({"ya", "y", "yes", "1", "true", "benar", "v", "✓", "ada", "iya", "wub", "baru"})
_NO = frozenset({"tidak", "t", "no", "n", "0", "false", "bukan", "tidak ada", "lama", "tdk", "-"})


def parse_yes_no(value: object) -> bool | None:
    """Read a Ya/Tidak cell (``Ya``, ``Y``, ``1``, ``Ada``, ``Tidak``, ``-``...); empty: None."""
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise ParseError(f"'{value}' bukan Ya/Tidak")
    key = " ".join(str(value).split()).lower()
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ParseError(f"'{value}' bukan Ya/Tidak")


_PHONE_NOISE = re.compile(r"[\s\-().]")


def parse_phone(value: object) -> str | None:
    """Read a phone number as digits (an optional leading ``+``): spaces, dashes, dots and
    brackets dropped, a leading zero Excel removed put back (``8123...`` -> ``08123...``).
    8 to 15 digits; anything else (letters: ``08abc``) is refused."""
    if _is_empty(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ParseError(f"Nomor HP '{value}' tidak valid")
    text = _PHONE_NOISE.sub("", str(value))
    if text.startswith("8"):
        text = "0" + text
    digits = text[1:] if text.startswith("+") else text
    if not (digits.isascii() and digits.isdigit() and 8 <= len(digits) <= 15):
        raise ParseError(f"Nomor HP '{value}' tidak valid")
    return text
