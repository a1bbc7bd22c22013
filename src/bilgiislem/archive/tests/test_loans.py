"""Retrieval of archived records (RYY art. 13(c)): asked for by any staff member, approved by
the archive officer's superior, lent and received back, or granted for a time; reminders and
escalation; refusals recorded."""

import datetime

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from bilgiislem.archive.choices import RetrievalKind, RetrievalState
from bilgiislem.archive.models import RetrievalRequest
from bilgiislem.archive.services import loans
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core import calendar
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry.choices import FileRole, Medium

from .conftest import at, done_document, person

pytestmark = pytest.mark.django_db
S = RetrievalState


@pytest.fixture(autouse=True)
def english():
    """Assert on the English source strings, whatever the Turkish catalogue says."""
    from django.utils import translation

    with translation.override("en"):
        yield


def events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


def archive_paper(subject="Kablolama ihale dosyası", **changes):
    """A paper document of Bilgi İşlem, done and archived by ``arsiv``."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bilgiislem.archive.services import record_archive

    from .conftest import pdf_bytes

    scan = SimpleUploadedFile("tarama.pdf", pdf_bytes(subject), content_type="application/pdf")
    values = {
        "subject": subject,
        "medium": Medium.PAPER,
        "paper_location": "Kalem dolabı 1",
        "uploads": [(scan, FileRole.SCAN)],
    }
    values.update(changes)
    document = done_document(**values)
    record_archive(actor=person("arsiv"), document=document)
    return document


@pytest.fixture
def paper(archive_media):
    return archive_paper()


def ask(document, who="memur", kind=RetrievalKind.PAPER, reason="Denetim için gerekli."):
    return loans.retrieval_request(actor=person(who), document=document, kind=kind, reason=reason)


def test_paper_is_requested_approved_lent_returned_and_received(paper):
    request = ask(paper)
    assert request.state == S.REQUESTED
    loans.retrieval_approve(actor=person("sef"), request=request, note="Uygundur.")
    assert request.state == S.APPROVED and request.decided_by.username == "sef"
    loans.retrieval_lend(actor=person("arsiv"), request=request)
    request.refresh_from_db()
    assert request.state == S.LENT and request.lent_by.username == "arsiv"
    assert request.due_date == calendar.add_business_days(timezone.localdate(request.lent_at), 10)
    loans.retrieval_return(actor=person("memur"), request=request)
    assert request.state == S.RETURNED and request.returned_at is not None
    loans.retrieval_receive(actor=person("arsiv"), request=request)
    request.refresh_from_db()
    assert request.state == S.CLOSED and request.received_by.username == "arsiv"
    for verb in ("requested", "approved", "lent", "returned", "received"):
        assert events(f"archive.retrieval.{verb}", object_id=str(request.pk)).count() == 1, verb


def test_the_officer_may_receive_the_paper_straight_from_the_borrower(paper):
    request = ask(paper)
    loans.retrieval_approve(actor=person("mudur"), request=request)
    loans.retrieval_lend(actor=person("arsiv"), request=request)
    loans.retrieval_receive(actor=person("arsiv"), request=request)
    request.refresh_from_db()
    assert request.state == S.CLOSED and request.returned_at is not None


def test_a_record_the_person_may_not_see_is_404_and_nothing_is_made(paper):
    with pytest.raises(Http404):
        ask(paper, who="yaziisleri")
    assert not RetrievalRequest.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"kind": "microfilm"}, "kind"),
    ],
)
def test_bad_requests_name_the_field(paper, changes, field):
    values = {"document": paper, "kind": RetrievalKind.PAPER, "reason": "Gerekli."}
    values.update(changes)
    with pytest.raises(DomainError) as caught:
        loans.retrieval_request(actor=person("memur"), **values)
    assert field in caught.value.errors
    assert not RetrievalRequest.objects.exists()


def test_an_electronic_document_has_no_paper_to_lend(archived_folder):
    document = archived_folder.records.first().document
    with pytest.raises(DomainError) as caught:
        ask(document, kind=RetrievalKind.PAPER)
    assert "kind" in caught.value.errors


def test_a_document_not_in_the_archive_is_not_retrieved(archive_media):
    document = done_document(subject="Henüz arşivlenmedi")
    with pytest.raises(DomainError) as caught:
        ask(document, kind=RetrievalKind.ELECTRONIC)
    assert "document" in caught.value.errors


def test_asking_twice_for_the_same_record_is_refused(paper):
    ask(paper)
    with pytest.raises(DomainError) as caught:
        ask(paper)
    assert "document" in caught.value.errors
    assert RetrievalRequest.objects.count() == 1


@pytest.mark.parametrize("username", ["arsiv", "memur", "yazilim", "kalem", "yaziisleri.mudur"])
def test_only_the_officers_superior_approves(paper, username):
    request = ask(paper)
    with pytest.raises(PermissionDeniedError):
        loans.retrieval_approve(actor=person(username), request=request)
    request.refresh_from_db()
    assert request.state == S.REQUESTED and request.decided_by is None
    assert events("archive.retrieval.approve_refused", actor_repr=username).count() == 1


def test_a_superior_does_not_approve_their_own_request(paper):
    request = ask(paper, who="sef")
    with pytest.raises(PermissionDeniedError):
        loans.retrieval_approve(actor=person("sef"), request=request)
    loans.retrieval_approve(actor=person("mudur"), request=request)
    assert request.state == S.APPROVED


def test_a_rejection_needs_a_note_and_ends_the_request(paper):
    request = ask(paper)
    with pytest.raises(DomainError) as caught:
        loans.retrieval_reject(actor=person("sef"), request=request, note="")
    assert "note" in caught.value.errors
    loans.retrieval_reject(actor=person("sef"), request=request, note="Gerekçe yetersiz.")
    request.refresh_from_db()
    assert request.state == S.REJECTED and request.decision_note == "Gerekçe yetersiz."
    with pytest.raises(DomainError) as caught:
        loans.retrieval_lend(actor=person("arsiv"), request=request)
    assert "state" in caught.value.errors


@pytest.mark.parametrize("state", [S.REQUESTED, S.APPROVED, S.RETURNED])
def test_returning_something_not_lent_is_refused_naming_the_state(paper, state):
    request = ask(paper)
    RetrievalRequest.objects.filter(pk=request.pk).update(state=state)
    request.refresh_from_db()
    with pytest.raises(DomainError) as caught:
        loans.retrieval_return(actor=person("memur"), request=request)
    assert "state" in caught.value.errors
    request.refresh_from_db()
    assert request.state == state and request.returned_at is None
    assert not events("archive.retrieval.returned").exists()


@pytest.mark.parametrize("username", ["sef", "mudur", "memur", "kalem"])
def test_only_the_archive_officer_lends_and_receives(paper, username):
    request = ask(paper)
    loans.retrieval_approve(actor=person("sef"), request=request)
    with pytest.raises(PermissionDeniedError):
        loans.retrieval_lend(actor=person(username), request=request)
    loans.retrieval_lend(actor=person("arsiv"), request=request)
    with pytest.raises(PermissionDeniedError):
        loans.retrieval_receive(actor=person(username), request=request)
    request.refresh_from_db()
    assert request.state == S.LENT and request.received_by is None
    assert events("archive.retrieval.receive_refused", actor_repr=username).count() == 1


def test_only_the_borrower_returns(paper):
    request = ask(paper)
    loans.retrieval_approve(actor=person("sef"), request=request)
    loans.retrieval_lend(actor=person("arsiv"), request=request)
    with pytest.raises(PermissionDeniedError):
        loans.retrieval_return(actor=person("arsiv"), request=request)
    request.refresh_from_db()
    assert request.state == S.LENT


def test_a_due_date_in_the_past_is_refused(paper):
    request = ask(paper)
    loans.retrieval_approve(actor=person("sef"), request=request)
    with pytest.raises(DomainError) as caught:
        loans.retrieval_lend(
            actor=person("arsiv"), request=request, due_date=datetime.date(2020, 1, 1)
        )
    assert "due_date" in caught.value.errors
    request.refresh_from_db()
    assert request.state == S.APPROVED


def test_paper_already_out_is_not_lent_twice(paper):
    first = ask(paper)
    second = ask(paper, who="yazilim")
    for request in (first, second):
        loans.retrieval_approve(actor=person("sef"), request=request)
    loans.retrieval_lend(actor=person("arsiv"), request=first)
    with pytest.raises(DomainError):
        loans.retrieval_lend(actor=person("arsiv"), request=second)
    loans.retrieval_receive(actor=person("arsiv"), request=first)
    loans.retrieval_lend(actor=person("arsiv"), request=second)
    assert second.state == S.LENT


def test_electronic_access_is_granted_until_a_date(archived_folder):
    document = archived_folder.records.first().document
    yaziisleri = person("yaziisleri")  # outside Bilgi İşlem: cannot see its documents
    with pytest.raises(Http404):
        ask(document, who="yaziisleri", kind=RetrievalKind.ELECTRONIC)
    memur = person("memur")
    request = ask(document, kind=RetrievalKind.ELECTRONIC)
    assert not loans.has_retrieval_access(memur, document)
    loans.retrieval_approve(actor=person("sef"), request=request)
    with pytest.raises(DomainError) as caught:
        loans.retrieval_lend(actor=person("arsiv"), request=request)
    assert "kind" in caught.value.errors
    today = timezone.localdate()
    until = today + datetime.timedelta(days=5)
    loans.retrieval_grant(actor=person("arsiv"), request=request, until=until)
    assert request.state == S.GRANTED
    assert loans.has_retrieval_access(memur, document)
    assert not loans.has_retrieval_access(yaziisleri, document)
    assert not loans.has_retrieval_access(memur, document, on=until + datetime.timedelta(days=1))
    run = loans.loans_remind_due(until + datetime.timedelta(days=1))
    assert run.expired == 1
    request.refresh_from_db()
    assert request.state == S.CLOSED
    assert events("archive.retrieval.access_expired").count() == 1


def test_a_folder_grant_opens_every_document_in_it(archived_folder):
    request = loans.retrieval_request(
        actor=person("memur"),
        folder=archived_folder,
        kind=RetrievalKind.ELECTRONIC,
        reason="Yıllık rapor hazırlığı.",
    )
    loans.retrieval_approve(actor=person("sef"), request=request)
    loans.retrieval_grant(actor=person("arsiv"), request=request)
    memur = person("memur")
    assert all(loans.has_retrieval_access(memur, r.document) for r in archived_folder.records.all())
    loans.retrieval_end_access(actor=person("arsiv"), request=request)
    assert not loans.has_retrieval_access(memur, archived_folder.records.first().document)


def test_reminder_the_day_before_and_daily_escalation_once(paper):
    request = ask(paper)
    loans.retrieval_approve(actor=person("sef"), request=request)
    loans.retrieval_lend(actor=person("arsiv"), request=request)
    request.refresh_from_db()
    due = request.due_date
    before = calendar.previous_business_day(due)
    assert loans.loans_remind_due(before).reminded == 1
    assert loans.loans_remind_due(before).reminded == 0  # idempotent
    late = calendar.next_business_day(due)
    first = loans.loans_remind_due(late)
    again = loans.loans_remind_due(late)
    assert (first.escalated, again.escalated) == (1, 0)
    event = events("archive.retrieval.escalated").get()
    assert event.changes["late"] == "memur"
    assert set(event.changes["escalated_to"]) >= {"sef", "mudur"}
    assert "baskan" not in event.changes["escalated_to"]
    assert event.changes["officers"] == ["arsiv"]
    assert loans.loans_remind_due(calendar.next_business_day(late)).escalated == 1
    assert events("archive.retrieval.reminded").get().changes["to"] == "memur"


def test_the_requester_the_officer_and_superiors_see_the_request(paper):
    request = ask(paper)
    for username in ("memur", "arsiv", "sef", "mudur"):
        assert loans.retrieval_get_for_user(person(username), request.pk) == request
    for username in ("yazilim", "kalem", "yaziisleri", "yaziisleri.mudur"):
        with pytest.raises(Http404):
            loans.retrieval_get_for_user(person(username), request.pk)


def test_the_requester_withdraws_before_the_loan(paper):
    request = ask(paper)
    with pytest.raises(PermissionDeniedError):
        loans.retrieval_cancel(actor=person("arsiv"), request=request)
    loans.retrieval_cancel(actor=person("memur"), request=request)
    assert request.state == S.CANCELLED
    # A new request may be made once the old one is over.
    assert ask(paper).state == S.REQUESTED


def test_allowed_actions_follow_the_state(paper):
    request = ask(paper)
    assert loans.allowed_actions(person("sef"), request).approve
    assert not loans.allowed_actions(person("arsiv"), request)
    assert loans.allowed_actions(person("memur"), request).cancel
    loans.retrieval_approve(actor=person("sef"), request=request)
    assert loans.allowed_actions(person("arsiv"), request).lend
    loans.retrieval_lend(actor=person("arsiv"), request=request)
    memur = loans.allowed_actions(person("memur"), request)
    assert memur.return_ and not memur.receive
    assert loans.allowed_actions(person("arsiv"), request).receive


def test_due_dates_count_business_days():
    with time_machine.travel(at(datetime.date(2026, 12, 28)), tick=False):
        assert loans.default_due_date() == calendar.add_business_days(
            datetime.date(2026, 12, 28), 10
        )


# --- the pages -------------------------------------------------------------------------------


def test_the_pages_walk_a_loan_through(client_as, paper):
    page = client_as("memur").get(f"/arsiv/odunc/yeni/?document={paper.pk}")
    assert page.status_code == 200 and paper.subject in page.content.decode()
    sent = client_as("memur").post(
        "/arsiv/odunc/yeni/", {"document": paper.pk, "kind": "paper", "reason": "Denetim."}
    )
    request = RetrievalRequest.objects.get()
    assert sent.status_code == 302 and sent.url == f"/arsiv/odunc/{request.pk}/"
    detail = client_as("sef").get(sent.url).content.decode()
    assert 'name="approve"' in detail and 'name="lend"' not in detail
    to_approve = client_as("sef").get("/arsiv/odunc/?tab=approve").content.decode()
    assert f'data-retrieval="{request.pk}"' in to_approve
    kept = client_as("arsiv").get("/arsiv/odunc/?tab=archive&state=requested").content.decode()
    assert f'data-retrieval="{request.pk}"' in kept
    client_as("sef").post(f"/arsiv/odunc/{request.pk}/onayla/", {"approve-note": "Uygun."})
    detail = client_as("arsiv").get(sent.url).content.decode()
    assert 'name="lend"' in detail and "Kalem dolabı 1" in detail  # where to fetch it from
    client_as("arsiv").post(f"/arsiv/odunc/{request.pk}/odunc-ver/", {"lend-due_date": ""})
    request.refresh_from_db()
    assert request.state == S.APPROVED  # the date is required on the page
    due = calendar.add_business_days(timezone.localdate(), 3).strftime("%d.%m.%Y")
    client_as("arsiv").post(f"/arsiv/odunc/{request.pk}/odunc-ver/", {"lend-due_date": due})
    client_as("memur").post(f"/arsiv/odunc/{request.pk}/iade-et/")
    client_as("arsiv").post(f"/arsiv/odunc/{request.pk}/teslim-al/")
    request.refresh_from_db()
    assert request.state == S.CLOSED
    listed = client_as("memur").get("/arsiv/odunc/?tab=mine").content.decode()
    assert f'data-retrieval="{request.pk}"' in listed


def test_pages_answer_404_403_and_400(client_as, paper):
    assert client_as("yaziisleri").get(f"/arsiv/odunc/yeni/?document={paper.pk}").status_code == (
        404
    )
    posted = client_as("yaziisleri").post(
        "/arsiv/odunc/yeni/", {"document": paper.pk, "kind": "paper", "reason": "x"}
    )
    assert posted.status_code == 404
    bad = client_as("memur").post(
        "/arsiv/odunc/yeni/", {"document": paper.pk, "kind": "paper", "reason": ""}
    )
    assert bad.status_code == 400 and not RetrievalRequest.objects.exists()
    request = ask(paper)
    assert client_as("yazilim").get(f"/arsiv/odunc/{request.pk}/").status_code == 404
    assert client_as("yazilim").post(f"/arsiv/odunc/{request.pk}/onayla/").status_code == 404
    assert client_as("arsiv").post(f"/arsiv/odunc/{request.pk}/onayla/").status_code == 403
    not_lent = client_as("memur").post(f"/arsiv/odunc/{request.pk}/iade-et/")
    assert not_lent.status_code == 400
    request.refresh_from_db()
    assert request.state == S.REQUESTED


def test_finding_a_document_by_its_number(client_as, paper):
    found = client_as("memur").get(
        "/arsiv/odunc/yeni/",
        {"registry": paper.registry_id, "number": paper.number_label},
    )
    assert found.status_code == 302 and found.url.endswith(f"?document={paper.pk}")
    hidden = client_as("yaziisleri").get(
        "/arsiv/odunc/yeni/", {"registry": paper.registry_id, "number": paper.number_label}
    )
    assert hidden.status_code == 200 and "number" in hidden.context["form"].errors


def test_the_work_list_of_each_person(paper):
    from bilgiislem.archive.work import work_items_for

    def categories(username):
        return {i.category for i in work_items_for(person(username))}

    request = ask(paper)
    assert "Retrieval requests to approve" in categories("sef")
    assert "Retrieval requests to approve" in categories("mudur")
    assert "Retrieval requests to approve" not in categories("baskan")  # not every request
    loans.retrieval_approve(actor=person("sef"), request=request)
    assert "Records to lend or grant" in categories("arsiv")
    loans.retrieval_lend(actor=person("arsiv"), request=request)
    (item,) = [i for i in work_items_for(person("memur")) if i.url.endswith(f"/{request.pk}/")]
    assert item.category == "Archive records to return" and item.due == request.due_date
    late = calendar.next_business_day(request.due_date)
    with time_machine.travel(at(late), tick=False):
        assert "Overdue loans" in categories("sef")
    loans.retrieval_return(actor=person("memur"), request=request)
    assert "Returned records to receive" in categories("arsiv")


def test_the_daily_task_reminds_and_skips_days_off(paper):
    from bilgiislem.archive.tasks import send_loan_reminders

    request = ask(paper)
    loans.retrieval_approve(actor=person("sef"), request=request)
    loans.retrieval_lend(actor=person("arsiv"), request=request)
    request.refresh_from_db()
    late = calendar.next_business_day(request.due_date)
    with time_machine.travel(at(late, hour=7), tick=False):
        result = send_loan_reminders.call_local()
    assert result["escalated"] == 1 and result["reminded"] == 0
    saturday = late + datetime.timedelta(days=(5 - late.weekday()) % 7)
    with time_machine.travel(at(saturday, hour=7), tick=False):
        assert send_loan_reminders.call_local() is None
