from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from sikumi.accounts.choices import RoleCode
from sikumi.accounts.models import Role, Unit, User
from sikumi.core import services as core

ORGANISATION_FILE = Path(__file__).parent / "data" / "organisation.yaml"


@transaction.atomic
def roles_ensure() -> None:
    for code, label in RoleCode.choices:
        Role.objects.get_or_create(code=code, defaults={"name": str(label)})


@transaction.atomic
def organisation_load(*, actor: Any = None, path: Path = ORGANISATION_FILE) -> int:
    """Create the units of the organisation file that do not exist yet (by code).

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
                        kind=node["kind"],
                        parent=parent,
                        order=order,
                    ),
                )
                created += 1
            walk(node.get("children", []), unit)

    walk(yaml.safe_load(path.read_text()), None)
    return created


def unit_save(*, actor: Any, unit: Unit, expected_version: int | None = None) -> Unit:
    if unit.pk is None:
        return core.record_create(actor=actor, instance=unit)
    return core.record_update(actor=actor, instance=unit, expected_version=expected_version)


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
    user.unit = Unit.objects.filter(code="subbag-umum-perencanaan").first()
    user.save(update_fields=["unit"])
    return password
