"""Filing and archiving a document by hand (RYY art. 13(a)(b)), and archived records with
their manifest and corrections."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bilgiislem.registry.choices import DocumentStatus
from bilgiislem.registry.models import Document
from bilgiislem.registry.views.common import Forbidden, document_for, page, posted, run_service

from .. import permissions, selectors
from ..services import document_file, document_file_copy, record_archive, record_correct
from .forms import CorrectionForm, SdpCodeForm


def document_context(request, document, bound=None):
    bound = bound or {}
    user = request.user
    record = selectors.record_of_document(document)
    filings = selectors.document_filings(user, document)
    has_main = any(f.is_main for f in filings) or (
        record is not None or document.filings.filter(is_main=True).exists()
    )
    may_file = permissions.may_file(user, document)
    context = {
        "document": document,
        "record": record,
        "filings": filings,
        "has_main": has_main,
        "may_file": may_file,
        "corrects": selectors.corrected_by(user, document),
        "is_done": document.status == DocumentStatus.DONE,
    }
    if (may_file and not has_main) or "file" in bound:
        context["file_form"] = bound.get("file") or SdpCodeForm(
            prefix="file", initial={"sdp_code": document.sdp_code}
        )
    if may_file or "copy" in bound:
        context["copy_form"] = bound.get("copy") or SdpCodeForm(prefix="copy")
    if (may_file and record is None and context["is_done"]) or "archive" in bound:
        context["archive_form"] = bound.get("archive") or SdpCodeForm(
            prefix="archive", initial={"sdp_code": document.sdp_code}
        )
    return context


ACTIONS = {
    "file": lambda user, document, code: document_file(
        actor=user, document=document, code=code or None
    ),
    "copy": lambda user, document, code: document_file_copy(
        actor=user, document=document, code=code
    ),
    "archive": lambda user, document, code: record_archive(
        actor=user, document=document, code=code or None
    ),
}


@page
def document_archive(request, pk):
    """A document's filing and archive page: where it is filed, and (for the archive officer,
    the registry and the Director) filing it, a copy elsewhere, and archiving it."""
    document = document_for(request.user, pk)
    if request.method == "POST":
        action = next((a for a in ACTIONS if a in request.POST), None)
        if action is None:
            return redirect("archive:document", pk=document.pk)
        if not permissions.may_file(request.user, document):
            raise Forbidden(
                _("Only the archive officer, the registry or the Director files documents.")
            )
        form = SdpCodeForm(posted(request), prefix=action)
        if form.is_valid():
            code = form.cleaned_data["sdp_code"].strip()
            done = run_service(form, lambda: ACTIONS[action](request.user, document, code))
            if done is not None:
                return redirect("archive:document", pk=document.pk)
        document = Document.objects.select_related("registry").get(pk=document.pk)
        return render(
            request,
            "archive/document_archive.html",
            document_context(request, document, {action: form}),
            status=400,
        )
    return render(request, "archive/document_archive.html", document_context(request, document))


def record_context(request, record, bound=None):
    from ..services import manifest_of, record_manifest_matches

    user = request.user
    context = {
        "record": record,
        "document": record.document,
        "corrections": [
            c
            for c in record.corrections.all()
            if Document.objects.visible_to(user).filter(pk=c.correction_id).exists()
        ],
        "manifest_ok": record_manifest_matches(record),
        "files": manifest_of(record.document)["files"],
    }
    if permissions.may_file(user, record.document) or bound:
        context["correction_form"] = bound or CorrectionForm(prefix="corr")
    return context


@page
def record_detail(request, pk):
    record = selectors.record_get_for_user(request.user, pk)
    return render(request, "archive/record_detail.html", record_context(request, record))


def _correcting_document(user, record, text):
    """The visible document of the record's registry with the number "year/number"."""
    year, _sep, number = (text or "").strip().partition("/")
    if not number:
        year, number = "0", year
    if not (year.isdigit() and number.isdigit()):
        return None
    return (
        Document.objects.visible_to(user)
        .filter(
            registry_id=record.document.registry_id,
            registry_year=int(year),
            registry_number=int(number),
        )
        .first()
    )


@page
def record_correct_view(request, pk):
    record = selectors.record_get_for_user(request.user, pk)
    if request.method != "POST":
        return redirect("archive:record-detail", pk=record.pk)
    if not permissions.may_file(request.user, record.document):
        raise Forbidden(
            _("Only the archive officer, the registry or the Director records corrections.")
        )
    form = CorrectionForm(posted(request), prefix="corr")
    if form.is_valid():
        correction = _correcting_document(request.user, record, form.cleaned_data["correction"])
        if correction is None:
            form.add_error("correction", _("No such document in this registry."))
        else:
            done = run_service(
                form,
                lambda: record_correct(
                    actor=request.user,
                    record=record,
                    correction_document=correction,
                    reason=form.cleaned_data["reason"],
                ),
                field_map={"correction_document": "correction"},
            )
            if done is not None:
                return redirect("archive:record-detail", pk=record.pk)
    return render(
        request, "archive/record_detail.html", record_context(request, record, form), status=400
    )
