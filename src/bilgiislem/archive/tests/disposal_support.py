"""Helpers of the disposal and legal hold tests: a commission, lists moved along their flow
through the services, and a folder whose documents carry words found only in their PDFs.

Fixtures here are imported by the modules that use them.
"""

import datetime

import pytest
import time_machine

from bilgiislem.archive.models import Folder
from bilgiislem.archive.services.commission import commission_appoint
from bilgiislem.archive.services.disposal import (
    disposal_approve,
    disposal_list_create,
    disposal_superior_approve,
)

from .conftest import FOLDER_YEAR, at, done_document, pdf_bytes, person

YEAR = 2026  # the disposal year; folders are made expired with ``expire``
CHAIR = "sef"
MEMBERS = ("arsiv", "kalem")
APPROVER = "baskan.yardimcisi"  # the Deputy Mayor over Yazı İşleri (institutional archive)
CONTENT_WORDS = ("zeytinyagi kooperatifi", "fındıkkabugu santrali")


def expire(folder: Folder, until: int = 2020) -> Folder:
    """Make a folder's retention end long ago (the plan's sample years run into the 2030s)."""
    Folder.objects.filter(pk=folder.pk).update(retention_until=until)
    folder.refresh_from_db()
    return folder


def set_disposition(folder: Folder, disposition: str) -> Folder:
    Folder.objects.filter(pk=folder.pk).update(disposition=disposition)
    folder.refresh_from_db()
    return folder


@pytest.fixture
def commission(db):
    return commission_appoint(
        actor=person("baskan"),
        name="Ayıklama ve İmha Komisyonu",
        chair=person(CHAIR),
        members=[person(u) for u in MEMBERS],
        valid_from=datetime.date(2026, 1, 1),
    )


def make_list(commission, year: int = YEAR):
    return disposal_list_create(actor=person(CHAIR), commission=commission, year=year)


def approve_by_members(disposal_list):
    for username in (CHAIR, *MEMBERS):
        disposal_list = disposal_approve(actor=person(username), disposal_list=disposal_list)
    return disposal_list


def approved_list(commission, year: int = YEAR):
    disposal_list = approve_by_members(make_list(commission, year))
    return disposal_superior_approve(actor=person(APPROVER), disposal_list=disposal_list)


@pytest.fixture
def content_folder(file_plan, archive_media):
    """A closed, expired 700.02 / 2025 folder of Bilgi İşlem with two archived documents
    whose PDFs hold words that are in no description (CONTENT_WORDS)."""
    from bilgiislem.archive.services import folders_close_year, record_archive

    documents = []
    with time_machine.travel(at(datetime.date(FOLDER_YEAR, 3, 10)), tick=False):
        for words in CONTENT_WORDS:
            documents.append(
                done_document(
                    subject="Enerji verimliliği yazışması",
                    sdp_code="700.02",
                    content=pdf_bytes(f"{words} raporu"),
                )
            )
    with time_machine.travel(at(datetime.date(FOLDER_YEAR, 4, 15)), tick=False):
        for document in documents:
            record_archive(actor=person("arsiv"), document=document)
    with time_machine.travel(at(datetime.date(FOLDER_YEAR + 1, 1, 2), hour=3), tick=False):
        folders_close_year(year=FOLDER_YEAR)
    folder = Folder.objects.select_related("code", "unit").get(
        unit__code="bilgi-islem", code__code="700.02", year=FOLDER_YEAR
    )
    return expire(folder)
