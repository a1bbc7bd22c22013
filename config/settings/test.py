"""Test settings: fast hashing, tasks run inline, no lockout noise across tests."""

from .base import *  # noqa: F403
from .base import HUEY

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}
AXES_FAILURE_LIMIT = 3
