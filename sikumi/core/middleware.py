"""Turns a refused background task (one user's limit reached) into a page that says why."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sikumi.core.tasks import TaskLimitError


class TaskLimitMiddleware:
    """Any view that starts a task (imports, reports) answers 429 with the reason, never 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TaskLimitError):
            return None
        if request.headers.get("HX-Request"):
            # htmx swaps only successful answers: the message replaces the progress bar.
            return render(
                request, "core/partials/task_limit.html", {"message": exception.messages[0]}
            )
        return render(
            request, "core/task_limit.html", {"message": exception.messages[0]}, status=429
        )


class QueryNullMiddleware:
    """Drops NUL characters from query parameters: no column can hold them (PostgreSQL refuses
    them with an error), and no user types them. Form fields already refuse them; this covers
    the parameters views read by hand."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get(
            "QUERY_STRING", ""
        ):
            cleaned = request.GET.copy()
            for key in list(cleaned):
                cleaned.setlist(key, [v.replace("\x00", "") for v in cleaned.getlist(key)])
            cleaned._mutable = False
            request.GET = cleaned  # type: ignore[assignment]
        return self.get_response(request)
