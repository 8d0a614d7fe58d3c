"""Start-up repair of imports cut off while writing (run before the task worker starts)."""

from typing import Any

from django.core.management.base import BaseCommand

from sikumi.audit.choices import Source
from sikumi.audit.context import using
from sikumi.imports.services import recover_interrupted


class Command(BaseCommand):
    help = "Pulihkan impor yang terputus saat menyimpan (jalankan sebelum worker dimulai)"

    def handle(self, *args: Any, **options: Any) -> None:
        with using(source=Source.COMMAND):
            recovered = recover_interrupted()
        for batch in recovered:
            removed = batch.report.get("interrupted", {}).get("removed", {})
            self.stdout.write(
                f"Batch impor #{batch.pk} ({batch.original_name}) terputus: data sebagian "
                f"dihapus {removed}; batch kembali ke pratinjau."
            )
