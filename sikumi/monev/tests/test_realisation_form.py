"""The quarterly realisation form: the quarter it opens on, what each indicator asks for
(a quarter's value or the year-to-date one), indicator codes, and questions before the
irreversible steps."""

import datetime as dt
import re

import pytest

from sikumi.monev import services, views
from sikumi.monev.forms import entry_hint
from sikumi.plans.models import Combine, Indicator
from sikumi.rules.capaian import default_quarter, quarter_of

pytestmark = pytest.mark.django_db

QUARTERLY = "Isi capaian triwulan ini saja; capaian tahun = jumlah keempat triwulan."
CUMULATIVE = (
    "Isi capaian kumulatif s.d. triwulan ini; nilai triwulan terakhir menjadi capaian tahun."
)


def _freeze(monkeypatch, day):
    monkeypatch.setattr(views, "today", lambda: day)


@pytest.mark.parametrize(
    ("day", "quarter"),
    [
        (dt.date(2026, 1, 5), 1),
        (dt.date(2026, 3, 31), 1),
        (dt.date(2026, 4, 1), 2),
        (dt.date(2026, 8, 17), 3),
        (dt.date(2026, 12, 31), 4),
    ],
)
def test_the_form_opens_on_the_quarter_of_today(
    renja, personas, client_for, monkeypatch, day, quarter
):
    _freeze(monkeypatch, day)
    response = client_for(personas.sari).get("/monev/realisasi/")
    assert response.status_code == 302
    assert response["Location"] == f"/monev/realisasi/{renja.pk}/tw{quarter}/"


def test_after_the_renstra_period_the_form_opens_on_the_last_quarter_of_the_open_renja(
    renja, personas, client_for, monkeypatch
):
    _freeze(monkeypatch, dt.date(2027, 2, 1))
    response = client_for(personas.sari).get("/monev/realisasi/")
    assert response["Location"] == f"/monev/realisasi/{renja.pk}/tw4/"


def test_a_chosen_quarter_still_wins(renja, personas, client_for, monkeypatch):
    _freeze(monkeypatch, dt.date(2026, 8, 17))
    response = client_for(personas.sari).get("/monev/realisasi/", {"triwulan": 2})
    assert response["Location"] == f"/monev/realisasi/{renja.pk}/tw2/"


def test_the_default_quarter_rule():
    assert quarter_of(dt.date(2026, 6, 30)) == 2 and quarter_of(dt.date(2026, 7, 1)) == 3
    today = dt.date(2026, 5, 20)
    assert default_quarter(2026, today) == 2
    assert default_quarter(2025, today) == 4  # a past year: its last quarter is still due
    assert default_quarter(2027, today) == 1


@pytest.mark.parametrize(
    ("combine", "kind", "sentence"),
    [
        (Combine.SUM, "nilai triwulan", QUARTERLY),
        (Combine.LAST, "nilai kumulatif", CUMULATIVE),
        (
            Combine.AVERAGE,
            "nilai triwulan",
            "Isi capaian triwulan ini saja; capaian tahun = rata-rata triwulan yang terisi.",
        ),
        (Combine.AS_PRINTED, "nilai kumulatif", CUMULATIVE),
        ("unknown", "nilai kumulatif", CUMULATIVE),
    ],
)
def test_each_combining_rule_has_its_hint(combine, kind, sentence):
    assert entry_hint(combine) == (kind, sentence)


def _row(html, indicator):
    """The table row of one indicator on the realisation page."""
    match = re.search(
        rf"<tr>\s*<td><code>{re.escape(indicator.source_id)}</code>.*?</tr>", html, re.S
    )
    assert match, indicator.source_id
    return match.group(0)


def test_each_indicator_says_whether_a_quarter_or_a_cumulative_value_is_expected(
    renja, plan, personas, client_for
):
    html = client_for(personas.sari).get(f"/monev/realisasi/{renja.pk}/tw3/").content.decode()
    mine = Indicator.objects.filter(
        plan=plan, table="program", node__unit__code="bidang-pemberdayaan"
    ).exclude(renja_targets__target__isnull=True)
    summed = mine.filter(combine=Combine.SUM).order_by("order").first()
    level = mine.filter(combine=Combine.LAST).order_by("order").first()
    assert summed is not None and level is not None
    assert QUARTERLY in _row(html, summed) and "nilai triwulan" in _row(html, summed)
    assert CUMULATIVE in _row(html, level) and "nilai kumulatif" in _row(html, level)
    assert CUMULATIVE not in _row(html, summed)


def test_indicators_with_the_same_name_are_told_apart_by_their_code(
    renja, plan, personas, client_for
):
    twins = list(
        Indicator.objects.filter(plan=plan, table="program", name="Jumlah peserta").order_by(
            "order"
        )
    )
    assert len(twins) == 2 and twins[0].source_id != twins[1].source_id
    html = client_for(personas.putri).get(f"/monev/realisasi/{renja.pk}/tw1/").content.decode()
    for twin in twins:
        assert f"<code>{twin.source_id}</code> Jumlah peserta" in html


def test_submitting_verifying_approving_and_returning_ask_first(
    renja, personas, client_for, pemberdayaan_indicator
):
    url = f"/monev/realisasi/{renja.pk}/tw1/"
    row = services.realisation_save(
        actor=personas.sari, renja=renja, indicator=pemberdayaan_indicator, quarter=1, value=5
    )
    html = client_for(personas.sari).get(url).content.decode()
    assert re.search(
        r'data-confirm="Ajukan realisasi triwulan I Bidang Pemberdayaan[^"]*untuk diverifikasi\?',
        html,
    )
    sub = services.submission_submit(actor=personas.sari, submission=row.submission)
    html = client_for(personas.pandu).get(url).content.decode()
    assert 'data-confirm="Verifikasi realisasi triwulan I' in html
    assert 'data-confirm="Kembalikan realisasi triwulan I' in html
    services.submission_verify(actor=personas.pandu, submission=sub)
    html = client_for(personas.putri).get(url).content.decode()
    assert re.search(r'data-confirm="Setujui realisasi triwulan I[^"]*dikunci', html)
    assert 'data-confirm="Kembalikan realisasi triwulan I' in html
    # every action form of the page asks
    forms = re.findall(r'<form method="post" action="/monev/pengajuan/[^>]*>', html)
    assert forms and all("data-confirm=" in f for f in forms)
