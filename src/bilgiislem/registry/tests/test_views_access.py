"""The authorization matrix of every registry action: anonymous → login; someone who cannot
see the document → 404; someone who sees it without the right → 403; the right person →
done. A denial changes nothing (refusals may only add their own audit event)."""

# The fixtures are imported from test_views_support; pytest injects them by name.
# ruff: noqa: F811

import pytest
from django.urls import reverse

from bilgiislem.audit.models import AuditEvent
from bilgiislem.registry import services
from bilgiislem.registry.choices import Purpose, Secrecy

from .test_views_support import (  # noqa: F401 (fixtures)
    doc,
    english,
    handed_over,
    login_url_in,
    register,
    routing,
    snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _route(request, people, units):
    document = request.getfixturevalue("doc")
    return reverse("registry:document-route", args=[document.pk]), {
        "route-action_people": [people["memur"].pk],
        "route-deadline_basis": "documents",
    }


def _forward(request, people, units):
    document = request.getfixturevalue("doc")
    [to_sef] = services.routing_create(
        actor=people["mudur"],
        document=document,
        recipients=[(people["sef"], Purpose.ACTION)],
        deadline_basis="opinion",
    )
    return reverse("registry:routing-forward", args=[to_sef.pk]), {
        f"forward-{to_sef.pk}-to_person": people["yazilim"].pk,
    }


def _return(request, people, units):
    r = request.getfixturevalue("routing")
    return reverse("registry:routing-return", args=[r.pk]), {
        f"return-{r.pk}-reason": "Yanlış birim"
    }


def _close(request, people, units):
    r = request.getfixturevalue("routing")
    return reverse("registry:routing-close", args=[r.pk]), {f"close-{r.pk}-outcome": "Yapıldı"}


def _note(request, people, units):
    request.getfixturevalue("routing")
    document = request.getfixturevalue("doc")
    return reverse("registry:note-add", args=[document.pk]), {"note-text": "Arandı"}


def _hand_over(request, people, units):
    document = request.getfixturevalue("doc")
    return reverse("registry:custody-hand-over", args=[document.pk]), {
        "hand-to_person": people["memur"].pk,
    }


def _acknowledge(request, people, units):
    custody = request.getfixturevalue("handed_over")
    return reverse("registry:custody-acknowledge", args=[custody.pk]), {}


def _send(request, people, units):
    document = request.getfixturevalue("doc")
    return reverse("registry:document-send", args=[document.pk]), {
        "send-to_registry": units["yazi-isleri"].pk,
    }


# (action, who may do it, who sees the document but may not)
MATRIX = [
    (_route, "mudur", "memur"),
    (_forward, "sef", "memur"),
    (_return, "memur", "yazilim"),
    (_close, "memur", "yazilim"),
    (_note, "memur", "yazilim"),
    (_hand_over, "kalem", "memur"),
    (_acknowledge, "memur", "yazilim"),
    (_send, "mudur", "sef"),
]
IDS = [m[0].__name__.strip("_") for m in MATRIX]


@pytest.mark.parametrize(("action", "allowed", "denied"), MATRIX, ids=IDS)
def test_anonymous_goes_to_login(request, client, people, units, action, allowed, denied):
    url, data = action(request, people, units)
    before = snapshot()
    assert login_url_in(client.post(url, data))
    assert snapshot() == before


@pytest.mark.parametrize(("action", "allowed", "denied"), MATRIX, ids=IDS)
def test_another_directorate_gets_404(request, client_as, people, units, action, allowed, denied):
    url, data = action(request, people, units)
    before = snapshot()
    assert client_as("yaziisleri").post(url, data).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(("action", "allowed", "denied"), MATRIX, ids=IDS)
def test_someone_without_the_right_gets_403(
    request, client_as, people, units, action, allowed, denied
):
    url, data = action(request, people, units)
    before = snapshot()
    refusals = AuditEvent.objects.filter(action__endswith="refused").count()
    assert client_as(denied).post(url, data).status_code == 403
    assert snapshot() == before
    # The refused attempt itself is in the audit trail (issue 3, bad input).
    assert AuditEvent.objects.filter(action__endswith="refused").count() == refusals + 1


@pytest.mark.parametrize(("action", "allowed", "denied"), MATRIX, ids=IDS)
def test_the_right_person_succeeds(request, client_as, people, units, action, allowed, denied):
    url, data = action(request, people, units)
    before = snapshot()
    response = client_as(allowed).post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert snapshot() != before


def test_get_on_an_action_is_not_allowed(client_as, doc):
    response = client_as("mudur").get(reverse("registry:document-route", args=[doc.pk]))
    assert response.status_code == 405


def test_hizmete_ozel_is_404_for_staff_outside_the_chain(client_as, people, units):
    document = register(people, units, secrecy=Secrecy.HIZMETE_OZEL)
    before = snapshot()
    url = reverse("registry:note-add", args=[document.pk])
    assert client_as("memur").post(url, {"note-text": "x"}).status_code == 404
    assert (
        client_as("memur").get(reverse("registry:document-detail", args=[document.pk])).status_code
        == 404
    )
    assert snapshot() == before


def test_gizli_is_404_for_the_chief_but_opens_for_its_recipient(client_as, people, units):
    document = register(people, units, secrecy=Secrecy.GIZLI)
    services.routing_create(
        actor=people["mudur"],
        document=document,
        recipients=[(people["memur"], Purpose.ACTION)],
        deadline_basis="documents",
    )
    detail = reverse("registry:document-detail", args=[document.pk])
    assert client_as("sef").get(detail).status_code == 404
    assert client_as("yazilim").get(detail).status_code == 404
    assert client_as("memur").get(detail).status_code == 200


def test_unknown_routing_and_custody_are_404(client_as):
    for name in ("routing-close", "routing-return", "routing-forward", "custody-acknowledge"):
        assert (
            client_as("mudur").post(reverse(f"registry:{name}", args=[999999])).status_code == 404
        )


def test_malformed_input_for_an_action_not_offered_is_403(client_as, doc):
    """Someone never shown the form gets 403, not a form's errors, even for empty input."""
    before = snapshot()
    url = reverse("registry:document-route", args=[doc.pk])
    assert client_as("memur").post(url, {}).status_code == 403
    assert snapshot() == before
