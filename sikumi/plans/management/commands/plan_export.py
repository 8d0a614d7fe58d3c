"""Write one of the Renstra's own tables to an XLSX or PDF file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sikumi.plans.document import load_document
from sikumi.plans.exports import export_table
from sikumi.plans.models import Plan
from sikumi.plans.reports import TABLES
from sikumi.plans.selectors import active_plan


class Command(BaseCommand):
    help = "Ekspor tabel Renstra (XLSX atau PDF): " + ", ".join(TABLES)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("table", choices=list(TABLES))
        parser.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
        parser.add_argument("--out", required=True, help="Berkas keluaran.")
        parser.add_argument("--plan", type=int, help="ID Renstra (bawaan: Renstra aktif).")
        parser.add_argument("--path", help="Ekspor dari folder data YAML, bukan basis data.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["path"]:
            doc, is_example = load_document(options["path"]), False
        else:
            plan = (
                Plan.objects.filter(pk=options["plan"]).first()
                if options["plan"]
                else active_plan()
            )
            if plan is None:
                raise CommandError("Renstra belum dimuat: jalankan `load_renstra` dahulu.")
            from sikumi.plans.convert import plan_to_document

            doc, is_example = plan_to_document(plan), plan.is_example
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"Folder {out.parent} tidak ada.")
        try:
            export_table(doc, options["table"], options["format"], out, is_example=is_example)
        except ValueError as exc:
            raise CommandError(f"Tabel {options['table']} tidak ada dalam Renstra ini.") from exc
        self.stdout.write(self.style.SUCCESS(f"Tertulis: {out}"))
