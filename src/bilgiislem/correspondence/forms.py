"""Forms of the letter pages: they check shape; the services check the rules."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization.choices import UnitKind
from bilgiislem.organization.models import OrgUnit, Position
from bilgiislem.registry.choices import Purpose, Secrecy, Urgency
from bilgiislem.registry.models import Document

from .choices import RecipientKind

BODY_HELP = _(
    "Separate paragraphs with an empty line. Lines starting with “a)”, “b)”, “c)” in one "
    "paragraph form a list. End with the closing formula (“… arz ederim.” to a higher "
    "authority, “… rica ederim.” otherwise)."
)


class LetterForm(forms.Form):
    subject = forms.CharField(label=_("Subject (Konu)"), max_length=500)
    sdp_code = forms.CharField(
        label=_("File plan code (SDP)"), max_length=30, help_text=_("For example 010.06.01")
    )
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    urgency_date = forms.DateField(
        label=_("GÜNLÜDÜR date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), help_text=BODY_HELP
    )
    references = forms.CharField(
        label=_("References (ilgi)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Registry numbers (2026/15) or Sayı of registered documents, one a line."),
    )
    reply_to = forms.CharField(
        label=_("In reply to"),
        required=False,
        max_length=100,
        help_text=_("Registry number or Sayı of the incoming document this letter answers."),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def _document(self, text, field):
        visible = Document.objects.visible_to(self.user)
        match = re.fullmatch(r"(\d{4})/(\d+)", text)
        if match:
            found = visible.filter(
                registry_year=int(match[1]), registry_number=int(match[2])
            ).order_by("pk")
        else:
            found = visible.filter(sayi=text).order_by("pk")
        found = list(found[:2])
        if not found:
            raise forms.ValidationError(
                _("No document you may see has the number %(n)s.") % {"n": text}, code=field
            )
        if len(found) > 1:
            raise forms.ValidationError(
                _("More than one document has the number %(n)s: give its Sayı.") % {"n": text}
            )
        return found[0]

    def clean_references(self):
        lines = [s.strip() for s in re.split(r"[\n,;]", self.cleaned_data["references"])]
        return [self._document(s, "references") for s in lines if s]

    def clean_reply_to(self):
        text = self.cleaned_data["reply_to"].strip()
        return self._document(text, "reply_to") if text else None


def _directorates():
    return OrgUnit.objects.filter(kind=UnitKind.MUDURLUK, valid_to__isnull=True).order_by("name")


class RecipientForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", "---------"), *RecipientKind.choices], required=False
    )
    unit = forms.ModelChoiceField(
        label=_("Directorate"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("For a directorate of this municipality."),
    )
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    identifier = forms.CharField(
        label=_("DETSİS / VKN / TCKN"),
        max_length=16,
        required=False,
        help_text=_("DETSİS: 8 digits; VKN: 10; TCKN: 11."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _directorates()

    def clean(self):
        data = super().clean()
        identifier = (data.get("identifier") or "").strip()
        detsis = data.get("kind") in {"public_body", "governorship", "metropolitan"}
        if detsis and identifier and not re.fullmatch(r"\d{8}", identifier):
            self.add_error("identifier", _("A DETSİS number has 8 digits."))
        return data

    def as_recipient(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("kind"):
            return None
        return {
            "kind": data["kind"],
            "unit": data.get("unit"),
            "name": data.get("name", ""),
            "identifier": data.get("identifier", ""),
            "purpose": data["purpose"],
        }


RecipientFormSet = forms.formset_factory(RecipientForm, extra=3, max_num=20)


def recipients_of(formset) -> list[dict]:
    return [r for f in formset.forms if (r := f.as_recipient()) is not None]


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Why do you return it?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SubmitForm(forms.Form):
    """Sending a draft for approval, optionally with coordination (koordinasyon, RYY art.
    22): the chosen Directors of other directorates coordinate after the Chief's paraf and
    before the Director's step, in the order listed."""

    coordination = forms.ModelMultipleChoiceField(
        label=_("Coordinate with"),
        queryset=Position.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Directors of other directorates who must agree before your Director."),
    )

    def __init__(self, *args, letter, **kwargs):
        from .services.approval import coordination_choices

        super().__init__(*args, **kwargs)
        field = self.fields["coordination"]
        field.queryset = coordination_choices(letter)
        field.label_from_instance = lambda post: f"{post.title} ({post.unit.name})"
