"""Writes docs/indicators.md from the plan data and the bindings file, so the document lists
every indicator with its measure in plain Indonesian and cannot drift from the data."""

from __future__ import annotations

from pathlib import Path

import yaml

from sikumi.plans.document import load_document

ROOT = Path(__file__).resolve().parents[2]
PLAN_DIR = ROOT / "sikumi" / "plans" / "data" / "depok-2021-2026"
BINDINGS = Path(__file__).parent / "data" / "bindings-depok-2021-2026.yaml"
METHODS = {"measure": "dihitung dari data", "manual": "diisi manual", "children": "jumlah turunan"}


CUSTOM_SECTION = [
    "",
    "## Indikator Dinas (di luar Renstra)",
    "",
    "Beside the Renstra's indicators the Dinas tracks its own (service times, RAT on time,",
    "certificates expiring...). An administrator adds, edits and archives them on",
    '"Indikator Dinas (di luar Renstra)" (`/indikator/dinas/`, model `CustomIndicator`; services',
    "`custom_indicator_create/update/archive`, each audited): code, name, unit, description, the",
    "measure (any measure of `sikumi/indicators/measures.py`; measures take no parameters besides",
    "the period), an optional denominator (another measure, a data dasar or a manual figure),",
    "percent or not, direction (higher or lower is better), yearly targets, the responsible unit",
    "and an active flag. Their values are computed by the same engine as the Renstra's",
    '(`Computer.compute`), whenever the Renstra\'s are ("Hitung ulang dari data",',
    "`compute_indicators --store`) or from their own button, and stored apart",
    "(`CustomIndicatorValue`). They are listed in their own section of the indicators page, with",
    "the year's target and the capaian (`sikumi.rules.capaian`, with the indicator's direction),",
    "and have the same per-kecamatan drill-down and map (`/indikator/dinas/peta/`).",
    "",
    "They are never part of the plan: nothing that builds E.81, the Renja, the LKjIP or the",
    "Renstra tables reads them, and realisation proposals only take the Renstra's bindings",
    "(`test_a_dinas_indicator_never_appears_in_e81_renja_lkjip_or_the_renstra_tables`).",
    "",
    'The "add" page suggests these, built on measures that exist for them:',
    "",
    "| suggestion | measure / denominator | direction |",
    "|---|---|---|",
    "| Rata-rata lama layanan IUSP (hari) | `iusp_hari_layanan` / `iusp_diputuskan` | lower |",
    "| Persentase koperasi yang RAT tepat waktu | `koperasi_rat_tepat_waktu` / "
    "`koperasi_terdaftar` | higher |",
    "| Sertifikat kompetensi pengurus yang habis masa berlakunya | "
    "`sertifikat_kompetensi_berakhir` | lower |",
    "| Sertifikat legalitas produk yang habis masa berlakunya | `legalitas_produk_berakhir` | "
    "lower |",
    "",
    "RAT on time uses the deadline of `sikumi.rules.cooperative.rat_deadline` (by default 30 June",
    "after the book year). Loading a bindings file (`load_indicator_bindings`) that names an",
    "indicator the plan does not have, or a measure Sikumi does not know, stops with an error",
    "listing those ids and loads nothing of the file.",
]


def render() -> str:
    document = load_document(PLAN_DIR)
    names = {key: ind.name for key, ind in document.indicators().items()}
    for table in (document.iku, document.ikk):
        for row in getattr(table, "rows", table) or []:
            names.setdefault(row.id, row.name)
    bindings = yaml.safe_load(BINDINGS.read_text(encoding="utf-8"))["bindings"]
    lines = [
        "# How each indicator is computed",
        "",
        "Generated from `sikumi/indicators/data/bindings-depok-2021-2026.yaml` by",
        "`python -m sikumi.indicators.docs` (a test keeps it in step). The binding is data: an",
        'administrator or Perencana changes it on the indicator\'s page ("Ubah cara pengukuran").',
        "Counts of events take the events dated in the period (a year, or the year up to the end",
        "of a quarter); statuses are taken at the end of the period. Each value links to the",
        "records it counted and is split by kecamatan (records without a place under",
        '"Tanpa wilayah", so the parts add up to the city).',
        "",
        "| id | indikator | cara | ukuran | pembagi | cara menghitung |",
        "|---|---|---|---|---|---|",
    ]
    for key, spec in bindings.items():
        denominator = spec.get("denominator", "none")
        if denominator == "data_dasar":
            denominator = f"data dasar {spec.get('data_dasar', '')}".strip()
        elif denominator == "measure":
            denominator = spec.get("denominator_measure", "")
        elif denominator == "manual":
            denominator = f"manual: {spec.get('manual_key', '')}"
        else:
            denominator = "-"
        lines.append(
            f"| {key} | {names.get(key, key)} | {METHODS[spec['method']]} | "
            f"{spec.get('measure') or spec.get('manual_key') or '-'} | {denominator} | "
            f"{spec['description']} |"
        )
    return "\n".join(lines + CUSTOM_SECTION) + "\n"


if __name__ == "__main__":
    (ROOT / "docs" / "indicators.md").write_text(render(), encoding="utf-8")
