"""Every permission decision in Sikumi, for pages and API alike.

Roles (domain notes section 1, issue 2):
- Administrator: everything, including the organisation and users.
- Kepala Dinas: reads everything, approves; edits nothing directly.
- Perencana (Sekretariat): edits plans, evaluations and reports; approves realisation.
- Pimpinan Bidang: edits and verifies its own Bidang's records.
- Staf Bidang: edits its own Bidang's records only.
- Auditor/Inspektorat: reads everything, including the audit trail and personal data;
  changes nothing.
- The public: no login, aggregates only (public views never call these with a user).

Records say who owns them through `owner_unit` (a Unit); the owning Bidang is that unit's Bidang.
Models whose records belong to the plan (Renstra, Renja, reports) set `access_scope = "plan"`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from sikumi.accounts.choices import RoleCode

PLAN_SCOPE = "plan"
BIDANG_SCOPE = "bidang"
ADMIN_SCOPE = "admin"


def roles(user: Any) -> frozenset[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    codes = user.role_codes()
    if user.is_superuser:
        codes = codes | {RoleCode.ADMIN}
    return codes


def has_role(user: Any, *codes: str) -> bool:
    return bool(roles(user) & set(codes))


def is_admin(user: Any) -> bool:
    return has_role(user, RoleCode.ADMIN)


def is_internal(user: Any) -> bool:
    """Logged in with at least one role: may read the Dinas' records."""
    return bool(roles(user))


def user_bidang(user: Any) -> Any:
    unit = getattr(user, "unit", None)
    return unit.bidang if unit is not None else None


def _scope(obj_or_model: Any) -> str:
    return getattr(obj_or_model, "access_scope", BIDANG_SCOPE)


def owner_bidang(obj: Any) -> Any:
    unit = getattr(obj, "owner_unit", None)
    return unit.bidang if unit is not None else None


def can_view(user: Any, obj_or_model: Any = None) -> bool:
    return is_internal(user)


def can_view_audit(user: Any) -> bool:
    return has_role(user, RoleCode.ADMIN, RoleCode.AUDITOR, RoleCode.KEPALA)


def can_view_audit_personal_data(user: Any) -> bool:
    """The personal data inside the audit trail's snapshots (of every Bidang's records): only
    roles that read the trail and see every Bidang's personal data."""
    return can_view_audit(user) and has_role(
        user, RoleCode.ADMIN, RoleCode.AUDITOR, RoleCode.KEPALA
    )


def can_view_personal_data(user: Any, obj: Any = None) -> bool:
    """Full NIK, phone and a person's finances: the owning Bidang, the Kepala Dinas,
    administrators and auditors. Everyone else sees them masked."""
    if has_role(user, RoleCode.ADMIN, RoleCode.AUDITOR, RoleCode.KEPALA):
        return True
    if not has_role(user, RoleCode.STAF, RoleCode.PIMPINAN):
        return False
    if obj is None:
        return True
    return _same_bidang(user, obj)


def can_search_personal_ids(user: Any) -> bool:
    """Searching by a full NIK or phone number confirms it, so only roles that see such
    numbers unmasked may (sikumi.core.personal_search keeps the records of their own Bidang
    for a Staf or Pimpinan)."""
    return can_view_personal_data(user)


def can_download_import_file(user: Any, batch: Any, importer: Any) -> bool:
    """The raw file of an import batch carries the registry's personal data unmasked (full
    NIK, phone, birth date), so only those who may see that registry's personal data in full
    for the batch's unit get it: administrators, auditors, the Kepala Dinas, and the Staf or
    Pimpinan of the Bidang that owns the registry (`importer.can_import(user)`: the registry
    belongs to the Bidang whose staff may import into it) when the batch was uploaded from
    that same Bidang."""
    if has_role(user, RoleCode.ADMIN, RoleCode.AUDITOR, RoleCode.KEPALA):
        return True
    if not has_role(user, RoleCode.STAF, RoleCode.PIMPINAN) or importer is None:
        return False
    if not importer.can_import(user):
        return False
    uploader_unit = getattr(getattr(batch, "created_by", None), "unit", None)
    uploader_bidang = uploader_unit.bidang if uploader_unit is not None else None
    if uploader_bidang is None:
        # Uploaded by an administrator outside any Bidang (or by a command): the registry's
        # Bidang decides.
        return True
    mine = user_bidang(user)
    return mine is not None and mine.pk == uploader_bidang.pk


def can_add_evidence(user: Any, submission: Any) -> bool:
    """Evidence of a realisation is attached by those who submit it."""
    return can_submit(user, submission)


def _same_bidang(user: Any, obj: Any) -> bool:
    mine = user_bidang(user)
    theirs = owner_bidang(obj)
    return mine is not None and theirs is not None and mine.pk == theirs.pk


def can_create(user: Any, model: Any, owner_unit: Any = None) -> bool:
    scope = _scope(model)
    if is_admin(user):
        return True
    if scope == ADMIN_SCOPE:
        return False
    if scope == PLAN_SCOPE:
        return has_role(user, RoleCode.PERENCANA)
    if not has_role(user, RoleCode.STAF, RoleCode.PIMPINAN):
        return False
    if owner_unit is None:
        return True  # the form then limits the owner to the user's own Bidang
    mine = user_bidang(user)
    return mine is not None and owner_unit.bidang is not None and owner_unit.bidang.pk == mine.pk


def can_edit(user: Any, obj: Any) -> bool:
    if getattr(obj, "archived_at", None) is not None and not is_admin(user):
        return False
    scope = _scope(obj)
    if is_admin(user):
        return True
    if scope == ADMIN_SCOPE:
        return False
    if scope == PLAN_SCOPE:
        return has_role(user, RoleCode.PERENCANA)
    return has_role(user, RoleCode.STAF, RoleCode.PIMPINAN) and _same_bidang(user, obj)


def can_archive(user: Any, obj: Any) -> bool:
    return can_edit(user, obj)


def can_submit(user: Any, obj: Any) -> bool:
    """Realisation and other reports are submitted by the responsible Bidang's staff."""
    return (
        has_role(user, RoleCode.STAF, RoleCode.PIMPINAN) and _same_bidang(user, obj)
    ) or is_admin(user)


def can_verify(user: Any, obj: Any) -> bool:
    """A Pimpinan Bidang verifies its own Bidang's submissions."""
    return (has_role(user, RoleCode.PIMPINAN) and _same_bidang(user, obj)) or is_admin(user)


def can_approve(user: Any, obj: Any, submitted_by: Any = None) -> bool:
    """The Perencana or the Kepala Dinas approves; nobody approves their own submission."""
    if submitted_by is not None and getattr(submitted_by, "pk", None) == getattr(user, "pk", None):
        return False
    return has_role(user, RoleCode.PERENCANA, RoleCode.KEPALA, RoleCode.ADMIN)


def can_manage_plan(user: Any) -> bool:
    return has_role(user, RoleCode.PERENCANA, RoleCode.ADMIN)


def can_manage_organisation(user: Any) -> bool:
    return is_admin(user)


def can_manage_users(user: Any) -> bool:
    """Creating users, choosing their unit and roles, (de)activating them and setting their
    passwords: administrators only."""
    return is_admin(user)


def can_change_own_password(user: Any) -> bool:
    """Every logged-in user changes their own password (with or without a role)."""
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def editable_units(user: Any) -> Any:
    """Units whose records the user may create: its own Bidang and the Bidang's Seksi."""
    from sikumi.accounts.models import Unit

    if is_admin(user):
        return Unit.objects.active()
    mine = user_bidang(user)
    if mine is None or not has_role(user, RoleCode.STAF, RoleCode.PIMPINAN):
        return Unit.objects.none()
    return Unit.objects.active().filter(
        pk__in=[mine.pk, *mine.children.values_list("pk", flat=True)]
    )


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Anda tidak berwenang melakukan tindakan ini."))
