"""Full-text search: Turkish folding, prefixes, several words, PDF text, permission scope.

Runs on both databases (FTS5 on SQLite, GIN/tsvector on PostgreSQL).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bilgiislem.registry.choices import Medium, PartyKind, Secrecy
from bilgiislem.registry.models import Document
from bilgiislem.registry.search import RANK_WINDOW, parse_query, search, search_ids
from bilgiislem.registry.services import document_register, note_add, routing_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def register(people, units):
    def _register(subject, **kwargs):
        kwargs.setdefault("party_kind", PartyKind.PERSON)
        kwargs.setdefault("party_name", "Ayşe Yıldız")
        return document_register(
            actor=people["kalem"], registry=units["bilgi-islem"], subject=subject, **kwargs
        )

    return _register


def pdf_bytes(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html lang='tr'><body><p>{text}</p></body></html>").write_pdf()


def found(user, query, **kwargs):
    return search_ids(Document.objects.visible_to(user), query, **kwargs)


def test_turkish_case_folding(register, people):
    upper = register("İSTANBUL İL MÜDÜRLÜĞÜ YAZISI")
    isik = register("IŞIK DİREKLERİ HAKKINDA")
    complaint = register("Vatandaş şikayet dilekçesi")
    mudur = people["mudur"]
    assert found(mudur, "istanbul") == [upper.pk]
    assert found(mudur, "İstanbul") == [upper.pk]
    assert found(mudur, "ışık") == [isik.pk]
    assert found(mudur, "ISIK") == [isik.pk]
    assert found(mudur, "sikayet") == [complaint.pk]
    assert found(mudur, "şikâyet") == [complaint.pk]


def test_prefix_and_several_words(register, people):
    one = register("Belediyesi imar planı değişikliği")
    two = register("Belediyeler birliği toplantısı")
    three = register("İmar barışı başvurusu")
    mudur = people["mudur"]
    # Newest first.
    assert found(mudur, "belediye*") == [two.pk, one.pk]
    assert found(mudur, "belediye") == []  # no stemming: a whole word must match
    assert found(mudur, "imar") == [three.pk, one.pk]
    assert found(mudur, "imar belediyesi") == [one.pk]
    assert found(mudur, "imar bel", as_you_type=True) == [one.pk]
    assert found(mudur, "imar toplantisi") == []
    # A prefix shorter than three letters is a whole word, not "everything starting with".
    assert found(mudur, "im*") == []
    assert found(mudur, "   ") == []
    assert found(mudur, "--") == []


def test_prefix_of_every_length_matches_the_same_words(register, people):
    """Prefixes with their own FTS5 index (3-6 letters) and longer ones (merged doclists)
    find exactly the documents whose words begin so, newest first, on both databases."""
    one = register("Belediyesi imar planı değişikliği")
    two = register("Belediyeler birliği toplantısı")
    three = register("Beledi sokak belgesi")
    mudur = people["mudur"]
    expected = {
        "bel*": [three.pk, two.pk, one.pk],
        "bele*": [three.pk, two.pk, one.pk],
        "beled*": [three.pk, two.pk, one.pk],
        "beledi*": [three.pk, two.pk, one.pk],
        "belediy*": [two.pk, one.pk],
        "belediyel*": [two.pk],
        "belediyeler*": [two.pk],
        "belg*": [three.pk],
        "belgex*": [],
        "değiş*": [one.pk],
        "DEĞİŞİ*": [one.pk],
        "imar beled*": [one.pk],
    }
    assert {query: found(mudur, query) for query in expected} == expected


def test_numbers_and_party_are_searchable(register, people):
    doc = register(
        "Bilgi edinme başvurusu",
        party_name="ÇAĞLAYAN İNŞAAT LTD. ŞTİ.",
        party_kind=PartyKind.COMPANY,
        sayi="E-12345678-010.01-42",
    )
    mudur = people["mudur"]
    assert found(mudur, "caglayan insaat") == [doc.pk]
    assert found(mudur, "E-12345678-010.01-42") == [doc.pk]
    assert found(mudur, doc.number_label) == [doc.pk]


def test_text_of_attached_pdf_and_notes_are_found(register, people, units):
    upload = SimpleUploadedFile(
        "dilekce.pdf", pdf_bytes("Sokak lambası arızası Çığlık mahallesi"), "application/pdf"
    )
    doc = register("Dilekçe", medium=Medium.ELECTRONIC, uploads=[(upload, "main")])
    mudur = people["mudur"]
    assert found(mudur, "cigl*") == [doc.pk]
    assert found(mudur, "lambasi arizasi") == [doc.pk]
    routing_create(
        actor=mudur,
        document=doc,
        recipients=[(people["memur"], "action")],
        deadline_basis="documents",
    )
    note_add(actor=people["memur"], document=doc, text="Yerinde kontrol edildi, trafo değişti")
    assert found(people["memur"], "trafo") == [doc.pk]


def test_invisible_documents_are_never_returned(register, people):
    visible = register("Ortak kablolama işi")
    secret = register("Gizli kablolama soruşturması", secrecy=Secrecy.GIZLI)
    # Another directorate's staff see neither; the clerk does not see the Gizli one.
    assert found(people["yaziisleri"], "kablolama") == []
    assert found(people["kalem"], "kablolama") == [visible.pk]
    assert found(people["kalem"], "kablolama", ranked=True) == [visible.pk]
    assert found(people["mudur"], "kablolama") == [secret.pk, visible.pk]
    # The scope is SQL, not an id list: the search is one query.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    scope = Document.objects.visible_to(people["kalem"])
    with CaptureQueriesContext(connection) as queries:
        search_ids(scope, "kablolama")
    assert len(queries) == 1


def test_ranked_order_and_window(register, people):
    weak = register("Toplantı tutanağı ve ekleri")
    strong = register("Toplantı toplantı toplantı gündemi")
    ranked = found(people["mudur"], "toplanti", ranked=True)
    assert ranked == [strong.pk, weak.pk]
    assert found(people["mudur"], "toplanti") == [strong.pk, weak.pk]  # newest first as well
    assert found(people["mudur"], "toplanti tutanagi", ranked=True) == [weak.pk]
    assert RANK_WINDOW >= 1000
    qs = search(Document.objects.visible_to(people["mudur"]), "toplant*", ranked=True)
    assert qs.count() == 2


def test_search_combines_with_other_filters(register, people):
    first = register("Ağ anahtarı arızası", sdp_code="010.01")
    register("Ağ anahtarı alımı", sdp_code="302.01")
    scope = Document.objects.visible_to(people["mudur"]).filter(sdp_code__startswith="010")
    assert search_ids(scope, "anahtari") == [first.pk]
    assert search(scope, "anahtari").count() == 1


def test_parse_query():
    assert [t.word for t in parse_query("İSTANBUL  Işık*")] == ["istanbul", "isik"]
    assert [t.prefix for t in parse_query("abc* ab* abcd", as_you_type=True)] == [
        True,
        False,
        True,
    ]
