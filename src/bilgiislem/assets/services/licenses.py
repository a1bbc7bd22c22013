"""Software licences and maintenance contracts (issue 7 point 7; RYY art. 6(b), 6(ğ)).

- A licence has seats; assigning it to an asset or a person beyond its seats is refused
  (400 naming ``seats``). The seat count is checked with the licence row locked, so two
  people assigning the last seat at once cannot both succeed.
- The key is kept encrypted at rest (Fernet, with a key derived from SECRET_KEY by HKDF), so
  a copy of the database alone does not give the keys away. Only the Director and the Chief
  of Bilgi İşlem read it, and each reading is in the audit trail.
- Contract coverage links a servicedesk VendorContract to the assets it maintains.
"""

from __future__ import annotations

import base64
import datetime
import functools

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from ..models import Asset, ContractCoverage, License, LicenseAssignment
from ._heads import require_head, require_it_staff

PRODUCT_MAX = License._meta.get_field("product").max_length
VENDOR_MAX = License._meta.get_field("vendor").max_length
KEY_MAX = 2000


@functools.cache
def _fernet_for(secret: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"bilgiislem.assets",
        info=b"licence keys",
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def _fernet() -> Fernet:
    return _fernet_for(settings.SECRET_KEY)


def encrypt_key(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def decrypt_key(stored: str) -> str:
    if not stored:
        return ""
    try:
        return _fernet().decrypt(stored.encode()).decode()
    except InvalidToken:
        # SECRET_KEY changed since the key was stored: say so rather than fail the page.
        raise DomainError(
            _("The stored key cannot be read with this server's secret; enter it again."),
            field="key",
        ) from None


# ---------------------------------------------------------------- checks of input


def _clean_product(product) -> str:
    product = (product or "").strip()
    if not product:
        raise DomainError(_("Give the product's name."), field="product")
    if len(product) > PRODUCT_MAX:
        raise DomainError(_("At most %(n)d characters.") % {"n": PRODUCT_MAX}, field="product")
    return product


def _clean_seats(seats) -> int:
    try:
        seats = int(seats)
    except (TypeError, ValueError):
        raise DomainError(_("Give the number of seats."), field="seats") from None
    if seats < 1 or seats > 1_000_000:
        raise DomainError(_("A licence has at least one seat."), field="seats")
    return seats


def _clean_key(key) -> str:
    key = (key or "").strip()
    if len(key) > KEY_MAX:
        raise DomainError(_("At most %(n)d characters.") % {"n": KEY_MAX}, field="key")
    return key


def seats_used(license: License) -> int:
    return license.assignments.filter(ended_at__isnull=True).count()


# ---------------------------------------------------------------- licences


def license_create(
    *,
    actor,
    product: str,
    seats,
    vendor: str = "",
    key: str = "",
    valid_until: datetime.date | None = None,
    contract=None,
) -> License:
    require_head(actor)
    license = License(
        product=_clean_product(product),
        vendor=(vendor or "").strip()[:VENDOR_MAX],
        seats=_clean_seats(seats),
        valid_until=valid_until,
        contract=contract,
    )
    key = _clean_key(key)
    license.key_encrypted = encrypt_key(key)
    with transaction.atomic():
        license.save()
        audit_record(
            actor=actor,
            action="assets.license.created",
            obj=license,
            # The key itself never goes into the trail: only whether there is one.
            changes={
                "product": license.product,
                "seats": license.seats,
                "valid_until": str(valid_until or ""),
                "contract": contract.pk if contract else None,
                "key_stored": bool(key),
            },
        )
    return license


def license_update(*, actor, license: License, key: str | None = None, **fields) -> License:
    """Change product, vendor, seats, validity or contract; ``key`` replaces the key (``""``
    removes it, ``None`` leaves it). Fewer seats than are in use are refused."""
    require_head(actor)
    with transaction.atomic():
        license = License.objects.select_for_update().get(pk=license.pk)
        changes = {}
        cleaners = {
            "product": _clean_product,
            "vendor": lambda v: (v or "").strip()[:VENDOR_MAX],
            "seats": _clean_seats,
            "valid_until": lambda v: v,
            "contract": lambda v: v,
        }
        for name, value in fields.items():
            if name not in cleaners:
                raise DomainError(_("This field cannot be changed."), field=name)
            value = cleaners[name](value)
            old = getattr(license, name)
            if old != value:
                setattr(license, name, value)
                changes[name] = [str(old or ""), str(value or "")]
        if "seats" in changes and license.seats < seats_used(license):
            raise DomainError(
                _("%(used)d seats are in use; end assignments before lowering the seats.")
                % {"used": seats_used(license)},
                field="seats",
            )
        if key is not None:
            license.key_encrypted = encrypt_key(_clean_key(key))
            changes["key_stored"] = bool(key)
        if changes:
            license.save()
            audit_record(actor=actor, action="assets.license.changed", obj=license, changes=changes)
    return license


def license_key(*, actor, license: License) -> str:
    """The licence key in clear, for the Director or the Chief only; the reading is audited."""
    require_head(actor)
    plain = decrypt_key(license.key_encrypted)
    with transaction.atomic():
        audit_record(actor=actor, action="assets.license.key_read", obj=license)
    return plain


def license_assign(*, actor, license: License, asset: Asset | None = None, person=None):
    """Give one seat of the licence to an asset or a person (Bilgi İşlem staff)."""
    require_it_staff(actor)
    if asset is None and person is None:
        raise DomainError(_("Choose the asset or the person."), field="asset")
    with transaction.atomic():
        license = License.objects.select_for_update().get(pk=license.pk)
        used = seats_used(license)
        if used >= license.seats:
            raise DomainError(
                _("All %(seats)d seats of this licence are in use.") % {"seats": license.seats},
                field="seats",
            )
        current = license.assignments.filter(ended_at__isnull=True)
        if asset is not None and current.filter(asset=asset).exists():
            raise DomainError(_("This asset already has this licence."), field="asset")
        if asset is None and current.filter(asset=None, person=person).exists():
            raise DomainError(_("This person already has this licence."), field="person")
        assignment = LicenseAssignment.objects.create(license=license, asset=asset, person=person)
        audit_record(
            actor=actor,
            action="assets.license.assigned",
            obj=license,
            changes={
                "asset": asset.sicil_no if asset else None,
                "person": person.pk if person else None,
                "seats_used": used + 1,
            },
        )
    return assignment


def license_unassign(*, actor, assignment: LicenseAssignment) -> LicenseAssignment:
    require_it_staff(actor)
    with transaction.atomic():
        assignment = LicenseAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.ended_at is not None:
            raise DomainError(_("This assignment has already ended."), field="assignment")
        assignment.ended_at = timezone.now()
        assignment.save(update_fields=["ended_at"])
        audit_record(
            actor=actor,
            action="assets.license.unassigned",
            obj=assignment.license,
            changes={"assignment": assignment.pk},
        )
    return assignment


# ---------------------------------------------------------------- contract coverage


def contract_cover(*, actor, contract, asset: Asset) -> ContractCoverage:
    """Record that a maintenance or support contract covers an asset (6(ğ))."""
    require_head(actor)
    with transaction.atomic():
        coverage, created = ContractCoverage.objects.get_or_create(contract=contract, asset=asset)
        if not created:
            raise DomainError(_("The contract already covers this asset."), field="asset")
        audit_record(
            actor=actor,
            action="assets.contract.covered",
            obj=asset,
            changes={"contract": contract.pk, "number": contract.number},
        )
    return coverage


def contract_uncover(*, actor, coverage: ContractCoverage) -> None:
    require_head(actor)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="assets.contract.uncovered",
            obj=coverage.asset,
            changes={"contract": coverage.contract_id},
        )
        coverage.delete()
