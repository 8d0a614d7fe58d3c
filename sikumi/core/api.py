from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sikumi.core.exceptions import ConcurrentEditError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Domain errors from services become clear 400/403/409 answers, never a 500; DRF's own
    messages come translated (locale/id), except a parser's, which quotes the parser's English
    error text: that one is replaced."""
    from sikumi.core.personal_search import SearchThrottled

    if isinstance(exc, ConcurrentEditError):
        return Response(
            {"detail": exc.messages[0], "code": "concurrent_edit"}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, SearchThrottled):
        exc = exceptions.Throttled(detail=str(exc))
    if isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError(
            _("Isi permintaan tidak dapat dibaca: bukan JSON (atau format lain) yang valid.")
        )
    if isinstance(exc, DjangoValidationError):
        codes = [] if hasattr(exc, "error_dict") else [e.code for e in exc.error_list]
        if "concurrent_edit" in codes:
            return Response(
                {"detail": exc.messages[0], "code": "concurrent_edit"},
                status=status.HTTP_409_CONFLICT,
            )
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        return Response(detail, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)
