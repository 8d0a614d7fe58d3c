"""Writes of the import pipeline: upload (preview), confirm (commit), revert; all audited."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.audit import services as audit
from sikumi.audit.choices import Action, Source
from sikumi.audit.context import using
from sikumi.core.tasks import progress_finish, task_start
from sikumi.imports import engine
from sikumi.imports.base import Importer, get_importer
from sikumi.imports.models import ImportBatch, ImportStatus, SavedMapping


class ImportStateError(Exception):
    """The batch is not in a state that allows this step; the message is for the user."""


def importer_for(batch: ImportBatch, *, user: Any = None) -> Importer:
    """The importer of a batch, given the record it imports into (a kind with a target) and
    the user it works for; LookupError when that record is gone."""
    importer = get_importer(batch.kind)
    importer.use_target((batch.options or {}).get("target"), user=user or batch.created_by)
    return importer


def _summary(created: dict[str, int]) -> str:
    return ", ".join(f"{label}: {count:,}".replace(",", ".") for label, count in created.items())


def _store_report(batch: ImportBatch, report: dict[str, Any]) -> None:
    batch.report = report
    batch.total_rows = report["total_rows"]
    batch.valid_rows = report["valid_rows"]
    batch.error_rows = report["error_rows"]
    batch.duplicate_rows = report["duplicate_rows"]
    batch.conflict_rows = report.get("conflict_rows", 0)


def decisions_of(batch: ImportBatch) -> dict[int, engine.Decision]:
    """The conflict decisions a user made on the batch's preview, by Excel row number."""
    stored = (batch.options or {}).get("decisions", {})
    return {
        int(row): engine.Decision(item["action"], item.get("value", ""))
        for row, item in stored.items()
    }


def batch_decide(
    *, actor: Any, batch: ImportBatch, decisions: dict[int, tuple[str, str]]
) -> ImportBatch:
    """Record what a user decided for conflict rows (same person, corrected NIK, skip) and
    read the file again for a fresh preview with those decisions applied."""
    from sikumi.rules.identifiers import validate_nik

    access.require(importer_for(batch, user=actor).can_import(actor))
    conflict_rows = {entry["row"] for entry in batch.report.get("conflicts", [])}
    stored = dict((batch.options or {}).get("decisions", {}))
    problems = []
    for row, (action, value) in decisions.items():
        if row not in conflict_rows and str(row) not in stored:
            continue
        if action not in (engine.Decision.SAME, engine.Decision.FIX, engine.Decision.SKIP):
            continue
        value = "".join(value.split())
        if action == engine.Decision.FIX:
            errors = validate_nik(value)
            if errors:
                problems.append(
                    _("Baris %(row)s: %(msg)s") % {"row": row, "msg": "; ".join(errors)}
                )
                continue
        stored[str(row)] = {"action": action, "value": value}
    if problems:
        raise ImportStateError(" ".join(problems))
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportStatus.PREVIEW:
            raise ImportStateError(_("Batch ini sudah dikonfirmasi atau tidak dapat diubah."))
        locked.options = {**(locked.options or {}), "decisions": stored}
        locked.progress = task_start(
            preview_task,
            label=_("Pratinjau impor %(name)s") % {"name": locked.original_name},
            owner=actor,
            args=(locked.pk,),
        )
        locked.save(update_fields=["options", "progress"])
        audit.record(
            actor=actor,
            action=Action.UPDATE,
            instance=locked,
            note=_("Keputusan untuk %(count)s baris konflik NIK") % {"count": len(decisions)},
        )
    return locked


def file_sha256(file: Any) -> str:
    """SHA-256 of an uploaded (or opened) file, read in blocks; the file is rewound."""
    digest = hashlib.sha256()
    file.seek(0)
    for block in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(block)
    file.seek(0)
    return digest.hexdigest()


def refuse_imported_twice(kind: str, sha256: str, exclude: int | None = None) -> None:
    """The same file committed (or being committed) in another batch: refused, so a second
    upload never duplicates what the first added (rows without NIB have nothing else to tell
    them apart)."""
    same = ImportBatch.objects.filter(
        kind=kind, file_sha256=sha256, status__in=[ImportStatus.CONFIRMED, ImportStatus.COMMITTED]
    )
    earlier = (same.exclude(pk=exclude) if exclude is not None else same).first()
    if earlier is not None:
        raise ImportStateError(
            _(
                "Berkas yang sama sudah diimpor pada batch #%(pk)s (%(date)s). Batalkan batch "
                "itu dulu bila ingin mengimpor ulang berkas ini."
            )
            % {"pk": earlier.pk, "date": date_format(timezone.localtime(earlier.created_at))}
        )


def batch_upload(
    *,
    actor: Any,
    kind: str,
    file: Any,
    mapping: dict[str, str] | None = None,
    target: int | None = None,
) -> ImportBatch:
    """Keep the file with a new batch and read it for the preview in the background; `target`
    is the record a kind with a target imports into (the training of its participants)."""
    importer = get_importer(kind)
    importer.use_target(target, user=actor)
    access.require(importer.can_import(actor))
    sha256 = file_sha256(file)
    refuse_imported_twice(kind, sha256)
    batch = ImportBatch(
        kind=kind,
        original_name=getattr(file, "name", "")[:255],
        file_sha256=sha256,
        created_by=actor if getattr(actor, "pk", None) else None,
        mapping=mapping or {},
        options={"target": target} if importer.target_param else {},
    )
    try:
        with transaction.atomic():
            batch.file.save(getattr(file, "name", "impor.xlsx"), file, save=False)
            batch.save()
            batch.progress = task_start(
                preview_task,
                label=_("Pratinjau impor %(name)s") % {"name": batch.original_name},
                owner=actor,
                args=(batch.pk,),
            )
            batch.save(update_fields=["progress"])
    except BaseException:
        # Refused (e.g. the user's task limit) or failed: no stored file without its batch.
        if batch.file:
            batch.file.delete(save=False)
        raise
    return batch


@task
def preview_task(progress_id: int, batch_id: int) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    with using(source=Source.TASK):
        try:
            report = engine.run(
                importer_for(batch),
                batch.file.path,
                engine.Options(
                    mapping=batch.mapping,
                    progress_id=progress_id,
                    decisions=decisions_of(batch),
                ),
            )
        except Exception as exc:
            batch.status = ImportStatus.FAILED
            batch.report = {"errors": [{"row": 0, "column": "", "message": str(exc)}]}
            batch.save()
            progress_finish(progress_id, failed=True, message=_("Berkas gagal dibaca."))
            raise
    _store_report(batch, report)
    if report.get("failed"):
        batch.status = ImportStatus.FAILED
    batch.save()
    progress_finish(
        progress_id,
        failed=bool(report.get("failed")),
        message=_("Pratinjau siap: %(valid)s baris valid, %(errors)s baris bermasalah.")
        % {
            "valid": report["valid_rows"],
            "errors": report["error_rows"] + report["duplicate_rows"],
        },
        result_url=reverse("imports:batch", args=[batch.pk]),
    )


def batch_confirm(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Commit the valid rows of a previewed batch (once, even when the button is pressed twice)."""
    access.require(importer_for(batch, user=actor).can_import(actor))
    with transaction.atomic():
        if batch.file_sha256:
            refuse_imported_twice(batch.kind, batch.file_sha256, exclude=batch.pk)
        moved = ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEW).update(
            status=ImportStatus.CONFIRMED
        )
        if not moved:
            raise ImportStateError(_("Batch ini sudah dikonfirmasi atau tidak dapat disimpan."))
        batch.refresh_from_db()
        if not batch.valid_rows:
            raise ImportStateError(_("Tidak ada baris valid untuk disimpan."))
        batch.progress = task_start(
            commit_task,
            label=_("Simpan impor %(name)s") % {"name": batch.original_name},
            owner=actor,
            args=(batch.pk, getattr(actor, "pk", None)),
        )
        batch.save(update_fields=["progress"])
    return batch


def _user(pk: int | None) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk=pk).first() if pk else None


def commit(*, batch: ImportBatch, actor: Any, progress_id: int | None = None) -> dict[str, Any]:
    """Write the batch's valid rows now (the task and the command call this)."""
    try:
        report = engine.run(
            importer_for(batch, user=actor),
            batch.file.path,
            engine.Options(
                commit=True,
                actor=actor,
                batch=batch,
                mapping=batch.mapping,
                progress_id=progress_id,
                decisions=decisions_of(batch),
            ),
        )
    except Exception as exc:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED,
            report={**batch.report, "commit_error": str(exc)},
        )
        raise
    _store_report(batch, report)
    batch.created_count = sum(report["created"].values())
    batch.status = ImportStatus.FAILED if report.get("failed") else ImportStatus.COMMITTED
    batch.committed_at = timezone.now()
    batch.save()
    audit.record(
        actor=actor,
        action=Action.IMPORT,
        instance=batch,
        note=_(
            "Impor %(name)s: %(rows)s baris valid disimpan (%(created)s); %(bad)s baris tidak "
            "disimpan (salah atau ganda)"
        )
        % {
            "name": batch.original_name,
            "rows": report["valid_rows"],
            "created": _summary(report["created"]),
            "bad": report["error_rows"] + report["duplicate_rows"],
        },
    )
    return report


@task
def commit_task(progress_id: int, batch_id: int, actor_id: int | None) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    with using(source=Source.IMPORT):
        try:
            report = commit(batch=batch, actor=_user(actor_id), progress_id=progress_id)
        except Exception:
            progress_finish(
                progress_id, failed=True, message=_("Impor gagal; tidak semua baris tersimpan.")
            )
            raise
    progress_finish(
        progress_id,
        message=_("Impor selesai: %(created)s.") % {"created": _summary(report["created"])},
        result_url=reverse("imports:batch", args=[batch.pk]),
    )


def batch_revert(*, actor: Any, batch: ImportBatch) -> dict[str, int]:
    """Remove exactly what the batch added (physically, see README.md) and record it."""
    importer = importer_for(batch, user=actor)
    access.require(importer.can_import(actor))
    try:
        # One transaction: a revert happens completely or not at all.
        with transaction.atomic():
            moved = ImportBatch.objects.filter(
                pk=batch.pk, status__in=[ImportStatus.COMMITTED, ImportStatus.FAILED]
            ).update(status=ImportStatus.REVERTED, reverted_at=timezone.now())
            if not moved:
                raise ImportStateError(_("Hanya batch yang sudah disimpan yang dapat dibatalkan."))
            counts = importer.revert(batch)
            batch.refresh_from_db()
            batch.report = {**batch.report, "reverted": counts}
            batch.save(update_fields=["report"])
            audit.record(
                actor=actor,
                action=Action.REVERT,
                instance=batch,
                note=_("Impor %(name)s dibatalkan; dihapus: %(counts)s")
                % {"name": batch.original_name, "counts": _summary(counts)},
            )
    except IntegrityError as exc:
        raise ImportStateError(
            _(
                "Batch tidak dapat dibatalkan: sebagian datanya sudah dipakai oleh data lain "
                "(misalnya peserta pelatihan)."
            )
        ) from exc
    return counts


def recover_interrupted(*, actor: Any = None) -> list[ImportBatch]:
    """Batches whose commit was cut off (the process killed while writing): run when no
    worker is running (start-up), so every batch still "confirmed" is such a batch. What its
    committed transactions stored is removed (the batch's revert), the indexes a large load
    dropped are built again, the counts refreshed, and the batch goes back to the preview:
    nothing half-imported stays visible, and the user confirms it again."""
    recovered = []
    for batch in ImportBatch.objects.filter(status=ImportStatus.CONFIRMED).order_by("pk"):
        importer = get_importer(batch.kind)  # reverting needs no target: the batch tags it all
        with transaction.atomic():
            counts = importer.revert(batch)
            batch.status = ImportStatus.PREVIEW
            batch.report = {
                **batch.report,
                "interrupted": {
                    "at": timezone.now().isoformat(),
                    "removed": counts,
                },
            }
            batch.save(update_fields=["status", "report"])
            audit.record(
                actor=actor,
                action=Action.REVERT,
                instance=batch,
                note=_(
                    "Impor %(name)s terputus saat menyimpan; data yang sempat tersimpan "
                    "dihapus (%(counts)s). Batch kembali ke pratinjau."
                )
                % {"name": batch.original_name, "counts": _summary(counts) or "-"},
            )
        importer.repair()
        recovered.append(batch)
    return recovered


def mapping_save(*, actor: Any, kind: str, name: str, mapping: dict[str, str]) -> SavedMapping:
    access.require(get_importer(kind).can_import(actor))
    saved, _created = SavedMapping.objects.update_or_create(
        kind=kind, name=name, defaults={"mapping": mapping, "created_by": actor}
    )
    return saved
