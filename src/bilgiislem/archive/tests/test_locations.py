"""Storage locations of paper (RYY art. 13(c)): building › room › cabinet › shelf › box, kept
by the archive officer; folders put in boxes; a document's paper original found there."""

import pytest

from bilgiislem.archive.choices import FolderStage, LocationKind
from bilgiislem.archive.models import StorageLocation
from bilgiislem.archive.services import locations
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import OrgUnit

from .conftest import person

pytestmark = pytest.mark.django_db
K = LocationKind


def bilgi_islem():
    return OrgUnit.objects.get(code="bilgi-islem")


def make_tree(actor="arsiv", unit=None):
    """Hizmet Binası › Arşiv Odası › Dolap 1 › Raf 2 › Kutu 14 of Bilgi İşlem's archive."""
    arsiv = person(actor)
    building = locations.location_create(
        actor=arsiv, kind=K.BUILDING, label="Hizmet Binası", unit=unit or bilgi_islem()
    )
    node = building
    for kind, label in [
        (K.ROOM, "Arşiv Odası"),
        (K.CABINET, "Dolap 1"),
        (K.SHELF, "Raf 2"),
        (K.BOX, "Kutu 14"),
    ]:
        node = locations.location_create(actor=arsiv, kind=kind, label=label, parent=node)
    return node


def test_the_officer_builds_the_tree_and_the_path_reads_in_order():
    box = make_tree()
    assert box.unit == bilgi_islem()
    assert locations.location_path(box) == (
        "Hizmet Binası › Arşiv Odası › Dolap 1 › Raf 2 › Kutu 14"
    )
    assert AuditEvent.objects.filter(action="archive.location.created").count() == 5


@pytest.mark.parametrize("username", ["memur", "sef", "yaziisleri", "kalem"])
def test_others_may_not_add_places(username):
    with pytest.raises(PermissionDeniedError):
        locations.location_create(
            actor=person(username), kind=K.BUILDING, label="Depo", unit=bilgi_islem()
        )
    assert not StorageLocation.objects.exists()
    assert AuditEvent.objects.filter(action="archive.location.create_refused").count() == 1


def institution_officer(username="yaziisleri"):
    """Post a demo person as the Kurum Arşivi Görevlisi (nobody holds it in the demo)."""
    import datetime

    from bilgiislem.organization.models import Position, PositionHolding
    from bilgiislem.organization.permissions import clear_cache

    post = Position.objects.get(unit__code="yazi-isleri", kind="arsiv_gorevlisi")
    PositionHolding.objects.create(
        person=person(username), position=post, start_date=datetime.date(2024, 1, 1)
    )
    clear_cache()
    return person(username)


def test_the_institutional_archive_belongs_to_its_officer():
    with pytest.raises(PermissionDeniedError):
        locations.location_create(actor=person("arsiv"), kind=K.BUILDING, label="Kurum Arşivi")
    officer = institution_officer()
    assert locations.archive_units_kept_by(officer)[0] is None
    building = locations.location_create(actor=officer, kind=K.BUILDING, label="Kurum Arşivi")
    assert building.unit is None
    assert locations.locations_visible_to(person("yaziisleri.mudur")).get() == building
    assert not locations.locations_visible_to(person("arsiv")).exists()


@pytest.mark.parametrize(
    ("kind", "label", "field"),
    [(K.ROOM, "", "label"), ("drawer", "Çekmece", "kind"), (K.BUILDING, "Bina", "kind")],
)
def test_bad_places_name_the_field(kind, label, field):
    room = make_tree().parent.parent.parent  # the room
    before = StorageLocation.objects.count()
    with pytest.raises(DomainError) as caught:
        locations.location_create(actor=person("arsiv"), kind=kind, label=label, parent=room)
    assert field in caught.value.errors
    assert StorageLocation.objects.count() == before


def test_names_are_unique_among_siblings_and_renaming_is_audited():
    box = make_tree()
    shelf = box.parent
    with pytest.raises(DomainError) as caught:
        locations.location_create(actor=person("arsiv"), kind=K.BOX, label="kutu 14", parent=shelf)
    assert "label" in caught.value.errors
    locations.location_rename(actor=person("arsiv"), location=box, label="Kutu 15")
    event = AuditEvent.objects.get(action="archive.location.renamed")
    assert event.changes["label"] == ["Kutu 14", "Kutu 15"]


def test_a_folder_is_put_in_a_box_and_its_documents_are_found_there(archived_folder):
    box = make_tree()
    locations.folder_locate(actor=person("arsiv"), folder=archived_folder, location=box)
    archived_folder.refresh_from_db()
    path = "Hizmet Binası › Arşiv Odası › Dolap 1 › Raf 2 › Kutu 14"
    assert locations.folder_location_path(archived_folder) == path
    document = archived_folder.records.first().document
    assert locations.document_paper_location(document) == path
    event = AuditEvent.objects.get(action="archive.folder.located")
    assert event.changes["location"] == ["", path]


def test_a_folder_goes_only_into_a_box_or_shelf_of_its_own_archive(archived_folder):
    box = make_tree()
    room = box.parent.parent.parent
    with pytest.raises(DomainError) as caught:
        locations.folder_locate(actor=person("arsiv"), folder=archived_folder, location=room)
    assert "location" in caught.value.errors
    with pytest.raises(PermissionDeniedError):
        locations.folder_locate(actor=person("memur"), folder=archived_folder, location=box)
    archived_folder.refresh_from_db()
    assert archived_folder.location is None
    # Once in the institutional archive, the unit archive's boxes are not its place.
    archived_folder.stage = FolderStage.INSTITUTION_ARCHIVE
    with pytest.raises(PermissionDeniedError):  # arsiv keeps the unit archive only
        locations.folder_locate(actor=person("arsiv"), folder=archived_folder, location=box)


def test_a_place_with_something_in_it_stays_in_use(archived_folder):
    box = make_tree()
    locations.folder_locate(actor=person("arsiv"), folder=archived_folder, location=box)
    with pytest.raises(DomainError) as caught:
        locations.location_deactivate(actor=person("arsiv"), location=box)
    assert "active" in caught.value.errors
    with pytest.raises(DomainError):
        locations.location_deactivate(actor=person("arsiv"), location=box.parent)
    empty = locations.location_create(
        actor=person("arsiv"), kind=K.BOX, label="Kutu 16", parent=box.parent
    )
    locations.location_deactivate(actor=person("arsiv"), location=empty)
    empty.refresh_from_db()
    assert not empty.active
    with pytest.raises(DomainError) as caught:
        locations.folder_locate(actor=person("arsiv"), folder=archived_folder, location=empty)
    assert "location" in caught.value.errors


def test_the_officer_and_superiors_see_the_places():
    make_tree()
    for username in ("arsiv", "sef", "mudur"):
        assert locations.locations_visible_to(person(username)).count() == 5
    for username in ("memur", "yaziisleri.mudur"):
        assert not locations.locations_visible_to(person(username)).exists()


def test_a_documents_paper_place_falls_back_to_the_registry_text(archive_media):
    from .conftest import done_document

    document = done_document(subject="Dosyalanmamış", paper_location="Kalem dolabı 3")
    assert locations.document_paper_location(document) == "Kalem dolabı 3"


# --- the pages -------------------------------------------------------------------------------


def test_the_officer_manages_places_on_the_pages(client_as, archived_folder):
    arsiv = client_as("arsiv")
    added = arsiv.post(
        "/arsiv/yerler/",
        {"archive": str(archived_folder.unit_id), "kind": "building", "label": "Hizmet Binası"},
    )
    building = StorageLocation.objects.get()
    assert added.status_code == 302 and added.url == f"/arsiv/yerler/{building.pk}/"
    arsiv.post(f"/arsiv/yerler/{building.pk}/ekle/", {"child-kind": "box", "child-label": "K1"})
    box = StorageLocation.objects.get(label="K1")
    bad = arsiv.post(f"/arsiv/yerler/{box.pk}/ekle/", {"child-kind": "room", "child-label": "O"})
    assert bad.status_code == 400 and "kind" in bad.context["child_form"].errors
    page = arsiv.get(f"/arsiv/klasorler/{archived_folder.pk}/yer/")
    assert page.status_code == 200
    assert [p.pk for p in page.context["form"].fields["location"].queryset] == [box.pk]
    placed = arsiv.post(f"/arsiv/klasorler/{archived_folder.pk}/yer/", {"location": box.pk})
    assert placed.status_code == 302
    archived_folder.refresh_from_db()
    assert archived_folder.location == box
    listing = arsiv.get("/arsiv/yerler/").content.decode()
    assert f'data-location="{box.pk}"' in listing
    full = arsiv.post(f"/arsiv/yerler/{box.pk}/kaldir/")
    assert full.status_code == 400
    box.refresh_from_db()
    assert box.active


def test_the_place_pages_are_closed_to_others(client_as, archived_folder):
    box = StorageLocation.objects.create(kind="box", label="K1", unit=archived_folder.unit)
    memur = client_as("memur")
    assert memur.get("/arsiv/yerler/").status_code == 404
    assert memur.get(f"/arsiv/yerler/{box.pk}/").status_code == 404
    assert memur.get(f"/arsiv/klasorler/{archived_folder.pk}/yer/").status_code == 403
    sef = client_as("sef")
    assert sef.get(f"/arsiv/yerler/{box.pk}/").status_code == 200  # the superior reads
    assert sef.post(f"/arsiv/yerler/{box.pk}/ad/", {"rename-label": "X"}).status_code == 403
    box.refresh_from_db()
    assert box.label == "K1"
