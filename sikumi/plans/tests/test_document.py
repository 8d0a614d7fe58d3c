"""Loading the Depok Renstra data files (no database)."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from sikumi.plans.document import (
    PlanDocument,
    PrintedValueError,
    load_document,
    parse_printed,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "depok-2021-2026"
# The shared seed text sits beside the repository: <repo>/../shared/seeds/.
REPO_ROOT = Path(__file__).resolve().parents[3]
SEED = REPO_ROOT.parent / "shared" / "seeds" / "renstra-dkum-depok-2021-2026.txt"


@pytest.fixture(autouse=True)
def _immediate_tasks() -> None:
    """Shadow the project-wide autouse fixture: these tests need no Django settings."""


@pytest.fixture(scope="module")
def doc() -> PlanDocument:
    return load_document(DATA)


@pytest.mark.parametrize(
    ("printed", "fmt", "expected"),
    [
        ("1.234.567,89", "id", Decimal("1234567.89")),
        ("30,30%", "id", Decimal("30.30")),
        ("100% (target = 1750+350+100)", "id", Decimal(100)),
        ("2 Dokumen", "id", Decimal(2)),
        ("Rp     750.200.008", "id", Decimal(750200008)),
        ("92,06 M", "id", Decimal("92.06")),
        ("30000000", "id", Decimal(30000000)),
        ("1,179,513,000.00", "en", Decimal("1179513000.00")),
        ("62.43%", "en", Decimal("62.43")),
        ("-", "id", None),
        ("", "en", None),
        ("N.A", "id", None),
        ("#DIV/0!", "en", None),
        ("Rp                     -", "id", None),
        ("CC", "en", "CC"),
    ],
)
def test_parse_printed(printed: str, fmt: str, expected: Decimal | str | None) -> None:
    assert parse_printed(printed, fmt) == expected  # type: ignore[arg-type]


def test_parse_printed_rejects_text() -> None:
    with pytest.raises(PrintedValueError):
        parse_printed("kurang lebih seratus")


def test_counts(doc: PlanDocument) -> None:
    assert doc.program_table is not None
    levels = Counter(item.level for item in doc.program_table.items())
    assert levels == {"program": 8, "kegiatan": 13, "sub_kegiatan": 27}
    assert [p.code for p in doc.program_table.programs] == [f"2.17.0{i}" for i in range(1, 9)]
    assert len(doc.misi) == 5
    assert [t.id for t in doc.tujuan] == ["T1", "T2"]
    assert [s.tujuan for s in doc.sasaran] == ["T1", "T2"]
    assert sum(len(s.arah_kebijakan) for s in doc.strategi) == 3
    assert len(doc.iku) == 3 and len(doc.ikk) == 1
    assert doc.service is not None and len(doc.service.rows) == 6
    assert doc.budget is not None and len(doc.budget.rows) == 13
    assert sum(len(p.children) for p in doc.budget.rows) == 39
    assert len(doc.resources) == 9
    indicators = [i for item in doc.program_table.items() for i in item.indicators]
    assert len(indicators) == 59


def test_sample_figures(doc: PlanDocument) -> None:
    table = doc.program_table
    assert table is not None
    assert table.opd_pagu_total is not None
    assert table.opd_pagu_total.p == "162.098.759.334"
    assert table.opd_pagu_total.v == Decimal(162098759334)
    gaji = table.programs[0].children[1].children[0]
    assert gaji.name == "Penyediaan Gaji dan Tunjangan ASN"
    assert gaji.pagu[2022].p == "7.663.589.176,10"
    assert gaji.pagu[2022].v == Decimal("7663589176.10")
    iusp = table.programs[1].indicators[0]
    assert iusp.data_dasar is not None and iusp.data_dasar.v == 132
    assert iusp.baseline is not None and iusp.baseline.p == "30,30%"
    assert iusp.targets[2025].p == "93,94%"
    kesehatan = table.programs[3].children[0].children[0]
    assert kesehatan.code == "2.17.04.2.01.0001"

    assert doc.service is not None
    aktif = doc.service.rows[1]
    assert aktif.ratios[2016].p == "102.80%" and aktif.realisations[2016].v == Decimal("62.52")

    assert doc.budget is not None and doc.budget.total is not None
    assert doc.budget.total.budget[2016].p == "5,101,330,600.00"
    kesehatan24 = doc.budget.rows[7].children[2]
    assert kesehatan24.name.startswith("Penilaian Kesehatan")
    assert kesehatan24.budget[2017].p == ""
    assert kesehatan24.budget[2018].v == Decimal(300000000)


def test_every_value_matches_its_printed_string(doc: PlanDocument) -> None:
    figures = doc.figures()
    assert len(figures) > 1500
    for path, fig in figures:
        assert parse_printed(fig.p, fig.fmt) == fig.v, path


def test_printed_strings_occur_in_seed(doc: PlanDocument) -> None:
    if not SEED.exists():
        pytest.skip(f"seed text not found at ../shared/seeds/{SEED.name} (beside the repository)")
    seed = re.sub(r"\s+", " ", SEED.read_text(encoding="utf-8"))
    missing = [
        (path, fig.p)
        for path, fig in doc.figures()
        if fig.p.strip() and re.sub(r"\s+", " ", fig.p.strip()) not in seed
    ]
    assert missing == []


def test_minimal_folder_loads(tmp_path: Path) -> None:
    (tmp_path / "meta.yaml").write_text(
        "opd: {name: Dinas X}\n"
        "period: {start: 2025, end: 2029, target_years: [2025, 2026], baseline_year: 2024}\n"
        "visi: V\nmisi: [{code: '1', text: M}]\n",
        encoding="utf-8",
    )
    doc = load_document(tmp_path)
    assert doc.meta.opd_name == "Dinas X" and doc.program_table is None
