"""Who may see which document (issue 3, point 11; DESIGN.md invariant 4).

- Normal documents: the staff of the registry's directorate, the managers above it, and
  anyone the document was routed to or by, or who registered it, or whom its paper original
  was handed to (the person, or the staff of the receiving unit and the units under it).
- Hizmete Özel: the routing chain (who routed, who received, the receiving units' members),
  who registered it, whom its paper original was handed to (as above), and the managers
  (Şef and above) of the registry's directorate.
- Gizli and Çok Gizli: only the people it was routed to, and the Director of the registry's
  directorate (or someone acting for them) and the Mayor.
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q


def _directorate_ids(person, posts, parents) -> set[int]:
    from bilgiislem.organization.choices import UnitKind
    from bilgiislem.organization.permissions import ancestors_or_self

    from .permissions import unit_kinds

    kinds = unit_kinds(person)
    found = set()
    for post in posts:
        for unit_id in ancestors_or_self(post.unit_id, parents):
            if kinds.get(unit_id) == UnitKind.MUDURLUK:
                found.add(unit_id)
                break
    return found


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, person):
        from bilgiislem.organization.choices import PositionKind
        from bilgiislem.organization.permissions import (
            effective_posts,
            managed_unit_ids,
            unit_parents,
        )

        from .choices import CustodyKind, Secrecy
        from .models import Custody, Routing
        from .permissions import own_units

        if not getattr(person, "is_authenticated", False):
            return self.none()
        if person.is_superuser:
            return self
        posts = effective_posts(person)
        parents = unit_parents(person)
        my_units = {p.unit_id for p in posts}
        directorates = _directorate_ids(person, posts, parents)
        managed = managed_unit_ids(person)
        mayor = any(p.kind == PositionKind.BASKAN for p in posts)
        directed = {p.unit_id for p in posts if p.kind == PositionKind.MUDUR}

        routed_to_me = Exists(Routing.objects.filter(document=OuterRef("pk"), to_person=person))
        in_chain = Exists(
            Routing.objects.filter(document=OuterRef("pk")).filter(
                Q(to_person=person) | Q(routed_by=person) | Q(to_unit_id__in=my_units)
            )
        )
        # Units a paper original handed "to the unit" reaches: the person's units and the
        # units above them up to their directorate (its Kalem acknowledges for it).
        custody_units = own_units(person)
        held = Exists(
            Custody.objects.filter(document=OuterRef("pk"), kind=CustodyKind.PAPER).filter(
                Q(holder=person) | Q(holder_unit_id__in=custody_units)
            )
        )
        # Normal and Hizmete Özel share "registered it, in the routing chain, holds the paper":
        # written once, the two EXISTS subqueries are built, compiled and run once per row,
        # and the common case (a normal document of one's own registries) is tested first.
        normal = Q(secrecy=Secrecy.NONE, registry_id__in=directorates | managed)
        service_only = Q(secrecy=Secrecy.HIZMETE_OZEL, registry_id__in=managed)
        involved = Q(secrecy__in=[Secrecy.NONE, Secrecy.HIZMETE_OZEL]) & (
            Q(registered_by=person) | in_chain | held
        )
        restricted = Q(secrecy__in=[Secrecy.GIZLI, Secrecy.COK_GIZLI]) & (
            routed_to_me | Q(registry_id__in=directed)
        )
        if mayor:
            restricted = Q(secrecy__in=[Secrecy.GIZLI, Secrecy.COK_GIZLI])
        return self.filter(normal | service_only | involved | restricted)


class RoutingQuerySet(models.QuerySet):
    def open(self):
        from .choices import RoutingStatus

        return self.filter(status=RoutingStatus.OPEN)


class RegistryClerkQuerySet(models.QuerySet):
    def active_on(self, on):
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)
