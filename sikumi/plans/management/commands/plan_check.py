"""Recompute every derived figure of a Renstra and list the disagreements."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sikumi.plans.checker import Finding, check_document
from sikumi.plans.document import load_document
from sikumi.plans.loader import DEFAULT_FOLDER
from sikumi.plans.models import Plan
from sikumi.plans.reports import KIND_LABELS, findings_summary
from sikumi.plans.selectors import active_plan, plan_findings


class Command(BaseCommand):
    help = (
        "Periksa angka Renstra: pagu, jumlah, rasio, rata-rata, target akhir. "
        "Bawaan: Renstra aktif di basis data (atau folder data Depok bila belum dimuat)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, help="ID Renstra di basis data.")
        parser.add_argument("--path", help="Periksa folder data YAML, bukan basis data.")
        parser.add_argument("--json", action="store_true", help="Keluaran JSON (array temuan).")
        parser.add_argument(
            "--kind",
            action="append",
            choices=list(KIND_LABELS),
            help="Hanya jenis temuan ini (boleh diulang).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        findings = self._findings(options)
        if options["kind"]:
            findings = [f for f in findings if f.kind in options["kind"]]
        if options["json"]:
            self.stdout.write(
                json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2)
            )
            return
        self._table(findings)

    def _findings(self, options: dict[str, Any]) -> list[Finding]:
        if options["path"]:
            folder = Path(options["path"])
            if not (folder / "meta.yaml").exists():
                raise CommandError(f"Folder {folder} tidak berisi meta.yaml.")
            return check_document(load_document(folder))
        if options["plan"]:
            plan = Plan.objects.filter(pk=options["plan"]).first()
            if plan is None:
                raise CommandError(f"Renstra dengan ID {options['plan']} tidak ada.")
        else:
            plan = active_plan()
            if plan is None:
                return check_document(load_document(DEFAULT_FOLDER))
        return [item.finding for item in plan_findings(plan)]

    def _table(self, findings: list[Finding]) -> None:
        if not findings:
            self.stdout.write("Tidak ada temuan.")
            return
        for kind, label in KIND_LABELS.items():
            group = [f for f in findings if f.kind == kind]
            if not group:
                continue
            self.stdout.write(f"\n== {label} ({len(group)}) ==")
            for number, f in enumerate(group, start=1):
                self.stdout.write(f"{number:>3}. [{f.table}] {f.location}")
                self.stdout.write(
                    f"     tercetak: {_show(f.printed)}   hasil hitung: {_show(f.recomputed)}"
                )
                if f.message:
                    self.stdout.write(f"     {f.message}")
        self.stdout.write("\n" + findings_summary(findings))


def _show(value: Any) -> str:
    from decimal import Decimal

    from sikumi.rules.formatting import format_number

    if isinstance(value, Decimal):
        places = max(0, -value.normalize().as_tuple().exponent)  # type: ignore[operator]
        return format_number(value, min(places, 4))
    return "-" if value is None else str(value)
