"""Who runs licences, contracts, data lines and monitored devices: Bilgi İşlem's people.

- The heads: the Director and the Chief of the directorate that runs the system (held or
  acting) — the service desk's heads (servicedesk.permissions.desk_head_post). Only they
  read a licence key, record licences, contracts and data lines.
- Bilgi İşlem staff: anyone posted in the directorate or a unit under it. They see these
  records, report a line outage and issue device tokens.
"""

from django.utils.translation import gettext as _

from bilgiislem.core.errors import PermissionDeniedError
from bilgiislem.organization import permissions as org
from bilgiislem.servicedesk import permissions as desk


def is_head(person) -> bool:
    return desk.is_desk_head(person)


def is_it_staff(person) -> bool:
    if not getattr(person, "is_authenticated", False):
        return False
    units = desk.desk_unit_ids(person)
    return any(p.unit_id in units for p in org.effective_posts(person))


def require_head(person) -> None:
    if not is_head(person):
        raise PermissionDeniedError(_("Only the Director or the Chief of Bilgi İşlem may do this."))


def require_it_staff(person) -> None:
    if not is_it_staff(person):
        raise PermissionDeniedError(_("Only Bilgi İşlem staff may do this."))
