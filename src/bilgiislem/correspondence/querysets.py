"""Who may see a letter (issue 4): the preparer, whoever holds or acts for a post of its
chain, the managers (Şef and above) of its directorate and those above them, and the Mayor."""

from django.db import models
from django.db.models import Exists, OuterRef, Q


class LetterQuerySet(models.QuerySet):
    def visible_to(self, person):
        from bilgiislem.organization import permissions as org
        from bilgiislem.organization.choices import RANK, PositionKind, UnitKind
        from bilgiislem.organization.models import OrgUnit

        from .models import ApprovalStep

        if not getattr(person, "is_authenticated", False):
            return self.none()
        if person.is_superuser:
            return self
        posts = org.effective_posts(person)
        if any(p.kind == PositionKind.BASKAN for p in posts):
            return self
        parents = org.unit_parents(person)
        managerial = [p for p in posts if p.rank >= RANK[PositionKind.SEF]]
        directorates = set(org.managed_unit_ids(person)) if managerial else set()
        if managerial:
            kinds = dict(
                OrgUnit.objects.filter(
                    pk__in={
                        u for p in managerial for u in org.ancestors_or_self(p.unit_id, parents)
                    }
                ).values_list("pk", "kind")
            )
            for p in managerial:
                directorates |= {
                    u
                    for u in org.ancestors_or_self(p.unit_id, parents)
                    if kinds.get(u) == UnitKind.MUDURLUK
                }
        in_chain = Exists(
            ApprovalStep.objects.filter(letter=OuterRef("pk")).filter(
                Q(person=person) | Q(position_id__in=[p.position.pk for p in posts])
            )
        )
        return self.filter(Q(prepared_by=person) | Q(unit_id__in=directorates) | in_chain)


def letters(person):
    """The letters the person may see (until ``Letter.objects`` uses this queryset)."""
    from .models import Letter

    return LetterQuerySet(Letter).visible_to(person)
