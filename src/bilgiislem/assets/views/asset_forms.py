"""Forms of the asset pages: they check the shape of input; the services decide the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import AssetKind
from ..models import Room, Site, Store, TasinirCode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.site.name} · {obj.floor} · {obj.name}" if obj.floor else str(obj)


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}"


def _rooms():
    return Room.objects.select_related("site").filter(site__active=True)


class AssetDetailsForm(forms.Form):
    """The fields that may be corrected after registration (services.register.EDITABLE_FIELDS)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=AssetKind.choices)
    make = forms.CharField(label=_("Make"), max_length=100, required=False)
    model = forms.CharField(label=_("Model"), max_length=100, required=False)
    serial_number = forms.CharField(label=_("Serial number"), max_length=100, required=False)
    ikn = forms.CharField(label=_("Tender number (İKN)"), max_length=30, required=False)
    invoice = forms.CharField(label=_("Invoice"), max_length=100, required=False)
    acceptance_date = forms.DateField(
        label=_("Acceptance report date"), required=False, widget=DATE
    )
    warranty_until = forms.DateField(label=_("Warranty until"), required=False, widget=DATE)
    is_storage_medium = forms.BooleanField(label=_("Holds data"), required=False)
    site = forms.ModelChoiceField(
        label=_("Public site (for a device placed outside a building)"),
        queryset=Site.objects.filter(active=True),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssetRegisterForm(AssetDetailsForm):
    code = CodeChoiceField(
        label=_("Movable property code"),
        queryset=TasinirCode.objects.exclude(code__startswith="150"),
    )
    store = forms.ModelChoiceField(label=_("Store"), queryset=Store.objects.all())
    room = RoomChoiceField(label=_("Room"), queryset=_rooms(), required=False)
    value = forms.DecimalField(label=_("Value (TL)"), min_value=0, decimal_places=2, initial=0)
    entry_date = forms.DateField(label=_("Entry date"), required=False, widget=DATE)
    sicil_no = forms.CharField(
        label=_("Existing sicil number"),
        max_length=60,
        required=False,
        help_text=_("Only for an item that already has one; leave empty for a new number."),
    )
    field_order = ["code", "kind", "store", "room", "value", "entry_date", "sicil_no"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms()


class AssetMoveForm(forms.Form):
    room = RoomChoiceField(
        label=_("New room"),
        queryset=Room.objects.none(),
        required=False,
        empty_label=_("Back to the store"),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = _rooms()
