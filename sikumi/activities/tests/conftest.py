import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from sikumi.activities.models import Training


@dataclass
class World:
    persons: list[Any]
    enterprises: list[Any]
    cooperatives: list[Any]
    officials: list[Any]
    training: Training


# Kelurahan in two kecamatan: Kedaung (Sawangan) and Beji (Beji); one cooperative has none.
KEDAUNG = "32.76.03.1012"
BEJI = "32.76.06.1001"


@pytest.fixture
def world(personas, depok) -> World:
    from sikumi.cooperatives.models import Cooperative, CooperativeOfficial
    from sikumi.enterprises.models import Enterprise, Person
    from sikumi.regions.models import Region

    pemberdayaan = personas.unit("bidang-pemberdayaan")
    kelembagaan = personas.unit("bidang-kelembagaan")
    persons = [
        Person.objects.create(
            name="Siti Aminah", nik="3276034506850001", sex="P", owner_unit=pemberdayaan
        ),
        Person.objects.create(
            name="Budi Santoso", nik="3276061203800002", sex="L", owner_unit=pemberdayaan
        ),
        Person.objects.create(name="Dewi Lestari", sex="P", owner_unit=pemberdayaan),
    ]
    enterprises = [
        Enterprise.objects.create(
            name="Keripik Bu Siti",
            owner=persons[0],
            kelurahan=Region.objects.get(code=KEDAUNG),
            nib="1234567890123",
            owner_unit=pemberdayaan,
        ),
        Enterprise.objects.create(
            name="Batik Beji",
            owner=persons[1],
            kelurahan=Region.objects.get(code=BEJI),
            owner_unit=pemberdayaan,
        ),
    ]
    cooperatives = [
        Cooperative.objects.create(
            name="Koperasi Mawar Sejahtera",
            jenis="simpan_pinjam",
            kelurahan=Region.objects.get(code=KEDAUNG),
            owner_unit=kelembagaan,
        ),
        Cooperative.objects.create(
            name="Koperasi Melati",
            jenis="konsumen",
            kelurahan=Region.objects.get(code=BEJI),
            owner_unit=kelembagaan,
        ),
        Cooperative.objects.create(
            name="Koperasi Tanpa Alamat", jenis="jasa", owner_unit=kelembagaan
        ),
    ]
    officials = [
        CooperativeOfficial.objects.create(
            cooperative=cooperatives[0], role="pengurus", name="Hendra", nik="3276031111700003"
        ),
        CooperativeOfficial.objects.create(
            cooperative=cooperatives[0], role="manajer", name="Rina"
        ),
        CooperativeOfficial.objects.create(
            cooperative=cooperatives[1], role="pengurus", name="Joko"
        ),
        CooperativeOfficial.objects.create(
            cooperative=cooperatives[2], role="pengawas", name="Agus"
        ),
    ]
    training = Training.objects.create(
        topic="Pemasaran digital untuk usaha mikro",
        kind="pelatihan",
        starts_on=dt.date(2026, 3, 10),
        ends_on=dt.date(2026, 3, 12),
        place="Balai Pelatihan Koperasi (Balatkop)",
        target_group="usaha_mikro",
        year=2026,
        owner_unit=pemberdayaan,
    )
    return World(persons, enterprises, cooperatives, officials, training)
