"""The letterhead (kop surat) and the signature block of official outputs (E.81, Laporan
Kinerja, the health-assessment result, the service receipt), shared by their templates
`core/letterhead.html` and `core/signature.html`.

The letterhead comes from settings (``SIKUMI_LETTERHEAD_*``); the signing official from the
organisation: by default the holder of the Kepala Dinas role, or any active user with a NIP the
person printing picks (a Plt., a Sekretaris signing on behalf), through the ``penandatangan``
parameter of the print URL.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from sikumi.accounts.choices import RoleCode
from sikumi.accounts.models import User
from sikumi.rules.formatting import format_date

#: query parameter of every official print URL naming the signing official (a user id)
SIGNATORY_PARAM = "penandatangan"


@dataclass(frozen=True)
class Letterhead:
    """The kop surat: logo, government, office, address and contact lines."""

    government: str
    office: str
    address: str
    contact: str
    logo: str  # a data: URI (PDFs fetch nothing), empty without a logo

    @property
    def lines(self) -> list[str]:
        """The letterhead as text lines (XLSX header rows, page headers)."""
        return [x for x in (self.government, self.office, self.address, self.contact) if x]


@lru_cache(maxsize=4)
def _logo_data_uri(path: str, mtime: float) -> str:
    kind = mimetypes.guess_type(path)[0] or "image/png"
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f"data:{kind};base64,{data}"


def logo_path() -> Path | None:
    path = Path(str(settings.SIKUMI_LETTERHEAD_LOGO or ""))
    return path if str(path) not in ("", ".") and path.is_file() else None


def letterhead() -> Letterhead:
    contact = [
        f"Telp. {settings.SIKUMI_LETTERHEAD_PHONE}" if settings.SIKUMI_LETTERHEAD_PHONE else "",
        f"Email: {settings.SIKUMI_LETTERHEAD_EMAIL}" if settings.SIKUMI_LETTERHEAD_EMAIL else "",
        f"Laman: {settings.SIKUMI_LETTERHEAD_WEBSITE}"
        if settings.SIKUMI_LETTERHEAD_WEBSITE
        else "",
    ]
    path = logo_path()
    return Letterhead(
        government=settings.SIKUMI_LETTERHEAD_GOVERNMENT.strip(),
        office=settings.SIKUMI_LETTERHEAD_OFFICE.strip(),
        address=settings.SIKUMI_LETTERHEAD_ADDRESS.strip(),
        contact=" · ".join(x for x in contact if x),
        logo=_logo_data_uri(str(path), path.stat().st_mtime) if path else "",
    )


# --- the signing official ---------------------------------------------------------------------


def officials() -> QuerySet[User]:
    """Who may be named as the signing official: active users with a NIP."""
    return (
        User.objects.filter(is_active=True)
        .exclude(nip="")
        .order_by("first_name", "last_name", "username")
    )


def head_of_office() -> User | None:
    """The holder of the Kepala Dinas role (one with a NIP first)."""
    heads = list(User.objects.filter(is_active=True, roles__code=RoleCode.KEPALA).order_by("pk"))
    return next((u for u in heads if u.nip), heads[0] if heads else None)


def named_official(value: Any) -> User | None:
    """The official named by the ``penandatangan`` parameter when it is one of
    :func:`officials`; None when absent, not a number or someone else."""
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        return None
    return officials().filter(pk=pk).first()


def chosen_official(value: Any) -> User | None:
    """The official named by ``value`` (:func:`named_official`), else the head of office."""
    return named_official(value) or head_of_office()


def format_nip(nip: str) -> str:
    """An 18-digit NIP as printed on letters: 19700101 199003 1 001."""
    digits = nip.replace(" ", "")
    if len(digits) == 18 and digits.isdigit():
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return nip


def head_position() -> str:
    return f"KEPALA {settings.SIKUMI_LETTERHEAD_OFFICE} {settings.SIKUMI_LETTERHEAD_CITY}".strip()


def position_lines(text: str) -> list[str]:
    """A position in capitals, the city on a line of its own as on Indonesian letters:
    "Kepala Dinas Koperasi dan Usaha Mikro Kota Depok" -> ["KEPALA DINAS KOPERASI DAN USAHA
    MIKRO", "KOTA DEPOK"]."""
    upper = " ".join(text.split()).upper()
    city = " ".join(settings.SIKUMI_LETTERHEAD_CITY.split()).upper()
    if city and upper.endswith(" " + city):
        return [upper[: -len(city) - 1], city]
    return [upper] if upper else []


@dataclass(frozen=True)
class Signatory:
    """What the signature block prints: place and date, the position, the name, the NIP."""

    place: str
    date: dt.date
    position: list[str] = field(default_factory=list)
    name: str = ""
    nip: str = ""
    heading: str = ""  # a line above the position ("Yang menerima,")
    user_id: int | None = None

    @property
    def date_text(self) -> str:
        return format_date(self.date)

    @property
    def nip_text(self) -> str:
        return format_nip(self.nip)


def signatory(
    user: User | None, *, default_position: str = "", heading: str = "", on: dt.date | None = None
) -> Signatory:
    """The signature block of ``user`` (blank lines to sign by hand when there is nobody).
    Without a position of their own, the head of office signs as "KEPALA DINAS ... KOTA ...",
    anyone else with ``default_position``."""
    position = (user.position if user else "") or ""
    if not position.strip():
        is_head = user is None or RoleCode.KEPALA in user.role_codes()
        position = default_position or (head_position() if is_head else "")
    return Signatory(
        place=settings.SIKUMI_SIGNATURE_PLACE,
        date=on or timezone.localdate(),
        position=position_lines(position),
        name=(user.get_full_name() or user.username) if user else "",
        nip=user.nip if user else "",
        heading=heading,
        user_id=user.pk if user else None,
    )


def official_context(signer: Signatory) -> dict[str, Any]:
    """Context of the shared templates: ``letterhead`` and ``signatory``."""
    return {"letterhead": letterhead(), "signatory": signer}
