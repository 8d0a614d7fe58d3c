"""Administrators edit the configurable data here (methodologies, requirement templates,
checklists). Saves go through the core services so each change is in the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from sikumi.audit import services as audit
from sikumi.audit.choices import Action
from sikumi.core import services as core
from sikumi.supervision.models import (
    ChecklistItem,
    ChecklistTemplate,
    HealthMethodology,
    RequirementTemplate,
)


class AuditedAdmin(admin.ModelAdmin):
    """Create and update through sikumi.core.services; archive instead of delete."""

    def save_model(self, request: Any, obj: Any, form: Any, change: bool) -> None:
        if change:
            core.record_update(actor=request.user, instance=obj)
        else:
            core.record_create(actor=request.user, instance=obj)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(HealthMethodology)
class HealthMethodologyAdmin(AuditedAdmin):
    list_display = ["code", "revision", "title", "valid_from", "is_active", "archived_at"]
    list_filter = ["code", "is_active"]
    readonly_fields = ["version", "created_at", "updated_at"]


@admin.register(RequirementTemplate)
class RequirementTemplateAdmin(AuditedAdmin):
    list_display = ["kind", "order", "label", "mandatory", "syariah_only", "measure", "minimum"]
    list_filter = ["kind", "mandatory"]
    list_editable = ["order"]


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    can_delete = False


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(AuditedAdmin):
    list_display = ["code", "revision", "title", "valid_from", "is_active"]
    inlines = [ChecklistItemInline]

    def save_formset(self, request: Any, form: Any, formset: Any, change: bool) -> None:
        """Checklist items are plain rows: audit each created or changed one here."""
        for item in formset.save(commit=False):
            before = None
            if item.pk:
                stored = type(item).objects.get(pk=item.pk)
                before = audit.snapshot(stored)
            item.save()
            audit.record(
                actor=request.user,
                action=Action.UPDATE if before else Action.CREATE,
                instance=item,
                before=before,
                after=audit.snapshot(item),
            )
