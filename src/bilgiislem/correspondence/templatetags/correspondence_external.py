"""What the e-imza section of the letter page needs beyond the page's own context."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def external_signing(context) -> dict:
    """The upload form (the one with errors after a refusal) and the preparation of the
    current signature step and version, if the letter was prepared already."""
    from ..views.external import SignedPdfForm, open_preparation

    letter, step = context["letter"], context.get("current")
    preparation = open_preparation(letter)
    if preparation is not None and (
        step is None or preparation.step_id != step.pk or preparation.version != letter.version
    ):
        preparation = None  # stale: preparing again takes a new number
    return {
        "form": context.get("external_form") or SignedPdfForm(),
        "preparation": preparation,
    }
