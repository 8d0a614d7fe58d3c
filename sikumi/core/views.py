from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from sikumi.accounts import access
from sikumi.core import inbox, lookups
from sikumi.core.models import TaskProgress


def file_response(field_file: Any, *, download: bool = True) -> FileResponse:
    """An uploaded file, streamed through a view that has already checked who may see it.

    Uploads are never served from MEDIA_URL directly: import files carry NIK and phone numbers,
    evidence and case documents belong to a Bidang, so every download goes through a view.
    """
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = field_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=download, filename=name)


def paginate(request: HttpRequest, queryset: Any, per_page: int = 50) -> Page:
    """A page of the queryset; counts are exact but the query is a plain COUNT on indexes."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def apply_service_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's validation error on the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


T = TypeVar("T")


def or_404(selector: Callable[..., T], **kwargs: Any) -> T:
    """What a selector returns for these arguments; 404 when it finds no such record.

    Selectors take the user and check what that user may see (conventions: never a bare
    ``.objects.get()`` in a view); they raise ``DoesNotExist``, which is HTTP's business here."""
    try:
        return selector(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def submit_form(
    request: HttpRequest,
    form: Any,
    save: Callable[[], T],
    *,
    success: str | Callable[[T], str],
    then: str | Callable[[T], str],
) -> HttpResponse | None:
    """The block every edit page repeats: on a POST whose form is valid, run ``save`` (which
    calls the service), put a refused save's ValidationError on the form, or show ``success``
    and redirect to ``then`` (a URL, a URL name without arguments, or a function of the saved
    result returning a URL). None means: render the page (GET, invalid form or refused save).

        form = CooperativeForm(request.POST or None, instance=cooperative)
        if done := submit_form(
            request, form, lambda: services.cooperative_update(...),
            success=_("Data koperasi tersimpan."),
            then=lambda saved: reverse("cooperatives:detail", args=[saved.pk]),
        ):
            return done
        return render(request, "cooperatives/form.html", {"form": form})
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save()
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return None
    messages.success(request, success(saved) if callable(success) else success)
    return redirect(then(saved) if callable(then) else then)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not access.is_internal(request.user):
        raise PermissionDenied
    groups = inbox.summary(request.user, with_items=False)
    return render(request, "core/home.html", {"inbox_groups": [g for g in groups if g.count]})


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    """The "Tugas saya" page: the work waiting for the user, grouped by kind with counts and
    the first items of each; ``?jenis=<code>`` lists every item of one kind, page by page."""
    if not access.is_internal(request.user):
        raise PermissionDenied
    code = request.GET.get("jenis", "")
    if code:
        source = inbox.get(code)
        if source is None or not source.allowed(request.user):
            raise Http404
        page = paginate(request, source.rows(request.user, timezone.localdate()), per_page=50)
        return render(
            request,
            "core/inbox.html",
            {
                "source": source,
                "page": page,
                "items": inbox.items(source, page.object_list),
                "today": timezone.localdate(),
            },
        )
    groups = inbox.summary(request.user)
    return render(
        request,
        "core/inbox.html",
        {
            "groups": groups,
            "total": sum(g.count for g in groups),
            "today": timezone.localdate(),
        },
    )


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def task_progress(request: HttpRequest, pk: int) -> HttpResponse:
    progress = get_object_or_404(TaskProgress, pk=pk)
    if progress.owner_id != request.user.pk and not access.is_admin(request.user):
        raise PermissionDenied
    return render(request, "core/partials/progress.html", {"progress": progress})


@login_required
@never_cache
def lookup_json(request: HttpRequest) -> JsonResponse:
    """Lookup fields (static/sikumi/lookup.js): up to 20 records of the registered kind
    ``?jenis=`` matching ``?q=``, as JSON. 404 for an unknown kind, 403 for a user who may not
    search it."""
    code = request.GET.get("jenis", "")
    if lookups.get(code) is None:
        raise Http404
    if not lookups.is_allowed(code, request.user):
        raise PermissionDenied
    hits = lookups.search(code, request.GET.get("q", ""), user=request.user)
    return JsonResponse(
        {
            "results": [
                {"id": h.id, "label": h.label, "detail": h.detail, "example": h.is_example}
                for h in hits
            ]
        }
    )
