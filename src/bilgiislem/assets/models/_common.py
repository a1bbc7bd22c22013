"""Shared field settings for the asset models."""

from django.conf import settings

PERSON = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 14, "decimal_places": 2}
QTY = {"max_digits": 12, "decimal_places": 3}
