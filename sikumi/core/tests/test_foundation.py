import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from sikumi.accounts import access
from sikumi.accounts.models import Unit
from sikumi.audit.models import AuditEntry
from sikumi.core.testing import PASSWORD
from sikumi.documents.models import Document
from sikumi.regions.models import Region

pytestmark = pytest.mark.django_db


# --- permissions: one persona per role, plus a Staf of another Bidang ---------------------


@pytest.fixture
def records(personas):
    def doc(unit_code):
        return Document.objects.create(
            title=f"Dok {unit_code}",
            category="laporan",
            date=dt.date(2026, 1, 2),
            owner_unit=personas.unit(unit_code),
        )

    return {"pengawasan": doc("seksi-pengawasan"), "pemberdayaan": doc("bidang-pemberdayaan")}


@pytest.mark.parametrize(
    ("persona", "can_edit_pengawasan", "can_edit_pemberdayaan", "can_audit", "can_plan", "can_org"),
    [
        ("ani", True, True, True, True, True),  # Administrator
        ("kartika", False, False, True, False, False),  # Kepala Dinas: reads, approves
        ("putri", False, False, False, True, False),  # Perencana
        ("wulan", True, False, False, False, False),  # Pimpinan Bidang Pengawasan
        ("wawan", True, False, False, False, False),  # Staf Bidang Pengawasan
        (
            "sari",
            False,
            True,
            False,
            False,
            False,
        ),  # Staf Bidang Pemberdayaan: refused on Pengawasan
        ("aulia", False, False, True, False, False),  # Auditor: reads, changes nothing
    ],
)
def test_each_role_may_do_exactly_what_its_role_allows(
    personas,
    records,
    persona,
    can_edit_pengawasan,
    can_edit_pemberdayaan,
    can_audit,
    can_plan,
    can_org,
):
    user = getattr(personas, persona)
    assert access.can_view(user, records["pengawasan"])
    assert access.can_edit(user, records["pengawasan"]) is can_edit_pengawasan
    assert access.can_edit(user, records["pemberdayaan"]) is can_edit_pemberdayaan
    assert access.can_view_audit(user) is can_audit
    assert access.can_manage_plan(user) is can_plan
    assert access.can_manage_organisation(user) is can_org


def test_the_public_sees_no_internal_page(client, records):
    for url in [
        reverse("home"),
        reverse("documents:list"),
        reverse("audit:list"),
        "/api/documents/",
    ]:
        response = client.get(url)
        assert response.status_code in (302, 401, 403), url
    assert not access.can_view(None, records["pengawasan"])


def test_nobody_approves_their_own_submission(personas):
    assert access.can_approve(personas.kartika, object(), submitted_by=personas.sari)
    assert not access.can_approve(personas.putri, object(), submitted_by=personas.putri)
    assert not access.can_approve(personas.sari, object(), submitted_by=personas.wawan)


def test_the_auditor_browses_the_trail_by_user_and_period(personas, records, client_for):
    from sikumi.documents.services import document_update

    doc = records["pengawasan"]
    doc.title = "Judul baru"
    document_update(actor=personas.wawan, document=doc, expected_version=doc.version)
    client = client_for(personas.aulia)
    today = dt.date.today().isoformat()
    page = client.get(
        reverse("audit:list"), {"actor": personas.wawan.pk, "date_from": today, "date_to": today}
    ).content.decode()
    assert "Judul baru" in page
    empty = client.get(reverse("audit:list"), {"actor": personas.sari.pk}).content.decode()
    assert "Judul baru" not in empty
    assert client_for(personas.sari).get(reverse("audit:list")).status_code == 403


# --- login ------------------------------------------------------------------------------


def test_login_is_throttled_after_repeated_failures_with_a_clear_message(personas, client):
    url = reverse("login")
    for _ in range(5):
        response = client.post(url, {"username": "sari", "password": "salah"})
        assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    response = client.post(url, {"username": "sari", "password": PASSWORD})
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_logs_in(personas, client):
    response = client.post(reverse("login"), {"username": "sari", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.sari.pk)


def test_the_first_administrator_gets_a_generated_password_once(db, capsys):
    from django.core.management import call_command

    call_command("load_organisation")
    call_command("ensure_admin")
    out = capsys.readouterr().out
    password = out.split("kata sandi  : ")[1].split()[0]
    assert len(password) >= 12
    from django.contrib.auth import authenticate

    assert authenticate(username="admin", password=password) is not None
    call_command("ensure_admin")
    assert "sudah ada" in capsys.readouterr().out


# --- organisation and regions -------------------------------------------------------------


def test_the_organisation_is_loaded_as_a_tree(personas):
    kepala = Unit.objects.get(code="kepala-dinas")
    bidang = Unit.objects.filter(kind="bidang", parent=kepala)
    assert sorted(b.name for b in bidang) == [
        "Bidang Kelembagaan dan SDM",
        "Bidang Pemberdayaan dan Pengembangan Usaha Mikro",
        "Bidang Pengawasan dan Bina Usaha",
    ]
    assert all(b.children.filter(kind="seksi").count() == 2 for b in bidang)
    assert Unit.objects.get(code="seksi-pengawasan").bidang.code == "bidang-pengawasan"
    assert Unit.objects.filter(kind="uptd").exists()
    assert Unit.objects.filter(kind="fungsional").exists()


def test_an_administrator_edits_the_tree_and_others_cannot(personas, client_for):
    sekretariat = Unit.objects.get(code="sekretariat")
    data = {
        "name": "Sub Bagian Kepegawaian",
        "code": "subbag-kepegawaian",
        "kind": "subbagian",
        "parent": sekretariat.pk,
        "order": 3,
        "duties": "",
    }
    assert client_for(personas.sari).post(reverse("accounts:unit-create"), data).status_code == 403
    assert not Unit.objects.filter(code="subbag-kepegawaian").exists()
    response = client_for(personas.ani).post(reverse("accounts:unit-create"), data)
    assert response.status_code == 302
    unit = Unit.objects.get(code="subbag-kepegawaian")
    assert unit.parent == sekretariat
    assert AuditEntry.objects.filter(action="create", object_id=str(unit.pk)).exists()
    tree = client_for(personas.kartika).get(reverse("accounts:units")).content.decode()
    assert "Sub Bagian Kepegawaian" in tree


def test_depok_has_11_kecamatan_and_63_kelurahan_keyed_by_code(depok):
    from sikumi.regions.selectors import kecamatan_list, kelurahan_list

    assert kecamatan_list().count() == 11
    assert kelurahan_list().count() == 63
    curug = Region.objects.filter(name="Curug", code__startswith="32.76.")
    assert sorted(c.parent.name for c in curug) == ["Bojongsari", "Cimanggis"]
    kedaung = Region.objects.get(code="32.76.03.1012")
    assert (kedaung.name, kedaung.parent.name) == ("Kedaung", "Sawangan")
    assert kedaung.boundary.geometry["type"] in ("Polygon", "MultiPolygon")
    assert Region.objects.get(code="32.76.01").boundary.geometry is not None


def test_the_whole_country_loads_from_the_csv(db):
    from sikumi.regions.services import regions_load

    regions_load()
    assert Region.objects.count() == 91599
    assert Region.objects.filter(level=4).count() > 80000
    assert regions_load() == 0  # idempotent


def test_the_kecamatan_boundaries_are_served_as_geojson(depok, client):
    data = client.get(reverse("regions:boundaries", args=["kecamatan"])).json()
    assert len(data["features"]) == 11


# --- formats, language, security ----------------------------------------------------------


def test_numbers_money_and_dates_are_written_the_indonesian_way():
    with translation.override("id"):
        out = Template(
            "{% load sikumi %}{{ n|angka:2 }} | {{ m|rupiah }} | {{ p|persen }} | "
            '{{ d|date:"j F Y" }}'
        ).render(
            Context(
                {
                    "n": Decimal("1234567.891"),
                    "m": 1234567,
                    "p": Decimal("87.5"),
                    "d": dt.date(2026, 8, 17),
                }
            )
        )
    assert out == "1.234.567,89 | Rp 1.234.567 | 87,50% | 17 Agustus 2026"


def test_the_login_page_is_in_bahasa_indonesia_by_default_and_english_is_available(client):
    page = client.get(reverse("login")).content.decode()
    assert "Masuk ke Sikumi" in page
    assert 'lang="id"' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/masuk/"})
    english = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in english
    assert "Sign in to Sikumi" in english


def test_pages_carry_a_strict_csp_and_forms_need_csrf(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.get(reverse("login"))
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert (
        client.post(reverse("login"), {"username": "sari", "password": PASSWORD}).status_code == 403
    )


def test_debug_is_off_and_cookies_are_secure_by_default(settings):
    from config import settings as config_settings

    assert config_settings.DEBUG is False
    assert config_settings.SESSION_COOKIE_SECURE is True
    assert config_settings.CSRF_COOKIE_SECURE is True


def test_the_health_endpoint_reports_the_database(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_the_api_has_an_openapi_schema_and_a_documentation_page(personas, client_for):
    client = client_for(personas.kartika)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/documents/" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_an_api_token_authenticates(personas, client):
    from sikumi.accounts.tokens import token_create

    _token, key = token_create(user=personas.wawan)
    response = client.get("/api/documents/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


@override_settings(DEBUG=False)
def test_an_unknown_page_is_a_friendly_404(personas, client_for):
    response = client_for(personas.sari).get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_colleagues_behind_one_address_are_not_locked_out_by_someone_elses_typos(personas, client):
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"username": "sari", "password": "salah"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(url, {"username": "wawan", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302


def test_one_address_trying_many_accounts_is_stopped(personas, client):
    url = reverse("login")
    for i in range(50):
        client.post(url, {"username": f"tebak{i}", "password": "salah"}, REMOTE_ADDR="10.0.0.66")
    response = client.post(
        url, {"username": "wawan", "password": PASSWORD}, REMOTE_ADDR="10.0.0.66"
    )
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
