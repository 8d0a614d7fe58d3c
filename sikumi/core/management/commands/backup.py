from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from sikumi.core.backup import backup_create


class Command(BaseCommand):
    help = "Write a consistent backup (database + uploaded files) while the app runs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", help="Backup file (.tar.gz); default var/backups/sikumi-<time>.tar.gz"
        )

    def handle(self, *args: object, **options: object) -> None:
        from django.conf import settings

        out = (
            Path(str(options["out"]))
            if options["out"]
            else (settings.DATA_DIR / "backups" / f"sikumi-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        )
        manifest = backup_create(out)
        self.stdout.write(
            f"Cadangan ditulis: {out} ({manifest['vendor']}, "
            f"{manifest['media_files']} berkas unggahan)"
        )
