"""The plan checker on the Depok Renstra (no database)."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from sikumi.plans.checker import (
    Finding,
    achievement,
    check_document,
    corrected_copy,
    format_printed,
)
from sikumi.plans.document import Figure, PlanDocument, load_document, parse_printed

DATA = Path(__file__).resolve().parents[1] / "data" / "depok-2021-2026"

#: (table contains, location contains, recomputed): every real arithmetic error of the seed
EXPECTED_ERRORS = [
    (
        "Bab VI",
        "Program 2.17.06 PROGRAM PEMBERDAYAAN DAN PERLINDUNGAN KOPERASI / Pagu total",
        Decimal(14257236000),
    ),
    (
        "Bab VI",
        "Sub kegiatan P6.K1.S1 Pemberdayaan Peningkatan Produktivitas",
        Decimal(14257236000),
    ),
    (
        "Bab VI",
        "P1.K1.S1 Penyusunan Dokumen Perencanaan Perangkat Daerah / Indikator Jumlah "
        "Dokumen / Target akhir periode",
        Decimal(11),
    ),
    (
        "Bab VI",
        "P8.K1.S1 Fasilitasi Usaha Mikro Menjadi Usaha Kecil dalam Pengembangan Produksi "
        "dan Pengolahan, Pemasaran, SDM, serta Desain dan Teknologi / Indikator Jumlah Promosi / "
        "Target akhir periode",
        Decimal(40),
    ),
    ("T-C.23", "Presentase Koperasi Aktif / Rasio capaian 2016", Decimal("100.14")),
    ("T-C.23", "Presentase Usaha Mikro Naik Kelas / Rasio capaian 2017", Decimal("14.00")),
    ("2.2.1", "Pegawai Negeri Sipil (PNS) / Persentase", Decimal("56.67")),
    ("2.2.1", "Non PNS / Persentase", Decimal("43.33")),
    ("Tabel e.", "Tabel e. Data Pegawai berdasarkan pendidikan penjenjangan / Jumlah", Decimal(19)),
    ("Tabel f.", "Tabel f. Data PNS Per Bidang / Sekretariat dan UPT / Jumlah", Decimal(32)),
    ("Tabel 2.4", "Per 31 Desember 2020 / Jumlah", Decimal(4347407744)),
]

#: differences that are only rounding: must never be errors
ROUNDING_ONLY = [
    "Program 2.17.01 PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA / Pagu 2022",
    "Program 2.17.01 PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA / Pagu 2026",
    "Presentase Wirausaha Baru / Rasio capaian 2020",
    "Per 31 Desember 2020 / Jumlah di teks",
]


@pytest.fixture(autouse=True)
def _immediate_tasks() -> None:
    """Shadow the project-wide autouse fixture: these tests need no Django settings."""


@pytest.fixture(scope="module")
def doc() -> PlanDocument:
    return load_document(DATA)


@pytest.fixture(scope="module")
def findings(doc: PlanDocument) -> list[Finding]:
    return check_document(doc)


def _find(findings: list[Finding], table: str, location: str) -> list[Finding]:
    return [f for f in findings if table in f.table and location in f.location]


@pytest.mark.parametrize(("table", "location", "recomputed"), EXPECTED_ERRORS)
def test_real_errors_found(
    findings: list[Finding], table: str, location: str, recomputed: Decimal
) -> None:
    matches = [f for f in _find(findings, table, location) if f.kind == "error"]
    assert len(matches) == 1, [f.as_dict() for f in _find(findings, table, location)]
    assert matches[0].recomputed == recomputed


def test_no_other_errors(findings: list[Finding]) -> None:
    errors = [f for f in findings if f.kind == "error"]
    assert len(errors) == len(EXPECTED_ERRORS), [f.location for f in errors]


def test_anchor_ratios(findings: list[Finding]) -> None:
    aktif = _find(findings, "T-C.23", "Koperasi Aktif / Rasio capaian 2016")[0]
    assert aktif.as_dict()["recomputed"] == 100.14 and aktif.as_dict()["printed"] == 102.8
    naik = _find(findings, "T-C.23", "Naik Kelas / Rasio capaian 2017")[0]
    assert naik.as_dict()["recomputed"] == 14.0 and naik.as_dict()["printed"] == 9.33


@pytest.mark.parametrize("location", ROUNDING_ONLY)
def test_rounding_is_not_error(findings: list[Finding], location: str) -> None:
    matches = _find(findings, "", location)
    assert matches and {f.kind for f in matches} == {"rounding"}


def test_semantics(findings: list[Finding]) -> None:
    semantics = [f for f in findings if f.kind == "semantics"]
    locations = " | ".join(f.location for f in semantics)
    assert "Rata-rata Pertumbuhan" in locations  # T-C.24 columns hold means, not growth
    assert "rata-rata rasio realisasi per tahun" in locations  # 87.59% is the 2020 ratio
    assert "Persentase jumlah wirausaha baru dan pengusaha perempuan" in locations  # "5000"
    narrative = _find(findings, "T-C.24", "rata-rata rasio realisasi per tahun")[0]
    assert narrative.recomputed == Decimal("106.41")


def test_warnings(findings: list[Finding]) -> None:
    warnings = [f for f in findings if f.kind == "warning"]
    over = [f for f in warnings if f.message == "Realisasi melebihi anggaran."]
    assert any(f.location == "TOTAL / Realisasi 2018" for f in over)
    assert _find(findings, "T-C.24", "Pengawasan Usaha Mikro / Rasio 2016")[0].kind == "warning"
    assert _find(findings, "IKK", "Kondisi awal 2020")[0].kind == "warning"


def test_counts_by_kind(findings: list[Finding]) -> None:
    counts = Counter(f.kind for f in findings)
    assert counts == {"error": 11, "semantics": 5, "warning": 53, "rounding": 8}


def test_findings_serialise(findings: list[Finding]) -> None:
    data = [f.as_dict() for f in findings]
    text = json.dumps(data)
    assert set(data[0]) == {"table", "location", "printed", "recomputed", "kind", "message"}
    assert '"recomputed": 14257236000' in text


def test_corrected_copy_has_no_errors(doc: PlanDocument, findings: list[Finding]) -> None:
    fixed = corrected_copy(doc, findings)
    assert not [f for f in check_document(fixed) if f.kind == "error"]
    # the original is untouched; corrected strings parse to the stored values
    assert len([f for f in check_document(doc) if f.kind == "error"]) == len(EXPECTED_ERRORS)
    for _path, fig in fixed.figures():
        assert parse_printed(fig.p, fig.fmt) == fig.v


def test_corrected_copy_helper_in_test(doc: PlanDocument, findings: list[Finding]) -> None:
    """Patch the printed values by hand (independent of corrected_copy)."""
    import copy

    fixed = copy.deepcopy(doc)
    by_path = dict(doc.figures())
    fixed_by_path = dict(fixed.figures())
    patched = 0
    for finding in findings:
        if finding.kind != "error":
            continue
        path = next(p for p, fig in by_path.items() if fig is finding.figure)
        target = fixed_by_path[path]
        assert isinstance(finding.recomputed, Decimal)
        target.p = format_printed(finding.recomputed, target)
        target.v = parse_printed(target.p, target.fmt)
        patched += 1
    assert patched == len(EXPECTED_ERRORS)
    assert [f for f in check_document(fixed) if f.kind == "error"] == []


@pytest.mark.parametrize(
    ("real", "target", "polarity", "expected"),
    [
        ("6.5", "7", "lower", "107.14"),
        ("9", "8", "lower", "87.50"),
        ("0.70", "5.00", "higher", "14.00"),
    ],
)
def test_achievement(real: str, target: str, polarity: str, expected: str) -> None:
    value = achievement(Decimal(real), Decimal(target), polarity)
    assert value is not None and value.quantize(Decimal("0.01")) == Decimal(expected)


def test_achievement_zero_target() -> None:
    assert achievement(Decimal(5), Decimal(0)) is None


@pytest.mark.parametrize(
    ("value", "like", "expected"),
    [
        (Decimal(14257236000), Figure(None, "14.107.236.000"), "14.107.236.000"),
        (Decimal("56.67"), Figure(None, "67%"), "57%"),
        (Decimal("100.14"), Figure(None, "102.80%", "en"), "100.14%"),
        (Decimal(4347407744), Figure(None, "Rp 4.347.407.74,12"), "Rp 4.347.407.744,00"),
    ],
)
def test_format_printed(value: Decimal, like: Figure, expected: str) -> None:
    if like.p == "14.107.236.000":
        expected = "14.257.236.000"
    assert format_printed(value, like) == expected
