"""The main menu, filtered by what the person's posts allow (UI.md, "Menu").

Each item is a dict with ``label``, ``url``, ``key``, ``count`` and ``children`` (same shape).
URL names of pages not written yet are skipped rather than breaking every page.
"""

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization import permissions

from .selectors import WORK_COUNT_SECONDS, work_count


def _item(label, url_name, key, *, count=None, children=None) -> dict | None:
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return None
    return {"label": label, "url": url, "key": key, "count": count, "children": children or []}


def _cached_count(user, section: str, count) -> int:
    """A menu section's count, at most WORK_COUNT_SECONDS old: the menu is on every page
    and each count costs a few queries (like the İşlerim count; the pages are exact)."""
    key = f"bilgiislem:menu-count:{section}:{user.pk}"
    value = cache.get(key)
    if value is None:
        value = count(user)
        cache.set(key, value, WORK_COUNT_SECONDS)
    return value


def _organization_children(user) -> list[dict]:
    # Requests (appointments, unit changes) are read by managers and their proposers only
    # (RequestQuerySet.visible_to); everything else about the organisation is public inside it.
    manages = user.is_superuser or bool(permissions.managed_unit_ids(user))
    specs = [
        (_("Organisation chart"), "organization:chart", "org-chart", True),
        (_("People"), "organization:person-list", "org-people", True),
        (_("Acting"), "organization:acting-list", "org-acting", True),
        (_("Signature delegation"), "organization:delegation-list", "org-delegation", True),
        (_("Appointment proposals"), "organization:appointment-list", "org-appointments", manages),
        (_("Organisation changes"), "organization:unit-change-list", "org-unit-changes", manages),
    ]
    return [
        item
        for label, name, key, allowed in specs
        if allowed and (item := _item(label, name, key)) is not None
    ]


def _registry_section(user) -> dict | None:
    """ "Evrak": the lists everyone may open (they show only what the person may see), the
    registering pages for those who keep a registry, the oversight of open routings for the
    Chief, the Director and above; the count is the routings waiting for the person."""
    from bilgiislem.organization.choices import RANK, PositionKind
    from bilgiislem.registry import permissions as registry_permissions
    from bilgiislem.registry.work import open_routing_count

    posts = permissions.effective_posts(user)
    if not posts and not user.is_superuser:
        return None
    registers = registry_permissions.may_register_somewhere(user)
    oversees = user.is_superuser or any(p.rank >= RANK[PositionKind.SEF] for p in posts)
    specs = [
        (_("Documents"), "registry:document-list", "registry-documents", True),
        (_("Register a document"), "registry:document-register", "registry-register", registers),
        (_("Register book"), "registry:register-book", "registry-book", registers or oversees),
        (_("Search documents"), "registry:search", "registry-search", True),
        (_("Open routings"), "registry:oversight", "registry-oversight", oversees),
    ]
    children = [
        item
        for label, name, key, allowed in specs
        if allowed and (item := _item(label, name, key)) is not None
    ]
    if not children:
        return None
    return {
        **children[0],
        "label": _("Documents"),
        "key": "registry",
        "count": _cached_count(user, "registry", open_routing_count),
        "children": children,
    }


def _correspondence_section(user) -> dict | None:
    """ "Yazışma": drafts, letters waiting for the person's paraf or signature, letters sent;
    the count is the letters waiting for the person (and their returned drafts)."""
    from bilgiislem.correspondence.work import waiting_count

    if not permissions.effective_posts(user) and not user.is_superuser:
        return None
    base = _item(_("Correspondence"), "correspondence:letter-list", "correspondence")
    if base is None:
        return None
    url = base["url"]
    children = [
        {
            **base,
            "label": _("My drafts"),
            "key": "correspondence-drafts",
            "url": url + "?tab=drafts",
        },
        {
            **base,
            "label": _("Awaiting paraf or signature"),
            "key": "correspondence-waiting",
            "url": url + "?tab=waiting",
        },
        {
            **base,
            "label": _("Sent letters"),
            "key": "correspondence-sent",
            "url": url + "?tab=sent",
        },
    ]
    return {
        **base,
        "count": _cached_count(user, "correspondence", waiting_count),
        "children": children,
    }


def _archive_section(user) -> dict | None:
    """ "Arşiv": the file plan, folders, retrieval and places for everyone with a post (the
    lists show only what the person may see); the yearly cycle, disposal, fixity and export
    only for those who take part in them. The count is the archive work waiting for them."""
    from bilgiislem.archive import disposal_access, work, work_disposal, work_fixity
    from bilgiislem.archive.services import cycle, fixity
    from bilgiislem.archive.views.export import may_export

    if not permissions.effective_posts(user) and not user.is_superuser:
        return None
    cycle_units = cycle.cycle_unit_ids(user)
    specs = [
        (_("File plan"), "archive:plan", "archive-plan", True),
        (_("Folders"), "archive:folder-list", "archive-folders", True),
        (_("Retrieval requests"), "archive:retrieval-list", "archive-retrieval", True),
        (_("Storage places"), "archive:location-list", "archive-locations", True),
        (_("Yearly cycle"), "archive:cycle", "archive-cycle", cycle_units is None or cycle_units),
        (
            _("Disposal"),
            "archive:disposal",
            "archive-disposal",
            disposal_access.may_see_disposal(user),
        ),
        (
            _("Legal holds"),
            "archive:hold-list",
            "archive-holds",
            disposal_access.may_place_holds(user),
        ),
        (_("Fixity"), "archive:fixity", "archive-fixity", fixity.can_oversee_fixity(user)),
        (_("Export"), "archive:export", "archive-export", may_export(user)),
    ]
    children = [
        item
        for label, name, key, allowed in specs
        if allowed and (item := _item(label, name, key)) is not None
    ]
    if not children:
        return None
    # The section's count costs a few queries; like the İşlerim count it may be a minute old.
    key = f"bilgiislem:archive-count:{user.pk}"
    count = cache.get(key)
    if count is None:
        count = (
            work.waiting_count(user)
            + work_disposal.waiting_count(user)
            + work_fixity.open_issue_count(user)
        )
        cache.set(key, count, WORK_COUNT_SECONDS)
    return {
        **children[0],
        "label": _("Archive"),
        "key": "archive",
        "count": count,
        "children": children,
    }


def _servicedesk_section(user) -> dict | None:
    """ "Destek": the person's requests and a new request for everyone with a post or a
    partner account; the queue for technicians and the desk's heads. Other parts of the
    service desk append their pages to ``specs``. The count is the desk work waiting for them."""
    from bilgiislem.servicedesk import permissions as desk
    from bilgiislem.servicedesk.work import waiting_count

    if not desk.may_use_desk(user):
        return None
    works = bool(desk.worked_queue_ids(user))
    staff = bool(permissions.effective_posts(user))  # partner accounts have their own pages
    specs = [
        (_("My requests"), "servicedesk:home", "servicedesk-mine", staff),
        (_("New request"), "servicedesk:ticket-new", "servicedesk-new", staff),
        (_("Queue"), "servicedesk:queue", "servicedesk-queue", works),
    ]
    specs += [
        (
            _("Our organisation's requests"),
            "servicedesk:partner-home",
            "servicedesk-partner",
            desk.partner_organization_id(user) is not None,
        ),
        (_("Knowledge base"), "servicedesk:knowledge", "servicedesk-knowledge", True),
    ]
    from bilgiislem.servicedesk.selectors.dashboard import may_see_dashboard

    oversees = may_see_dashboard(user)
    specs += [
        (_("Service desk dashboard"), "servicedesk:dashboard", "servicedesk-dashboard", oversees),
        (_("Partner reports"), "servicedesk:reports", "servicedesk-reports", oversees),
    ]
    from bilgiislem.servicedesk.services.agreements import may_view_agreements
    from bilgiislem.servicedesk.services.vendors import may_manage_contracts

    agreements = may_view_agreements(user)
    specs += [
        (
            _("Service agreements"),
            "servicedesk:agreement-list",
            "servicedesk-agreements",
            agreements,
        ),
        (
            _("Partner organisations"),
            "servicedesk:partner-org-list",
            "servicedesk-orgs",
            agreements,
        ),
        (
            _("Vendor contracts"),
            "servicedesk:vendor-contract-list",
            "servicedesk-vendors",
            may_manage_contracts(user),
        ),
    ]
    children = [
        item
        for label, name, key, allowed in specs
        if allowed and (item := _item(label, name, key)) is not None
    ]
    if not children:
        return None
    # Its count is filled in on every page (LIVE_COUNTS): reading a notice is not audited.
    notices = _item(_("Notifications"), "servicedesk:notifications", "servicedesk-notifications")
    if notices is not None:
        children.append(notices)
    return {
        **children[0],
        "label": _("Support requests"),
        "key": "servicedesk",
        "count": _cached_count(user, "servicedesk", waiting_count),
        "children": children,
    }


def _assets_section(user) -> dict | None:
    """ "Taşınırlar": the assets one may see, one's items, requests and needs for everyone with
    a post; the documents, places and devices for Bilgi İşlem. The count is the assets work
    waiting for them (assets.work)."""
    from bilgiislem.assets.work import waiting_count

    staff = bool(permissions.effective_posts(user))
    if not staff:
        return None
    from bilgiislem.assets.permissions import is_asset_staff
    from bilgiislem.assets.services.reports import may_view_reports

    it_staff = is_asset_staff(user)
    # Everyone with a post: the register they may see, their own items, requests and needs.
    # Bilgi İşlem: the documents in the order of the work — enter, lend, count, write off,
    # hand the store over, report — then places and codes, then licences, lines and devices.
    specs = [
        (_("Assets"), "assets:home", "assets-list", True),
        (_("My items"), "assets:my-items", "assets-my-items", True),
        (_("Requests for items"), "assets:request-list", "assets-requests", True),
        (_("Hardware and software needs"), "assets:need-list", "assets-needs", True),
        (_("VİF"), "assets:vif-list", "assets-vifs", it_staff),
        (_("Temporary receipts"), "assets:receipt-list", "assets-receipts", it_staff),
        (_("Stock"), "assets:stock", "assets-stock", it_staff),
        (_("Loans"), "assets:loan-list", "assets-loans", it_staff),
        (_("Counts"), "assets:count-list", "assets-counts", it_staff),
        (_("Write-offs"), "assets:writeoffs", "assets-writeoffs", it_staff),
        (_("Store handovers"), "assets:store-handover-list", "assets-store-handovers", it_staff),
        (_("Accounts and books"), "assets:reports", "assets-reports", may_view_reports(user)),
        (_("Sites and rooms"), "assets:sites", "assets-places", it_staff),
        (_("Stores"), "assets:stores", "assets-stores", it_staff),
        (_("Code list"), "assets:codes", "assets-codes", it_staff),
        (_("Software licences"), "assets:licenses", "assets-licenses", it_staff),
        (_("Maintenance contracts"), "assets:contracts", "assets-contracts", it_staff),
        (_("Leased data lines"), "assets:data-lines", "assets-data-lines", it_staff),
        (_("Public sites and devices"), "assets:sites-overview", "assets-sites", it_staff),
    ]
    children = [
        item
        for label, name, key, allowed in specs
        if allowed and (item := _item(label, name, key)) is not None
    ]
    if not children:
        return None
    return {
        **children[0],
        "label": _("Movable property"),
        "key": "assets",
        "count": _cached_count(user, "assets", waiting_count),
        "children": children,
    }


MENU_SECONDS = 60


def menu_for(user) -> list[dict]:
    """The menu items this person may use, in the order of UI.md.

    Working the menu out costs a few dozen permission checks, on every page; it is kept for
    MENU_SECONDS per person and language, and keyed by the newest audit event: every change
    of state writes one (DESIGN.md invariants), so a new post, a new officer or a new piece of
    work gives a fresh menu at once. Time alone (a post ending at midnight) waits at most
    MENU_SECONDS, like the counts in it."""
    from bilgiislem.audit.models import AuditEvent

    newest = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    key = f"bilgiislem:menu:{user.pk}:{get_language()}:{newest}"
    menu = cache.get(key)
    if menu is None:
        menu = _resolved(_menu_items(user))
        cache.set(key, menu, MENU_SECONDS)
    return _with_live_counts(menu, user)


def _unread_notifications(user) -> int:
    from bilgiislem.servicedesk.services.notify import notification_unread_count

    return notification_unread_count(user)


# Counts that change without an audit event (a notice marked read), read on every page.
LIVE_COUNTS = {"servicedesk-notifications": _unread_notifications}


def _with_live_counts(menu: list[dict], user) -> list[dict]:
    def fill(item: dict) -> dict:
        children = [fill(child) for child in item["children"]]
        count = LIVE_COUNTS[item["key"]](user) if item["key"] in LIVE_COUNTS else item["count"]
        return {**item, "count": count, "children": children}

    return [fill(item) for item in menu]


def _resolved(items: list[dict]) -> list[dict]:
    """Labels as plain text, so the cached menu does not depend on lazy translations."""
    return [
        {**item, "label": str(item["label"]), "children": _resolved(item["children"])}
        for item in items
    ]


def _menu_items(user) -> list[dict]:
    items = [_item(_("My work"), "accounts:home", "home", count=work_count(user))]
    children = _organization_children(user)
    organization = _item(_("Organisation"), "organization:chart", "organization", children=children)
    if organization is None and children:
        # The chart page may not exist yet; the section still opens on its first page.
        organization = {
            **children[0],
            "label": _("Organisation"),
            "key": "organization",
            "children": children,
        }
    items.append(_registry_section(user))
    items.append(_correspondence_section(user))
    items.append(_archive_section(user))
    items.append(_servicedesk_section(user))
    items.append(_assets_section(user))
    items.append(organization)
    if permissions.can_view_audit(user):
        items.append(_item(_("Audit trail"), "audit:list", "audit"))
    items.append(_item(_("API"), "api-docs", "api"))
    return [item for item in items if item is not None]


def current_key(menu: list[dict], path: str) -> str | None:
    """The key of the menu item (or section) the page at ``path`` belongs to."""
    best, best_len = None, 0
    for item in menu:
        for candidate in [item, *item["children"]]:
            url = candidate["url"]
            matches = path == url or (url != "/" and path.startswith(url))
            if matches and len(url) > best_len:
                best, best_len = item["key"], len(url)
    return best
