from django.core.management.base import BaseCommand, CommandError

from bilgiislem.archive.services.bag_import import bag_import
from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import Person


class Command(BaseCommand):
    help = (
        "Import an archive bag (a directory, .zip or .tar made by archive_export) into this "
        "installation. The bag is validated first (every checksum, nothing missing or extra); "
        "a bag that fails, or whose records are already here, is refused and nothing is "
        "written. Load the organisation data file first: units are found by their codes."
    )

    def add_arguments(self, parser):
        parser.add_argument("bag")
        parser.add_argument("--actor", default=None, help="username recorded as the actor")

    def handle(self, *args, bag, actor, **options):
        person = None
        if actor:
            person = Person.objects.filter(username=actor, is_active=True).first()
            if person is None:
                raise CommandError(f"no active person {actor!r}")
        try:
            result = bag_import(actor=person, path=bag)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"imported {result.bag}: {result.documents} documents, {result.files} files "
            f"({result.blobs_written} stored), {result.folders} folders, {result.filings} "
            f"filings, {result.records} archived records; {result.events} audit events kept "
            f"as data ({result.events_verified} verify)"
        )
        if result.people_created:
            self.stdout.write(
                "accounts created (cannot log in): " + ", ".join(result.people_created)
            )
        if result.links_dropped or result.locations_not_found:
            self.stdout.write(
                f"links to documents not here: {result.links_dropped}; "
                f"storage locations not found: {result.locations_not_found}"
            )
