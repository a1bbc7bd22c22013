"""Another app may let a person open a document's files that the registry would not show
(BILGIISLEM_EXTRA_DOCUMENT_ACCESS: the archive's electronic retrieval grants)."""

import pytest
from django.urls import reverse

from bilgiislem.registry.choices import Medium

from .factories import media, pdf, register  # noqa: F401  (media is an autouse-able fixture)

pytestmark = pytest.mark.django_db

GRANTED = set()


def grant_for_test(person, document) -> bool:
    return (person.get_username(), document.pk) in GRANTED


@pytest.fixture
def document(media):  # noqa: F811
    return register(medium=Medium.ELECTRONIC, uploads=[(pdf(), "main")])


def test_a_granted_person_opens_the_files_and_no_one_else(client_as, settings, document):
    settings.BILGIISLEM_EXTRA_DOCUMENT_ACCESS = [f"{__name__}.grant_for_test"]
    stored = document.files.get()
    url = reverse("registry:file-download", args=[document.pk, stored.pk])
    outsider = client_as("yaziisleri")  # another directorate: the registry hides the document
    assert outsider.get(url).status_code == 404
    assert outsider.get(reverse("registry:document-detail", args=[document.pk])).status_code == 404
    GRANTED.add(("yaziisleri", document.pk))
    try:
        response = outsider.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        # Only the files: the document's page and actions stay hidden.
        assert (
            outsider.get(reverse("registry:document-detail", args=[document.pk])).status_code == 404
        )
        assert client_as("by2").get(url).status_code == 404
    finally:
        GRANTED.clear()
