"""Per-request context (request id, client address) that services read for the audit trail.

A contextvar rather than a thread-local so that it also works under ASGI.
"""

import contextvars
import dataclasses


@dataclasses.dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    ip_address: str | None = None


# A frozen dataclass: immutable, so a shared default is safe.
_current = contextvars.ContextVar(
    "bilgiislem_request_context",
    default=RequestContext(),  # noqa: B039
)


def current() -> RequestContext:
    return _current.get()


def bind(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)
