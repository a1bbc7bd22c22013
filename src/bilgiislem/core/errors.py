"""Domain errors raised by services; interfaces turn them into form errors or HTTP 400."""


class DomainError(Exception):
    """A business rule refused the action.

    ``errors`` maps a field name (or ``"__all__"``) to a list of messages, so forms and the
    API can name the field.
    """

    def __init__(self, message=None, *, field: str = "__all__", errors: dict | None = None):
        if errors is None:
            errors = {field: [message]}
        self.errors = {k: [str(m) for m in v] for k, v in errors.items()}
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class PermissionDeniedError(DomainError):
    """The actor's posts do not allow this action on an object they can see."""
