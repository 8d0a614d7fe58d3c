from typing import Any

from django.core.management.base import BaseCommand

from sikumi.indicators.tasks import recompute


class Command(BaseCommand):
    help = (
        "Recompute and store the indicators of the active Renstra for the current and previous "
        "year (and their stored quarters). Run nightly (cron); also run by setup_instance."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="Only this year (and its stored quarters).")

    def handle(self, *args: object, **options: Any) -> None:
        periods = recompute(options["year"])
        self.stdout.write(f"Indikator dihitung ulang untuk {periods} periode.")
