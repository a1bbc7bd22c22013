"""Reading and checking incoming e-Yazışma (EYP 2.x) packages (standards.md section 2).

A pure reader: no database, no Django models. ``read_package(data)`` returns an
``EypPackage`` or raises ``EypError`` whose ``reasons`` are to be sent back to the sender.
"""

from .model import (
    Annex,
    Contact,
    Distribution,
    EypError,
    EypPackage,
    Party,
    Reference,
    Signer,
)
from .opc import DEFAULT_MAX_ENTRIES, DEFAULT_MAX_TOTAL_BYTES
from .reader import read_package

__all__ = [
    "DEFAULT_MAX_ENTRIES",
    "DEFAULT_MAX_TOTAL_BYTES",
    "Annex",
    "Contact",
    "Distribution",
    "EypError",
    "EypPackage",
    "Party",
    "Reference",
    "Signer",
    "read_package",
]
