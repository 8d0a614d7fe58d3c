"""Store the shipped quality rule sets when none are stored; idempotent (part of setup)."""

from typing import Any

from django.core.management.base import BaseCommand

from sikumi.cooperatives.services import ensure_default_rule_sets


class Command(BaseCommand):
    help = "Muat aturan kualitas koperasi bawaan (berkualitas, modern) bila belum ada."

    def handle(self, *args: Any, **options: Any) -> None:
        stored = ensure_default_rule_sets()
        self.stdout.write(f"Aturan kualitas koperasi baru dimuat: {stored}")
