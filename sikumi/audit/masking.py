"""Personal data inside the audit trail's own snapshots (issue 15, item 8).

The before/after snapshots of a person, an official or a service case hold NIK, phone, birth
date and a person's finances as they were saved. The trail shows them masked to every role that
may not see such data, masks them in the list (a summary, searchable with the browser), and
shows them in full only on one entry's page to roles that may, which is itself recorded.
Sixteen-digit numbers in the free text (notes, names of records) are masked the same way.
"""

from __future__ import annotations

import re
from typing import Any

from sikumi.rules.identifiers import mask_nik, mask_phone

# Field names (snapshot keys) that hold personal data wherever they occur.
PERSONAL_FIELDS = {
    "nik": mask_nik,
    "phone": mask_phone,
    "applicant_contact": mask_phone,
    "birth_date": lambda value: "****-**-**" if value else value,
}
# Fields that are personal data only in some models: a business's financing is a person's
# finances ("app_label.model": fields).
PERSONAL_FIELDS_OF = {
    "activities.financingfacilitation": {"amount"},
    "cooperatives.cooperativeofficial": {"nik", "phone"},
}
# A cooperative's phone is the organisation's, not a person's.
NOT_PERSONAL_OF = {"cooperatives.cooperative": {"phone"}}
_NIK_IN_TEXT = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _model_key(entry: Any) -> str:
    ct = getattr(entry, "content_type", None)
    return f"{ct.app_label}.{ct.model}" if ct is not None else ""


def personal_keys(entry: Any) -> set[str]:
    """The snapshot keys of this entry that hold personal data."""
    key = _model_key(entry)
    keys = set(PERSONAL_FIELDS) | PERSONAL_FIELDS_OF.get(key, set())
    keys -= NOT_PERSONAL_OF.get(key, set())
    present = set(entry.before or {}) | set(entry.after or {})
    return {k for k in keys if k in present}


def has_personal_data(entry: Any) -> bool:
    before, after = entry.before or {}, entry.after or {}
    return any(before.get(k) or after.get(k) for k in personal_keys(entry)) or bool(
        _NIK_IN_TEXT.search(f"{entry.note} {entry.object_repr}")
    )


def mask_value(key: str, value: Any) -> Any:
    if value in (None, ""):
        return value
    masker = PERSONAL_FIELDS.get(key)
    if masker is None:
        return "***"  # a person's finances
    return masker(str(value))


def mask_text(text: str) -> str:
    return _NIK_IN_TEXT.sub(lambda m: mask_nik(m.group(0)), text or "")


def changed_fields(entry: Any, *, full: bool) -> list[tuple[str, Any, Any]]:
    """(field, before, after) of the fields that changed, personal ones masked unless full."""
    rows = entry.changed_fields()
    if full:
        return rows
    keys = personal_keys(entry)
    return [(f, mask_value(f, b), mask_value(f, a)) if f in keys else (f, b, a) for f, b, a in rows]
