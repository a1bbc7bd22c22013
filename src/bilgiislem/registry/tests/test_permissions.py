"""Who sees which document (querysets.py; issue 3 point 11), and who may register where."""

import datetime

import pytest

from bilgiislem.organization import services as org_services
from bilgiislem.registry import permissions, services
from bilgiislem.registry.choices import Secrecy
from bilgiislem.registry.models import Document

from .factories import events, person, register, route, unit

pytestmark = pytest.mark.django_db

NONE, HO, GIZLI, COK = Secrecy.NONE, Secrecy.HIZMETE_OZEL, Secrecy.GIZLI, Secrecy.COK_GIZLI

# (viewer, document routed to memur?) → visible, per secrecy. Documents are registered by
# "kalem" in Bilgi İşlem; "routed" ones are routed by "mudur" to "memur".
MATRIX = {
    # viewer, routed:  none   HÖ     Gizli  Çok Gizli
    ("kalem", False): (True, True, False, False),  # registered it; not routed to
    ("mudur", False): (True, True, True, True),  # the Director
    ("sef", False): (True, True, False, False),  # a manager of the directorate
    ("memur", True): (True, True, True, True),  # routed to
    ("memur", False): (True, False, False, False),  # staff of the directorate
    ("yazilim", False): (True, False, False, False),
    ("yaziisleri", False): (False, False, False, False),  # another directorate
    ("yaziisleri.mudur", False): (False, False, False, False),
    ("baskan", False): (True, True, True, True),  # the Mayor
    ("baskan.yardimcisi", False): (True, True, False, False),  # above the directorate
    ("by2", False): (False, False, False, False),  # another deputy mayor
}


@pytest.fixture
def documents():
    made = {}
    for secrecy in (NONE, HO, GIZLI, COK):
        made[secrecy, False] = register(secrecy=secrecy)
        made[secrecy, True] = register(secrecy=secrecy)
        route(made[secrecy, True], "memur")
    return made


@pytest.mark.parametrize(("viewer", "routed"), MATRIX)
def test_visibility_matrix(documents, viewer, routed):
    visible = set(Document.objects.visible_to(person(viewer)).values_list("pk", flat=True))
    got = tuple(documents[s, routed].pk in visible for s in (NONE, HO, GIZLI, COK))
    assert got == MATRIX[viewer, routed]


def test_the_routing_chain_sees_hizmete_ozel_and_the_unit_routed_to(documents):
    document = register(secrecy=HO)
    route(document, "bilgi-islem-yazilim")
    assert Document.objects.visible_to(person("yazilim")).filter(pk=document.pk).exists()
    assert not Document.objects.visible_to(person("memur")).filter(pk=document.pk).exists()


def test_the_acting_director_sees_gizli(people, positions, documents):
    org_services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=datetime.date.today(),
        end_date=datetime.date.today() + datetime.timedelta(days=3),
    )
    assert Document.objects.visible_to(person("sef")).filter(pk=documents[GIZLI, False].pk).exists()


def test_anonymous_sees_nothing_and_a_superuser_everything(documents):
    from django.contrib.auth.models import AnonymousUser

    from bilgiislem.organization.models import Person

    assert not Document.objects.visible_to(AnonymousUser()).exists()
    root = Person.objects.create_superuser("root", "root@example.invalid", "x-secret-pass-1")
    assert Document.objects.visible_to(root).count() == len(documents)


def test_opening_a_gizli_document_is_recorded(documents):
    services.document_record_view(actor=person("mudur"), document=documents[GIZLI, False])
    services.document_record_view(actor=person("mudur"), document=documents[COK, False])
    services.document_record_view(actor=person("mudur"), document=documents[HO, False])
    services.document_record_view(actor=person("mudur"), document=documents[NONE, False])
    viewed = events("registry.document.viewed")
    assert sorted(viewed.values_list("object_id", flat=True)) == sorted(
        [str(documents[GIZLI, False].pk), str(documents[COK, False].pk)]
    )
    assert "Yazıcı" not in viewed.first().object_repr


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("kalem", ["bilgi-islem"]),
        ("arsiv", ["bilgi-islem"]),
        ("mudur", ["bilgi-islem"]),
        ("sef", ["bilgi-islem"]),
        ("memur", []),
        ("yazilim", []),
        ("yaziisleri", ["yazi-isleri"]),  # no Kalem: the directorate's own staff
        ("baskan", []),
        ("by2", []),
    ],
)
def test_registries_for(username, expected):
    got = sorted(u.code for u in permissions.registries_for(person(username)))
    assert got == expected
    assert permissions.may_register_somewhere(person(username)) == bool(expected)


def test_a_grant_lets_one_register_only_in_its_period(people):
    today = datetime.date.today()
    services.clerk_grant(
        actor=people["mudur"],
        registry=unit("bilgi-islem"),
        person=people["memur"],
        start_date=today + datetime.timedelta(days=1),
    )
    assert permissions.registries_for(person("memur")) == []
    assert not permissions.may_register_somewhere(person("memur"))
    services.clerk_grant(
        actor=people["mudur"],
        registry=unit("bilgi-islem"),
        person=people["memur"],
        start_date=today,
    )
    assert [u.code for u in permissions.registries_for(person("memur"))] == ["bilgi-islem"]
    assert permissions.may_register_somewhere(person("memur"))
