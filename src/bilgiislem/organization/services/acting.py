"""Acting for a post (vekalet, RYY art. 9(b))."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from .. import permissions
from ..choices import (
    rank_of,
)
from ..models import (
    ActingAssignment,
    Person,
    Position,
)
from ._common import (
    _acting_for,
    _check_range,
    _require,
)


def can_act_for(person: Person, position: Position, on=None) -> bool:
    """A post may be acted for by someone who holds a lower post in its unit or below it.

    (The Chief acts for the Director; a Deputy Mayor for the Mayor.)
    """
    if not person.is_active:
        return False
    parents = permissions.unit_parents(person)
    below = permissions.subtree(position.unit_id, parents)
    for post in permissions.held_posts(person, on):
        if post.position.pk == position.pk:
            return False
    return any(
        p.unit_id in below and p.rank < rank_of(position.kind)
        for p in permissions.held_posts(person, on)
    )


def _effective_end(assignment: ActingAssignment) -> datetime.date:
    if assignment.cancelled_at is None:
        return assignment.end_date
    return min(
        assignment.end_date,
        timezone.localtime(assignment.cancelled_at).date() - datetime.timedelta(days=1),
    )


def _acting_manager_post(actor, position: Position):
    """The post that lets ``actor`` arrange acting for ``position``: its holder, or above."""
    for post in permissions.held_posts(actor):
        if post.position.pk == position.pk:
            return post
    return permissions.superior_post(actor, position)


@transaction.atomic
def acting_create(
    *,
    actor,
    position: Position,
    acting_person: Person,
    start_date: datetime.date,
    end_date: datetime.date,
    reason: str = "",
) -> ActingAssignment:
    """Record that ``acting_person`` acts for ``position`` from one date to another."""
    post = None
    if actor is not None and not actor.is_superuser:
        post = _require(
            _acting_manager_post(actor, position),
            _("Only the holder of the post or someone above it can arrange acting for it."),
        )
    _check_range(start_date, end_date)
    # Serialise acting assignments of one post, so two overlapping ones cannot both pass.
    position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk)
    if end_date < timezone.localdate():
        raise DomainError(_("The acting period is already over."), field="end_date")
    if not can_act_for(acting_person, position, start_date):
        raise DomainError(
            _("This person cannot act for this post: they must hold a lower post in its unit."),
            field="acting_person",
        )
    for other in ActingAssignment.objects.filter(
        position=position, start_date__lte=end_date, end_date__gte=start_date
    ):
        # One ended early only counts up to the day before it was ended.
        if other.start_date <= _effective_end(other) and _effective_end(other) >= start_date:
            raise DomainError(
                _("Someone already acts for this post in that period."), field="start_date"
            )
    assignment = ActingAssignment.objects.create(
        position=position,
        acting_person=acting_person,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        created_by=actor or acting_person,
    )
    permissions.clear_cache(acting_person)
    audit_record(
        actor=actor,
        action="organization.acting.created",
        obj=assignment,
        changes={
            "position": str(position),
            "acting_person": str(acting_person),
            "start_date": start_date,
            "end_date": end_date,
        },
        reason=reason,
        acting_for=_acting_for(post),
    )
    return assignment


@transaction.atomic
def acting_end(*, actor, assignment: ActingAssignment, reason: str = "") -> ActingAssignment:
    """End an acting assignment early (from today on)."""
    post = None
    if actor is not None and not actor.is_superuser:
        post = _require(
            _acting_manager_post(actor, assignment.position),
            _("Only the holder of the post or someone above it can end acting for it."),
        )
    assignment = ActingAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.cancelled_at is not None or assignment.end_date < timezone.localdate():
        raise DomainError(_("This acting assignment has already ended."))
    assignment.cancelled_at = timezone.now()
    assignment.cancelled_by = actor
    assignment.save(update_fields=["cancelled_at", "cancelled_by"])
    permissions.clear_cache(assignment.acting_person)
    audit_record(
        actor=actor,
        action="organization.acting.ended",
        obj=assignment,
        changes={"cancelled_at": assignment.cancelled_at},
        reason=reason,
        acting_for=_acting_for(post),
    )
    return assignment
