"""Base of the `import_<kind>` management commands (same arguments and report for every kind)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from sikumi.audit.choices import Source
from sikumi.audit.context import using
from sikumi.imports import engine
from sikumi.imports.base import get_importer
from sikumi.imports.models import ImportBatch, ImportStatus, SavedMapping

REPORT_KEYS = ("valid_rows", "errors", "duplicates", "conflicts")


class ImportCommand(BaseCommand):
    kind = ""
    help = "Impor berkas XLSX"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="berkas XLSX")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja, tidak menyimpan")
        parser.add_argument("--json", action="store_true", help="laporan dalam JSON")
        parser.add_argument("--mapping", default="", help="nama pemetaan kolom tersimpan")
        parser.add_argument("--user", default="", help="nama pengguna pelaku impor (audit)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"Berkas {path} tidak ditemukan")
        importer = get_importer(self.kind)
        mapping: dict[str, str] = {}
        if options["mapping"]:
            saved = SavedMapping.objects.filter(kind=self.kind, name=options["mapping"]).first()
            if saved is None:
                raise CommandError(f"Pemetaan '{options['mapping']}' tidak ditemukan")
            mapping = saved.mapping
        actor = None
        if options["user"]:
            from django.contrib.auth import get_user_model

            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"Pengguna '{options['user']}' tidak ditemukan")
        with using(source=Source.COMMAND):
            if options["dry_run"]:
                report = engine.run(importer, path, engine.Options(mapping=mapping))
            else:
                from sikumi.imports import services

                with path.open("rb") as fh:
                    sha256 = services.file_sha256(fh)
                    try:
                        services.refuse_imported_twice(self.kind, sha256)
                    except services.ImportStateError as exc:
                        raise CommandError(str(exc)) from exc
                    batch = ImportBatch(
                        kind=self.kind,
                        original_name=path.name,
                        file_sha256=sha256,
                        created_by=actor,
                        mapping=mapping,
                        status=ImportStatus.CONFIRMED,
                    )
                    batch.file.save(path.name, File(fh), save=False)
                batch.save()
                report = services.commit(batch=batch, actor=actor)
                report["batch"] = batch.pk
        result = {key: report[key] for key in REPORT_KEYS}
        extra = {
            k: report[k]
            for k in (
                "total_rows",
                "error_rows",
                "duplicate_rows",
                "conflict_rows",
                "created",
                "batch",
                "truncated",
            )
            if k in report
        }
        if options["json"]:
            self.stdout.write(json.dumps({**result, **extra}, ensure_ascii=False, default=str))
            return
        self.stdout.write(
            f"{report['total_rows']} baris dibaca, {report['valid_rows']} valid, "
            f"{report['error_rows']} bermasalah, {report['duplicate_rows']} duplikat, "
            f"{report['conflict_rows']} konflik NIK"
        )
        for error in report["errors"]:
            self.stdout.write(f"  baris {error['row']} [{error['column']}]: {error['message']}")
        for dup in report["duplicates"] + report["conflicts"]:
            self.stdout.write(f"  baris {dup['row']} [{dup['column']}]: {dup['message']}")
        if report.get("created"):
            created = ", ".join(f"{k}: {v}" for k, v in report["created"].items())
            self.stdout.write(f"Disimpan (batch {report.get('batch')}): {created}")
