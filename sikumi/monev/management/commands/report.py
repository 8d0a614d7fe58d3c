"""python manage.py report NAME --year Y [--quarter Q] --format xlsx|pdf --out FILE
(history: --from and --to instead of --year). Runs synchronously."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sikumi.monev.reports.builders import REPORTS, ReportError, build
from sikumi.monev.reports.render import write_pdf, write_xlsx


class Command(BaseCommand):
    help = "Buat laporan monev (e81, lkjip, history) sebagai XLSX atau PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(REPORTS), help="Nama laporan.")
        parser.add_argument("--year", type=int, help="Tahun laporan (e81, lkjip).")
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], help="s.d. triwulan.")
        parser.add_argument("--from", dest="year_from", type=int, help="Tahun awal (history).")
        parser.add_argument("--to", dest="year_to", type=int, help="Tahun akhir (history).")
        parser.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
        parser.add_argument("--out", required=True, help="Berkas hasil.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        if name == "history" and (options["year_from"] is None or options["year_to"] is None):
            raise CommandError("Laporan history memerlukan --from dan --to.")
        if name != "history" and options["year"] is None:
            raise CommandError(f"Laporan {name} memerlukan --year.")
        try:
            report = build(
                name,
                year=options["year"],
                quarter=options["quarter"] if name == "e81" else None,
                year_from=options["year_from"],
                year_to=options["year_to"],
            )
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        if not Path(options["out"]).parent.is_dir():
            raise CommandError(f"Folder {Path(options['out']).parent} tidak ada.")
        if options["format"] == "pdf":
            write_pdf(report, options["out"])
        else:
            write_xlsx(report, options["out"])
        rows = sum(len(t.rows) for t in report.tables)
        self.stdout.write(self.style.SUCCESS(f"{report.title}: {rows} baris -> {options['out']}"))
