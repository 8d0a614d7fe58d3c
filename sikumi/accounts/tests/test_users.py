"""Administrators manage users on Sikumi's own pages: unit and roles first, then the person;
(de)activation, temporary passwords and one-time links, all audited without a password hash."""

import json
import re

import pytest
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import formats, timezone, translation

from sikumi.accounts import services
from sikumi.accounts.choices import RoleCode
from sikumi.accounts.models import Role, Unit, User
from sikumi.audit.models import AuditEntry
from sikumi.core.testing import PASSWORD

pytestmark = pytest.mark.django_db

NIP = "198504122010011003"
NEW_PASSWORD = "Kopi-Tubruk-2026!"


def _role(code):
    return Role.objects.get(code=code).pk


def _create_data(**changes):
    data = {
        "unit": Unit.objects.get(code="seksi-pengawasan").pk,
        "roles": [_role(RoleCode.STAF)],
        "first_name": "Dewi",
        "last_name": "Lestari",
        "username": "dewi",
        "nip": "19850412 201001 1 003",
        "position": "Pengawas Koperasi",
        "email": "dewi@depok.go.id",
        "phone": "081298765432",
        "password": "Sementara-2026!",
        "password_again": "Sementara-2026!",
    }
    data.update(changes)
    return data


def _edit_data(user, **changes):
    data = {
        "unit": user.unit_id,
        "roles": [r.pk for r in user.roles.all()],
        "first_name": user.first_name,
        "last_name": user.last_name,
        "username": user.username,
        "nip": user.nip,
        "position": user.position,
        "email": user.email,
        "phone": user.phone,
        "version": user.version,
    }
    data.update(changes)
    return data


def _user_entries(user):
    return AuditEntry.objects.filter(content_type__model="user", object_id=str(user.pk))


def _assert_no_secret_in_the_trail(user):
    user.refresh_from_db()
    for entry in _user_entries(user):
        dumped = json.dumps([entry.before, entry.after, entry.note])
        assert "password" not in (entry.before or {}) and "password" not in (entry.after or {})
        assert user.password not in dumped
        assert "md5$" not in dumped and "pbkdf2" not in dumped


# --- create ---------------------------------------------------------------------------------


def test_the_create_form_asks_for_unit_and_roles_first(personas, client_for):
    html = client_for(personas.ani).get(reverse("accounts:user-create")).content.decode()
    names = re.findall(r'name="(\w+)"', html)
    fields = [n for n in names if n in ("unit", "roles", "first_name", "username", "nip")]
    assert fields[:2] == ["unit", "roles"]
    assert fields.index("roles") < fields.index("first_name") < fields.index("nip")
    assert "Staf Bidang" in html and "Seksi Pengawasan Koperasi dan Usaha Mikro" in html


def test_an_administrator_creates_a_user_with_a_temporary_password(personas, client_for):
    response = client_for(personas.ani).post(reverse("accounts:user-create"), _create_data())
    dewi = User.objects.get(username="dewi")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user-detail", args=[dewi.pk])
    assert dewi.unit.code == "seksi-pengawasan"
    assert dewi.role_codes() == {RoleCode.STAF}
    assert dewi.nip == NIP  # stored without the spaces it was typed with
    assert dewi.must_change_password
    assert authenticate(username="dewi", password="Sementara-2026!") == dewi
    entry = _user_entries(dewi).get(action="create")
    assert entry.actor == personas.ani
    assert entry.after["roles"] == ["staf"] and entry.after["unit_id"] == dewi.unit_id
    assert entry.note == "Dengan kata sandi sementara."
    _assert_no_secret_in_the_trail(dewi)
    detail = client_for(personas.ani).get(response["Location"]).content.decode()
    for text in ("Dewi Lestari", "Staf Bidang", NIP, "Pengawas Koperasi", "0812*****432"):
        assert text in detail
    assert "Sementara: wajib diganti saat masuk berikutnya." in detail
    assert "081298765432" not in detail


def test_a_user_created_without_a_password_cannot_log_in_until_given_one(personas, client_for):
    response = client_for(personas.ani).post(
        reverse("accounts:user-create"),
        _create_data(password="", password_again=""),
        follow=True,
    )
    html = response.content.decode()
    assert "buat tautan sekali pakai atau atur kata sandi sementara" in html
    dewi = User.objects.get(username="dewi")
    assert not dewi.has_usable_password()
    assert "Belum diatur" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"nip": "1985041220100110"}, "nip", "NIP harus 18 digit angka (terisi 16 karakter)."),
        ({"nip": "198502302010011003"}, "nip", "Tanggal lahir pada NIP (30-02-1985) tidak valid."),
        ({"roles": []}, "roles", "Pilih sedikitnya satu peran."),
        ({"unit": ""}, "unit", "Pilih unit kerja pengguna ini."),
        ({"username": "sari"}, "username", "sudah"),
        ({"phone": "12ab"}, "phone", "HP"),
        ({"password_again": "lain"}, "password_again", "Kedua kata sandi tidak sama."),
        ({"password": "12345678", "password_again": "12345678"}, "password", "angka"),
        ({"unit": "kepala-dinas"}, "unit", "Staf dan Pimpinan Bidang bekerja di sebuah Bidang"),
    ],
)
def test_bad_input_is_refused_with_an_indonesian_message(
    personas, client_for, changes, field, message
):
    if changes.get("unit") == "kepala-dinas":
        changes = {"unit": Unit.objects.get(code="kepala-dinas").pk}
    response = client_for(personas.ani).post(
        reverse("accounts:user-create"), _create_data(**changes)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in e for e in errors[field]), errors[field]
    assert not User.objects.filter(username="dewi").exists()


def test_a_nip_is_given_to_one_user_only(personas, client_for):
    client = client_for(personas.ani)
    assert client.post(reverse("accounts:user-create"), _create_data()).status_code == 302
    response = client.post(
        reverse("accounts:user-create"), _create_data(username="dewi2", email="")
    )
    assert response.context["form"].errors["nip"] == ["NIP ini sudah dipakai pengguna lain."]


# --- list -----------------------------------------------------------------------------------


def test_the_list_searches_filters_and_shows_unit_roles_status_and_last_login(
    personas, client_for, django_assert_max_num_queries
):
    client = client_for(personas.ani)
    client.post(reverse("accounts:user-create"), _create_data())
    sari = personas.sari
    sari.is_active = False
    sari.save()
    url = reverse("accounts:users")
    html = client.get(url).content.decode()
    for text in ("Dewi Lestari", "Seksi Pengawasan Koperasi dan Usaha Mikro", "Staf Bidang"):
        assert text in html
    assert "Nonaktif" in html

    def names(params):
        page = client.get(url, params).content.decode()
        return set(re.findall(r'href="/organisasi/pengguna/\d+/">([^<]+)<', page))

    assert names({"q": "dewi les"}) == {"Dewi Lestari"}
    assert names({"q": "19850412"}) == {"Dewi Lestari"}
    assert names({"q": "198504 12"}) == {"Dewi Lestari"}
    seksi = Unit.objects.get(code="seksi-pengawasan")
    assert names({"unit": seksi.pk}) == {"Wawan", "Dewi Lestari"}
    assert names({"role": _role(RoleCode.PIMPINAN)}) == {"Pandu", "Wulan"}
    assert names({"is_active": "false"}) == {"Sari"}
    # Last login, written the Indonesian way (logging in sets it).
    client.force_login(personas.ani)
    personas.ani.refresh_from_db()
    html = client.get(url, {"q": "ani"}).content.decode()
    with translation.override("id"):
        shown = formats.date_format(timezone.localtime(personas.ani.last_login), "j F Y H.i")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ 20\d\d \d\d\.\d\d", shown)
    assert shown in html
    # No query per row: forty more users cost nothing more.
    for i in range(40):
        user = User.objects.create_user(username=f"uji{i}", first_name=f"Uji {i}")
        user.roles.set([_role(RoleCode.STAF)])
    with django_assert_max_num_queries(12):
        client.get(url)


def test_only_administrators_open_the_user_pages(personas, client_for):
    client = client_for(personas.sari)
    assert client.get(reverse("accounts:users")).status_code == 403
    assert client.get(reverse("accounts:user-create")).status_code == 403
    assert client.post(reverse("accounts:user-create"), _create_data()).status_code == 403
    assert client.get(reverse("accounts:user-detail", args=[personas.wawan.pk])).status_code == 403
    assert not User.objects.filter(username="dewi").exists()
    home = client.get(reverse("home")).content.decode()
    assert "Ubah kata sandi" in home and "Pengguna dan peran" not in home
    admin_home = client_for(personas.ani).get(reverse("home")).content.decode()
    assert f'href="{reverse("accounts:users")}"' in admin_home


# --- edit -----------------------------------------------------------------------------------


def test_an_administrator_moves_a_user_and_changes_roles(personas, client_for):
    sari = personas.sari
    response = client_for(personas.ani).post(
        reverse("accounts:user-edit", args=[sari.pk]),
        _edit_data(
            sari,
            unit=Unit.objects.get(code="bidang-pemberdayaan").pk,
            roles=[_role(RoleCode.PIMPINAN)],
            nip=NIP,
        ),
    )
    assert response.status_code == 302
    sari = User.objects.get(pk=sari.pk)
    assert (sari.unit.code, sari.role_codes(), sari.version) == (
        "bidang-pemberdayaan",
        {"pimpinan"},
        2,
    )
    entry = _user_entries(sari).get(action="update")
    assert (entry.before["roles"], entry.after["roles"]) == (["staf"], ["pimpinan"])
    assert entry.after["nip"] == NIP
    _assert_no_secret_in_the_trail(sari)


def test_a_stale_edit_is_refused(personas, client_for):
    sari = personas.sari
    stale = _edit_data(sari, position="Analis")
    client = client_for(personas.ani)
    client.post(reverse("accounts:user-edit", args=[sari.pk]), _edit_data(sari, position="Staf"))
    response = client.post(reverse("accounts:user-edit", args=[sari.pk]), stale)
    assert response.status_code == 200
    assert "sudah diubah oleh ani" in response.content.decode()
    assert User.objects.get(pk=sari.pk).position == "Staf"


def test_the_edit_form_shows_the_phone_in_full_and_records_it(personas, client_for):
    sari = personas.sari
    sari.phone = "081211112222"
    sari.save()
    html = client_for(personas.ani).get(reverse("accounts:user-edit", args=[sari.pk]))
    assert "081211112222" in html.content.decode()
    assert AuditEntry.objects.filter(personal_data=True, object_id=str(sari.pk)).count() == 1


# --- (de)activation -------------------------------------------------------------------------


def test_a_deactivated_user_cannot_log_in_until_reactivated(personas, client_for):
    from django.test import Client

    sari = personas.sari
    her_browser = Client()
    her_browser.force_login(sari)
    assert her_browser.get(reverse("home")).status_code == 200
    admin = client_for(personas.ani)
    detail = admin.get(reverse("accounts:user-detail", args=[sari.pk])).content.decode()
    assert 'data-confirm="Nonaktifkan Sari? Ia tidak dapat masuk lagi' in detail
    url = reverse("accounts:user-set-active", args=[sari.pk])
    response = admin.post(url, {"active": "0", "version": sari.version}, follow=True)
    assert "Pengguna dinonaktifkan." in response.content.decode()
    assert authenticate(username="sari", password=PASSWORD) is None
    # Her open session ends with it.
    assert her_browser.get(reverse("home"))["Location"].startswith(reverse("login"))
    entry = _user_entries(sari).get(action="update")
    assert (entry.before["is_active"], entry.after["is_active"]) == (True, False)
    sari.refresh_from_db()
    response = admin.post(url, {"active": "1", "version": sari.version}, follow=True)
    assert "Pengguna diaktifkan kembali." in response.content.decode()
    assert authenticate(username="sari", password=PASSWORD) is not None


def test_an_administrator_cannot_deactivate_themselves(personas, client_for):
    ani = personas.ani
    client = client_for(ani)
    detail = client.get(reverse("accounts:user-detail", args=[ani.pk])).content.decode()
    assert "Nonaktifkan" not in detail
    response = client.post(
        reverse("accounts:user-set-active", args=[ani.pk]), {"active": "0"}, follow=True
    )
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.content.decode()
    assert User.objects.get(pk=ani.pk).is_active


def test_the_last_administrator_is_never_removed(personas, client_for):
    ani = personas.ani
    client = client_for(ani)
    # Ani cannot take away her own (the only) administrator role...
    response = client.post(
        reverse("accounts:user-edit", args=[ani.pk]), _edit_data(ani, roles=[_role("perencana")])
    )
    assert "Ani adalah administrator aktif terakhir" in response.content.decode()
    assert User.objects.get(pk=ani.pk).role_codes() == {"admin"}
    # ...but once Putri is an administrator too, Putri may deactivate Ani,
    putri = personas.putri
    client.post(
        reverse("accounts:user-edit", args=[putri.pk]),
        _edit_data(putri, roles=[_role("perencana"), _role("admin")]),
    )
    putri = User.objects.get(pk=putri.pk)
    services.user_set_active(actor=putri, user=ani, active=False)
    # and then Putri is the last one.
    response = client_for(putri).post(
        reverse("accounts:user-edit", args=[putri.pk]),
        _edit_data(putri, roles=[_role("perencana")]),
    )
    assert "Putri adalah administrator aktif terakhir" in response.content.decode()


# --- passwords ------------------------------------------------------------------------------


def test_a_temporary_password_must_be_changed_at_the_next_login(personas, client_for, client):
    sari = personas.sari
    response = client_for(personas.ani).post(
        reverse("accounts:user-password", args=[sari.pk]),
        {"password": "Sementara-2026!", "password_again": "Sementara-2026!"},
    )
    assert response.status_code == 302
    assert _user_entries(sari).get().note == "Kata sandi sementara diatur oleh administrator."
    client.logout()
    response = client.post(
        reverse("login"), {"username": "sari", "password": "Sementara-2026!"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("accounts:password-change")
    assert "Anda masuk dengan kata sandi sementara dari administrator" in html
    # Clicking away does not help: every page leads back until the password is replaced.
    away = client.get(reverse("monev:dashboard"), follow=True)
    assert away.redirect_chain[-1][0] == reverse("accounts:password-change")
    assert "Ganti dulu kata sandi sementara Anda" in away.content.decode()
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "Sementara-2026!",
            "password": NEW_PASSWORD,
            "password_again": NEW_PASSWORD,
        },
        follow=True,
    )
    assert "Kata sandi Anda sudah diganti." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")  # still logged in
    sari.refresh_from_db()
    assert not sari.must_change_password
    assert client.get(reverse("monev:dashboard")).status_code == 200
    assert authenticate(username="sari", password=NEW_PASSWORD) == sari
    _assert_no_secret_in_the_trail(sari)


def test_every_user_changes_their_own_password(personas, client_for):
    client = client_for(personas.kartika)
    url = reverse("accounts:password-change")
    wrong = client.post(
        url, {"old_password": "salah", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert "Kata sandi saat ini salah." in wrong.content.decode()
    weak = client.post(
        url, {"old_password": PASSWORD, "password": "kartika1", "password_again": "kartika1"}
    )
    assert weak.context["form"].errors["password"]
    assert authenticate(username="kartika", password=PASSWORD) is not None
    client.post(
        url, {"old_password": PASSWORD, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert authenticate(username="kartika", password=NEW_PASSWORD) is not None
    entry = _user_entries(personas.kartika).get()
    assert entry.actor == personas.kartika
    assert entry.note == "Kata sandi diganti oleh penggunanya."


def test_a_one_time_link_sets_the_password_once(personas, client_for, client):
    sari = personas.sari
    response = client_for(personas.ani).post(reverse("accounts:user-password-link", args=[sari.pk]))
    html = response.content.decode()
    link = re.search(r"http://testserver(/organisasi/atur-kata-sandi/[^<\s]+)", html).group(1)
    assert "Berlaku sampai" in html
    assert _user_entries(sari).get().note == "Tautan sekali pakai untuk mengatur kata sandi dibuat."
    assert link.rsplit("/", 2)[-2] not in json.dumps([e.note for e in AuditEntry.objects.all()])
    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(
        link, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}, follow=True
    )
    assert "Kata sandi Anda tersimpan. Silakan masuk." in response.content.decode()
    assert authenticate(username="sari", password=NEW_PASSWORD) is not None
    # Used once: it no longer works.
    again = client.get(link)
    assert again.status_code == 404
    assert "Tautan ini tidak berlaku lagi" in again.content.decode()
    assert client.post(link, {"password": "Lain-2026!x", "password_again": "Lain-2026!x"})
    assert authenticate(username="sari", password=NEW_PASSWORD) is not None
    _assert_no_secret_in_the_trail(sari)


def test_a_forged_link_is_refused(personas, client):
    url = reverse("accounts:password-reset", args=["MQ", "abc-123"])
    response = client.get(url)
    assert response.status_code == 404
    assert "Tautan ini tidak berlaku lagi" in response.content.decode()
    bad = reverse("accounts:password-reset", args=["%%%", "x"])
    assert client.get(bad).status_code == 404
