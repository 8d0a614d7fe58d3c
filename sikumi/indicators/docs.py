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
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (ROOT / "docs" / "indicators.md").write_text(render(), encoding="utf-8")
