from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bilgiislem.core.errors import DomainError
from bilgiislem.organization.loading import organization_load


class Command(BaseCommand):
    help = "Load or update the institution, units and posts from an organisation data file."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=settings.BILGIISLEM_ORGANIZATION_FILE)

    def handle(self, *args, file, **options):
        try:
            stats = organization_load(file)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"organisation loaded from {file}: {len(stats['units_created'])} units created, "
            f"{len(stats['units_changed'])} changed, {stats['positions_created']} posts created"
        )
