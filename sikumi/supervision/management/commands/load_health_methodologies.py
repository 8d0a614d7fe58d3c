"""Store the shipped health methodologies (2016, 2021) in the database; idempotent."""

from typing import Any

from django.core.management.base import BaseCommand

from sikumi.supervision.services import methodologies_load


class Command(BaseCommand):
    help = "Muat metode penilaian kesehatan KSP/USP (2016, 2021) dari paket aturan ke basis data."

    def handle(self, *args: Any, **options: Any) -> None:
        created = methodologies_load()
        self.stdout.write(f"Metode penilaian kesehatan baru dimuat: {created}")
