"""Checks and masking of Indonesian identifiers: NIK, NIB, NIK Koperasi and phone numbers.

NIK (Nomor Induk Kependudukan) layout, 16 digits: ``PP KK CC DDMMYY SSSS`` = province, regency/city,
district, birth date (day + 40 for women) and a serial number. Under UU 27/2022 a NIK is personal
data, so screens show it masked (first 4 and last 4 digits) unless the role needs the full number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

NIK_LENGTH = 16
NIB_LENGTH = 13
NIK_KOPERASI_LENGTH = 16  # (confirm) Kemenkop's NIK Koperasi is 16 digits in practice

# Kemendagri province codes run from 11 (Aceh) to 96 (Papua Barat Daya).
PROVINCE_CODE_MIN = 11
PROVINCE_CODE_MAX = 96
FEMALE_DAY_OFFSET = 40

_DIGITS = re.compile(r"\d+")


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _birth_date_valid(day: int, month: int, two_digit_year: int) -> bool:
    """True when DD-MM is a real date in 19YY or 20YY (the NIK does not say which century)."""
    for year in (1900 + two_digit_year, 2000 + two_digit_year):
        try:
            dt.date(year, month, day)
        except ValueError:
            continue
        return True
    return False


def validate_nik(nik: str | None) -> list[str]:
    """Return the problems of a NIK as messages in Bahasa Indonesia; an empty list means valid.

    Checks what can be checked without Dukcapil: 16 digits, a plausible province code (11-96),
    a birth month 01-12 and a birth day that exists in that month, where women have 40 added to
    the day (41-71). The birth year has two digits, so 29 February is accepted when either
    century makes it a leap year.
    """
    text = _clean(nik)
    if not text:
        return ["NIK belum diisi"]
    if not _DIGITS.fullmatch(text) or len(text) != NIK_LENGTH:
        return [f"NIK harus {NIK_LENGTH} digit angka (terisi {len(text)} karakter)"]
    errors: list[str] = []
    province = int(text[0:2])
    if not (PROVINCE_CODE_MIN <= province <= PROVINCE_CODE_MAX):
        errors.append(f"Kode provinsi pada NIK ({text[0:2]}) tidak dikenal")
    day, month, year = int(text[6:8]), int(text[8:10]), int(text[10:12])
    if day > FEMALE_DAY_OFFSET:
        day -= FEMALE_DAY_OFFSET
    if not 1 <= month <= 12:
        errors.append(f"Bulan lahir pada NIK ({text[8:10]}) tidak valid")
    elif not _birth_date_valid(day, month, year):
        errors.append(f"Tanggal lahir pada NIK ({text[6:8]}-{text[8:10]}) tidak valid")
    return errors


def nik_sex(nik: str | None) -> str | None:
    """Sex encoded in a NIK: ``"P"`` when the birth day has 40 added, else ``"L"``.

    ``None`` when the NIK is not valid, so a wrong NIK never guesses a sex.
    """
    if validate_nik(nik):
        return None
    day = int(_clean(nik)[6:8])
    return "P" if day > FEMALE_DAY_OFFSET else "L"


def _mask(text: str, visible_start: int, visible_end: int) -> str:
    if len(text) <= visible_start + visible_end:
        return "*" * len(text)
    hidden = len(text) - visible_start - visible_end
    return text[:visible_start] + "*" * hidden + text[len(text) - visible_end :]


def mask_nik(nik: str | None) -> str:
    """Show only the first 4 and last 4 digits: ``3276********0001``.

    A value of 8 characters or fewer is fully masked, since showing it would show all of it.
    """
    return _mask(_clean(nik), 4, 4)


def mask_nik_tail(nik: str | None) -> str:
    """Only the last 4 digits, to tell namesakes apart in a list: ``•••• 0012``.

    A value of 8 characters or fewer shows nothing but the dots."""
    text = _clean(nik)
    if not text:
        return ""
    if len(text) <= 8:
        return "••••"
    return "•••• " + text[-4:]


def mask_phone(phone: str | None) -> str:
    """Mask a phone number, keeping the first 4 and last 3 digits: ``0812*****890``.

    Spaces and dashes are dropped first; a leading ``+`` is kept (``+628***...``).
    """
    text = re.sub(r"[\s\-().]", "", _clean(phone))
    prefix = ""
    if text.startswith("+"):
        prefix, text = "+", text[1:]
    return prefix + _mask(text, 4, 3)


def validate_nib(nib: str | None) -> list[str]:
    """Problems of an NIB (Nomor Induk Berusaha from OSS): it must be 13 digits."""
    text = _clean(nib)
    if not text:
        return ["NIB belum diisi"]
    if not _DIGITS.fullmatch(text) or len(text) != NIB_LENGTH:
        return [f"NIB harus {NIB_LENGTH} digit angka (terisi {len(text)} karakter)"]
    return []


def validate_nik_koperasi(value: str | None, length: int | None = NIK_KOPERASI_LENGTH) -> list[str]:
    """Problems of a NIK Koperasi (issued by Kemenkop): digits only, ``length`` digits.

    ``length=None`` accepts any number of digits, for when the Dinas finds other lengths.
    """
    text = _clean(value)
    if not text:
        return ["NIK Koperasi belum diisi"]
    if not _DIGITS.fullmatch(text):
        return ["NIK Koperasi hanya boleh berisi angka"]
    if length is not None and len(text) != length:
        return [f"NIK Koperasi harus {length} digit (terisi {len(text)} digit)"]
    return []


def same_person(a: Sequence[Any], b: Sequence[Any]) -> bool:
    """Whether two records naming one NIK can be the same person. Each is (name key, sex,
    birth date) in any comparable form: the names must be equal; sex and birth date equal
    where both are known (an empty value contradicts nothing)."""
    rest = zip(a[1:], b[1:], strict=True)
    return a[0] == b[0] and all(x == y or not x or not y for x, y in rest)


# --- NIP ---------------------------------------------------------------------------------------

NIP_LENGTH = 18
NIP_SEX_DIGITS = {"1": "L", "2": "P"}


def normalise_nip(value: str | None) -> str:
    """A NIP as stored: digits only. People write it grouped ("19850412 201001 1 003")."""
    return re.sub(r"\s+", "", _clean(value))


def validate_nip(nip: str | None) -> list[str]:
    """Problems of a NIP (Nomor Induk Pegawai of a civil servant, PP 11/2017 and BKN rules).

    Layout, 18 digits: ``YYYYMMDD YYYYMM S NNN`` = birth date, the month of appointment as
    CPNS (TMT), sex (1 man, 2 woman) and a serial number. Checks what can be checked without
    BKN: the length, a real birth date, a real appointment month after the birth, the sex
    digit and a serial above zero. Spaces between the groups are allowed.
    """
    text = normalise_nip(nip)
    if not text:
        return ["NIP belum diisi"]
    if not _DIGITS.fullmatch(text) or len(text) != NIP_LENGTH:
        return [f"NIP harus {NIP_LENGTH} digit angka (terisi {len(text)} karakter)"]
    errors: list[str] = []
    try:
        born = dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        born = None
        errors.append(f"Tanggal lahir pada NIP ({text[6:8]}-{text[4:6]}-{text[0:4]}) tidak valid")
    appointed_year, appointed_month = int(text[8:12]), int(text[12:14])
    if not 1 <= appointed_month <= 12 or appointed_year < 1900:
        errors.append(f"Bulan pengangkatan pada NIP ({text[12:14]}-{text[8:12]}) tidak valid")
    elif born is not None and (appointed_year, appointed_month) <= (born.year, born.month):
        errors.append("Bulan pengangkatan pada NIP harus sesudah tanggal lahir")
    if text[14] not in NIP_SEX_DIGITS:
        errors.append(f"Kode jenis kelamin pada NIP ({text[14]}) harus 1 atau 2")
    if text[15:18] == "000":
        errors.append("Nomor urut pada NIP tidak boleh 000")
    return errors
