from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sikumi.indicators.services import DATA_DIR, BindingsError, bindings_load
from sikumi.plans.selectors import active_plan


class Command(BaseCommand):
    help = "Bind the active plan's indicators to their measures (existing bindings are kept)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DATA_DIR / "bindings-depok-2021-2026.yaml"))

    def handle(self, *args: object, **options: object) -> None:
        plan = active_plan()
        if plan is None:
            self.stdout.write("Belum ada Renstra: pengikatan indikator dilewati.")
            return
        try:
            created = bindings_load(plan=plan, path=Path(str(options["file"])))
        except BindingsError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Pengikatan indikator: {created} baru.")
