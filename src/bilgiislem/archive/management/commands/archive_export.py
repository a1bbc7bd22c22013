from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bilgiislem.archive import bag
from bilgiislem.archive.models import Folder
from bilgiislem.archive.services.export import export_bag
from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import OrgUnit


class Command(BaseCommand):
    help = (
        "Export folders as a BagIt bag (files, metadata as JSON, audit events), validated "
        "before it is reported done: --folder ID (repeatable), --year YYYY and/or --unit CODE "
        "(the unit and its sub-units). DEST is the bag directory to create; --package zip|tar "
        "also writes DEST.zip or DEST.tar."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest")
        parser.add_argument("--folder", type=int, action="append", default=None)
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--unit", default=None, help="unit code")
        parser.add_argument("--package", choices=bag.FORMATS, default=None)

    def handle(self, *args, dest, folder, year, unit, package, **options):
        unit_obj = None
        if unit:
            unit_obj = OrgUnit.objects.filter(code=unit).first()
            if unit_obj is None:
                raise CommandError(f"no unit with the code {unit!r}")
        folders = None
        if folder:
            folders = list(Folder.objects.filter(pk__in=folder))
            missing = set(folder) - {f.pk for f in folders}
            if missing:
                raise CommandError(f"no folder {sorted(missing)}")
        try:
            result = export_bag(
                actor=None, dest_dir=Path(dest), folders=folders, year=year, unit=unit_obj
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"bag {result.path}: {result.folders} folders, {result.documents} documents, "
            f"{result.files} files ({result.bytes / 1_000_000:.1f} MB), {result.events} audit "
            f"events; valid; {result.seconds:.1f} s"
        )
        if package:
            target = Path(f"{result.path}.{package}")
            bag.package(result.path, package, target)
            self.stdout.write(f"packaged as {target}")
