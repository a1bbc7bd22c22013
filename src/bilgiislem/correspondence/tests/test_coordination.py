"""Coordination (koordinasyon, RYY art. 22; issue 4 point 2): chosen by the preparer in the
service, the page and the API, placed before the Director, taken in order."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.correspondence import services
from bilgiislem.correspondence.choices import LetterStatus, StepKind, StepStatus
from bilgiislem.correspondence.models import ApprovalStep

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/api/correspondence/letters/"


def draft(people, units, recipient=None):
    return services.letter_create(
        actor=people["memur"],
        subject="Ortak Yazılım Projesi",
        body="Birinci paragraf.\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=[recipient or {"kind": "internal", "unit": units["yazi-isleri"]}],
    )


def chain(letter):
    return [
        (s.kind, s.person.username if s.person_id else s.position.title)
        for s in letter.steps.order_by("order")
    ]


def test_coordination_comes_after_the_chief_and_before_the_director(people, units, positions):
    letter = draft(
        people,
        units,
        {"kind": "public_body", "name": "Karasu Kaymakamlığı", "identifier": "12345678"},
    )
    posts = [positions["yazi-isleri", "mudur"], positions["mali-hizmetler", "mudur"]]
    services.letter_submit(actor=people["memur"], letter=letter, coordination=posts)
    assert chain(letter) == [
        (StepKind.PARAF, "memur"),
        (StepKind.PARAF, "Bilgi İşlem Şefi"),
        (StepKind.COORDINATION, "Yazı İşleri Müdürü"),
        (StepKind.COORDINATION, "Mali Hizmetler Müdürü"),
        (StepKind.PARAF, "Bilgi İşlem Müdürü"),
        (StepKind.PARAF, "Başkan Yardımcısı (1)"),
        (StepKind.SIGNATURE, "Belediye Başkanı"),
    ]


def test_the_order_is_enforced(people, units, positions):
    letter = draft(people, units)
    services.letter_submit(
        actor=people["memur"], letter=letter, coordination=[positions["yazi-isleri", "mudur"]]
    )
    with pytest.raises(PermissionDeniedError):  # the Chief comes first
        services.step_approve(actor=people["yaziisleri.mudur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    with pytest.raises(PermissionDeniedError):  # the coordination comes before the Director
        services.step_approve(actor=people["mudur"], letter=letter)
    # The coordinating Director sees the letter and coordinates under their own title.
    from bilgiislem.correspondence.querysets import letters

    assert letters(people["yaziisleri.mudur"]).filter(pk=letter.pk).exists()
    step = services.step_approve(actor=people["yaziisleri.mudur"], letter=letter, comment="Uygun")
    assert (step.kind, step.acted_as) == (StepKind.COORDINATION, "Yazı İşleri Müdürü")
    assert services.current_step(letter).kind == StepKind.SIGNATURE
    assert services.can_act(people["mudur"], services.current_step(letter)) == "Bilgi İşlem Müdürü"


def test_a_coordinator_may_return_the_letter(people, units, positions):
    letter = draft(people, units)
    services.letter_submit(
        actor=people["memur"], letter=letter, coordination=[positions["yazi-isleri", "mudur"]]
    )
    services.step_approve(actor=people["sef"], letter=letter)
    services.step_return(actor=people["yaziisleri.mudur"], letter=letter, comment="Görüşelim")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RETURNED


@pytest.mark.parametrize(
    "posts",
    [
        [("bilgi-islem", "mudur")],  # the letter's own Director is in the chain already
        [("yazi-isleri", "memur")],  # not a Director
        [("by-1", "baskan_yardimcisi")],  # not a directorate's Director
        [("yazi-isleri", "mudur"), ("yazi-isleri", "mudur")],  # twice
    ],
)
def test_bad_coordination_is_refused_and_changes_nothing(people, units, positions, posts):
    letter = draft(people, units)
    with pytest.raises(DomainError) as err:
        services.letter_submit(
            actor=people["memur"], letter=letter, coordination=[positions[p] for p in posts]
        )
    assert "coordination" in err.value.errors
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT and not letter.steps.exists()


def test_coordination_on_the_page(client_as, people, units, positions):
    letter = draft(people, units)
    url = reverse("correspondence:letter-detail", args=[letter.pk])
    html = client_as("memur").get(url).content.decode()
    post = positions["yazi-isleri", "mudur"]
    assert f'name="submit-coordination" value="{post.pk}"' in html
    assert "Yazı İşleri Müdürü (Yazı İşleri Müdürlüğü)" in html
    own = positions["bilgi-islem", "mudur"]
    assert f'name="submit-coordination" value="{own.pk}"' not in html

    submit = reverse("correspondence:letter-submit", args=[letter.pk])
    response = client_as("memur").post(submit, {"submit-coordination": [own.pk]})
    assert response.status_code == 400
    assert not letter.steps.exists()
    response = client_as("memur").post(submit, {"submit-coordination": [post.pk]})
    assert response.status_code == 302
    assert letter.steps.filter(kind=StepKind.COORDINATION, position=post).exists()


def test_coordination_by_api(people, units, positions):
    letter = draft(people, units)
    client = APIClient()
    client.cookies["django_language"] = "en"
    client.force_login(people["memur"])
    own = positions["bilgi-islem", "mudur"]
    response = client.post(f"{URL}{letter.pk}/submit/", {"coordination": [own.pk]}, format="json")
    assert response.status_code == 400 and "coordination" in response.json()
    response = client.post(f"{URL}{letter.pk}/submit/", {"coordination": [999999]}, format="json")
    assert response.status_code == 400 and "coordination" in response.json()
    assert not letter.steps.exists()
    post = positions["yazi-isleri", "mudur"]
    response = client.post(f"{URL}{letter.pk}/submit/", {"coordination": [post.pk]}, format="json")
    assert response.status_code == 200
    kinds = [s["kind"] for s in response.json()["steps"]]
    assert kinds == ["paraf", "paraf", "coordination", "signature"]


def test_a_step_becomes_waiting_when_it_becomes_current(people, units):
    letter = draft(people, units)
    services.letter_submit(actor=people["memur"], letter=letter)
    own, chief, director = letter.steps.order_by("order")
    assert own.waiting_since is None and own.status == StepStatus.APPROVED
    assert chief.waiting_since is not None and director.waiting_since is None
    services.step_approve(actor=people["sef"], letter=letter)
    director = ApprovalStep.objects.get(pk=director.pk)
    assert director.waiting_since is not None


# --- out of turn, wrong signer (issue 4, bad input) ---------------------------------------


def test_the_mayor_may_not_sign_what_a_delegation_gives_the_deputy_mayor(people, units, pki):
    import datetime

    from django.utils import timezone

    from bilgiislem.correspondence.signing import file_signer
    from bilgiislem.organization import services as org_services

    org_services.delegation_create(
        actor=people["baskan"],
        delegate=people["baskan.yardimcisi"],
        recipient_classes=["public_body"],
        units=[units["bilgi-islem"]],
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    letter = draft(
        people,
        units,
        {"kind": "public_body", "name": "Karasu Kaymakamlığı", "identifier": "12345678"},
    )
    services.letter_submit(actor=people["memur"], letter=letter)
    for who in ("sef", "mudur"):
        services.step_approve(actor=people[who], letter=letter)
    signer = file_signer(pki.signer.key_pem, pki.signer.cert_pem, [pki.interm.cert_pem])
    with pytest.raises(PermissionDeniedError):
        services.letter_sign(actor=people["baskan"], letter=letter, signer=signer)
    with pytest.raises(DomainError, match="signature"):  # a signature is not a paraf
        services.step_approve(actor=people["baskan.yardimcisi"], letter=letter)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.IN_APPROVAL and letter.sayi == ""
