"""The letter page's Ekler and Gönderim sections, through real HTTP."""

import pytest
from django.urls import reverse

from bilgiislem.correspondence.models import Dispatch

from .dispatching import PDF_ANNEX, draft, pdf_upload, signed_letter
from .test_dispatch_api import server_key  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "server_key")]


def url(name, *args):
    return reverse(f"correspondence:{name}", args=args)


@pytest.fixture
def browse(client_as):
    """A logged-in client that asks for the English pages (assertions use the msgids)."""

    def _login(username):
        client = client_as(username)
        client.cookies["django_language"] = "en"
        return client

    return _login


def test_the_preparer_manages_annexes_on_the_letter_page(browse, people):
    letter = draft(people)
    client = browse("memur")
    page = client.get(url("letter-detail", letter.pk)).content.decode()
    assert 'id="annex-h"' in page and url("annex-add", letter.pk) in page

    refused = client.post(
        url("annex-add", letter.pk),
        {"annex-kind": "external", "annex-description": "Rapor"},
    )
    assert refused.status_code == 400
    assert "Give the address or the Sayı of the document." in refused.content.decode()
    assert not letter.annexes.exists()

    added = client.post(
        url("annex-add", letter.pk),
        {"annex-kind": "file", "annex-description": "Şartname", "annex-file": pdf_upload()},
    )
    assert added.status_code == 302
    client.post(url("annex-add", letter.pk), {"annex-kind": "physical", "annex-description": "CD"})
    first, second = letter.annexes.all()
    page = client.get(url("letter-detail", letter.pk)).content.decode()
    assert "Annex-1" in page and "Annex-2" in page
    download = client.get(url("annex-file", letter.pk, first.pk))
    assert b"".join(download.streaming_content) == PDF_ANNEX
    assert (
        client.post(url("annex-move", letter.pk, second.pk), {"direction": "up"}).status_code == 302
    )
    assert [a.pk for a in letter.annexes.all()] == [second.pk, first.pk]
    recipient = letter.recipients.get()
    client.post(url("annex-mark", letter.pk, recipient.pk), {"omitted": "1"})
    recipient.refresh_from_db()
    assert recipient.annexes_omitted
    assert client.post(url("annex-remove", letter.pk, first.pk)).status_code == 302
    letter.refresh_from_db()
    assert list(letter.annexes.all()) == [second] and letter.version == 6

    # Someone who sees the letter but did not prepare it: no form, and a refusal.
    sef = browse("sef")
    assert (
        url("annex-add", letter.pk) not in sef.get(url("letter-detail", letter.pk)).content.decode()
    )
    assert sef.post(url("annex-remove", letter.pk, second.pk)).status_code == 403
    assert browse("yazilim").post(url("annex-remove", letter.pk, second.pk)).status_code == 404
    assert browse("yazilim").get(url("annex-file", letter.pk, second.pk)).status_code == 404
    assert letter.annexes.count() == 1


def test_the_signed_letter_is_packaged_printed_and_dispatched(browse, people, units, pki):
    letter = signed_letter(people, units, pki)
    governorship = letter.recipients.get(kind="governorship")
    client = browse("sef")
    page = client.get(url("letter-detail", letter.pk)).content.decode()
    assert 'id="dispatch-h"' in page and url("letter-eyp", letter.pk, governorship.pk) in page
    assert f'action="{url("annex-add", letter.pk)}"' not in page

    assert client.get(url("letter-eyp", letter.pk, governorship.pk)).status_code == 404
    assert client.post(url("letter-eyp", letter.pk, governorship.pk)).status_code == 302
    download = client.get(url("letter-eyp", letter.pk, governorship.pk))
    assert download["Content-Type"] == "application/eyazisma"
    assert f'filename="{letter.sayi}.eyp"' in download["Content-Disposition"]

    printed = client.get(url("letter-print", letter.pk))
    assert printed["Content-Type"] == "application/pdf" and printed.content.startswith(b"%PDF-")

    refused = client.post(url("letter-paper", letter.pk), {"paper-recipient": governorship.pk})
    assert refused.status_code == 400
    assert "name the courier or post service" in refused.content.decode()
    sent = client.post(
        url("letter-paper", letter.pk),
        {"paper-recipient": governorship.pk, "paper-courier": people["kalem"].pk},
    )
    assert sent.status_code == 302
    page = client.get(url("letter-detail", letter.pk)).content.decode()
    assert 'data-dispatch-method="paper"' in page and 'data-dispatch-method="eyp"' in page
    assert Dispatch.objects.filter(letter=letter).count() == 2

    stranger = browse("yazilim")
    assert stranger.get(url("letter-print", letter.pk)).status_code == 404
    assert stranger.get(url("letter-eyp", letter.pk, governorship.pk)).status_code == 404
    assert stranger.post(url("letter-paper", letter.pk), {}).status_code == 404
