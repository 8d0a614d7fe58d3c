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
