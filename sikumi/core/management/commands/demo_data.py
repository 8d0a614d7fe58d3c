"""Clearly labelled example data for Depok, so the system can be tried and benchmarked.

Each domain app provides `sikumi.<app>.demo.generate(...)`; this command calls them in
dependency order. Every generated record carries `is_example=True` and shows a "Data contoh"
badge.
"""

from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand


def _generator(app: str, name: str = "generate") -> Any:
    # Looked up by name: the apps plug their generators in; core does not depend on them.
    try:
        return getattr(import_module(f"sikumi.{app}.demo"), name)
    except ModuleNotFoundError:
        return None


class Command(BaseCommand):
    help = "Generate clearly labelled example data (cooperatives, enterprises, activities...)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enterprises",
            type=int,
            default=8570,
            help="Number of example micro enterprises (default: Depok scale).",
        )
        parser.add_argument(
            "--cooperatives", type=int, default=190, help="Number of example cooperatives."
        )
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--xlsx",
            help="Write the example enterprises to this XLSX file "
            "(an import file) instead of the database.",
        )

    def handle(self, *args: object, **options: Any) -> None:
        seed = options["seed"]
        if options["xlsx"]:
            write_xlsx = _generator("enterprises", "write_xlsx")
            write_xlsx(options["xlsx"], options["enterprises"], seed)
            self.stdout.write(f"Berkas contoh ditulis: {options['xlsx']}")
            return
        plan = [
            ("cooperatives", {"count": options["cooperatives"], "seed": seed}),
            ("supervision", {"seed": seed}),
            ("enterprises", {"count": options["enterprises"], "seed": seed}),
            ("activities", {"seed": seed}),
            ("monev", {"seed": seed}),
        ]
        for app, kwargs in plan:
            generate = _generator(app)
            if generate is not None:
                self.stdout.write(f"Data contoh {app}: {generate(**kwargs)}")
