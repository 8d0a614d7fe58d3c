"""Writes to a plan: yearly targets, pagu, end-of-period targets, printed totals and revisions.

Every change is checked against `sikumi.accounts.access` (Perencana/Admin), validated (year
inside the plan period, pagu not negative, a percentage not above 100), refused when stale,
recorded as a `TargetChange` (old value, new value, who, when, why) and in the audit trail,
all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from sikumi.accounts import access
from sikumi.audit import services as audit
from sikumi.audit.choices import Action
from sikumi.core import services as core
from sikumi.core.exceptions import ConcurrentEditError
from sikumi.plans.checker import format_printed
from sikumi.plans.document import Figure
from sikumi.plans.models import (
    MONEY_PLACES,
    ChangeKind,
    Indicator,
    IndicatorTarget,
    NodeKind,
    Pagu,
    Plan,
    PlanNode,
    PlanRevision,
    TargetChange,
)
from sikumi.rules.parsing import parse_number

MAX_MONEY = Decimal("9999999999999999.99")
MAX_FIGURE = Decimal("9999999999999999.9999")


# --- validation (plain functions, also used by forms and the API) ----------------------------


def read_number(raw: Any, *, label: str) -> Decimal | None:
    """A number typed by a user ("1.250.000", "85,5", "85,5%"); blank gives None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = parse_number(raw)
    except (ValueError, InvalidOperation):
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(
            _("%(label)s harus berupa angka, misalnya 1.250.000 atau 85,5.") % {"label": label},
            code="not_a_number",
        )
    return value


def validate_year(plan: Plan, year: int) -> None:
    if not plan.contains_year(year):
        raise ValidationError(
            _("Tahun %(year)s di luar periode Renstra %(start)s-%(end)s.")
            % {"year": year, "start": plan.period_start, "end": plan.period_end},
            code="year_outside_period",
        )


def validate_pagu(value: Decimal | None) -> None:
    if value is None:
        return
    if value < 0:
        raise ValidationError(_("Pagu tidak boleh negatif."), code="negative_budget")
    if value > MAX_MONEY:
        raise ValidationError(_("Pagu terlalu besar."), code="budget_too_large")
    if value != value.quantize(Decimal(1).scaleb(-MONEY_PLACES)):
        raise ValidationError(
            _("Pagu paling banyak dua angka desimal (sen)."), code="budget_precision"
        )


def validate_target(indicator: Indicator, value: Decimal | None) -> None:
    if value is None:
        return
    if abs(value) > MAX_FIGURE:
        raise ValidationError(_("Target terlalu besar."), code="target_too_large")
    bound = indicator.upper_bound
    if bound is not None and value > bound:
        raise ValidationError(
            _(
                "Target indikator persentase tidak boleh lebih dari %(bound)s%% "
                "(indikator: %(name)s)."
            )
            % {"bound": bound, "name": indicator.name[:80]},
            code="percentage_above_bound",
        )
    if bound is not None and value < 0:
        raise ValidationError(
            _("Target persentase tidak boleh negatif."), code="percentage_below_zero"
        )


def print_like(value: Decimal | None, old_printed: str, fmt: str, *, percent: bool) -> str:
    """The printed form of a new value in the style of the old one ("1.234.000", "85,50%")."""
    if value is None:
        return "-"
    like = Figure(v=None, p=old_printed or ("0%" if percent else "0"), fmt=fmt)  # type: ignore[arg-type]
    if percent and "%" not in like.p:
        like.p += "%"
    exponent = value.normalize().as_tuple().exponent
    needed = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    if needed > like.decimals():
        sep = "," if fmt == "id" else "."
        like.p = "0" + sep + "0" * min(needed, 4) + ("%" if like.is_percent else "")
        if old_printed.strip().startswith("Rp"):
            like.p = "Rp " + like.p
    return format_printed(value, like)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Tuliskan alasan perubahan (misalnya nomor Renstra perubahan)."), code="no_reason"
        )
    return reason


# --- revisions ------------------------------------------------------------------------------


@transaction.atomic
def revision_create(
    *, actor: Any, plan: Plan, reason: str, date: dt.date | None = None
) -> PlanRevision:
    access.require(access.can_edit(actor, plan))
    last = PlanRevision.objects.filter(plan=plan).aggregate(n=Max("number"))["n"] or 0
    revision = PlanRevision(
        plan=plan,
        number=last + 1,
        date=date or dt.date.today(),
        reason=_reason(reason),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    revision.full_clean()
    revision.save()
    audit.record(
        actor=actor, action=Action.CREATE, instance=revision, after=audit.snapshot(revision)
    )
    return revision


# --- targets and pagu -------------------------------------------------------------------------


def _change(
    *,
    actor: Any,
    plan: Plan,
    kind: str,
    year: int | None,
    old: tuple[Decimal | None, str],
    new: tuple[Decimal | None, str],
    reason: str,
    revision: PlanRevision | None,
    **subject: Any,
) -> TargetChange | None:
    if old == new:
        return None
    return TargetChange.objects.create(
        plan=plan,
        revision=revision,
        kind=kind,
        year=year,
        old_value=old[0],
        old_printed=old[1],
        new_value=new[0],
        new_printed=new[1],
        reason=reason,
        changed_by=actor if getattr(actor, "pk", None) else None,
        **subject,
    )


def _check_year_row(row: Any, expected_version: int | None) -> None:
    """A year's value edited from a read of that year: `expected_version` 0 says the editor saw
    no value for the year, so a row created since is someone else's edit; a version above 0 for
    a year without a row is a read of something that is gone. None: nothing to compare (a
    caller without a version, e.g. the Renstra loader)."""
    if expected_version is None:
        return
    if (row is None) != (expected_version == 0):
        raise ConcurrentEditError()


@transaction.atomic
def target_set(
    *,
    actor: Any,
    indicator: Indicator,
    year: int,
    value: Decimal | None,
    reason: str,
    expected_version: int | None = None,
    revision: PlanRevision | None = None,
    printed: str = "",
) -> IndicatorTarget:
    """Set the target of ``indicator`` for ``year`` (creating the year if it had none)."""
    access.require(access.can_edit(actor, indicator))
    reason = _reason(reason)
    plan = indicator.plan
    validate_year(plan, year)
    validate_target(indicator, value)
    target = IndicatorTarget.objects.filter(indicator=indicator, year=year).first()
    _check_year_row(target, expected_version)
    if target is None:
        target = IndicatorTarget(indicator=indicator, year=year, number_format="id")
        old: tuple[Decimal | None, str] = (None, "")
    else:
        old = (target.value, target.printed)
    new_printed = printed or print_like(
        value, target.printed, target.number_format, percent=indicator.is_percent
    )
    if target.pk and target.value == value and target.printed == new_printed:
        if expected_version is not None and target.version != expected_version:
            raise ConcurrentEditError()
        return target
    target.value, target.printed = value, new_printed
    note = _("Perubahan target: %(reason)s") % {"reason": reason}
    if target.pk:
        core.record_update(
            actor=actor, instance=target, expected_version=expected_version, note=note
        )
    else:
        core.record_create(actor=actor, instance=target, note=note)
    _change(
        actor=actor,
        plan=plan,
        kind=ChangeKind.TARGET,
        year=year,
        old=old,
        new=(value, new_printed),
        reason=reason,
        revision=revision,
        target=target,
    )
    return target


@transaction.atomic
def pagu_set(
    *,
    actor: Any,
    plan: Plan,
    node: PlanNode | None,
    year: int,
    value: Decimal | None,
    reason: str,
    expected_version: int | None = None,
    revision: PlanRevision | None = None,
    printed: str = "",
) -> Pagu:
    """Set the pagu of a program/kegiatan/sub kegiatan (or, node None, the OPD total row)."""
    access.require(access.can_edit(actor, plan))
    reason = _reason(reason)
    if node is not None and node.kind not in (
        NodeKind.PROGRAM,
        NodeKind.KEGIATAN,
        NodeKind.SUB_KEGIATAN,
    ):
        raise ValidationError(
            _("Pagu hanya untuk program, kegiatan dan sub kegiatan."), code="no_budget_level"
        )
    validate_year(plan, year)
    validate_pagu(value)
    pagu = Pagu.objects.filter(plan=plan, node=node, year=year).first()
    _check_year_row(pagu, expected_version)
    if pagu is None:
        pagu = Pagu(plan=plan, node=node, year=year, number_format="id")
        old: tuple[Decimal | None, str] = (None, "")
    else:
        old = (pagu.value, pagu.printed)
    new_printed = printed or print_like(value, pagu.printed, pagu.number_format, percent=False)
    if pagu.pk and pagu.value == value and pagu.printed == new_printed:
        if expected_version is not None and pagu.version != expected_version:
            raise ConcurrentEditError()
        return pagu
    pagu.value, pagu.printed = value, new_printed
    note = _("Perubahan pagu: %(reason)s") % {"reason": reason}
    if pagu.pk:
        core.record_update(actor=actor, instance=pagu, expected_version=expected_version, note=note)
    else:
        core.record_create(actor=actor, instance=pagu, note=note)
    _change(
        actor=actor,
        plan=plan,
        kind=ChangeKind.PAGU,
        year=year,
        old=old,
        new=(value, new_printed),
        reason=reason,
        revision=revision,
        pagu=pagu,
    )
    return pagu


@transaction.atomic
def end_target_set(
    *,
    actor: Any,
    indicator: Indicator,
    value: Decimal | None,
    reason: str,
    expected_version: int | None = None,
    revision: PlanRevision | None = None,
) -> Indicator:
    """Set the printed end-of-period target (kondisi kinerja akhir periode) of an indicator."""
    access.require(access.can_edit(actor, indicator))
    reason = _reason(reason)
    validate_target(indicator, value)
    old = (indicator.end_target, indicator.end_target_printed)
    printed = print_like(
        value,
        indicator.end_target_printed,
        indicator.end_target_format,
        percent=indicator.is_percent,
    )
    if old == (value, printed):
        return indicator
    indicator.end_target, indicator.end_target_printed = value, printed
    indicator.has_end_target = True
    core.record_update(
        actor=actor,
        instance=indicator,
        expected_version=expected_version,
        note=_("Perubahan target akhir periode: %(reason)s") % {"reason": reason},
    )
    _change(
        actor=actor,
        plan=indicator.plan,
        kind=ChangeKind.END_TARGET,
        year=None,
        old=old,
        new=(value, printed),
        reason=reason,
        revision=revision,
        indicator=indicator,
    )
    return indicator


@transaction.atomic
def pagu_total_set(
    *,
    actor: Any,
    node: PlanNode,
    value: Decimal | None,
    reason: str,
    expected_version: int | None = None,
    revision: PlanRevision | None = None,
) -> PlanNode:
    """Set the printed 5-year pagu total of a program, kegiatan or sub kegiatan."""
    access.require(access.can_edit(actor, node))
    reason = _reason(reason)
    validate_pagu(value)
    old = (node.pagu_total, node.pagu_total_printed)
    printed = print_like(value, node.pagu_total_printed, node.pagu_total_format, percent=False)
    if old == (value, printed):
        return node
    node.pagu_total, node.pagu_total_printed = value, printed
    node.has_pagu_total = True
    core.record_update(
        actor=actor,
        instance=node,
        expected_version=expected_version,
        note=_("Perubahan total pagu: %(reason)s") % {"reason": reason},
    )
    _change(
        actor=actor,
        plan=node.plan,
        kind=ChangeKind.PAGU_TOTAL,
        year=None,
        old=old,
        new=(value, printed),
        reason=reason,
        revision=revision,
        node=node,
    )
    return node


@transaction.atomic
def targets_save(
    *,
    actor: Any,
    indicator: Indicator,
    values: Mapping[int, Decimal | None],
    versions: Mapping[int, int | None],
    reason: str,
    end_target: Decimal | None = None,
    end_target_version: int | None = None,
    change_end_target: bool = False,
    revision: PlanRevision | None = None,
) -> int:
    """Save the yearly targets of one indicator at once: all or nothing. Returns the number of
    changed figures."""
    changes_before = TargetChange.objects.filter(plan=indicator.plan).count()
    errors: dict[str, list[str]] = {}
    for year, value in values.items():
        try:
            validate_year(indicator.plan, year)
            validate_target(indicator, value)
        except ValidationError as exc:
            errors.setdefault(f"target_{year}", []).extend(exc.messages)
    if change_end_target:
        try:
            validate_target(indicator, end_target)
        except ValidationError as exc:
            errors.setdefault("end_target", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    for year, value in sorted(values.items()):
        existing = IndicatorTarget.objects.filter(indicator=indicator, year=year).first()
        if existing is None and value is None:
            continue
        target_set(
            actor=actor,
            indicator=indicator,
            year=year,
            value=value,
            reason=reason,
            expected_version=versions.get(year),
            revision=revision,
        )
    if change_end_target:
        indicator.refresh_from_db()
        end_target_set(
            actor=actor,
            indicator=indicator,
            value=end_target,
            reason=reason,
            expected_version=end_target_version,
            revision=revision,
        )
    return TargetChange.objects.filter(plan=indicator.plan).count() - changes_before


@transaction.atomic
def pagu_save(
    *,
    actor: Any,
    node: PlanNode,
    values: Mapping[int, Decimal | None],
    versions: Mapping[int, int | None],
    reason: str,
    total: Decimal | None = None,
    total_version: int | None = None,
    change_total: bool = False,
    revision: PlanRevision | None = None,
) -> int:
    """Save the yearly pagu (and optionally the printed total) of one node: all or nothing."""
    plan = node.plan
    changes_before = TargetChange.objects.filter(plan=plan).count()
    errors: dict[str, list[str]] = {}
    for year, value in values.items():
        try:
            validate_year(plan, year)
            validate_pagu(value)
        except ValidationError as exc:
            errors.setdefault(f"pagu_{year}", []).extend(exc.messages)
    if change_total:
        try:
            validate_pagu(total)
        except ValidationError as exc:
            errors.setdefault("pagu_total", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    for year, value in sorted(values.items()):
        existing = Pagu.objects.filter(plan=plan, node=node, year=year).first()
        if existing is None and value is None:
            continue
        pagu_set(
            actor=actor,
            plan=plan,
            node=node,
            year=year,
            value=value,
            reason=reason,
            expected_version=versions.get(year),
            revision=revision,
        )
    if change_total:
        node.refresh_from_db()
        pagu_total_set(
            actor=actor,
            node=node,
            value=total,
            reason=reason,
            expected_version=total_version,
            revision=revision,
        )
    return TargetChange.objects.filter(plan=plan).count() - changes_before
