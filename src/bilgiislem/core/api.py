"""API glue shared by every app.

A refused permission (``PermissionDeniedError``) becomes 403 with the reason; any other domain
error becomes 400 naming the field, in DRF's shape (``non_field_errors`` for the whole form).
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DomainError, PermissionDeniedError


def _field_errors(errors: dict) -> dict:
    key = api_settings.NON_FIELD_ERRORS_KEY
    return {(key if field == NON_FIELD_ERRORS else field): msgs for field, msgs in errors.items()}


def exception_handler(exc, context):
    if isinstance(exc, PermissionDeniedError):
        detail = " ".join(m for msgs in exc.errors.values() for m in msgs)
        return Response({"detail": detail}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        return Response(_field_errors(exc.errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return Response(_field_errors(detail), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
