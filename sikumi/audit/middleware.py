from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from sikumi.audit import context
from sikumi.audit.choices import Source


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For can be forged unless a trusted proxy sets it.
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Tags every write done while serving a request with the client address and the channel."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = Source.API if request.path.startswith("/api/") else Source.PAGE
        with context.using(ip_address=client_ip(request), source=source):
            return self.get_response(request)
