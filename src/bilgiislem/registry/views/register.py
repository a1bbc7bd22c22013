"""Registering documents: incoming, hand-entered outgoing, e-Yazışma packages (RYY art. 12(a))."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bilgiislem.core import identifiers
from bilgiislem.core.errors import DomainError

from .. import services
from ..choices import Direction, FileRole, PartyKind
from ..forms import AnnexFormSet, DocumentRegisterForm, EypImportForm, ReferenceFormSet
from ..sayi import parse_sayi
from .common import Forbidden, my_registries, page, posted, run_service, visible_documents

# Service field names → the register form's field names.
REGISTER_FIELDS = {"file": "files", "uploads": "files"}


def _registries(user):
    registries = my_registries(user)
    if not registries:
        raise Forbidden(_("You may not register documents in any registry."))
    return registries


def _register(request, direction):
    registries = _registries(request.user)
    data = posted(request)
    files = request.FILES if data is not None else None
    form = DocumentRegisterForm(data, files, registries=registries, direction=direction)
    annexes = AnnexFormSet(data, files, prefix="annex")
    references = ReferenceFormSet(data, prefix="ref", documents=visible_documents(request.user))
    if data is not None and form.is_valid() & annexes.is_valid() & references.is_valid():
        cd = form.cleaned_data
        uploads = [(f, FileRole.MAIN) for f in cd["files"]]
        if cd.get("scan"):
            uploads.append((cd["scan"], FileRole.SCAN))
        annex_rows = [
            {"kind": a["kind"], "description": a["description"], "upload": a.get("file")}
            for a in annexes.cleaned_data
            if a
        ]
        ref_rows = [
            {
                "referenced": r.get("number"),
                "sayi": r.get("sayi") or "",
                "date": r.get("date"),
                "description": r.get("description") or "",
            }
            for r in references.cleaned_data
            if r and (r.get("number") or r.get("sayi") or r.get("description"))
        ]
        document = run_service(
            form,
            lambda: services.document_register(
                actor=request.user,
                registry=cd["registry"],
                direction=direction,
                medium=cd["medium"],
                party_kind=cd["party_kind"],
                party_name=cd["party_name"],
                party_identifier=cd["party_identifier"],
                party_unit=cd.get("party_unit"),
                sayi=cd["sayi"],
                document_date=cd.get("document_date"),
                subject=cd["subject"],
                sdp_code=cd["sdp_code"],
                secrecy=cd["secrecy"],
                urgency=cd["urgency"],
                urgency_date=cd.get("urgency_date"),
                paper_location=cd["paper_location"],
                uploads=uploads,
                annexes=annex_rows,
                references=ref_rows,
            ),
            field_map=REGISTER_FIELDS,
        )
        if document is not None:
            messages.success(
                request,
                _("Registered with number %(number)s.") % {"number": document.number_label},
            )
            if not visible_documents(request.user).filter(pk=document.pk).exists():
                # Gizli / Çok Gizli: the clerk who registered it may not open it (point 11).
                messages.info(
                    request,
                    _("Only the Director and the people it is routed to can open this document."),
                )
                return redirect("registry:document-list")
            return redirect("registry:document-detail", pk=document.pk)
    context = {
        "form": form,
        "annexes": annexes,
        "references": references,
        "outgoing": direction == Direction.OUTGOING,
    }
    return render(request, "registry/document_register.html", context)


@page
def document_register(request):
    """Evrak kaydet: register an incoming document, paper or electronic."""
    return _register(request, Direction.INCOMING)


@page
def outgoing_register(request):
    """Giden evrak: an outgoing document entered by hand with its Sayı (until signing exists)."""
    return _register(request, Direction.OUTGOING)


@page
def eyp_import(request):
    """Import an .eyp package; a refused package shows every reason and registers nothing."""
    registries = _registries(request.user)
    data = posted(request)
    form = EypImportForm(data, request.FILES if data is not None else None, registries=registries)
    if data is not None and form.is_valid():
        document = run_service(
            form,
            lambda: services.eyp_register(
                actor=request.user,
                registry=form.cleaned_data["registry"],
                package_upload=form.cleaned_data["file"],
            ),
        )
        if document is not None:
            messages.success(
                request,
                _("The package is registered with number %(number)s.")
                % {"number": document.number_label},
            )
            return redirect("registry:document-detail", pk=document.pk)
    return render(request, "registry/eyp_import.html", {"form": form})


def _identifier_message(kind: str, value: str) -> tuple[bool, str]:
    value = (value or "").strip()
    if not value:
        return True, ""
    checks = {
        PartyKind.PUBLIC_BODY: identifiers.validate_detsis,
        PartyKind.PERSON: identifiers.validate_tckn,
    }
    if kind == PartyKind.COMPANY:
        digits = "".join(value.split())
        check = identifiers.validate_vkn if len(digits) <= 10 else identifiers.validate_mersis
    else:
        check = checks.get(kind)
    if check is None:
        return True, ""
    try:
        check(value)
    except ValidationError as exc:
        return False, " ".join(exc.messages)
    return True, _("Valid.")


@require_GET
@page
def identifier_check(request):
    """Validate as you type (htmx): the sender's identifier or a Sayı. Writes nothing."""
    field = request.GET.get("field", "")
    if field == "sayi":
        value = request.GET.get("sayi", "")
        ok, message = True, ""
        if value.strip():
            try:
                parsed = parse_sayi(value)
            except DomainError as exc:
                ok, message = False, " ".join(exc.errors["sayi"])
            else:
                message = _("Valid (file plan code %(sdp)s).") % {"sdp": parsed.sdp_code}
    else:
        field = "party_identifier"
        ok, message = _identifier_message(
            request.GET.get("party_kind", ""), request.GET.get("party_identifier", "")
        )
    return render(request, "registry/_check.html", {"ok": ok, "message": message, "field": field})
