"""Issue 7's "Bad input" lines where the API or the page had no test yet: a Teslim Belgesi to
a person who is not staff (a real account without a post, not an unknown user name) and a
licence seat beyond the licence's seats on the page. Each: the message names the field (or
is on the form), nothing changed.

The other lines are tested beside their features: an existing sicil number
(test_register.py: service, API, page), a VİF dated before its supporting document
(test_vif.py, test_api_custody.py, test_views_custody.py), a scan of an unknown label
(test_count.py, test_count_views.py: service, page, API), a wrong or expired device token
(test_devices.py: refused and logged) and seats in the API (test_devices_pages.py).
"""

import pytest
from django.urls import reverse

from bilgiislem.assets.choices import AssetStatus, RequestState
from bilgiislem.assets.models import HandoverDocument, LicenseAssignment

from .conftest import tr

pytestmark = pytest.mark.django_db


@pytest.fixture
def outsider(db):
    """A person with an account and no post: a citizen or a partner account."""
    from bilgiislem.organization.models import Person

    return Person.objects.create_user(username="vatandas", password="x", first_name="Can")


@pytest.fixture
def approved(people, units, kayit, tasinir_code):
    from bilgiislem.assets.services.custody import asset_request_decide, asset_request_submit

    request = asset_request_submit(
        actor=people["memur"], unit=units["bilgi-islem"], code=tasinir_code, purpose="Saha"
    )
    asset_request_decide(actor=people["mudur"], request=request, approve=True)
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    return request


def _unchanged(asset, request):
    asset.refresh_from_db()
    request.refresh_from_db()
    assert not HandoverDocument.objects.exists()
    assert (asset.holder, asset.status) == (None, AssetStatus.IN_STORE)
    assert request.state == RequestState.APPROVED


def test_api_refuses_a_teslim_belgesi_to_someone_not_on_the_staff(
    client_as, approved, asset_factory, outsider
):
    asset = asset_factory()
    response = client_as("kalem").post(
        reverse("assets-api:request-issue", args=[approved.pk]),
        {"asset": asset.pk, "receiver": outsider.username},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"receiver": [tr("Items are handed over only to members of staff.")]}
    _unchanged(asset, approved)


def test_page_refuses_a_teslim_belgesi_to_someone_not_on_the_staff(
    client_as, approved, asset_factory, outsider
):
    asset = asset_factory()
    response = client_as("kalem").post(
        reverse("assets:request-detail", args=[approved.pk]),
        {"issue": "1", "asset": asset.pk, "receiver": outsider.pk},
    )
    assert response.status_code == 200
    assert response.context["issue_form"].errors["receiver"] == [
        tr("Items are handed over only to members of staff.")
    ]
    _unchanged(asset, approved)


def test_page_refuses_a_seat_beyond_the_licence(client_as, people, asset_factory):
    from bilgiislem.assets.services import licenses

    licence = licenses.license_create(actor=people["mudur"], product="Harita", seats=1)
    taken = asset_factory()
    licenses.license_assign(actor=people["mudur"], license=licence, asset=taken)
    extra = asset_factory()
    response = client_as("memur").post(
        reverse("assets:license-detail", args=[licence.pk]), {"asset": extra.sicil_no}
    )
    assert response.status_code == 200
    message = tr("All %(seats)d seats of this licence are in use.") % {"seats": 1}
    form = response.context["form"]
    assert message in [m for messages in form.errors.values() for m in messages]
    assert list(LicenseAssignment.objects.values_list("asset", flat=True)) == [taken.pk]


def test_api_licence_without_name_or_seats_is_400_naming_them(client_as):
    """The create input is shared with PATCH (every field optional): a missing field is the
    service's 400, not a crash (it was a 500 before)."""
    from bilgiislem.assets.models import License

    url = reverse("assets-api:license-list")
    client = client_as("mudur")
    empty = client.post(url, {}, content_type="application/json")
    assert empty.status_code == 400 and list(empty.json()) == ["product"]
    no_seats = client.post(url, {"product": "Harita"}, content_type="application/json")
    assert no_seats.status_code == 400
    assert no_seats.json() == {"seats": [tr("Give the number of seats.")]}
    assert not License.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/api/assets/assets/",
        "/api/assets/codes/",
        "/api/assets/sites/",
        "/api/assets/rooms/",
        "/api/assets/stores/",
    ],
)
def test_who_may_act_is_checked_before_the_body(client_as, url):
    """Someone without the right learns that, not which fields an empty body lacks."""
    from bilgiislem.audit.models import AuditEvent

    events = AuditEvent.objects.count()
    response = client_as("memur").post(url, {}, content_type="application/json")
    assert response.status_code == 403, response.content
    assert AuditEvent.objects.count() == events


def test_officer_and_director_actions_refuse_a_technician_before_the_body(client_as):
    for url in (
        "/api/assets/loans/",
        "/api/assets/repairs/",
        "/api/assets/stock-issues/",
        "/api/assets/stock-receipts/",
        "/api/assets/writeoff-commissions/",
        "/api/assets/count-boards/",
        "/api/assets/counts/",
        "/api/assets/writeoffs/",
        "/api/assets/writeoffs/on-report/",
    ):
        response = client_as("memur").post(url, {}, content_type="application/json")
        assert response.status_code == 403, (url, response.content)


def test_a_wipe_is_refused_to_other_units_before_the_body(client_as):
    response = client_as("yaziisleri").post("/api/assets/wipes/", {}, "application/json")
    assert response.status_code in (403, 404), response.content
