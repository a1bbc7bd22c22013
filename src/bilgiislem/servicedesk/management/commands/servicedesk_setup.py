from django.core.management.base import BaseCommand, CommandError

from bilgiislem.core.errors import DomainError

from ._director import system_director


class Command(BaseCommand):
    help = (
        "Set up the service desk for production: a queue for each unit of the setting "
        "BILGIISLEM_SERVICEDESK_QUEUES ({unit code: (queue name, [categories])}; default: "
        "Teknik Destek, Sistem and Yazılım of Bilgi İşlem) and the default internal agreement. "
        "Recorded as done by the Director of the directorate that runs the system; running it "
        "again changes nothing."
    )

    def handle(self, *args, **options):
        from bilgiislem.servicedesk.services.queues import desk_set_up

        try:
            made = desk_set_up(actor=system_director())
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            "service desk: {queues} queues, {agreements} agreements set up".format(**made)
        )
