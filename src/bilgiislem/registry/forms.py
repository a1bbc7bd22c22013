"""Registry forms check the shape of input; the services decide what is allowed.

Uploads are checked here too (type, emptiness, size) so the message lands on the field that
carried the file; the services check them again before anything is stored.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError
from bilgiislem.organization.choices import UnitKind
from bilgiislem.organization.models import OrgUnit, Person

from .choices import AnnexKind, DeadlineBasis, Direction, Medium, PartyKind, Secrecy, Urgency
from .models import Document

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
TEXT_MAX = 4000


class DateInput(forms.DateInput):
    """A text box for dd.mm.yyyy (ISO also accepted), as in Turkish EBYS screens."""

    def __init__(self, attrs=None):
        base = {
            "placeholder": "gg.aa.yyyy",
            "inputmode": "numeric",
            "autocomplete": "off",
            "size": 10,
        }
        super().__init__(attrs={**base, **(attrs or {})}, format="%d.%m.%Y")


class TRDateField(forms.DateField):
    widget = DateInput
    default_error_messages = {"invalid": _("Enter a date as dd.mm.yyyy, e.g. 25.11.2026.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django needs this spelt out since 3.2.19)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d] or (
                [] if not self.required else single(None)
            )
        return [single(data, initial)] if data else []


def check_upload(upload) -> None:
    """Refuse an empty, oversize or mismatched file before any service runs."""
    if upload is None:
        return
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty."), params={"name": upload.name})
    if upload.size > storage.upload_max_bytes():
        raise ValidationError(
            _("“%(name)s” is larger than the limit of %(limit)s MB."),
            params={"name": upload.name, "limit": storage.upload_max_bytes() // (1024 * 1024)},
        )
    head = upload.read(storage.SNIFF_BYTES)
    upload.seek(0)
    try:
        storage.check_type(upload.name, head)
    except DomainError as exc:
        raise ValidationError([m for ms in exc.errors.values() for m in ms]) from exc


class CheckedFileField(forms.FileField):
    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        check_upload(value or None)
        return value


class CheckedMultipleFileField(MultipleFileField):
    def clean(self, data, initial=None):
        values = super().clean(data, initial)
        errors = []
        for upload in values:
            try:
                check_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return values


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.username})"


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.username})"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def active_people():
    return Person.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def directorates():
    return OrgUnit.objects.filter(kind=UnitKind.MUDURLUK, valid_to__isnull=True).order_by("name")


def only_one(form, registries) -> None:
    """With one registry the choice is hidden, and a post without it means that one."""
    if len(registries) == 1:
        field = form.fields["registry"]
        field.initial = registries[0].pk
        field.widget = forms.HiddenInput()
        field.required = False
        form.only_registry = registries[0]


class RegistryChoiceMixin:
    only_registry = None

    def clean_registry(self):
        return self.cleaned_data.get("registry") or self.only_registry


# --- registering -------------------------------------------------------------------------------


class DocumentRegisterForm(RegistryChoiceMixin, forms.Form):
    """Capture metadata of an incoming (or hand-entered outgoing) document (issue 3, point 1)."""

    registry = UnitChoiceField(
        label=_("Registry"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    medium = forms.ChoiceField(
        label=_("Medium"), choices=Medium.choices, initial=Medium.PAPER, widget=forms.RadioSelect
    )
    party_kind = forms.ChoiceField(label=_("Sender kind"), choices=PartyKind.choices)
    party_name = forms.CharField(label=_("Sender"), max_length=300, required=False)
    party_identifier = forms.CharField(
        label=_("DETSİS / VKN / MERSİS / TCKN"), max_length=32, required=False
    )
    party_unit = UnitChoiceField(
        label=_("Directorate"), queryset=OrgUnit.objects.none(), required=False
    )
    sayi = forms.CharField(
        label=_("Number (Sayı)"),
        max_length=100,
        required=False,
        help_text=_("For example E-67915368-903.07.02-4752."),
    )
    document_date = TRDateField(label=_("Document date"), required=False)
    subject = forms.CharField(label=_("Subject"), max_length=500)
    sdp_code = forms.CharField(label=_("File plan code"), max_length=30, required=False)
    secrecy = forms.ChoiceField(label=_("Secrecy"), choices=Secrecy.choices, initial=Secrecy.NONE)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    urgency_date = TRDateField(label=_("GÜNLÜDÜR date"), required=False)
    paper_location = forms.CharField(
        label=_("Where the paper original is kept"), max_length=300, required=False
    )
    scan = CheckedFileField(label=_("Scan of the paper original"), required=False)
    files = CheckedMultipleFileField(label=_("Electronic document files"), required=False)

    def __init__(self, *args, registries, direction=Direction.INCOMING, **kwargs):
        super().__init__(*args, **kwargs)
        self.direction = direction
        self.fields["registry"].queryset = OrgUnit.objects.filter(pk__in=[r.pk for r in registries])
        only_one(self, registries)
        self.fields["party_unit"].queryset = directorates()
        check = reverse("registry:identifier-check")
        for name, extra in (("party_identifier", ", change from:[name=party_kind]"), ("sayi", "")):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": f"{check}?field={name}",
                    "hx-trigger": f"input changed delay:400ms, blur{extra}",
                    "hx-include": "[name=party_kind]",
                    "hx-target": f"#check-{name}",
                    "hx-swap": "outerHTML",
                    "autocomplete": "off",
                }
            )
        if direction == Direction.OUTGOING:
            self.fields["party_kind"].label = _("Recipient kind")
            self.fields["party_name"].label = _("Recipient")
            self.fields["sayi"].required = True
            self.fields["scan"].label = _("Scan of the signed paper")

    def clean(self):
        data = super().clean()
        if data.get("party_kind") == PartyKind.INTERNAL and not data.get("party_unit"):
            self.add_error("party_unit", _("Choose the directorate."))
        if data.get("party_kind") not in (None, PartyKind.INTERNAL) and not data.get("party_name"):
            self.add_error("party_name", _("Give the name of the sender or recipient."))
        if data.get("medium") == Medium.ELECTRONIC and not data.get("files"):
            self.add_error("files", _("Upload the electronic document."))
        return data


class AnnexForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Annex kind"), choices=AnnexKind.choices, initial=AnnexKind.FILE
    )
    description = forms.CharField(label=_("Description"), max_length=500)
    file = CheckedFileField(label=_("File"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("kind") == AnnexKind.FILE and not data.get("file"):
            self.add_error("file", _("An electronic annex needs its file."))
        return data


class ReferenceForm(forms.Form):
    """An ilgi: a document registered here (by its registry number) or a Sayı and date."""

    number = forms.CharField(
        label=_("Registry number here"),
        max_length=30,
        required=False,
        help_text=_("For example 2026/15."),
    )
    sayi = forms.CharField(label=_("Number (Sayı)"), max_length=100, required=False)
    date = TRDateField(label=_("Date"), required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = documents if documents is not None else Document.objects.none()

    def clean_number(self):
        text = (self.cleaned_data.get("number") or "").strip()
        if not text:
            return None
        year, _slash, number = text.rpartition("/")
        if not number.isdigit() or (year and not year.isdigit()):
            raise ValidationError(_("Write the registry number as year/number, e.g. 2026/15."))
        found = list(
            self.documents.filter(registry_year=int(year or 0), registry_number=int(number))[:2]
        )
        if len(found) != 1:
            raise ValidationError(
                _("No registered document you can see has this number.")
                if not found
                else _("Several registries have this number; give the Sayı instead.")
            )
        return found[0]

    def clean(self):
        data = super().clean()
        if (
            not self.errors
            and not (data.get("number") or data.get("sayi") or data.get("description"))
            and self.has_changed()
        ):
            self.add_error("number", _("Give a registered document, a number or a description."))
        return data


class BaseRefFormSet(forms.BaseFormSet):
    def __init__(self, *args, documents=None, **kwargs):
        self.documents = documents
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "documents": self.documents}


AnnexFormSet = forms.formset_factory(AnnexForm, extra=3, max_num=50, validate_max=True)
ReferenceFormSet = forms.formset_factory(
    ReferenceForm, formset=BaseRefFormSet, extra=2, max_num=50, validate_max=True
)


class EypImportForm(RegistryChoiceMixin, forms.Form):
    registry = UnitChoiceField(
        label=_("Registry"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    file = forms.FileField(label=_("e-Yazışma package (.eyp)"))

    def __init__(self, *args, registries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registry"].queryset = OrgUnit.objects.filter(pk__in=[r.pk for r in registries])
        only_one(self, registries)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".eyp"):
            raise ValidationError(_("Choose an .eyp file."))
        if not upload.size:
            raise ValidationError(_("“%(name)s” is empty."), params={"name": upload.name})
        return upload


# --- working on a document ---------------------------------------------------------------------


class RouteForm(forms.Form):
    """Havale by the Director: people and units, each for action or for information."""

    action_people = PersonMultipleChoiceField(
        label=_("People, for action (gereği)"), queryset=Person.objects.none(), required=False
    )
    action_units = UnitMultipleChoiceField(
        label=_("Units, for action (gereği)"), queryset=OrgUnit.objects.none(), required=False
    )
    info_people = PersonMultipleChoiceField(
        label=_("People, for information (bilgi)"), queryset=Person.objects.none(), required=False
    )
    info_units = UnitMultipleChoiceField(
        label=_("Units, for information (bilgi)"), queryset=OrgUnit.objects.none(), required=False
    )
    instruction = forms.CharField(
        label=_("Instruction"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deadline_basis = forms.ChoiceField(
        label=_("Deadline rule"),
        required=False,
        choices=[
            ("", "—"),
            (DeadlineBasis.DOCUMENTS, DeadlineBasis.DOCUMENTS.label),
            (DeadlineBasis.OPINION, DeadlineBasis.OPINION.label),
        ],
    )
    due_date = TRDateField(
        label=_("Due date"),
        required=False,
        help_text=_("Leave empty to take the date from the deadline rule."),
    )

    def __init__(self, *args, people, units, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("action_people", "info_people"):
            self.fields[name].queryset = people
        for name in ("action_units", "info_units"):
            self.fields[name].queryset = units

    def recipients(self):
        from .choices import Purpose

        data = self.cleaned_data
        return (
            [(p, Purpose.ACTION) for p in data.get("action_people") or []]
            + [(u, Purpose.ACTION) for u in data.get("action_units") or []]
            + [(p, Purpose.INFORMATION) for p in data.get("info_people") or []]
            + [(u, Purpose.INFORMATION) for u in data.get("info_units") or []]
        )

    def clean(self):
        data = super().clean()
        if not self.errors and not self.recipients():
            self.add_error("action_people", _("Choose at least one person or unit."))
        return data


class ForwardForm(forms.Form):
    to_person = PersonChoiceField(label=_("Route on to"), queryset=Person.objects.none())
    instruction = forms.CharField(
        label=_("Instruction"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    due_date = TRDateField(label=_("Due date"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = people


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CloseForm(forms.Form):
    outcome = forms.CharField(
        label=_("Outcome"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reply = forms.ModelChoiceField(
        label=_("Reply (outgoing document)"), queryset=Document.objects.none(), required=False
    )

    def __init__(self, *args, replies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"].queryset = replies


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = CheckedFileField(label=_("File"), required=False)


class HandOverForm(forms.Form):
    to_person = PersonChoiceField(
        label=_("To a person"), queryset=Person.objects.none(), required=False
    )
    to_unit = UnitChoiceField(
        label=_("Or to a directorate"), queryset=OrgUnit.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = active_people()
        self.fields["to_unit"].queryset = directorates()

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("to_person")) == bool(data.get("to_unit")):
            self.add_error("to_person", _("Choose one person or one directorate."))
        return data


class AcknowledgeForm(forms.Form):
    proof = CheckedFileField(label=_("Scanned signed custody list"), required=False)


class SendForm(forms.Form):
    to_registry = UnitChoiceField(label=_("Directorate"), queryset=OrgUnit.objects.none())

    def __init__(self, *args, exclude, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_registry"].queryset = directorates().exclude(pk=exclude)
