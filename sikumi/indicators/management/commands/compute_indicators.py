import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sikumi.indicators.services import compute_all, compute_and_store
from sikumi.plans.selectors import active_plan


def _num(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral() else float(value)
    return value


class Command(BaseCommand):
    help = "Compute every indicator of the active Renstra from the registries for a year/quarter."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, choices=[1, 2, 3, 4])
        parser.add_argument("--json", action="store_true")
        parser.add_argument(
            "--store", action="store_true", help="Keep the values (shown on pages)."
        )

    def handle(self, *args: object, **options: Any) -> None:
        plan = active_plan()
        if plan is None:
            raise CommandError("Belum ada Renstra yang dimuat (manage.py load_renstra).")
        compute = compute_and_store if options["store"] else compute_all
        results = compute(plan=plan, year=options["year"], quarter=options["quarter"])
        if options["json"]:
            rows = [
                {
                    "id": r.source_id,
                    "name": r.name,
                    "unit": r.unit,
                    "method": r.method,
                    "measure": r.measure,
                    "value": _num(r.value),
                    "numerator": _num(r.numerator),
                    "denominator": _num(r.denominator),
                    "per_kecamatan": {
                        k: {kk: _num(vv) for kk, vv in v.items()} for k, v in r.by_kecamatan.items()
                    },
                    "reason": r.reason,
                }
                for r in results
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for r in results:
            shown = r.value if r.value is not None else f"- ({r.reason})"
            self.stdout.write(f"{r.source_id:14} {r.name[:60]:60} {shown}")
