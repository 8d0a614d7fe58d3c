from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sikumi.core.backup import backup_restore


class Command(BaseCommand):
    help = "Restore a backup written by `backup`: replaces the database and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args: object, **options: object) -> None:
        path = Path(str(options["file"]))
        if not path.exists():
            raise CommandError(f"Berkas cadangan tidak ditemukan: {path}")
        if not options["yes"]:
            answer = input(
                "Semua data saat ini akan diganti dengan isi cadangan. Lanjutkan? [y/N] "
            )
            if answer.strip().lower() not in ("y", "ya", "yes"):
                raise CommandError("Dibatalkan.")
        try:
            manifest = backup_restore(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Cadangan dari {manifest['created_at']} dipulihkan.")
