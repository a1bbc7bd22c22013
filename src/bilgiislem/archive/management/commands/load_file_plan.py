from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bilgiislem.archive.services import file_plan_load_file
from bilgiislem.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Load the file plan (Standart Dosya Planı) as a new version: the YAML data file, or "
        "the official table as CSV (code, title, unit_years, institution_years, disposition). "
        "Loading the same content again creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=None)
        parser.add_argument("--csv", action="store_true", help="the file is the official table")
        parser.add_argument("--name", default="", help="name of the version")
        parser.add_argument("--effective-from", default=None, help="in force from (YYYY-MM-DD)")

    def handle(self, *args, path, csv, name, effective_from, **options):
        path = path or getattr(settings, "BILGIISLEM_FILE_PLAN_FILE", "data/fileplan/sdp.yaml")
        try:
            result = file_plan_load_file(
                path, name=name, effective_from=effective_from, csv_table=csv
            )
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        version = result.version
        if result.created:
            self.stdout.write(
                f"file plan loaded from {path}: “{version.name}”, in force from "
                f"{version.effective_from:%d.%m.%Y}, {result.codes} codes"
            )
        else:
            self.stdout.write(f"file plan unchanged: {path} is already “{version.name}”")
