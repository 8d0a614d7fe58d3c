"""Load (or update) a Renstra from its data folder; a second run with unchanged files does
nothing."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sikumi.plans.loader import DEFAULT_FOLDER, load_plan


class Command(BaseCommand):
    help = "Muat Renstra dari folder data YAML (bawaan: Renstra DKUM Kota Depok 2021-2026)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", default=str(DEFAULT_FOLDER), help="Folder data Renstra.")
        parser.add_argument(
            "--force", action="store_true", help="Tulis ulang walau berkas tidak berubah."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["path"])
        if not (folder / "meta.yaml").exists():
            self.stderr.write(f"Folder {folder} tidak berisi meta.yaml.")
            raise SystemExit(2)
        result = load_plan(folder, force=options["force"])
        if not result.changed:
            self.stdout.write(f"Renstra sudah termuat: {result.plan} (tidak ada perubahan).")
            return
        detail = ", ".join(f"{name} {count}" for name, count in sorted(result.counts.items()))
        self.stdout.write(self.style.SUCCESS(f"Renstra dimuat: {result.plan} ({detail})."))
