"""Forms check the shape of input; the services decide whether the action is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import PositionKind, RecipientClass, UnitChangeKind, UnitKind
from .models import OrgUnit, Person, Position, PositionHolding

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
REASON_MAX = 500
TEXT_MAX = 2000
PASSWORD_MAX = 128


class DateInput(forms.DateInput):
    """A text box for dd.mm.yyyy (ISO also accepted): what people type in Turkish EBYS screens."""

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


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.username})"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def active_people():
    return Person.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class ChartDateForm(forms.Form):
    on = TRDateField(label=_("As of date"), required=False)


class ReasonForm(forms.Form):
    """A reason for an action; required unless the action makes it optional."""

    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required


class ActingForm(forms.Form):
    """Vekalet (RYY art. 9(b)): who acts for which post, from when to when."""

    position = forms.ModelChoiceField(label=_("Post acted for"), queryset=Position.objects.none())
    acting_person = PersonChoiceField(label=_("Acting person"), queryset=Person.objects.none())
    start_date = TRDateField(label=_("Start date"))
    end_date = TRDateField(label=_("End date"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, position_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = (
            Position.objects.filter(pk__in=position_ids)
            .select_related("unit")
            .order_by("unit__sort_order", "unit__name", "title")
        )
        self.fields["acting_person"].queryset = active_people()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class DelegationForm(forms.Form):
    """İmza yetkisi devri (RYY art. 11(b))."""

    delegate = PersonChoiceField(label=_("Deputy Mayor"), queryset=Person.objects.none())
    recipient_classes = forms.MultipleChoiceField(
        label=_("Classes of recipients"),
        choices=RecipientClass.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Directorates"),
        required=False,
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Letters of these directorates; none selected means every directorate."),
    )
    start_date = TRDateField(label=_("Start date"))
    end_date = TRDateField(label=_("End date"))
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        deputies = PositionHolding.objects.active_on().filter(
            position__kind=PositionKind.BASKAN_YARDIMCISI
        )
        self.fields["delegate"].queryset = active_people().filter(
            pk__in=deputies.values("person_id")
        )
        self.fields["units"].queryset = OrgUnit.objects.active_on().filter(kind=UnitKind.MUDURLUK)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class AppointmentForm(forms.Form):
    """Birim Sorumlusu proposal (RYY art. 7(2))."""

    unit = UnitChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    person = PersonChoiceField(label=_("Proposed person"), queryset=Person.objects.none())
    justification = forms.CharField(
        label=_("Justification"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["person"].queryset = active_people()


class UnitChangeForm(forms.Form):
    """A change to the internal organisation (RYY art. 7(3))."""

    kind = forms.ChoiceField(label=_("Change"), choices=UnitChangeKind.choices)
    unit = UnitChoiceField(
        label=_("Unit"),
        required=False,
        queryset=OrgUnit.objects.none(),
        help_text=_("The unit to rename, move or close."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("The name of the new unit, or the new name."),
    )
    parent = UnitChoiceField(
        label=_("Parent unit"),
        required=False,
        queryset=OrgUnit.objects.none(),
        help_text=_("Where the new or moved unit belongs."),
    )
    justification = forms.CharField(
        label=_("Justification"),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units if units is not None else OrgUnit.objects.none()
        self.fields["unit"].queryset = units.filter(kind=UnitKind.BIRIM)
        self.fields["parent"].queryset = units

    def clean(self):
        data = super().clean()
        kind, unit, name, parent = (data.get(k) for k in ("kind", "unit", "name", "parent"))
        if kind and kind != UnitChangeKind.CREATE and unit is None and "unit" not in self.errors:
            self.add_error("unit", _("Choose the unit to change."))
        needs_name = kind in (UnitChangeKind.CREATE, UnitChangeKind.RENAME)
        if needs_name and not (name or "").strip() and "name" not in self.errors:
            self.add_error("name", _("Give the name."))
        needs_parent = kind in (UnitChangeKind.CREATE, UnitChangeKind.MOVE)
        if needs_parent and parent is None and "parent" not in self.errors:
            self.add_error("parent", _("Choose the parent unit."))
        return data


class PersonCreateForm(forms.Form):
    """A new account (the system's Director). The password is typed twice, or left empty."""

    username = forms.CharField(
        label=_("Username"),
        max_length=Person._meta.get_field("username").max_length,
        validators=Person._meta.get_field("username").validators,
        help_text=_("Letters, digits and . @ + - _ only."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    first_name = forms.CharField(
        label=_("First name"), max_length=Person._meta.get_field("first_name").max_length
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=Person._meta.get_field("last_name").max_length
    )
    email = forms.EmailField(
        label=_("E-mail"), required=False, max_length=Person._meta.get_field("email").max_length
    )
    title = forms.CharField(
        label=_("Title"), required=False, max_length=Person._meta.get_field("title").max_length
    )
    phone = forms.CharField(
        label=_("Phone"), required=False, max_length=Person._meta.get_field("phone").max_length
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        max_length=PASSWORD_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to open the account without a password; it cannot log in yet."),
    )
    password_confirm = forms.CharField(
        label=_("Initial password again"),
        required=False,
        strip=False,
        max_length=PASSWORD_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        password, again = data.get("password"), data.get("password_confirm")
        if "password" not in self.errors and (password or again) and password != again:
            self.add_error("password_confirm", _("The two passwords do not match."))
        return data


class HoldingForm(forms.Form):
    """Görevlendirme: a post from a date (and, if known, to a date)."""

    position = forms.ModelChoiceField(label=_("Post"), queryset=Position.objects.none())
    start_date = TRDateField(label=_("Start date"))
    end_date = TRDateField(label=_("End date"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].queryset = (
            Position.objects.filter(unit__in=OrgUnit.objects.active_on())
            .select_related("unit")
            .order_by("unit__sort_order", "unit__name", "title")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class HoldingEndForm(forms.Form):
    end_date = TRDateField(label=_("Last day in the post"))
