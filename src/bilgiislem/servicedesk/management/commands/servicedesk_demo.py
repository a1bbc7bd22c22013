from django.core.management.base import BaseCommand, CommandError

from bilgiislem.core.errors import DomainError
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind
from bilgiislem.organization.models import Person, PositionHolding


class Command(BaseCommand):
    help = (
        "Set up the demo service desk: queues for Teknik Destek, Sistem and Yazılım, the "
        "default internal agreement, and two partner organisations with agreements. "
        "Recorded as done by the Director of the directorate that runs the system; running "
        "it again changes nothing."
    )

    def handle(self, *args, **options):
        from bilgiislem.servicedesk.services.queues import desk_demo_set_up

        holding = (
            PositionHolding.objects.active_on()
            .filter(
                position__kind=PositionKind.MUDUR,
                position__unit_id__in=org.system_owner_unit_ids(),
            )
            .select_related("person")
            .first()
        )
        if holding is None:
            raise CommandError("Nobody holds the Director's post of the system-owner directorate.")
        actor = Person.objects.get(pk=holding.person_id)
        try:
            made = desk_demo_set_up(actor=actor)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            "service desk: {queues} queues, {agreements} agreements, {partners} partner "
            "organisations set up".format(**made)
        )
