"""SQLAlchemy 2.0 typed models. Import from here: `from warehouse.models import Box`."""

from warehouse.models.accounts import Device, DeviceToken, User
from warehouse.models.alerts import Alert
from warehouse.models.audit import AuditEntry, AuditHead
from warehouse.models.base import Base
from warehouse.models.boxes import Box, File, FileMove
from warehouse.models.fonds import Agency, Catalogue, Fonds
from warehouse.models.handovers import Handover, HandoverBox, HandoverRow
from warehouse.models.imports import ImportJob
from warehouse.models.labels import PrintRun, PrintRunLabel
from warehouse.models.locations import Location
from warehouse.models.readers import ReaderState
from warehouse.models.scans import ScanConflict, ScanEvent
from warehouse.models.stocktakes import (
                                         Stocktake,
                                         StocktakeApart,
                                         StocktakeBox,
                                         StocktakeRecount,
                                         StocktakeRecountMark,
                                         StocktakeResult,
)
from warehouse.models.tracking import (
                                         BoxEvent,
                                         BoxStatus,
                                         Checkout,
                                         CheckoutBox,
                                         Disposal,
                                         DisposalFile,
                                         MoveLine,
                                         MoveOrder,
                                         Transfer,
                                         TransferBox,
)

__all__ = [
                                         "Agency",
                                         "Alert",
                                         "AuditEntry",
                                         "AuditHead",
                                         "Base",
                                         "Box",
                                         "BoxEvent",
                                         "BoxStatus",
                                         "Catalogue",
                                         "Checkout",
                                         "CheckoutBox",
                                         "Device",
                                         "DeviceToken",
                                         "Disposal",
                                         "DisposalFile",
                                         "File",
                                         "FileMove",
                                         "Fonds",
                                         "Handover",
                                         "HandoverBox",
                                         "HandoverRow",
                                         "ImportJob",
                                         "Location",
                                         "MoveLine",
                                         "MoveOrder",
                                         "PrintRun",
                                         "PrintRunLabel",
                                         "ReaderState",
                                         "ScanConflict",
                                         "ScanEvent",
                                         "Stocktake",
                                         "StocktakeApart",
                                         "StocktakeBox",
                                         "StocktakeRecount",
                                         "StocktakeRecountMark",
                                         "StocktakeResult",
                                         "Transfer",
                                         "TransferBox",
                                         "User",
]
