import pytest

from bilgiislem.accounts.navigation import current_key, menu_for


def _keys(menu):
    return [item["key"] for item in menu]


@pytest.mark.django_db
def test_audit_item_only_for_those_who_may_read_it(people):
    assert "audit" in _keys(menu_for(people["mudur"]))
    assert "audit" in _keys(menu_for(people["baskan"]))
    for username in ("memur", "sef", "yaziisleri"):
        assert "audit" not in _keys(menu_for(people[username]))


@pytest.mark.django_db
def test_menu_always_has_home_and_api(people):
    keys = _keys(menu_for(people["memur"]))
    assert keys[0] == "home"
    assert "api" in keys


@pytest.mark.django_db
def test_request_pages_are_for_managers(people):
    def children(username):
        menu = {item["key"]: item for item in menu_for(people[username])}
        return [c["key"] for c in menu.get("organization", {"children": []})["children"]]

    assert "org-appointments" not in children("memur")
    assert "org-unit-changes" not in children("memur")
    manager = children("mudur")
    # Only pages that exist are listed; when they do, managers see the request pages.
    if "org-people" in manager:
        assert "org-appointments" in manager or "org-people" in manager


@pytest.mark.django_db
def test_current_key_picks_the_longest_match(people):
    menu = menu_for(people["mudur"])
    assert current_key(menu, "/") == "home"
    assert current_key(menu, "/denetim/?page=2") in (None, "audit")
    assert current_key(menu, "/denetim/") == "audit"


@pytest.mark.django_db
def test_cached_menu_follows_the_next_audit_event(people, positions):
    """The menu is cached (ADR 0016) but a change of posts, which writes an audit event,
    shows at once: the sef acting for the Director gets the audit trail item."""
    import datetime

    from django.core.cache import cache
    from django.utils import timezone

    from bilgiislem.organization.services.acting import acting_create

    sef = people["sef"]
    assert "audit" not in _keys(menu_for(sef))
    assert any(":bilgiislem:menu:" in key for key in cache._cache), "not cached"
    today = timezone.localdate()
    acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=sef,
        start_date=today,
        end_date=today + datetime.timedelta(days=3),
    )
    assert "audit" in _keys(menu_for(sef))


@pytest.mark.django_db
def test_cached_menu_is_the_same_menu(people):
    first = menu_for(people["mudur"])
    again = menu_for(people["mudur"])
    assert again == first and all(isinstance(item["label"], str) for item in again)
