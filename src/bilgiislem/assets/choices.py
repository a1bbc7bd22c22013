from django.db import models
from django.utils.translation import gettext_lazy as _


class AssetKind(models.TextChoices):
    COMPUTER = "computer", _("Computer")
    LAPTOP = "laptop", _("Laptop")
    MONITOR = "monitor", _("Monitor")
    PRINTER = "printer", _("Printer")
    SERVER = "server", _("Server")
    NETWORK = "network", _("Network device")
    ACCESS_POINT = "access_point", _("Wi-Fi access point")
    SCREEN = "screen", _("Information screen")
    PHONE = "phone", _("Telephone")
    STORAGE = "storage", _("Storage medium")
    OTHER = "other", _("Other")


# Devices that can report a heartbeat (issue 7 point 9).
MONITORED_KINDS = {AssetKind.ACCESS_POINT, AssetKind.SCREEN, AssetKind.NETWORK, AssetKind.SERVER}


class AssetStatus(models.TextChoices):
    IN_STORE = "in_store", _("In store")
    IN_USE = "in_use", _("In use")
    IN_REPAIR = "in_repair", _("In repair")
    LENT = "lent", _("Lent")
    WRITTEN_OFF = "written_off", _("Written off")


class SiteKind(models.TextChoices):
    BUILDING = "building", _("Municipal building")
    PARK = "park", _("Park")
    HOSPITAL = "hospital", _("Hospital")
    COMMUNITY_HOUSE = "community_house", _("Community house")
    GUEST_HOUSE = "guest_house", _("Guest house")
    SQUARE = "square", _("Square")
    OTHER = "other", _("Other public place")


class VifKind(models.TextChoices):
    """What a Varlık İşlem Fişi records (Taşınır Mal Yönetmeliği 2024, art. 10, 13–28)."""

    PURCHASE = "purchase", _("Entry by purchase")
    TRANSFER_IN = "transfer_in", _("Entry by transfer from another public body")
    TRANSFER_OUT = "transfer_out", _("Exit by transfer to another public body")
    STORE_TRANSFER = "store_transfer", _("Transfer between stores")
    CONSUMPTION = "consumption", _("Exit by consumption")
    WRITE_OFF = "write_off", _("Exit by write-off")
    COUNT_SURPLUS = "count_surplus", _("Entry of a count surplus")
    COUNT_SHORTAGE = "count_shortage", _("Exit of a count shortage")
    CORRECTION = "correction", _("Correction")


ENTRY_KINDS = {VifKind.PURCHASE, VifKind.TRANSFER_IN, VifKind.COUNT_SURPLUS}


class VifState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed off")
    CANCELLED = "cancelled", _("Cancelled")


class RequestState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ISSUED = "issued", _("Issued")


class WriteOffReason(models.TextChoices):
    SCRAP = "scrap", _("Scrapped (hurda)")
    BREAKAGE = "breakage", _("Broken beyond repair")
    LOSS = "loss", _("Lost")
    THEFT = "theft", _("Stolen")
    DISASTER = "disaster", _("Disaster or fire")
    COUNT_SHORTAGE = "count_shortage", _("Count shortage")


class WriteOffState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed by the commission")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CountState(models.TextChoices):
    OPEN = "open", _("First count")
    SECOND = "second", _("Second count of differences")
    CLOSED = "closed", _("Closed")


class ScanResult(models.TextChoices):
    FOUND_HERE = "found_here", _("Found where recorded")
    FOUND_ELSEWHERE = "found_elsewhere", _("Found elsewhere")
    UNEXPECTED = "unexpected", _("Not on the records")


class NeedState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted into the needs list")
    REJECTED = "rejected", _("Not accepted")


class NeedKind(models.TextChoices):
    HARDWARE = "hardware", _("Hardware")
    SOFTWARE = "software", _("Software")


class ReceiptState(models.TextChoices):
    """A Taşınır Geçici Alındısı waits for the acceptance inspection (muayene ve kabul)."""

    OPEN = "open", _("Waiting for acceptance")
    ACCEPTED = "accepted", _("Accepted and entered")
    REFUSED = "refused", _("Refused and returned to the supplier")


class StoreHandoverState(models.TextChoices):
    PREPARED = "prepared", _("Waiting for the new officer")
    ACCEPTED = "accepted", _("Accepted by the new officer")
    CANCELLED = "cancelled", _("Cancelled")


class DocumentKind(models.TextChoices):
    """Asset documents numbered from 1 each year besides the VİF."""

    HANDOVER = "handover", _("Taşınır Teslim Belgesi")
    RECEIPT = "receipt", _("Taşınır Geçici Alındısı")
    STORE_HANDOVER = "store_handover", _("Ambar Devir ve Teslim Tutanağı")
    LOAN = "loan", _("Loan record (tutanak)")
