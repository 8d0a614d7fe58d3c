from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

# Signatures of the file types Sikumi accepts as evidence and archive documents.
_SIGNATURES = {
    ".pdf": [b"%PDF"],
    ".png": [b"\x89PNG"],
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".xlsx": [b"PK\x03\x04"],
    ".docx": [b"PK\x03\x04"],
}


def validate_document_file(
    file: FieldFile, allowed: tuple[str, ...] = tuple(_SIGNATURES), max_mb: int | None = None
) -> None:
    """Check extension, size and the file's first bytes (a renamed .exe is not a PDF)."""
    max_mb = max_mb or settings.SIKUMI_MAX_UPLOAD_MB
    ext = Path(file.name or "").suffix.lower()
    if ext not in allowed:
        raise ValidationError(
            _("Jenis berkas %(ext)s tidak diterima. Gunakan: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(allowed)}
        )
    if file.size and file.size > max_mb * 1024 * 1024:
        raise ValidationError(_("Berkas lebih besar dari %(mb)d MB.") % {"mb": max_mb})
    head = file.read(8)
    file.seek(0)
    if not any(head.startswith(sig) for sig in _SIGNATURES[ext]):
        raise ValidationError(
            _("Isi berkas tidak sesuai dengan jenisnya (%(ext)s).") % {"ext": ext}
        )


def validate_evidence_file(file: FieldFile) -> None:
    """Evidence of realisation: PDF or images, at most 10 MB."""
    validate_document_file(file, allowed=(".pdf", ".png", ".jpg", ".jpeg"), max_mb=10)
