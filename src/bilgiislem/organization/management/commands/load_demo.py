from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bilgiislem.core.errors import DomainError
from bilgiislem.organization.loading import demo_load


class Command(BaseCommand):
    help = "Create the demo people (password 'demo') of the organisation file. Not for production."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=settings.BILGIISLEM_ORGANIZATION_FILE)

    def handle(self, *args, file, **options):
        try:
            created = demo_load(file)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"demo people ready ({len(created)} new)")
