from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from sikumi.accounts import access
from sikumi.audit.filters import AuditEntryFilter
from sikumi.audit.models import AuditEntry
from sikumi.core.views import paginate


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not access.can_view_audit(request.user):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("content_type").order_by("-at", "-id")
    filterset = AuditEntryFilter(request.GET, queryset=entries)
    page = paginate(request, filterset.qs)
    return render(request, "audit/list.html", {"filter": filterset, "page": page})


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_view_audit(request.user):
        raise PermissionDenied
    entry = get_object_or_404(AuditEntry.objects.select_related("content_type"), pk=pk)
    return render(request, "audit/detail.html", {"entry": entry})
