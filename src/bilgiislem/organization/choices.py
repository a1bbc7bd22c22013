from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    BASKANLIK = "baskanlik", _("Mayor's office (Başkanlık)")
    BASKAN_YARDIMCILIGI = "baskan_yardimciligi", _("Deputy mayorship")
    MUDURLUK = "mudurluk", _("Directorate")
    BIRIM = "birim", _("Unit")


class PositionKind(models.TextChoices):
    BASKAN = "baskan", _("Mayor")
    BASKAN_YARDIMCISI = "baskan_yardimcisi", _("Deputy Mayor")
    MUDUR = "mudur", _("Director")
    SEF = "sef", _("Chief")
    BIRIM_SORUMLUSU = "birim_sorumlusu", _("Unit head")
    MEMUR = "memur", _("Civil servant")
    ISCI = "isci", _("Worker")
    SOZLESMELI = "sozlesmeli", _("Contract staff")
    ARSIV_GOREVLISI = "arsiv_gorevlisi", _("Archive officer")
    TASINIR_KAYIT_YETKILISI = "tasinir_kayit_yetkilisi", _("Movable property officer")


# Seniority of posts: a higher rank in an ancestor-or-same unit is a superior (RYY art. 4, 8, 9).
RANK = {
    PositionKind.BASKAN: 100,
    PositionKind.BASKAN_YARDIMCISI: 90,
    PositionKind.MUDUR: 80,
    PositionKind.SEF: 70,
    PositionKind.BIRIM_SORUMLUSU: 60,
}
STAFF_RANK = 10
MANAGERIAL_RANK = 60

# The post that heads each kind of unit.
HEAD_OF = {
    UnitKind.BASKANLIK: PositionKind.BASKAN,
    UnitKind.BASKAN_YARDIMCILIGI: PositionKind.BASKAN_YARDIMCISI,
    UnitKind.MUDURLUK: PositionKind.MUDUR,
    UnitKind.BIRIM: PositionKind.BIRIM_SORUMLUSU,
}
# Posts one person holds alone at a time.
SINGLE_HOLDER_KINDS = {
    PositionKind.BASKAN,
    PositionKind.BASKAN_YARDIMCISI,
    PositionKind.MUDUR,
    PositionKind.BIRIM_SORUMLUSU,
}


def rank_of(kind: str) -> int:
    return RANK.get(kind, STAFF_RANK)


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class UnitChangeKind(models.TextChoices):
    CREATE = "create", _("Create a unit")
    RENAME = "rename", _("Rename a unit")
    MOVE = "move", _("Move a unit")
    CLOSE = "close", _("Close a unit")


class RecipientClass(models.TextChoices):
    """Classes of correspondence a signature delegation can cover (RYY art. 11)."""

    PUBLIC_BODY = "public_body", _("Public institutions")
    GOVERNORSHIP = "governorship", _("Governorship and district governorship")
    METROPOLITAN = "metropolitan", _("Metropolitan municipality")
    COMPANY = "company", _("Private and legal persons")
    CITIZEN = "citizen", _("Citizens")


# Stored titles are Turkish: "<unit name> <suffix>" when the data file gives no title.
POSITION_TITLE_SUFFIX = {
    PositionKind.BASKAN: "Başkanı",
    PositionKind.BASKAN_YARDIMCISI: "Başkan Yardımcısı",
    PositionKind.MUDUR: "Müdürü",
    PositionKind.SEF: "Şefi",
    PositionKind.BIRIM_SORUMLUSU: "Sorumlusu",
    PositionKind.MEMUR: "Memuru",
    PositionKind.ISCI: "İşçisi",
    PositionKind.SOZLESMELI: "Sözleşmeli Personeli",
    PositionKind.ARSIV_GOREVLISI: "Arşiv Görevlisi",
    PositionKind.TASINIR_KAYIT_YETKILISI: "Taşınır Kayıt Yetkilisi",
}
