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
    data = yaml.safe_load(BINDINGS.read_text(encoding="utf-8"))
    bindings = data["bindings"]
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
    lines += [
        "",
        "## Completeness: final, sementara, belum ada data",
        "",
        "Every computed value carries how complete its data is for the period and a status,",
        "decided by `sikumi.rules.completeness.evaluate` from the rules below (the `completeness`",
        "section of the same data file) and the counts of what has arrived:",
        "",
        "- **final**: every source at or above its share and the period closed long enough;",
        "- **sementara** (provisional): a value exists but more data is expected; shown with the",
        '  completeness ("RAT 2026 diterima dari 12 dari 165 koperasi aktif", "omzet 2026',
        '  tercatat untuk 3% usaha") on the pages, the map, the XLSX export, the API',
        "  (`/api/indicator-values/`), the dashboard, E.81 and the LKjIP; never proposed as a",
        '  realisation unless the Perencana ticks "Sertakan ... nilai sementara";',
        "- **belum ada data**: no source record for the period: no value (never 0 or a growth of",
        "  -99,93% against a full year).",
        "",
        "Sources: `rat` counts the RAT reports held in the year against the cooperatives active",
        "that year; `omzet` counts the turnover records of the year against the businesses on the",
        "register.",
        "",
        "| ukuran | sumber | final bila | nilai sementara | tanpa data |",
        "|---|---|---|---|---|",
    ]
    for key, spec in (data.get("completeness") or {}).items():
        sources = ", ".join(spec.get("sources") or []) or "-"
        final = []
        if spec.get("final_share") is not None:
            final.append(f">= {spec['final_share']}% diterima")
        if spec.get("closed_months") is not None:
            final.append(f"periode berakhir {spec['closed_months']} bulan")
        lines.append(
            f"| {key} | {sources} | {'; '.join(final) or 'selalu'} | "
            f"{'disembunyikan' if spec.get('provisional') == 'hide' else 'ditampilkan'} | "
            f"{'sementara' if spec.get('absent') == 'provisional' else 'belum ada data'} |"
        )
    lines += [
        "",
        "## Always current",
        "",
        "Values are stored per period (`ComputedValue`) with the time of computation shown on",
        "every page. A save or delete of a record the measures read (cooperatives, RAT,",
        "supervision, enterprises, activities, committed imports, manual figures, bindings) marks",
        "them dirty; the first such write queues one background recomputation",
        "(`sikumi.indicators.tasks.recompute_task`, `django.tasks`) to run",
        "`SIKUMI_INDICATOR_RECOMPUTE_MINUTES` (default 5) minutes later, covering the writes of",
        "those minutes; while it is due the pages say the data changed and is being recomputed.",
        "It refreshes the current and previous year and their stored quarters. Nightly, run",
        "`manage.py recompute_indicators` (cron, e.g. `15 1 * * * cd /srv/sikumi &&",
        ".venv/bin/python manage.py recompute_indicators`); `setup_instance` runs it once after",
        "loading the example data. A period nobody computed yet is computed when first visited.",
    ]
    return "\n".join(lines + CUSTOM_SECTION) + "\n"


if __name__ == "__main__":
    (ROOT / "docs" / "indicators.md").write_text(render(), encoding="utf-8")
