"""Background work of the service desk, run by the Huey consumer. Each task only calls a
service. Each part of the service desk appends its own tasks below."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task


# The daily queue figures' open count (H-REPORTS).
@db_periodic_task(crontab(hour="0", minute="20"))
def fix_open_at_end():
    """Just after midnight: recount the requests open at the end of yesterday (and the day
    before, in case a night was missed) for the dashboard's backlog trend."""
    import datetime

    from django.utils import timezone

    from .services.stats import stats_fix_open_at_end

    today = timezone.localdate()
    days = [today - datetime.timedelta(days=back) for back in (2, 1)]
    return {day.isoformat(): stats_fix_open_at_end(day) for day in days}


# Requests resolved and left unanswered close by themselves (H-TICKETS).
@db_periodic_task(crontab(minute="5"))
def close_quiet_requests():
    """Every hour: requests resolved more than BILGIISLEM_SERVICEDESK_CLOSE_AFTER_DAYS days
    ago that the requester neither confirmed nor reopened are closed."""
    from .services.ticket_flow import tickets_close_quiet

    return {"closed": tickets_close_quiet()}


# SLA warnings and escalation (H-SLA).
@db_periodic_task(crontab(minute="*/5"))
def sla_escalate():
    """Every five minutes: warn before an SLA target is missed, mark missed targets and
    escalate to the Chief, then the Director (idempotent: nobody is told twice)."""
    from .services.escalation import sla_sweep

    return sla_sweep().as_dict()


# Public-form requests never confirmed are cancelled once their link expired (H-PARTNERS).
@db_periodic_task(crontab(hour="3", minute="10"))
def expire_unconfirmed_requests():
    """Every night: public-form requests whose confirmation link expired are cancelled, so
    the desk's heads are not left with requests nobody will ever confirm."""
    from .services.intake import unconfirmed_expire

    return {"cancelled": unconfirmed_expire()}
