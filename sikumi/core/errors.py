from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from sikumi.core.personal_search import SearchThrottled


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else None
    return render(request, "403.html", {"message": message}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


class ThrottleMiddleware:
    """A page, an htmx partial or a lookup that hit a per-user limit (SearchThrottled) answers
    429 with the Indonesian message, never a 500 (the API has its own, sikumi.core.api)."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, SearchThrottled):
            return None
        message = str(exception)
        if request.path.startswith("/cari/"):
            return JsonResponse({"results": [], "error": message}, status=429)
        if request.headers.get("HX-Request"):
            return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
        return render(request, "429.html", {"message": message}, status=429)
