"""Background work of the archive, run by the Huey consumer. Each task only calls a service.

Other archive work (the yearly cycle, loans, fixity, disposal) appends its own tasks here.
"""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import folders_close_year, records_archive_due


@db_periodic_task(crontab(hour="2", minute="15"))
def archive_done_documents():
    """Every night: documents done for more than BILGIISLEM_ARCHIVE_AFTER_DAYS days go to the
    unit archive (RYY art. 13(b)); those that cannot be filed wait for the archive officer."""
    run = records_archive_due(timezone.localdate())
    return {"archived": run.archived, "skipped": len(run.skipped)}


@db_periodic_task(crontab(month="1", day="2", hour="3", minute="0"))
def close_last_years_folders():
    """2 January: last year's folders are closed and get their retention (standards.md 4)."""
    return {"closed": folders_close_year(year=timezone.localdate().year - 1)}


@db_periodic_task(crontab(hour="7", minute="40"))
def send_loan_reminders():
    """Every business day at 07:40: borrowers are reminded the day before a loan is due,
    overdue loans are escalated to the archive officer's superiors, and electronic access
    past its date ends (RYY art. 13(c)); also the yearly cycle's reminders on the first
    business day of January, February and March."""
    from bilgiislem.core import calendar

    from .services.cycle import cycle_remind
    from .services.loans import loans_remind_due

    today = timezone.localdate()
    if not calendar.is_business_day(today):
        return None
    run = loans_remind_due(today)
    return {
        "reminded": run.reminded,
        "escalated": run.escalated,
        "expired": run.expired,
        "cycle": cycle_remind(today),
    }


@db_periodic_task(crontab(hour="3", minute="30"))
def purge_disposed_content():
    """Every night: delete any stored bytes still on disk of the records of lists carried out
    in the last week (a crash between a disposal's commit and its deletion leaves some; a
    repeat deletes nothing twice). ``manage.py disposal_purge`` sweeps every list."""
    import datetime

    from .models import DisposalList
    from .services.disposal_execution import disposal_purge

    since = timezone.now() - datetime.timedelta(days=7)
    totals = {"deleted": 0, "shared": 0, "absent": 0}
    for disposal_list in DisposalList.objects.filter(state="executed", executed_at__gte=since):
        run = disposal_purge(disposal_list=disposal_list)
        totals["deleted"] += run.deleted
        totals["shared"] += run.shared
        totals["absent"] += run.absent
    return totals


@db_periodic_task(crontab(hour="1", minute="30"))
def check_fixity():
    """Every night: the cycle's share (every file re-hashed within BILGIISLEM_FIXITY_CYCLE_DAYS,
    longest-unchecked first), then a random sample of BILGIISLEM_FIXITY_SAMPLE files."""
    from .choices import FixityRunKind
    from .services.fixity import fixity_run

    cycle = fixity_run(FixityRunKind.CYCLE)
    sample = fixity_run(FixityRunKind.SAMPLE)
    return {
        "cycle": cycle.checked,
        "sample": sample.checked,
        "problems": len(cycle.problems) + len(sample.problems),
    }
