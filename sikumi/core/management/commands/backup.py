from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sikumi.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent backup (database + uploaded files) while the app runs; readable by "
        "the owner only, encrypted when SIKUMI_BACKUP_KEY is set."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--out", help="Backup file (.tar.gz); default var/backups/sikumi-<time>.tar.gz"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = (
            Path(str(options["out"]))
            if options["out"]
            else (settings.DATA_DIR / "backups" / f"sikumi-{timezone.now():%Y%m%d-%H%M%S}.tar.gz")
        )
        try:
            manifest = backup_create(out)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Cadangan ditulis: {out} ({manifest['vendor']}, "
            f"{manifest['media_files']} berkas unggahan"
            + (", terenkripsi)" if manifest["encrypted"] else ")")
        )
        if not manifest["encrypted"]:
            self.stderr.write(
                "Perhatian: cadangan ini tidak terenkripsi dan memuat data pribadi (NIK). "
                "Setel SIKUMI_BACKUP_KEY untuk mengenkripsinya."
            )
