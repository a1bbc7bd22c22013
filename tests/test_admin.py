import pytest

from bilgiislem.organization.models import Person


@pytest.mark.parametrize("username", ["mudur", "baskan"])
def test_admin_is_closed_to_people_who_are_not_superusers(db, client_as, username):
    response = client_as(username).get("/yonetim/")
    assert response.status_code == 302  # to the admin login, which refuses them too


def test_admin_is_read_only_for_superusers(client, db):
    admin = Person.objects.create_superuser("root", "root@example.invalid", "x-very-secret-1")
    client.force_login(admin)
    assert client.get("/yonetim/").status_code == 200
    assert client.get("/yonetim/audit/auditevent/").status_code == 200
    assert client.get("/yonetim/organization/orgunit/add/").status_code == 403
