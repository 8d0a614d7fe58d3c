import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from sikumi.rules.health import (
    HealthInputError,
    MethodologyError,
    band_value,
    compute,
    load_methodology,
    validate_methodology,
)

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def method_2016():
    return load_methodology("2016")


@pytest.fixture(scope="module")
def method_2021():
    return load_methodology("2021")


@pytest.fixture
def example_2016():
    return json.loads((DATA / "health-2016-example.json").read_text(encoding="utf-8"))


def _component(result, code):
    return next(c for c in result.components if c.code == code)


def _aspect(result, code):
    return next(a for a in result.aspects if a.code == code)


def _bands(methodology, code):
    for aspect in methodology["aspects"]:
        for component in aspect["components"]:
            if component["code"] == code:
                return component["bands"]
    raise KeyError(code)


def test_worked_check_pinjaman_anggota(method_2016, example_2016):
    result = compute(method_2016, example_2016)
    component = _component(result, "pinjaman_anggota")
    assert component.ratio == Decimal("73.34")
    assert component.value == 75
    assert component.score == Decimal("7.50")


def test_hand_computed_2016_example(method_2016, example_2016):
    """Every figure below is computed by hand in docs/health-score.md."""
    result = compute(method_2016, example_2016)
    expected_aspects: dict[str, tuple[str, str, str]] = {
        "permodalan": ("14.25", "95.00", "Sehat"),
        "kualitas_aktiva_produktif": ("18.25", "73.00", "Cukup Sehat"),
        "manajemen": ("11.60", "77.33", "Cukup Sehat"),
        "efisiensi": ("7.50", "75.00", "Cukup Sehat"),
        "likuiditas": ("13.75", "91.67", "Sehat"),
        "kemandirian_pertumbuhan": ("7.75", "77.50", "Cukup Sehat"),
        "jatidiri": ("7.50", "75.00", "Cukup Sehat"),
    }
    summary = result.as_dict()
    for aspect in summary["aspects"]:
        score, percent, label = expected_aspects[aspect["code"]]
        got = (aspect["score"], aspect["percent"], aspect["predicate"])
        assert got == (float(score), float(percent), label), aspect["code"]
    expected_components = {
        "modal_sendiri_total_aset": (41.67, 100, 6),
        "modal_sendiri_pinjaman_berisiko": (250.0, 100, 6),
        "kecukupan_modal": (7.0, 75, 2.25),
        "risiko_pinjaman_macet": (7.49, 80, 4),
        "cadangan_risiko": (52.94, 60, 3),
        "pinjaman_berisiko": (22.03, 75, 3.75),
        "beban_operasi_partisipasi_bruto": (92.0, 75, 3),
        "beban_usaha_shu_kotor": (55.0, 75, 3),
        "efisiensi_pelayanan": (6.0, 75, 1.5),
        "rasio_kas": (14.0, 100, 10),
        "pinjaman_dana_diterima": (87.31, 75, 3.75),
        "rentabilitas_aset": (6.0, 50, 1.5),
        "rentabilitas_modal_sendiri": (4.0, 75, 2.25),
        "kemandirian_operasional": (150.0, 100, 4),
        "partisipasi_bruto": (62.5, 75, 5.25),
        "promosi_ekonomi_anggota": (8.0, 75, 2.25),
    }
    components = {c["code"]: c for a in summary["aspects"] for c in a["components"]}
    for code, expected in expected_components.items():
        got = components[code]
        assert (got["ratio"], got["value"], got["score"]) == expected, code
    assert _component(result, "manajemen_umum").score == Decimal("2.50")
    assert result.total == Decimal("80.60")
    assert result.predicate == "Sehat"
    assert summary["total"] == 80.6
    json.dumps(summary)  # JSON-ready


def test_every_missing_figure_is_listed_by_label(method_2016, example_2016):
    inputs = dict(example_2016)
    del inputs["pinjaman_diberikan"]
    inputs["manajemen_umum_ya"] = None
    with pytest.raises(HealthInputError) as caught:
        compute(method_2016, inputs)
    assert caught.value.errors == [
        "Angka 'Pinjaman diberikan' belum diisi",
        "Angka 'Jawaban 'Ya' manajemen umum' belum diisi",
    ]


def test_zero_denominators_are_listed(method_2016, example_2016):
    inputs = dict(example_2016, total_aset=0, kas=None, kewajiban_lancar=0)
    with pytest.raises(HealthInputError) as caught:
        compute(method_2016, inputs)
    assert "Pembagi 'Total aset' bernilai nol" in caught.value.errors
    assert "Angka 'Kas' belum diisi" in caught.value.errors
    # the kas ratio cannot be computed anyway, so its zero denominator is not reported twice
    assert len(caught.value.errors) == 2


def test_no_problem_loans_gives_full_value_instead_of_error(method_2016, example_2016):
    inputs = dict(
        example_2016,
        pinjaman_kurang_lancar=0,
        pinjaman_diragukan=0,
        pinjaman_macet=0,
    )
    result = compute(method_2016, inputs)
    assert _component(result, "risiko_pinjaman_macet").value == 100
    cadangan = _component(result, "cadangan_risiko")
    assert (cadangan.ratio, cadangan.value) == (None, 100)


def test_questionnaire_answers_out_of_range(method_2016, example_2016):
    inputs = dict(example_2016, manajemen_umum_ya=13, manajemen_aktiva_ya=Decimal("2.5"))
    with pytest.raises(HealthInputError) as caught:
        compute(method_2016, inputs)
    prefix = "Jumlah jawaban 'Ya' untuk 'Jawaban 'Ya' manajemen"
    assert caught.value.errors == [
        f"{prefix} umum' harus bilangan bulat 0 sampai 12",
        f"{prefix} aktiva' harus bilangan bulat 0 sampai 10",
    ]


def test_unknown_input_is_reported(method_2016, example_2016):
    with pytest.raises(HealthInputError) as caught:
        compute(method_2016, dict(example_2016, modal_sendri=1))
    assert caught.value.errors == ["Angka 'modal_sendri' tidak dikenal dalam metode 2016"]


@pytest.mark.parametrize(
    ("ratio", "value"),
    [("0", 0), ("25", 0), ("25.01", 50), ("50", 50), ("73.34", 75), ("75", 75), ("75.01", 100)],
)
def test_pinjaman_anggota_bands(method_2016, ratio, value):
    assert band_value(Decimal(ratio), _bands(method_2016, "pinjaman_anggota")) == value


@pytest.mark.parametrize(
    ("ratio", "value"),
    [("0", 100), ("0.01", 80), ("10", 80), ("10.01", 60), ("40", 20), ("45", 10), ("45.01", 0)],
)
def test_rpm_bands(method_2016, ratio, value):
    assert band_value(Decimal(ratio), _bands(method_2016, "risiko_pinjaman_macet")) == value


@pytest.mark.parametrize(
    ("ratio", "value"),
    [("0", 0), ("0.01", 10), ("10", 10), ("10.01", 20), ("50", 50), ("95", 100), ("400", 100)],
)
def test_step_bands_ten_times_ceiling(method_2016, ratio, value):
    assert band_value(Decimal(ratio), _bands(method_2016, "cadangan_risiko")) == value


@pytest.mark.parametrize(
    ("ratio", "value"),
    [("10", 25), ("10.01", 100), ("15", 100), ("15.01", 50), ("20", 50), ("20.01", 25)],
)
def test_rasio_kas_bands(method_2016, ratio, value):
    assert band_value(Decimal(ratio), _bands(method_2016, "rasio_kas")) == value


@pytest.mark.parametrize(
    ("ratio", "value"),
    [("20", 100), ("20.01", 75), ("25", 75), ("25.01", 50), ("30", 50), ("30.01", 25)],
)
def test_pinjaman_berisiko_bands(method_2016, ratio, value):
    assert band_value(Decimal(ratio), _bands(method_2016, "pinjaman_berisiko")) == value


@pytest.mark.parametrize(("ratio", "value"), [("100", 0), ("100.01", 100)])
def test_kemandirian_operasional_bands(method_2016, ratio, value):
    assert band_value(Decimal(ratio), _bands(method_2016, "kemandirian_operasional")) == value


def test_total_predicate_edges(method_2016, example_2016):
    # Lower the management answers one by one: 80.60 - 0.60 = 80.00 is still Sehat,
    # 80.00 - 0.25 = 79.75 is Cukup Sehat.
    result = compute(method_2016, dict(example_2016, manajemen_likuiditas_ya=2))
    assert (result.total, result.predicate) == (Decimal("80.00"), "Sehat")
    result = compute(
        method_2016, dict(example_2016, manajemen_likuiditas_ya=2, manajemen_umum_ya=9)
    )
    assert (result.total, result.predicate) == (Decimal("79.75"), "Cukup Sehat")


def test_2021_all_best_ratings_is_100(method_2021):
    inputs = dict.fromkeys(method_2021["fields"], 1)
    result = compute(method_2021, inputs)
    assert result.total == 100
    assert result.predicate == "Sehat"


def test_2021_hand_computed(method_2021):
    inputs = dict.fromkeys(method_2021["fields"], 1)
    # Kinerja keuangan: ratings 2, 3, 2 -> scores 3, 2, 3 = 8 of 12 -> 66.67% x 40 = 26.67
    inputs.update(evaluasi_kinerja_keuangan=2, manajemen_keuangan=3, kesinambungan_keuangan=2)
    # Permodalan: ratings 4, 2 -> scores 1, 3 = 4 of 8 -> 50% x 15 = 7.50
    inputs.update(kecukupan_permodalan=4, kecukupan_pengelolaan_permodalan=2)
    # Profil risiko: one of 8 indicators rated 2 -> 31 of 32 -> 96.875% x 15 = 14.53125
    inputs.update(risiko_inheren_pinjaman=2)
    result = compute(method_2021, inputs)
    kinerja = _aspect(result, "kinerja_keuangan")
    assert round(kinerja.percent, 2) == Decimal("66.67")
    assert kinerja.predicate == "Cukup Sehat"
    permodalan = _aspect(result, "permodalan")
    assert permodalan.score == Decimal("7.5")
    assert permodalan.predicate == "Dalam Pengawasan Khusus"
    # total = 30 + 14.53125 + 26.666... + 7.5 = 78.697... -> 78.70
    assert result.total == Decimal("78.70")
    assert result.predicate == "Cukup Sehat"


def test_2021_rating_out_of_range(method_2021):
    inputs = dict.fromkeys(method_2021["fields"], 1)
    inputs["manajemen_umum"] = 5
    with pytest.raises(HealthInputError) as caught:
        compute(method_2021, inputs)
    assert caught.value.errors == [
        "Peringkat 'Manajemen: manajemen umum' harus salah satu dari 1, 2, 3, 4"
    ]


def test_shipped_methodologies_have_weights_adding_to_100(method_2016, method_2021):
    for methodology in (method_2016, method_2021):
        assert sum(aspect["weight"] for aspect in methodology["aspects"]) == 100


def test_inconsistent_methodology_fails_loudly(method_2016):
    broken = copy.deepcopy(method_2016)
    broken["aspects"][0]["components"][0]["weight"] = 7
    broken["aspects"][1]["components"][0]["numerator"] = "pinjaman_tidak_ada"
    with pytest.raises(MethodologyError) as caught:
        validate_methodology(broken)
    message = str(caught.value)
    assert "bobot komponen berjumlah 16, seharusnya 15" in message
    assert "bobot aspek berjumlah 100" not in message
    assert "'pinjaman_tidak_ada' yang tidak ada" in message


def test_unknown_methodology():
    with pytest.raises(MethodologyError):
        load_methodology("1999")


def test_every_field_is_documented():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "health-score.md").read_text(
        encoding="utf-8"
    )
    for code in ("2016", "2021"):
        for name in load_methodology(code)["fields"]:
            assert f"`{name}`" in doc, name
