"""Database triggers that guard disposal (issue 5 point 6).

Installed by migration 0003; filled in by the disposal work.
"""


def install(connection) -> None:
    """Create the triggers on this connection's database (idempotent)."""


def uninstall(connection) -> None:
    """Drop the triggers."""
