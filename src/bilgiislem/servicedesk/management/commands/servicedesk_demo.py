from django.core.management.base import BaseCommand, CommandError

from bilgiislem.core.errors import DomainError

from ._director import system_director


class Command(BaseCommand):
    help = (
        "Demo data for the service desk (run servicedesk_setup first): three partner "
        "organisations with agreements, the school's partner account 'okul' (password demo) "
        "and a few sample requests in different states. Never for production; running it "
        "again changes nothing."
    )

    def handle(self, *args, **options):
        from bilgiislem.servicedesk.services.demo import desk_demo_set_up

        try:
            made = desk_demo_set_up(actor=system_director())
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            "service desk demo: {partners} partner organisations, {samples} sample requests "
            "set up".format(**made)
        )
