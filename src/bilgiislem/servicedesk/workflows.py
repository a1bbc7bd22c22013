"""The allowed changes of a request's state, as data (STYLE.md, "Workflows are data").

Each action names the states it may start from and the state it leads to (``None``: the
state does not change, e.g. reassigning a request that waits for a part keeps it waiting).
``check`` refuses any other move with a message naming the current state.
"""

from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError

from .choices import TicketState as S

WAITING = {S.WAITING_REQUESTER, S.WAITING_VENDOR, S.WAITING_PART}
WORKING = {S.ASSIGNED, S.IN_PROGRESS, *WAITING}
OPEN = {S.NEW, *WORKING}

# Waiting reasons a technician chooses when pausing (vendor: the clock pauses only when the
# maintenance contract says so, decided by the vendor handoff).
PAUSE_STATES = {
    "requester": S.WAITING_REQUESTER,
    "vendor": S.WAITING_VENDOR,
    "part": S.WAITING_PART,
}

TRANSITIONS: dict[str, tuple[set, S | None]] = {
    "take": ({S.NEW}, S.ASSIGNED),
    "assign": (OPEN, None),  # NEW/ASSIGNED/IN_PROGRESS → ASSIGNED; waiting states kept
    "start": ({S.ASSIGNED}, S.IN_PROGRESS),
    "pause": ({S.ASSIGNED, S.IN_PROGRESS, *WAITING}, None),  # → the chosen waiting state
    "resume": (WAITING, S.IN_PROGRESS),
    "resolve": (WORKING, S.RESOLVED),
    "confirm": ({S.RESOLVED}, S.CLOSED),
    "reopen": ({S.RESOLVED}, S.IN_PROGRESS),
    "close": ({S.RESOLVED}, S.CLOSED),
    "cancel": ({S.UNCONFIRMED, *OPEN}, S.CANCELLED),
    "merge": ({S.UNCONFIRMED, *OPEN}, S.MERGED),
    "move": (OPEN, S.NEW),
    "link": (OPEN, None),  # parent/child, priority
}


def check(ticket, action: str, *, field: str = "state") -> None:
    """Refuse ``action`` when the request's state does not allow it."""
    allowed, _target = TRANSITIONS[action]
    if ticket.state not in allowed:
        raise DomainError(
            _("This request is “%(state)s”: that cannot be done now.")
            % {"state": ticket.get_state_display()},
            field=field,
        )


def after_assign(state: str) -> str:
    """The state a request is in once (re)assigned: waiting states stay, others are ASSIGNED."""
    return state if state in WAITING else S.ASSIGNED
