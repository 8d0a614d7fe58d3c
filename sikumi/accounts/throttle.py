"""One login throttle for every way in: Sikumi's login page, the Django admin's login, DRF's
session and basic authentication, and any later path that calls `django.contrib.auth.authenticate`.

- `ThrottleBackend` comes first in AUTHENTICATION_BACKENDS: while a username (or an address)
  has too many recent failures, it refuses before any password is checked, so the right password
  does not help a guesser.
- `record_failure` (on Django's `user_login_failed` signal) keeps every failed attempt
  (`LoginFailure`, which the throttle counts) and writes it to the audit trail.

Failures are counted per account, and per address with ten times the limit: an office behind one
NAT address must not be locked out by a few colleagues' typos, but a guesser trying many accounts
from one address is stopped. Refused attempts while locked are not counted again, so the lock
ends when the window has passed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

_THROTTLED = "_sikumi_login_throttled"


def window_minutes() -> int:
    return max(1, settings.SIKUMI_LOGIN_WINDOW_SECONDS // 60)


def _ip(request: Any) -> str | None:
    from sikumi.audit.middleware import client_ip

    return client_ip(request) if request is not None else None


def is_throttled(username: str, ip: str | None) -> bool:
    """Whether this username or this address has used up its failures in the window."""
    from sikumi.accounts.models import LoginFailure

    since = timezone.now() - timedelta(seconds=settings.SIKUMI_LOGIN_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.SIKUMI_LOGIN_MAX_FAILURES
    if recent.filter(username__iexact=(username or "").strip()).count() >= limit:
        return True
    return bool(ip) and recent.filter(ip_address=ip).count() >= limit * 10


def request_is_throttled(request: Any, username: str) -> bool:
    """Check and remember the answer on the request (the failure signal then does not count a
    refused attempt)."""
    throttled = is_throttled(username, _ip(request))
    if throttled and request is not None:
        setattr(request, _THROTTLED, True)
    return throttled


def was_throttled(request: Any) -> bool:
    """Whether the login attempt of this request was refused by the throttle."""
    return bool(getattr(request, _THROTTLED, False))


class ThrottleBackend:
    """Not a way to log in: refuses every backend after it while the login is throttled."""

    def authenticate(self, request: Any, username: str | None = None, **credentials: Any) -> None:
        from django.contrib.auth import get_user_model

        if username is None:
            username = credentials.get(get_user_model().USERNAME_FIELD)
        if username is None:
            return None
        if request_is_throttled(request, str(username)):
            # PermissionDenied stops authenticate() at once (no later backend runs) and
            # sends user_login_failed.
            raise PermissionDenied
        return None

    # No get_user(): nobody is ever logged in through this backend (and Django's test client
    # logs users in with the first backend that has one).


def record_failure(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    """A failed login: counted for the throttle and written to the audit trail."""
    from django.contrib.auth import get_user_model

    from sikumi.accounts.models import LoginFailure
    from sikumi.audit.choices import Action
    from sikumi.audit.services import record

    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")[:150]
    throttled = was_throttled(request)
    if not throttled:
        LoginFailure.objects.create(username=username, ip_address=_ip(request))
    record(
        actor=None,
        action=Action.LOGIN_FAILED,
        object_repr=username,
        note=_("Ditolak: terlalu banyak percobaan gagal") if throttled else "",
    )
