"""Background work of the registry, run by the Huey consumer.

The task only calls the service; the service is idempotent per routing per day, so a task
that runs twice (a restarted consumer) records nothing twice.
"""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bilgiislem.core import calendar

from .services import routing_remind_due


@db_periodic_task(crontab(hour="7", minute="30"))
def send_routing_reminders():
    """Every business day at 07:30: reminders for routings due next, escalation of overdue
    ones to the Chief and the Director (RYY art. 9(ç))."""
    today = timezone.localdate()
    if not calendar.is_business_day(today):
        return None
    run = routing_remind_due(today)
    return {"reminded": run.reminded, "escalated": run.escalated}
