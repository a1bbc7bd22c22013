"""Helpers shared by the organisation services."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError, PermissionDeniedError

from ..choices import (
    POSITION_TITLE_SUFFIX,
    RequestStatus,
)
from ..models import (
    OrgUnit,
)


def position_title(unit: OrgUnit, kind: str) -> str:
    """The stored (Turkish) title of a post: 'Teknik Destek Birimi Sorumlusu'.

    Stored data is Turkish whatever the language of the request that created it.
    """
    return f"{unit.name} {POSITION_TITLE_SUFFIX[kind]}"


def _acting_for(post):
    """The post to record in the audit trail when the actor used an acting assignment."""
    return post.position if post is not None and post.acting is not None else None


def _require(post, message):
    if post is None:
        raise PermissionDeniedError(message)
    return post


def _check_range(start: datetime.date, end: datetime.date | None):
    if end is not None and end < start:
        raise DomainError(_("The end date cannot be before the start date."), field="end_date")


def _decide(request, *, actor, status, reason):
    request.status = status
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_reason = reason


def _lock_pending(model, pk):
    request = model.objects.select_for_update().get(pk=pk)
    if request.status != RequestStatus.PENDING:
        raise DomainError(_("This request has already been decided."))
    return request
