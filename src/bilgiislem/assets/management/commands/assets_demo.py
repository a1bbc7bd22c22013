from django.core.management.base import BaseCommand, CommandError

from bilgiislem.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Demo data for the assets app: 'kalem' as the taşınır kayıt yetkilisi, the code list, "
        "a building with rooms, two public places, Bilgi İşlem's store and a few assets. "
        "Never for production; running it again changes nothing."
    )

    def handle(self, *args, **options):
        from bilgiislem.assets.services.demo import assets_demo_set_up
        from bilgiislem.servicedesk.management.commands._director import system_director

        try:
            made = assets_demo_set_up(actor=system_director())
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("assets demo: {sites} sites, {assets} assets set up".format(**made))
