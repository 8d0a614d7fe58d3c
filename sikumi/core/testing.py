"""Named personas, one per role, shared by every app's tests (after healthchecks' hc/test.py).

- Ani: Administrator.
- Kartika: Kepala Dinas (reads everything, approves).
- Putri: Perencana in the Sekretariat.
- Pandu: Pimpinan Bidang Pemberdayaan.     - Wulan: Pimpinan Bidang Pengawasan.
- Sari: Staf Bidang Pemberdayaan.          - Wawan: Staf Bidang Pengawasan.
- Kiki: Staf Bidang Kelembagaan.
- Aulia: Auditor/Inspektorat (reads everything, changes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from sikumi.accounts.choices import RoleCode
from sikumi.accounts.models import Role, Unit, User
from sikumi.accounts.services import organisation_load
from sikumi.regions.services import boundaries_load, regions_load

PASSWORD = "rahasia-uji-123"


@dataclass
class Personas:
    ani: User
    kartika: User
    putri: User
    pandu: User
    wulan: User
    sari: User
    wawan: User
    kiki: User
    aulia: User

    @staticmethod
    def unit(code: str) -> Unit:
        return Unit.objects.get(code=code)


def _user(username: str, first: str, unit_code: str, *roles: str) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        first_name=first,
        unit=Unit.objects.get(code=unit_code),
    )
    user.roles.set(Role.objects.filter(code__in=roles))
    return user


def make_personas() -> Personas:
    organisation_load()
    return Personas(
        ani=_user("ani", "Ani", "subbag-umum-perencanaan", RoleCode.ADMIN),
        kartika=_user("kartika", "Kartika", "kepala-dinas", RoleCode.KEPALA),
        putri=_user("putri", "Putri", "subbag-umum-perencanaan", RoleCode.PERENCANA),
        pandu=_user("pandu", "Pandu", "bidang-pemberdayaan", RoleCode.PIMPINAN),
        wulan=_user("wulan", "Wulan", "bidang-pengawasan", RoleCode.PIMPINAN),
        sari=_user("sari", "Sari", "seksi-pemberdayaan-um", RoleCode.STAF),
        wawan=_user("wawan", "Wawan", "seksi-pengawasan", RoleCode.STAF),
        kiki=_user("kiki", "Kiki", "seksi-kelembagaan", RoleCode.STAF),
        aulia=_user("aulia", "Aulia", "kepala-dinas", RoleCode.AUDITOR),
    )


def load_depok_regions() -> None:
    """Depok's kecamatan and kelurahan (and their province/city) with boundaries."""
    from sikumi.regions.models import RegionBoundary

    loaded = RegionBoundary.objects.filter(region__code__startswith="32.76.").count()
    if loaded == 11 + 63:
        return
    regions_load(only="32.76")
    boundaries_load()
