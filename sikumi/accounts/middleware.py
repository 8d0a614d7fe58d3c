"""A user holding a temporary password (set by an administrator) replaces it before anything
else: every page leads to "Ubah kata sandi" until then."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a user with a temporary password may still reach: the change itself, logging out,
# the language switch, static files and the API (which authenticates by token, not session).
_OPEN_PREFIXES = ("/keluar/", "/bahasa/", "/static/", "/media/", "/api/", "/favicon")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "must_change_password", False):
            target = reverse("accounts:password-change")
            if request.path != target and not request.path.startswith(_OPEN_PREFIXES):
                messages.warning(
                    request, _("Ganti dulu kata sandi sementara Anda sebelum melanjutkan.")
                )
                return redirect(target)
        return self.get_response(request)
