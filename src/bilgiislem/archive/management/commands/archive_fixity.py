from django.core.management.base import BaseCommand, CommandError

from bilgiislem.archive.choices import FixityRunKind
from bilgiislem.archive.services.fixity import fixity_restore, fixity_run
from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import Person


class Command(BaseCommand):
    help = (
        "Re-hash stored files against their SHA-256: the day's share of the 90-day cycle "
        "(default), a random sample, or every file (--kind full). A missing or changed file "
        "opens a fixity problem and alerts the Director and the system administrators. "
        "--restore FILE puts back a good copy of a damaged file and closes its problem. "
        "Exits non-zero when a problem is found."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=FixityRunKind.values, default=FixityRunKind.CYCLE)
        parser.add_argument("--limit", type=int, default=None, help="check at most this many")
        parser.add_argument("--restore", metavar="FILE", help="a good copy of a damaged file")
        parser.add_argument("--note", default="", help="with --restore: what was done")
        parser.add_argument("--actor", default=None, help="username recorded as the actor")

    def handle(self, *args, kind, limit, restore, note, actor, **options):
        person = None
        if actor:
            person = Person.objects.filter(username=actor, is_active=True).first()
            if person is None:
                raise CommandError(f"no active person {actor!r}")
        if restore:
            try:
                with open(restore, "rb") as handle:
                    issue = fixity_restore(actor=person, fileobj=handle, note=note)
            except (OSError, DomainError) as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"restored {issue.sha256}; fixity problem #{issue.pk} closed")
            return
        result = fixity_run(kind, limit=limit, actor=person)
        mb = result.bytes / 1_000_000
        self.stdout.write(
            f"fixity {kind}: {result.checked} files, {mb:.1f} MB in {result.seconds:.1f} s, "
            f"{len(result.problems)} problems ({len(result.new_issues)} new)"
        )
        for issue in result.problems:
            self.stdout.write(f"  {issue.get_problem_display()}: {issue.sha256}")
        if result.problems:
            raise CommandError(f"{len(result.problems)} stored files failed the fixity check")
