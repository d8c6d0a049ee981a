"""SQLAlchemy 2.0 typed models. Import from here: `from warehouse.models import Box`."""

from warehouse.models.base import Base
from warehouse.models.accounts import Device, DeviceToken, User
from warehouse.models.audit import AuditEntry, AuditHead
from warehouse.models.fonds import Agency, Catalogue, Fonds
from warehouse.models.locations import Location
from warehouse.models.boxes import Box, File, FileMove
from warehouse.models.scans import ScanConflict, ScanEvent
from warehouse.models.imports import ImportJob
from warehouse.models.readers import ReaderState
from warehouse.models.stocktakes import (Stocktake, StocktakeBox, StocktakeRecount, StocktakeRecountMark,
                                         StocktakeResult)
from warehouse.models.alerts import Alert
from warehouse.models.handovers import Handover, HandoverBox, HandoverRow
from warehouse.models.labels import PrintRun, PrintRunLabel
from warehouse.models.tracking import (BoxEvent, BoxStatus, Checkout, CheckoutBox, Disposal, DisposalFile,
                                       MoveLine, MoveOrder, Transfer, TransferBox)

__all__ = [
    "Base", "User", "Device", "DeviceToken", "AuditEntry", "AuditHead", "Agency", "Fonds",
    "Catalogue", "Location", "Box", "File", "FileMove", "ScanEvent", "ScanConflict", "ImportJob",
    "ReaderState", "Stocktake", "StocktakeBox", "StocktakeRecount", "StocktakeRecountMark",
    "StocktakeResult", "Handover", "HandoverBox", "HandoverRow", "BoxStatus", "MoveOrder", "MoveLine",
    "Transfer", "TransferBox", "Checkout", "CheckoutBox", "Disposal", "DisposalFile", "BoxEvent",
    "PrintRun", "PrintRunLabel", "Alert",
]
