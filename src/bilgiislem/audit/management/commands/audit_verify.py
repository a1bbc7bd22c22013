from django.core.management.base import BaseCommand, CommandError

from bilgiislem.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Walk the audit hash chain; exit non-zero naming the first event that does not match."

    def handle(self, *args, **options):
        checked, fault = verify_chain()
        if fault is not None:
            raise CommandError(f"audit chain broken at event #{fault.seq}: {fault.reason}")
        self.stdout.write(f"audit chain intact: {checked} events verified")
