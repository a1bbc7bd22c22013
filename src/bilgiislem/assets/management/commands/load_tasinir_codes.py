from django.core.management.base import BaseCommand, CommandError

from bilgiislem.assets.services.codes import tasinir_codes_load_file
from bilgiislem.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Load the Taşınır Kod Listesi from a YAML file (default data/assets/tasinir_codes.yaml): "
        "codes are created or their titles updated, never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None)

    def handle(self, *args, path, **options):
        try:
            result = tasinir_codes_load_file(path)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"codes: {result.created} created, {result.updated} updated")
