"""The organisation chart holds the urusan: one Bidang per urusan (Depok) or a merged Bidang
("Bidang Kelembagaan dan Pengawasan"), and every app asks `unit_for_function` who owns what."""

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from sikumi.accounts import access, selectors, services
from sikumi.accounts.choices import RoleCode, UnitFunction
from sikumi.accounts.models import Role, Unit, User
from sikumi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

MERGED = Path(__file__).parent / "data" / "organisation-merged.yaml"


def _unit_form(unit, **changes):
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "kind": unit.kind,
        "parent": unit.parent_id or "",
        "order": unit.order,
        "functions": list(unit.functions),
        "duties": unit.duties,
        "version": unit.version,
    }
    data.update(changes)
    return data


# --- Depok: one Bidang per urusan ------------------------------------------------------------


def test_each_depok_urusan_is_held_by_its_bidang(personas):
    held = {code: selectors.unit_for_function(code).code for code in UnitFunction.values}
    assert held == {
        "perencanaan": "sekretariat",
        "kelembagaan": "bidang-kelembagaan",
        "sdm": "bidang-kelembagaan",
        "pengawasan": "bidang-pengawasan",
        "pemberdayaan": "bidang-pemberdayaan",
    }
    assert selectors.unassigned_functions() == []


def test_the_unit_tree_shows_the_urusan_of_each_unit(personas, client_for):
    html = client_for(personas.kartika).get(reverse("accounts:units")).content.decode()
    assert "Pengawasan koperasi dan penilaian kesehatan" in html
    assert "Pemberdayaan dan pengembangan usaha mikro" in html
    assert "belum dipegang" not in html


def test_an_urusan_held_by_another_active_unit_is_refused_in_indonesian(personas, client_for):
    pengawasan = Unit.objects.get(code="bidang-pengawasan")
    response = client_for(personas.ani).post(
        reverse("accounts:unit-edit", args=[pengawasan.pk]),
        _unit_form(pengawasan, functions=["pengawasan", "kelembagaan"]),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Urusan “Kelembagaan koperasi (registri, layanan kelembagaan)” sudah dipegang oleh "
        "Bidang Kelembagaan dan SDM" in html
    )
    pengawasan.refresh_from_db()
    assert pengawasan.functions == ["pengawasan"]


def test_the_unit_form_shows_which_urusan_nobody_holds(personas, client_for):
    kelembagaan = Unit.objects.get(code="bidang-kelembagaan")
    client = client_for(personas.ani)
    response = client.post(
        reverse("accounts:unit-edit", args=[kelembagaan.pk]),
        _unit_form(kelembagaan, functions=["kelembagaan"]),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(object_id=str(kelembagaan.pk), action="update").get()
    assert (entry.before["functions"], entry.after["functions"]) == (
        ["kelembagaan", "sdm"],
        ["kelembagaan"],
    )
    form = client.get(reverse("accounts:unit-edit", args=[kelembagaan.pk])).content.decode()
    assert "Belum dipegang unit mana pun: SDM koperasi dan usaha mikro" in form
    assert "SDM koperasi dan usaha mikro (belum dipegang unit mana pun)" in form
    assert "Kelembagaan koperasi (registri, layanan kelembagaan) (dipegang unit ini)" in form
    assert "Pengawasan koperasi dan penilaian kesehatan (dipegang Bidang Pengawasan" in form
    tree = client.get(reverse("accounts:units")).content.decode()
    assert "Urusan yang belum dipegang unit mana pun" in tree


def _with(unit, **changes):
    for name, value in changes.items():
        setattr(unit, name, value)
    return unit


@pytest.fixture
def uptd_with_sdm(personas):
    kelembagaan = Unit.objects.get(code="bidang-kelembagaan")
    services.unit_save(
        actor=personas.ani,
        unit=_with(kelembagaan, functions=["kelembagaan"]),
        expected_version=kelembagaan.version,
    )
    uptd = Unit.objects.get(code="uptd-balatkop")
    return services.unit_save(
        actor=personas.ani, unit=_with(uptd, functions=["sdm"]), expected_version=uptd.version
    )


def test_an_urusan_moves_to_another_unit_once_released(uptd_with_sdm):
    assert selectors.unit_for_function(UnitFunction.SDM) == uptd_with_sdm


def test_archiving_a_unit_that_holds_an_urusan_is_refused(personas, client_for, uptd_with_sdm):
    client = client_for(personas.ani)
    response = client.post(reverse("accounts:unit-archive", args=[uptd_with_sdm.pk]), follow=True)
    assert "masih memegang urusan SDM koperasi dan usaha mikro" in response.content.decode()
    uptd_with_sdm.refresh_from_db()
    assert uptd_with_sdm.archived_at is None


def test_the_owner_of_an_urusan_is_cached_and_dropped_when_a_unit_is_saved(
    personas, django_assert_num_queries
):
    first = selectors.unit_for_function(UnitFunction.PENGAWASAN)
    with django_assert_num_queries(0):
        assert selectors.unit_for_function(UnitFunction.PENGAWASAN) == first
    kelembagaan = Unit.objects.get(code="bidang-kelembagaan")
    pengawasan = Unit.objects.get(code="bidang-pengawasan")
    services.unit_save(
        actor=personas.ani,
        unit=_with(pengawasan, functions=[]),
        expected_version=pengawasan.version,
    )
    assert selectors.unit_for_function(UnitFunction.PENGAWASAN) is None
    services.unit_save(
        actor=personas.ani,
        unit=_with(kelembagaan, functions=["kelembagaan", "sdm", "pengawasan"]),
        expected_version=kelembagaan.version,
    )
    assert selectors.unit_for_function(UnitFunction.PENGAWASAN) == kelembagaan


def test_the_renstra_program_table_names_units_as_the_chart_does(personas, tmp_path):
    from sikumi.plans.document import load_document
    from sikumi.plans.exports import export_table
    from sikumi.plans.loader import DEFAULT_FOLDER

    def unit_cells():
        out = tmp_path / "program.xlsx"
        export_table(load_document(DEFAULT_FOLDER), "program", "xlsx", out)
        sheet = openpyxl.load_workbook(out).active
        header = next(r for r in sheet.iter_rows() if r[0].value == "Kode")
        column = next(c.column for c in header if c.value == "Unit Penanggung Jawab")
        return {row[column - 1].value for row in sheet.iter_rows(min_row=header[0].row + 3)} - {
            None,
            "",
        }

    assert {"Bidang Pengawasan", "Bidang Pemberdayaan", "Bidang Kelembagaan"} <= unit_cells()
    pengawasan = Unit.objects.get(code="bidang-pengawasan")
    services.unit_save(
        actor=personas.ani,
        unit=_with(pengawasan, short_name="Bidang Wasdal"),
        expected_version=pengawasan.version,
    )
    cells = unit_cells()
    assert "Bidang Wasdal" in cells and "Bidang Pengawasan" not in cells


# --- a merged Bidang Kelembagaan dan Pengawasan ----------------------------------------------


def _user(username, unit_code, role):
    user = User.objects.create_user(
        username=username,
        password="rahasia-uji-123",
        first_name=username.title(),
        unit=Unit.objects.get(code=unit_code),
    )
    user.roles.set(Role.objects.filter(code=role))
    return user


@pytest.fixture
def merged(db):
    """Another Dinas' chart in place of Depok's: Depok's units are archived (as an
    administrator would after reorganising), the merged chart is loaded from its file."""
    Unit.objects.update(archived_at=timezone.now())
    selectors.invalidate_organisation()
    services.organisation_load(path=MERGED)
    return {
        "rina": _user("rina", "seksi-kelembagaan-perizinan", RoleCode.STAF),
        "dodi": _user("dodi", "seksi-pemeriksaan", RoleCode.STAF),
        "bayu": _user("bayu", "bidang-kelembagaan-pengawasan", RoleCode.PIMPINAN),
        "umi": _user("umi", "seksi-usaha-mikro", RoleCode.STAF),
        "pak": _user("pak", "bidang-usaha-mikro", RoleCode.PIMPINAN),
    }


def test_a_merged_bidang_owns_cooperatives_service_cases_and_inspections(merged, client_for, depok):
    from sikumi.cooperatives.models import Cooperative
    from sikumi.cooperatives.services import cooperative_create
    from sikumi.enterprises.models import Enterprise
    from sikumi.enterprises.services import enterprise_create
    from sikumi.supervision import services as supervision
    from sikumi.supervision.models import ChecklistTemplate, Inspection, ServiceCase

    bidang = Unit.objects.get(code="bidang-kelembagaan-pengawasan")
    assert selectors.unit_for_function(UnitFunction.KELEMBAGAAN) == bidang
    assert selectors.unit_for_function(UnitFunction.PENGAWASAN) == bidang

    # New records of both urusan get the merged Bidang as their owner, whoever of it enters them.
    coop = cooperative_create(
        actor=merged["rina"],
        cooperative=Cooperative(name="KSP Melati", jenis="simpan_pinjam", phone="0217770001"),
    )
    case = supervision.case_create(
        actor=merged["rina"],
        case=ServiceCase(
            kind="iusp", cooperative=coop, applicant_name="Sinta", requested_on=dt.date(2026, 3, 2)
        ),
    )
    inspection = supervision.inspection_create(
        actor=merged["dodi"],
        inspection=Inspection(
            cooperative=coop,
            date=dt.date(2026, 5, 4),
            checklist=ChecklistTemplate.objects.get(code="kepatuhan-ksp"),
        ),
        answers={},
    )
    assert coop.owner_unit == case.owner_unit == inspection.owner_unit == bidang
    business = enterprise_create(
        actor=merged["umi"],
        enterprise=Enterprise(
            name="Warung Umi", kelurahan_id="32.76.03.1012", capital=Decimal("5000000")
        ),
        owner={"name": "Umi Kalsum", "sex": "P"},
    )
    assert business.owner_unit.code == "bidang-usaha-mikro"

    # Its staff and Pimpinan edit and verify both urusan; the other Bidang does not.
    bayu, dodi, rina, umi, pak = (merged[k] for k in ("bayu", "dodi", "rina", "umi", "pak"))
    for record in (coop, case, inspection):
        assert access.can_edit(rina, record) and access.can_edit(dodi, record)
        assert access.can_verify(bayu, record)
        assert access.can_view_personal_data(dodi, record)
        assert not access.can_edit(umi, record) and not access.can_verify(pak, record)
        assert not access.can_view_personal_data(umi, record)
    pages = [
        reverse("cooperatives:edit", args=[coop.pk]),
        reverse("supervision:case-edit", args=[case.pk]),
        reverse("supervision:inspection-edit", args=[inspection.pk]),
    ]
    for url in pages:
        assert client_for(dodi).get(url).status_code == 200, url
        assert client_for(bayu).get(url).status_code == 200, url
        assert client_for(umi).get(url).status_code == 403, url


def test_the_merged_chart_shows_its_urusan_and_leaves_none_unassigned(merged, client_for):
    admin = _user("adi", "sekretariat-dinas", RoleCode.ADMIN)
    html = client_for(admin).get(reverse("accounts:units")).content.decode()
    assert "Bidang Kelembagaan dan Pengawasan" in html
    assert (
        "Kelembagaan koperasi (registri, layanan kelembagaan); Pengawasan koperasi dan "
        "penilaian kesehatan" in html
    )
    assert "Urusan yang belum dipegang" not in html


def test_an_administrator_merges_two_bidang_on_the_pages(personas, client_for):
    """Depok reorganised through Pengaturan: Bidang Pengawasan's urusan and Seksi move to
    Bidang Kelembagaan, renamed; Wawan's new inspections then belong to the merged Bidang."""
    from sikumi.cooperatives.models import Cooperative
    from sikumi.supervision import services as supervision
    from sikumi.supervision.models import ChecklistTemplate, Inspection

    client = client_for(personas.ani)
    pengawasan = Unit.objects.get(code="bidang-pengawasan")
    kelembagaan = Unit.objects.get(code="bidang-kelembagaan")
    seksi = Unit.objects.get(code="seksi-pengawasan")
    edit = "accounts:unit-edit"
    steps: list[tuple[Unit, dict[str, Any]]] = [
        (pengawasan, {"functions": []}),
        (
            kelembagaan,
            {
                "name": "Bidang Kelembagaan dan Pengawasan",
                "functions": ["kelembagaan", "sdm", "pengawasan"],
            },
        ),
        (seksi, {"parent": kelembagaan.pk}),
    ]
    for unit, changes in steps:
        unit.refresh_from_db()
        response = client.post(reverse(edit, args=[unit.pk]), _unit_form(unit, **changes))
        assert response.status_code == 302, response.content.decode()[:2000]
    personas.wawan.refresh_from_db()
    assert access.user_bidang(personas.wawan) == kelembagaan
    coop = Cooperative.objects.create(name="KSP Kenanga", jenis="simpan_pinjam")
    inspection = supervision.inspection_create(
        actor=personas.wawan,
        inspection=Inspection(
            cooperative=coop,
            date=dt.date(2026, 6, 1),
            checklist=ChecklistTemplate.objects.get(code="kepatuhan-ksp"),
        ),
        answers={},
    )
    assert inspection.owner_unit == kelembagaan
    assert coop.owner_unit == kelembagaan
    assert access.can_edit(personas.kiki, inspection)
    assert not access.can_verify(personas.wulan, inspection)  # still Pimpinan of the old one


def test_the_migration_gives_existing_depok_units_their_urusan_once(db):
    """Databases created before units carried urusan get them by code; a unit an
    administrator already set is left alone and no urusan is given twice."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("sikumi.accounts.migrations.0004_unit_functions_depok")
    Unit.objects.update(functions=[], short_name="")
    Unit.objects.filter(code="uptd-balatkop").update(functions=["sdm"])
    migration.forwards(apps, None)
    held = dict(Unit.objects.exclude(functions=[]).values_list("code", "functions"))
    assert held == {
        "sekretariat": ["perencanaan"],
        "bidang-kelembagaan": ["kelembagaan"],
        "bidang-pemberdayaan": ["pemberdayaan"],
        "bidang-pengawasan": ["pengawasan"],
        "uptd-balatkop": ["sdm"],
    }
    assert Unit.objects.get(code="bidang-pengawasan").short_name == "Bidang Pengawasan"
