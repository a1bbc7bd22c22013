"""Background work of correspondence, run by the Huey consumer.

The task only calls the service; the service is idempotent per step per day, so a task that
runs twice (a restarted consumer) records nothing twice.
"""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bilgiislem.core import calendar

from .services.reminders import approval_remind_waiting


@db_periodic_task(crontab(hour="7", minute="35"))
def send_approval_reminders():
    """Every business day at 07:35: reminders for letters waiting for a paraf or signature,
    escalation of the long-waiting ones to the approver's superior."""
    today = timezone.localdate()
    if not calendar.is_business_day(today):
        return None
    run = approval_remind_waiting(today)
    return {"reminded": run.reminded, "escalated": run.escalated}
