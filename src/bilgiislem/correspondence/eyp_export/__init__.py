"""Outgoing e-Yazışma 2.x packages (.eyp) for external dispatch (issue 4, point 7).

``build_package(spec, signer=..., seal_signer=..., timestamper=...)`` returns the bytes of
a signed and sealed package whose XML parts validate against the official schemas
(``validate_package_xml``) and which our own importer (``registry.eyp.read_package``)
reads back with the same metadata.
"""

from .builder import EypExportError, build_package, cades_sign, check_built_package
from .schema import validate_package_xml, validate_xml
from .spec import (
    AnnexSpec,
    PackageSpec,
    RecipientSpec,
    ReferenceSpec,
    SenderSpec,
    SignerSpec,
)

__all__ = [
    "AnnexSpec",
    "EypExportError",
    "PackageSpec",
    "RecipientSpec",
    "ReferenceSpec",
    "SenderSpec",
    "SignerSpec",
    "build_package",
    "cades_sign",
    "check_built_package",
    "validate_package_xml",
    "validate_xml",
]
