"""Forms of the request pages: they check the shape of input; the services decide the rest
(a refusal lands on the named field through ``core.forms.apply_domain_error``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization import permissions as org
from bilgiislem.organization.models import OrgUnit, Person

from .. import permissions as desk
from ..choices import Category, Channel, Priority
from ..models import PartnerOrganization, Queue
from ._pages import MultipleFileField

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class MinutesField(forms.IntegerField):
    """Time spent, in minutes; the range (1–1440) is the service's rule, so its message
    names the field the same way on the page and in the API."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Time spent (minutes)"))
        kwargs.setdefault("widget", forms.NumberInput(attrs={"inputmode": "numeric", "size": 5}))
        super().__init__(**kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username} ({obj.username})"


class TicketForm(forms.Form):
    """A new request. Desk agents also see who is asking and how it came in."""

    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )
    requester_unit = forms.ModelChoiceField(
        label=_("For the unit"), queryset=OrgUnit.objects.none(), required=False
    )
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unit_ids = [p.unit_id for p in org.effective_posts(user)]
        if len(set(unit_ids)) > 1:
            self.fields["requester_unit"].queryset = OrgUnit.objects.filter(pk__in=unit_ids)
        else:
            del self.fields["requester_unit"]
        self.on_behalf = desk.may_record_on_behalf(user)
        if self.on_behalf:
            self.fields["requester"] = PersonChoiceField(
                label=_("Asked by (staff)"),
                queryset=Person.objects.filter(is_active=True, holdings__isnull=False)
                .distinct()
                .order_by("first_name", "last_name"),
                required=False,
                help_text=_("Leave empty when you ask for yourself."),
            )
            self.fields["organization"] = forms.ModelChoiceField(
                label=_("Or a partner organisation"),
                queryset=PartnerOrganization.objects.filter(active=True),
                required=False,
            )
            self.fields["contact_name"] = forms.CharField(
                label=_("Contact name"), max_length=200, required=False
            )
            self.fields["contact_phone"] = forms.CharField(
                label=_("Contact telephone"), max_length=50, required=False
            )
            self.fields["contact_email"] = forms.EmailField(
                label=_("Contact e-mail"), required=False
            )
            self.fields["channel"] = forms.ChoiceField(
                label=_("Came in by"),
                choices=[(c.value, c.label) for c in (Channel.WEB, Channel.PHONE, Channel.DESK)],
                initial=Channel.WEB,
            )

    def service_kwargs(self, user) -> dict:
        data = dict(self.cleaned_data)
        values = {
            "title": data["title"],
            "description": data["description"],
            "category": data["category"],
            "priority": data["priority"],
            "requester_unit": data.get("requester_unit"),
            "attachments": data.get("attachments") or [],
        }
        if self.on_behalf:
            requester, organization = data.get("requester"), data.get("organization")
            values.update(
                requester=requester,
                organization=organization,
                contact_name=data.get("contact_name", ""),
                contact_phone=data.get("contact_phone", ""),
                contact_email=data.get("contact_email", ""),
            )
            behalf = (requester is not None and requester.pk != user.pk) or organization
            channel = data.get("channel") or Channel.WEB
            values["channel"] = channel if behalf or channel == Channel.WEB else Channel.WEB
            if behalf:
                values["requester_unit"] = None
        return values


class AssignForm(forms.Form):
    assignee = PersonChoiceField(label=_("Assign to"), queryset=Person.objects.none())
    note = forms.CharField(label=_("Instruction"), required=False, widget=TEXTAREA)

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = Person.objects.filter(
            pk__in=desk.assignable_ids(ticket.queue), is_active=True
        ).order_by("first_name", "last_name")


class MoveForm(forms.Form):
    queue = forms.ModelChoiceField(label=_("Move to the queue"), queryset=Queue.objects.none())
    note = forms.CharField(label=_("Why"), required=False, widget=TEXTAREA)

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = Queue.objects.filter(active=True).exclude(
            pk=ticket.queue_id
        )


class MinutesForm(forms.Form):
    minutes_spent = MinutesField()


class PauseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Waiting for"),
        choices=[
            ("requester", _("the requester")),
            ("vendor", _("the vendor")),
            ("part", _("a part")),
        ],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=TEXTAREA,
        help_text=_("When waiting for the requester, this question is sent to them."),
    )
    minutes_spent = MinutesField()


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution note"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes_spent = MinutesField()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=TEXTAREA)


class MessageForm(forms.Form):
    text = forms.CharField(label=_("Message"), required=False, widget=TEXTAREA)
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args, desk_side: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if desk_side:
            self.fields["internal"] = forms.BooleanField(
                label=_("Internal note (not shown to the requester)"), required=False
            )
            self.fields["minutes_spent"] = MinutesField()


class TimeForm(forms.Form):
    minutes_spent = MinutesField(required=True)
    text = forms.CharField(label=_("What was done"), required=False, widget=TEXTAREA)


class NumberForm(forms.Form):
    """Another request by its number (2026-000123), for merging or as a parent."""

    number = forms.CharField(label=_("Request number"), max_length=20, required=False)


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
