from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sikumi.accounts import access
from sikumi.audit import masking
from sikumi.audit.choices import Action
from sikumi.audit.filters import AuditEntryFilter
from sikumi.audit.models import AuditEntry
from sikumi.audit.services import record_personal_data_access
from sikumi.core.views import paginate


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not access.can_view_audit(request.user):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("content_type").order_by("-at", "-id")
    filterset = AuditEntryFilter(request.GET, queryset=entries)
    page = paginate(request, filterset.qs)
    # The list is a summary: personal data in the snapshots and notes stay masked for everyone
    # (one entry's page shows them in full to those who may, and records it).
    for entry in page:
        entry.shown_changes = masking.changed_fields(entry, full=False)[:4]
        entry.shown_note = masking.mask_text(entry.note)
        entry.shown_repr = masking.mask_text(entry.object_repr)
    return render(request, "audit/list.html", {"filter": filterset, "page": page})


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_view_audit(request.user):
        raise PermissionDenied
    entry = get_object_or_404(AuditEntry.objects.select_related("content_type"), pk=pk)
    personal = masking.has_personal_data(entry)
    full = personal and access.can_view_audit_personal_data(request.user)
    if full:
        record_personal_data_access(
            actor=request.user,
            action=Action.VIEW_PERSONAL,
            what=f"Data pribadi dalam entri audit #{entry.pk}",
            model=AuditEntry,
        )
    changes = masking.changed_fields(entry, full=full)
    note = entry.note if full else masking.mask_text(entry.note)
    shown_repr = entry.object_repr if full else masking.mask_text(entry.object_repr)
    return render(
        request,
        "audit/detail.html",
        {
            "entry": entry,
            "changes": changes,
            "note": note,
            "shown_repr": shown_repr,
            "masked": personal and not full,
        },
    )
