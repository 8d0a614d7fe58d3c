"""Compute a health score from a JSON file of inputs and print the JSON result (nothing saved).

    python manage.py health_score --method 2016 INPUT.json
    python manage.py health_score --year 2025 INPUT.json   # the methodology of book year 2025

Without ``--method`` the methodology is the one that applies to the book year (``--year``,
by default the last closed one): ``sikumi.rules.health_methodology``.

INPUT.json holds ``{"field code": number, ...}`` (docs/health-score.md lists the codes) or
``{"inputs": {...}}``. Missing figures or a zero denominator end with exit code 1 and a
message naming the figure.
"""

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sikumi.supervision import services


class Command(BaseCommand):
    help = "Hitung skor kesehatan KSP/USP dari berkas JSON tanpa menyimpan; mencetak hasil JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("input", help="Berkas JSON berisi angka per kode isian")
        parser.add_argument(
            "--method", default=None, help="Kode metode: 2016 atau 2021 (bawaan: menurut --year)"
        )
        parser.add_argument(
            "--year",
            type=int,
            default=None,
            help="Tahun buku; menentukan metode bila --method tidak diisi (bawaan: tahun lalu)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["input"])
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"Berkas tidak ditemukan: {path}") from None
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise CommandError(f"Berkas bukan JSON yang sah: {exc}") from None
        if isinstance(raw, dict) and isinstance(raw.get("inputs"), dict):
            raw = raw["inputs"]
        if not isinstance(raw, dict):
            raise CommandError('Isi berkas harus berupa objek JSON: {"kode isian": angka, ...}')
        code = options["method"]
        if not code:
            year = options["year"] or timezone.localdate().year - 1
            code = services.methodology_code_for_year(year)
            if code is None:
                raise CommandError(
                    f"Tidak ada metode penilaian yang berlaku untuk tahun buku {year}; "
                    "isi --method."
                )
            self.stderr.write(f"Metode {code}: metode yang berlaku untuk tahun buku {year}.")
        try:
            definition = services.methodology_definition(code)
            result = services.calculate(definition, raw)
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
