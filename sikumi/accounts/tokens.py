"""API tokens stored hashed: created here (the plain token is returned once), checked by
`HashedTokenAuthentication` (DRF's `Authorization: Token <key>` header) against the hash."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from sikumi.accounts.models import ApiToken


def token_hash(key: str) -> str:
    # Tokens are 40 random hexadecimal characters (160 bits): a plain SHA-256 cannot be
    # reversed or guessed, so no salt or slow hash is needed (and lookups stay indexed).
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: Any, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`: the stored record and the token, to be shown once."""
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user, name=name[:100], key_hash=token_hash(key), prefix=key[:8]
    )
    return token, key


class HashedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, compared by hash."""

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(key_hash=token_hash(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token tidak valid."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Pengguna tidak aktif atau dihapus."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token
