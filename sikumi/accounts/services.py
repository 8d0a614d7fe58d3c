"""Writes of the organisation and its users.

Users are written here, not through `sikumi.core.services.record_*`: their snapshot must never
hold the password hash, and it carries the roles (a many-to-many the generic snapshot leaves
out). Every write checks `access`, refuses a stale edit and records the audit entry in the same
transaction, like the generic services.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.accounts.choices import RoleCode, UnitFunction
from sikumi.accounts.models import Role, Unit, User
from sikumi.accounts.selectors import active_administrators, unit_for_function
from sikumi.audit import services as audit
from sikumi.audit.choices import Action
from sikumi.core import services as core
from sikumi.core.exceptions import ConcurrentEditError

ORGANISATION_FILE = Path(__file__).parent / "data" / "organisation.yaml"

# The user's fields an administrator edits on the Sikumi pages (the password has its own
# services; is_superuser and is_staff stay with the Django admin).
USER_FIELDS = ["unit", "first_name", "last_name", "username", "nip", "position", "email", "phone"]
# Never in the audit trail.
SECRET_FIELDS = {"password"}
# Roles whose holders edit a Bidang's records: they must sit in a unit of a Bidang.
BIDANG_ROLES = {RoleCode.STAF, RoleCode.PIMPINAN}


# --- organisation -----------------------------------------------------------------------------


@transaction.atomic
def roles_ensure() -> None:
    for code, label in RoleCode.choices:
        Role.objects.get_or_create(code=code, defaults={"name": str(label)})


@transaction.atomic
def organisation_load(*, actor: Any = None, path: Path = ORGANISATION_FILE) -> int:
    """Create the units of the organisation file that do not exist yet (by code), with the
    urusan (`functions`) and short name the file gives them.

    Existing units are left as they are: the administrator's edits win over the file.
    """
    roles_ensure()
    created = 0

    def walk(nodes: list[dict[str, Any]], parent: Unit | None) -> None:
        nonlocal created
        for order, node in enumerate(nodes):
            unit = Unit.objects.filter(code=node["code"]).first()
            if unit is None:
                unit = core.record_create(
                    actor=actor,
                    instance=Unit(
                        code=node["code"],
                        name=node["name"],
                        short_name=node.get("short_name", ""),
                        kind=node["kind"],
                        parent=parent,
                        order=order,
                        functions=list(node.get("functions", [])),
                    ),
                )
                created += 1
            walk(node.get("children", []), unit)

    walk(yaml.safe_load(path.read_text()), None)
    return created


def unit_save(*, actor: Any, unit: Unit, expected_version: int | None = None) -> Unit:
    access.require(access.can_manage_organisation(actor))
    if unit.pk is None:
        return core.record_create(actor=actor, instance=unit)
    return core.record_update(actor=actor, instance=unit, expected_version=expected_version)


@transaction.atomic
def unit_archive(*, actor: Any, unit: Unit) -> Unit:
    """Archive a unit that has no active sub unit, no active user and holds no urusan (its
    records would otherwise lose their owner for new entries)."""
    access.require(access.can_manage_organisation(actor))
    if unit.children.filter(archived_at__isnull=True).exists():
        raise ValidationError(
            _("Unit ini masih memiliki sub unit aktif; arsipkan sub unitnya dulu.")
        )
    if unit.users.filter(is_active=True).exists():
        raise ValidationError(
            _("Unit ini masih memiliki pengguna aktif; pindahkan penggunanya dulu.")
        )
    if unit.functions:
        raise ValidationError(
            _(
                "Unit ini masih memegang urusan %(functions)s; serahkan urusan itu ke unit lain "
                "dulu (ubah unit ini, lalu unit penerimanya)."
            )
            % {"functions": ", ".join(unit.function_labels())}
        )
    return core.record_archive(actor=actor, instance=unit)


# --- users ------------------------------------------------------------------------------------


def user_snapshot(user: User, role_codes: Iterable[str] | None = None) -> dict[str, Any]:
    """The user as the audit trail keeps it: every field but the password, and the roles."""
    data = {k: v for k, v in audit.snapshot(user).items() if k not in SECRET_FIELDS}
    if role_codes is None:
        role_codes = user.roles.values_list("code", flat=True) if user.pk else []
    data["roles"] = sorted(role_codes)
    return data


def _is_administrator(user: User, role_codes: Iterable[str]) -> bool:
    return user.is_active and (user.is_superuser or RoleCode.ADMIN in set(role_codes))


def _refuse_losing_the_last_administrator(user: User) -> None:
    if not active_administrators().exclude(pk=user.pk).exists():
        raise ValidationError(
            _(
                "%(user)s adalah administrator aktif terakhir. Jadikan pengguna lain "
                "administrator dulu."
            )
            % {"user": user}
        )


def _check_unit_and_roles(unit: Unit | None, roles: list[Role]) -> None:
    errors: dict[str, list[str]] = {}
    if not roles:
        errors["roles"] = [_("Pilih sedikitnya satu peran.")]
    if unit is None:
        errors["unit"] = [_("Pilih unit kerja pengguna ini.")]
    elif unit.archived_at is not None:
        errors["unit"] = [_("Unit kerja ini sudah diarsipkan; pilih unit yang aktif.")]
    elif {r.code for r in roles} & BIDANG_ROLES and unit.bidang is None:
        errors["unit"] = [
            _(
                "Staf dan Pimpinan Bidang bekerja di sebuah Bidang (atau Sekretariat/UPTD): "
                "pilih unit di bawahnya."
            )
        ]
    if errors:
        raise ValidationError(errors)


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def user_create(*, actor: Any, user: User, roles: Iterable[Role], password: str = "") -> User:
    """A new user in a unit with roles. With `password`, a temporary one the user must change
    at the first login; without, the account has no usable password until the user sets one
    through a one-time link (`user_password_link`) or the administrator sets one."""
    access.require(access.can_manage_users(actor))
    roles = list(roles)
    _check_unit_and_roles(user.unit, roles)
    if password:
        _check_password(password, user)
        user.set_password(password)
        user.must_change_password = True
    else:
        user.set_unusable_password()
        user.must_change_password = False
    user.full_clean()
    user.save()
    user.roles.set(roles)
    audit.record(
        actor=actor,
        action=Action.CREATE,
        instance=user,
        after=user_snapshot(user, [r.code for r in roles]),
        note=_("Dengan kata sandi sementara.") if password else "",
    )
    return user


@transaction.atomic
def user_update(
    *, actor: Any, user: User, roles: Iterable[Role], expected_version: int | None
) -> User:
    """Save what an administrator edited: unit, roles and the person's data."""
    access.require(access.can_manage_users(actor))
    stored = _locked(user, expected_version)
    before = user_snapshot(stored)
    roles = list(roles)
    new_codes = [r.code for r in roles]
    if _is_administrator(stored, before["roles"]) and not _is_administrator(user, new_codes):
        _refuse_losing_the_last_administrator(stored)
    _check_unit_and_roles(user.unit, roles)
    user.full_clean(exclude=["password"])
    user.version = stored.version + 1
    user.save(update_fields=[*USER_FIELDS, "version"])
    user.roles.set(roles)
    after = user_snapshot(user, new_codes)
    if before != after:
        audit.record(actor=actor, action=Action.UPDATE, instance=user, before=before, after=after)
    return user


@transaction.atomic
def user_set_active(
    *, actor: Any, user: User, active: bool, expected_version: int | None = None
) -> User:
    """Deactivate (the user can no longer log in, by page or API; nothing is deleted) or
    reactivate a user. An administrator cannot deactivate themselves, nor the last one."""
    access.require(access.can_manage_users(actor))
    stored = _locked(user, expected_version)
    if stored.is_active == active:
        return stored
    before = user_snapshot(stored)
    if not active:
        if stored.pk == getattr(actor, "pk", None):
            raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
        if _is_administrator(stored, before["roles"]):
            _refuse_losing_the_last_administrator(stored)
    stored.is_active = active
    stored.version += 1
    stored.save(update_fields=["is_active", "version"])
    audit.record(
        actor=actor,
        action=Action.UPDATE,
        instance=stored,
        before=before,
        after=user_snapshot(stored, before["roles"]),
        note=_("Pengguna diaktifkan kembali.") if active else _("Pengguna dinonaktifkan."),
    )
    return stored


def _store_password(*, actor: Any, user: User, password: str, temporary: bool, note: str) -> User:
    """Set a checked password (a temporary one must be replaced at the next login) and record
    that it happened in the trail, never the password or its hash."""
    stored = _locked(user, None)
    _check_password(password, stored)
    before = user_snapshot(stored)
    stored.set_password(password)
    stored.must_change_password = temporary
    stored.version += 1
    stored.save(update_fields=["password", "must_change_password", "version"])
    audit.record(
        actor=actor,
        action=Action.UPDATE,
        instance=stored,
        before=before,
        after=user_snapshot(stored, before["roles"]),
        note=note,
    )
    return stored


@transaction.atomic
def user_password_set(*, actor: Any, user: User, password: str) -> User:
    """An administrator gives the user a temporary password; the next login asks for a new
    one. The trail records that it happened, never the password or its hash."""
    access.require(access.can_manage_users(actor))
    return _store_password(
        actor=actor,
        user=user,
        password=password,
        temporary=True,
        note=_("Kata sandi sementara diatur oleh administrator."),
    )


@transaction.atomic
def user_password_link(*, actor: Any, user: User) -> tuple[str, str]:
    """A one-time link for the user to choose a password: (uidb64, token) of Django's token
    generator. The token is bound to the current password and last login, so it stops
    working once used (or once the password changes) and after PASSWORD_RESET_TIMEOUT."""
    access.require(access.can_manage_users(actor))
    if not user.is_active:
        raise ValidationError(_("Aktifkan pengguna ini dulu sebelum membuat tautan kata sandi."))
    audit.record(
        actor=actor,
        action=Action.WORKFLOW,
        instance=user,
        note=_("Tautan sekali pakai untuk mengatur kata sandi dibuat."),
    )
    return urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


@transaction.atomic
def user_password_change(*, actor: Any, password: str, note: str = "") -> User:
    """The user chooses their own password (self-service, after a temporary one, or through a
    one-time link); the old password or the link was checked by the caller's form."""
    access.require(access.can_change_own_password(actor))
    return _store_password(
        actor=actor,
        user=actor,
        password=password,
        temporary=False,
        note=note or _("Kata sandi diganti oleh penggunanya."),
    )


def _locked(user: User, expected_version: int | None) -> User:
    stored = User.objects.select_for_update().get(pk=user.pk)
    if expected_version is not None and stored.version != expected_version:
        raise ConcurrentEditError(core._last_editor(stored))
    return stored


@transaction.atomic
def administrator_ensure(*, username: str = "admin") -> str | None:
    """Create the first administrator with a generated password; returns the password once,
    or None when an administrator already exists."""
    roles_ensure()
    if User.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(12)
    user = User.objects.create_superuser(
        username=username, password=password, first_name="Administrator"
    )
    user.roles.add(Role.objects.get(code=RoleCode.ADMIN))
    user.unit = unit_for_function(UnitFunction.PERENCANAAN)
    user.save(update_fields=["unit"])
    return password
