"""The audit trail: append-only, hash-chained events (DESIGN.md invariant 1, RYY art. 5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One change of state, written in the same transaction as the change itself.

    ``hash`` covers every other field and the previous event's hash, so changing or removing
    any event breaks the chain from there on (``manage.py audit_verify``). The database refuses
    UPDATE and DELETE on this table (triggers installed by migration 0002).
    """

    seq = models.BigIntegerField(_("sequence"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    actor_repr = models.CharField(_("person (as recorded)"), max_length=200, blank=True)
    acting_for = models.CharField(_("post acted for"), max_length=300, blank=True)
    acting_for_ref = models.CharField(_("post acted for (reference)"), max_length=100, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self):
        return f"#{self.seq} {self.action}"


class AuditChainHead(models.Model):
    """The single row holding the chain's tip; locking it serialises appends.

    It also lets ``audit_verify`` notice events removed from the end of the chain.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(_("last sequence"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self):
        return f"{self.seq}:{self.last_hash[:12]}"
