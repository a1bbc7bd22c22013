"""Forms of the archive pages; the services check everything, the forms only collect."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import FolderStage
from ..models import FilePlanVersion


class FolderFilterForm(forms.Form):
    q = forms.CharField(label=_("Code or subject"), required=False)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2999)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", "—"), *FolderStage.choices]
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "—"), *((u.pk, u.name) for u in units)]


class SdpCodeForm(forms.Form):
    """File a document (its main filing) or a copy of it under a file plan code."""

    sdp_code = forms.CharField(label=_("File plan code"), max_length=30, required=False)


class CorrectionForm(forms.Form):
    correction = forms.CharField(
        label=_("Registry number of the correcting document"),
        max_length=30,
        help_text=_("As year/number, e.g. 2026/152, in the same registry."),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReevaluateForm(forms.Form):
    version = forms.ModelChoiceField(
        label=_("File plan version"), queryset=FilePlanVersion.objects.all(), empty_label=None
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
