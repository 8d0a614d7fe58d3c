import subprocess
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sikumi.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup written by `backup`: replaces the database and the uploaded files."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(str(options["file"]))
        if not path.is_file():
            raise CommandError(f"Berkas cadangan tidak ditemukan: {path}")
        if not options["yes"]:
            if not sys.stdin or not sys.stdin.isatty():
                raise CommandError(
                    "Pemulihan mengganti semua data saat ini. Tanpa terminal tidak ada yang "
                    "dapat mengonfirmasi: jalankan ulang dengan --yes."
                )
            try:
                answer = input(
                    "Semua data saat ini akan diganti dengan isi cadangan. Lanjutkan? [y/N] "
                )
            except EOFError:
                answer = ""
            if answer.strip().lower() not in ("y", "ya", "yes"):
                raise CommandError("Dibatalkan.")
        try:
            manifest = backup_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except subprocess.CalledProcessError as exc:
            detail = (exc.stderr or b"").decode(errors="replace").strip()[-500:]
            raise CommandError(f"Pemulihan basis data gagal: {detail}") from exc
        self.stdout.write(f"Cadangan dari {manifest['created_at']} dipulihkan.")
