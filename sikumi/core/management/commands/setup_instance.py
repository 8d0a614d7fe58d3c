"""Everything `make run` loads before serving: idempotent, fast on the second run."""

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

# (command, options) in dependency order; a command an app does not provide yet is skipped.
STEPS: list[tuple[str, dict[str, object]]] = [
    ("load_regions", {}),
    ("load_organisation", {}),
    ("load_health_methodologies", {}),
    ("load_quality_rules", {}),
    ("load_renstra", {}),
    ("load_indicator_bindings", {}),
    ("demo_data", {}),
    ("recompute_indicators", {}),
    ("ensure_admin", {}),
]


class Command(BaseCommand):
    help = "Load reference data, the Renstra and labelled example data; create the first admin."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Skip the example data.")

    def handle(self, *args: object, **options: object) -> None:
        available = get_commands()
        for name, kwargs in STEPS:
            if name == "demo_data" and options["no_demo"]:
                continue
            if name in available:
                call_command(name, **kwargs)
