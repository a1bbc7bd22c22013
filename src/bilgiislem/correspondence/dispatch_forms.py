"""Forms of the letter page's Ekler and Gönderim sections: they check shape; the services
(services/annexes.py, services/dispatch.py) check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization.models import Person
from bilgiislem.registry.choices import AnnexKind

from .choices import RecipientKind


class AnnexForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of annex"), choices=AnnexKind.choices)
    description = forms.CharField(
        label=_("Description"),
        max_length=500,
        required=False,
        help_text=_("As it is listed under “Ek:”, e.g. “Teknik Şartname (3 sayfa)”."),
    )
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("For an electronic file annex.")
    )
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        required=False,
        help_text=_("For an external reference: a web address, or give the Sayı below."),
    )
    sayi = forms.CharField(label=_("Number (Sayı)"), max_length=100, required=False)


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.username})"


class PaperDispatchForm(forms.Form):
    recipient = forms.ModelChoiceField(label=_("Recipient"), queryset=None, empty_label=None)
    courier = PersonField(
        label=_("Colleague who carries it"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("They take the printed letter into custody and acknowledge it."),
    )
    courier_name = forms.CharField(
        label=_("Or an outside courier or the post"),
        max_length=200,
        required=False,
        help_text=_("For example PTT, or the courier company."),
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=100, required=False)

    def __init__(self, *args, letter, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = letter.recipients.exclude(kind=RecipientKind.INTERNAL)
        self.fields["courier"].queryset = Person.objects.filter(is_active=True).order_by(
            "first_name", "last_name", "username"
        )
