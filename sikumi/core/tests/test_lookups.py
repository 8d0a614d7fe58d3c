"""The shared lookup fields: registry, JSON endpoint and widget (the apps' searches are tested in
their own apps)."""

import pytest
from django import forms
from django.urls import reverse

from sikumi.accounts.models import Unit, User
from sikumi.core import lookups
from sikumi.core.forms import LookupInput, use_lookup
from sikumi.core.lookups import Hit

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(db):
    """Logged in but without any role: not one of the Dinas' staff."""
    return User.objects.create_user(username="tamu", password="x")


def test_the_apps_register_their_search_kinds():
    assert {
        "cooperative",
        "cooperative_undissolved",
        "cooperative_ksp",
        "official",
        "person",
        "enterprise",
        "product",
    } <= set(lookups.codes())
    assert lookups.describe("cooperative_ksp").startswith("Koperasi simpan pinjam")


def test_a_registered_kind_is_searched_only_by_whom_it_allows(personas, outsider):
    calls = []

    def search(query, user, limit):
        calls.append((query, limit))
        return [Hit("test", i, f"Hasil {i}") for i in range(limit + 5)]

    lookups.register(
        "test_kind", search, allowed=lambda user: user.username == "ani", description="Uji"
    )
    try:
        assert len(lookups.search("test_kind", "  ab ", user=personas.ani, limit=3)) == 3
        assert calls == [("ab", 3)]
        assert lookups.search("test_kind", "a", user=personas.ani) == []  # too short
        assert lookups.search("test_kind", "abc", user=personas.sari) == []
        assert lookups.search("no_such_kind", "abc", user=personas.ani) == []
    finally:
        lookups._KINDS.pop("test_kind")


def test_the_endpoint_answers_staff_refuses_outsiders_and_unknown_kinds(
    personas, outsider, client, client_for
):
    url = reverse("lookup")
    assert url == "/cari/"
    anonymous = client.get(url, {"jenis": "cooperative", "q": "maju"})
    assert anonymous.status_code == 302 and "/masuk/" in anonymous["Location"]
    staff = client_for(personas.sari).get(url, {"jenis": "cooperative", "q": "maju"})
    assert staff.status_code == 200 and staff.json() == {"results": []}
    assert client_for(personas.sari).get(url, {"jenis": "nope", "q": "maju"}).status_code == 404
    refused = client_for(outsider).get(url, {"jenis": "cooperative", "q": "maju"})
    assert refused.status_code == 403
    # The activities' address is the same view.
    assert reverse("activities:lookup") == "/kegiatan/cari/"
    assert (
        client_for(outsider).get(reverse("activities:lookup"), {"jenis": "person"}).status_code
        == 403
    )


class _UnitForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_lookup(self.fields["unit"], "test_units", invalid_choice="Unit tidak ditemukan.")
        self.fields["unit"].queryset = Unit.objects.filter(code__startswith="bidang-")  # type: ignore[attr-defined]


def test_the_widget_is_an_id_box_naming_the_current_record_and_validation_stays_the_queryset(
    personas,
):
    bidang = Unit.objects.get(code="bidang-pengawasan")
    seksi = Unit.objects.get(code="seksi-pengawasan")
    html = str(_UnitForm(initial={"unit": bidang.pk})["unit"])
    assert "<select" not in html and "<option" not in html
    assert 'data-lookup="test_units"' in html and 'data-lookup-url="/cari/"' in html
    assert f'value="{bidang.pk}"' in html
    assert f'<span class="lookup-label" aria-live="polite">{bidang.name}</span>' in html
    # A record outside the queryset is neither named nor accepted.
    form = _UnitForm({"unit": seksi.pk})
    assert f">{seksi.name}</span>" not in str(form["unit"])
    assert not form.is_valid() and form.errors["unit"] == ["Unit tidak ditemukan."]
    assert _UnitForm({"unit": "abc"})["unit"].value() == "abc"
    assert 'class="lookup-label" aria-live="polite"></span>' in str(
        _UnitForm({"unit": "abc"})["unit"]
    )
    assert _UnitForm({"unit": bidang.pk}).is_valid()
    assert isinstance(_UnitForm().fields["unit"].widget, LookupInput)
