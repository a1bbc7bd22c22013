"""Local development and the `make run` demo."""

from .base import *  # noqa: F403

DEBUG = True
# The demo sends no real mail: confirmation links and notices are printed on the console.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
