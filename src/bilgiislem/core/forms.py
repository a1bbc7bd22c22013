"""Helpers that connect forms to services."""

from .errors import DomainError


def apply_domain_error(form, error: DomainError) -> None:
    """Put a service's refusal on the form, on the named field where the form has it."""
    for field, messages in error.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
