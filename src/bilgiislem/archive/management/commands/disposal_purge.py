"""Delete the stored bytes of disposed records that are still on disk.

    manage.py disposal_purge [--list ID]

Normally done right after a disposal is committed, and every night by the task; this command
repeats it by hand, e.g. after a crash between the commit and the deletion. Idempotent.
"""

from django.core.management.base import BaseCommand, CommandError

from bilgiislem.archive.models import DisposalList
from bilgiislem.archive.services.disposal_execution import disposal_purge


class Command(BaseCommand):
    help = "Delete the stored bytes of disposed records still on disk (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--list", type=int, help="Only the records of this disposal list.")

    def handle(self, *args, **options):
        disposal_list = None
        if options["list"] is not None:
            disposal_list = DisposalList.objects.filter(pk=options["list"]).first()
            if disposal_list is None:
                raise CommandError(f"No disposal list {options['list']}.")
        result = disposal_purge(disposal_list=disposal_list)
        self.stdout.write(
            f"deleted {result.deleted} blobs ({result.bytes} bytes); "
            f"{result.shared} kept (still referenced); {result.absent} already gone"
        )
