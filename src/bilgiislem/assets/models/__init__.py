"""Assets and stock under the Taşınır Mal Yönetmeliği (2024) (RYY art. 6(b), (d), (g), (ğ),
(ı), (i), (r), (u); art. 8(j); standards.md section 5).

Every entry, exit and transfer rests on a numbered ``Vif`` (Varlık İşlem Fişi, numbered from
1 each fiscal year); a durable item given to a person is on a ``HandoverDocument`` (Taşınır
Teslim Belgesi, no VİF on return); consumables are ``StockLot`` rows issued first-in
first-out; counts, write-offs, licences, data lines and monitored devices hang off ``Asset``.

One module a part; import from ``bilgiislem.assets.models``.
"""

from .boards import Board, Count, CountScan, WipeRecord, WriteOff
from .custody import AssetLoan, AssetRequest, HandoverDocument, SharedListSignOff
from .devices import ContractCoverage, DataLine, DataLineOutage, License, LicenseAssignment
from .needs import Need
from .places import Room, Site, Store, TasinirCode
from .register import Asset, AssetSequence, TicketAsset
from .stock import StockIssue, StockItem, StockLot
from .store_documents import StoreHandover, TemporaryReceipt, TemporaryReceiptLine
from .vif import DocumentCounter, Vif, VifCounter, VifLine

__all__ = [
    "Asset",
    "AssetLoan",
    "AssetRequest",
    "AssetSequence",
    "Board",
    "ContractCoverage",
    "Count",
    "CountScan",
    "DataLine",
    "DataLineOutage",
    "DocumentCounter",
    "HandoverDocument",
    "License",
    "LicenseAssignment",
    "Need",
    "Room",
    "SharedListSignOff",
    "Site",
    "StockIssue",
    "StockItem",
    "StockLot",
    "Store",
    "StoreHandover",
    "TasinirCode",
    "TemporaryReceipt",
    "TemporaryReceiptLine",
    "TicketAsset",
    "Vif",
    "VifCounter",
    "VifLine",
    "WipeRecord",
    "WriteOff",
]
