import datetime

import pytest
from django.utils import timezone

from bilgiislem.accounts import selectors
from bilgiislem.core.work import WorkItem
from bilgiislem.organization.services import acting_create


@pytest.fixture
def fake_work(monkeypatch):
    """Stand in for organization.selectors.work_items_for with fixed items."""

    def _install(items):
        monkeypatch.setattr(selectors, "_work_sources", lambda: [lambda user: list(items)])

    return _install


@pytest.mark.django_db
def test_home_shows_the_persons_posts(client_as, positions):
    response = client_as("mudur").get("/")
    assert response.status_code == 200
    assert positions["bilgi-islem", "mudur"].title in response.content.decode()


@pytest.mark.django_db
def test_acting_post_shows_v_and_its_end_date(client_as, people, positions, fake_work):
    fake_work([])  # the posts block is under test here, not the organisation's work items
    today = timezone.localdate()
    end = today + datetime.timedelta(days=7)
    acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=today,
        end_date=end,
    )
    page = client_as("sef").get("/").content.decode()
    assert f"{positions['bilgi-islem', 'mudur'].title} V." in page
    assert end.strftime("%d.%m.%Y") in page
    # The Director's post is also the sef's own chief post, listed separately.
    assert positions["bilgi-islem", "sef"].title in page


@pytest.mark.django_db
def test_work_items_grouped_soonest_first_overdue_marked(client_as, fake_work):
    today = timezone.localdate()
    fake_work(
        [
            WorkItem("Later letter", "/a/", "Routed to me", today + datetime.timedelta(days=5)),
            WorkItem(
                "Late letter",
                "/b/",
                "Routed to me",
                today - datetime.timedelta(days=2),
                acting_for="Bilgi İşlem Müdürü V.",
            ),
            WorkItem("Approve Ali", "/c/", "Approvals", None),
        ]
    )
    response = client_as("mudur").get("/")
    page = response.content.decode()
    assert page.index("Late letter") < page.index("Later letter") < page.index("Approve Ali")
    assert 'class="overdue"' in page
    assert "overdue-marker" in page
    assert "Bilgi İşlem Müdürü V." in page
    groups = response.context["groups"]
    assert [g.category for g in groups] == ["Routed to me", "Approvals"]
    assert groups[0].overdue == 1
    # The menu counts the items.
    home_item = response.context["nav_menu"][0]
    assert (home_item["key"], home_item["count"]) == ("home", 3)


@pytest.mark.django_db
def test_home_without_work(client_as, fake_work):
    fake_work([])
    response = client_as("memur").get("/")
    assert response.status_code == 200
    assert response.context["groups"] == []


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client_as):
    client = client_as("memur")
    assert 'lang="tr"' in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert 'lang="en"' in page
    assert "My work" in page
    client.post("/i18n/setlang/", {"language": "tr", "next": "/"})
    assert 'lang="tr"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_acting_director_reads_the_audit_trail_while_acting(client_as, people, positions):
    # Lives here, not in audit/tests: audit may not import the organisation (import-linter).
    client = client_as("sef")
    assert client.get("/denetim/").status_code == 404
    today = timezone.localdate()
    acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=today,
        end_date=today + datetime.timedelta(days=7),
    )
    response = client.get("/denetim/")
    assert response.status_code == 200
    assert "audit" in [item["key"] for item in response.context["nav_menu"]]
