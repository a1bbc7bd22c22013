"""Registry reads: the list filter (every field), constant query count, 404 outside scope."""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bilgiislem.registry.choices import Direction, PartyKind, Secrecy
from bilgiislem.registry.models import Document
from bilgiislem.registry.selectors import (
    document_get_for_user,
    document_list,
    open_routings_for_directorate,
)
from bilgiislem.registry.services import document_register, routing_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def docs(people, units):
    def reg(subject, **kw):
        kw.setdefault("party_kind", PartyKind.PERSON)
        kw.setdefault("party_name", "Ali Veli")
        return document_register(
            actor=people["kalem"], registry=units["bilgi-islem"], subject=subject, **kw
        )

    a = reg("Şikayet dilekçesi", party_name="ÇİĞDEM IŞIKLI", sdp_code="010.01.02")
    b = reg("Yazıcı arızası", sdp_code="302.01")
    c = reg("Gizli konu", secrecy=Secrecy.GIZLI)
    d = reg(
        "Giden cevap",
        direction=Direction.OUTGOING,
        sayi="E-12345678-010.01-42",
        party_kind=PartyKind.PUBLIC_BODY,
        party_name="Valilik",
    )
    routing_create(
        actor=people["mudur"],
        document=b,
        recipients=[(people["memur"], "action")],
        deadline_basis="documents",
    )
    return a, b, c, d


def ids(user, params):
    filterset, qs = document_list(user, params)
    assert filterset.is_valid(), filterset.errors
    return list(qs.values_list("id", flat=True))


def test_filters(docs, people):
    a, b, c, d = docs
    mudur = people["mudur"]
    today = timezone.localdate()
    assert ids(mudur, {}) == [d.pk, c.pk, b.pk, a.pk]
    assert ids(people["kalem"], {}) == [d.pk, b.pk, a.pk]  # not the Gizli one
    assert ids(mudur, {"q": "sikayet"}) == [a.pk]
    assert ids(mudur, {"direction": "outgoing"}) == [d.pk]
    assert ids(mudur, {"status": "open", "secrecy": "gizli"}) == [c.pk]
    assert ids(mudur, {"sdp_code": "010"}) == [a.pk]
    assert ids(mudur, {"party": "cigdem isikli"}) == [a.pk]
    assert ids(mudur, {"party": "Çiğdem Işıklı"}) == [a.pk]
    assert ids(mudur, {"assignee": people["memur"].pk}) == [b.pk]
    assert ids(mudur, {"registry": d.registry_id, "q": "cevap"}) == [d.pk]
    day = today.strftime("%d.%m.%Y")
    assert ids(mudur, {"registered_from": day, "registered_to": day}) == [d.pk, c.pk, b.pk, a.pk]
    tomorrow = today + datetime.timedelta(days=1)
    assert ids(mudur, {"registered_from": tomorrow.isoformat()}) == []
    assert ids(mudur, {"sort": "subject"})[0] == d.pk  # "Giden" < "Gizli" < "Yazıcı" < "Şikayet"
    assert ids(mudur, {"q": "dilekcesi arizasi"}) == []
    assert ids(mudur, {"q": "a*", "sort": "relevance"}) == []


def test_bad_filter_value_is_a_form_error(docs, people):
    filterset, qs = document_list(people["mudur"], {"registered_from": "31.02.2026"})
    assert not filterset.is_valid()
    assert "registered_from" in filterset.errors
    assert qs.count() == 4


def test_list_query_count_is_constant(docs, people, units):
    def count_queries():
        _filterset, qs = document_list(people["mudur"], {"q": "", "status": "open"})
        with CaptureQueriesContext(connection) as queries:
            for doc in qs[:50]:
                _ = (doc.registry.name, doc.registered_by.username, doc.party_unit)
        return len(queries)

    before = count_queries()
    for i in range(5):
        document_register(
            actor=people["kalem"],
            registry=units["bilgi-islem"],
            party_kind=PartyKind.PERSON,
            party_name="X",
            subject=f"Ek {i}",
        )
    assert count_queries() == before


def test_get_for_user_is_404_outside_scope(docs, people):
    a, _b, c, _d = docs
    assert document_get_for_user(people["mudur"], a.pk) == a
    assert document_get_for_user(people["mudur"], str(c.pk)) == c
    for user, pk in (
        (people["yaziisleri"], a.pk),
        (people["kalem"], c.pk),
        (people["mudur"], "x"),
        (people["mudur"], 10**9),
    ):
        with pytest.raises(Http404):
            document_get_for_user(user, pk)


def test_open_routings_for_directorate(docs, people, units):
    _a, b, _c, _d = docs
    rows = list(open_routings_for_directorate(people["mudur"], units["bilgi-islem"]))
    assert [r.document_id for r in rows] == [b.pk]
    assert list(open_routings_for_directorate(people["memur"], units["bilgi-islem"])) == []
    assert Document.objects.count() == 4
