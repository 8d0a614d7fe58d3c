"""Who is acting and from where, for the audit trail, carried across the request."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from sikumi.audit.choices import Source


@dataclass(frozen=True)
class AuditContext:
    ip_address: str | None = None
    source: str = Source.COMMAND


_current: ContextVar[AuditContext] = ContextVar("sikumi_audit_context", default=AuditContext())  # noqa: B039 - frozen, immutable


def current() -> AuditContext:
    return _current.get()


@contextlib.contextmanager
def using(*, ip_address: str | None = None, source: str = Source.COMMAND) -> Iterator[None]:
    """Run a block (a request, a command, a task) with this address and source."""
    token = _current.set(AuditContext(ip_address=ip_address, source=source))
    try:
        yield
    finally:
        _current.reset(token)
