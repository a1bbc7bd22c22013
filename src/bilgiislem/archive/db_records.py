"""Database triggers that freeze archived records (issue 5 point 3).

Installed by migration 0002; filled in by the records work.
"""


def install(connection) -> None:
    """Create the triggers on this connection's database (idempotent)."""


def uninstall(connection) -> None:
    """Drop the triggers (reverse migration; the tamper tests drop them on purpose)."""
