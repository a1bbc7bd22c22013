"""Local development and the `make run` demo."""

from .base import *  # noqa: F403

DEBUG = True
