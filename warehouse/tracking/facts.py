"""Facts alert rules will need (issue 6 builds the alerts): each a query returning plain values.

- transfers overdue: dispatched, past their expected arrival, with boxes still in transit;
- check-outs overdue: boxes still out past their due date;
- reads at a gate not covered: a box read at a gate (a read whose `location` is a gate) while it was
  not checked out, in transit or handed over (judged by its state now)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from warehouse.models import (
    Box,
    BoxStatus,
    Checkout,
    CheckoutBox,
    Device,
    Location,
    ScanEvent,
    Transfer,
    TransferBox,
)
from warehouse.scans.catalog import naive_utc

COVERED = ("checked_out", "in_transit", "handed_over")


def overdue_transfers(session: Session, now: datetime) -> list[dict]:
    """[{"transfer", "expected_at", "boxes"}] for dispatched transfers past due with boxes in transit."""
    rows = session.execute(
        select(Transfer.id, Transfer.expected_at, Box.code).join(TransferBox, TransferBox.transfer_id == Transfer.id)
        .join(Box, Box.id == TransferBox.box_id)
        .where(Transfer.state == "dispatched", Transfer.expected_at.is_not(None), Transfer.expected_at < now,
               TransferBox.state == "in_transit").order_by(Transfer.id, Box.code))
    out: dict[int, dict] = {}
    for transfer, expected, code in rows:
        out.setdefault(transfer, {"transfer": transfer, "expected_at": expected, "boxes": []})["boxes"].append(code)
    return list(out.values())


def overdue_checkouts(session: Session, today: date) -> list[dict]:
    """[{"checkout", "due_on", "borrower", "boxes"}] for boxes still out after their due date."""
    rows = session.execute(
        select(Checkout.id, Checkout.due_on, Checkout.borrower, Box.code)
        .join(CheckoutBox, CheckoutBox.checkout_id == Checkout.id).join(Box, Box.id == CheckoutBox.box_id)
        .where(Checkout.closed_at.is_(None), Checkout.due_on < today, CheckoutBox.returned_at.is_(None))
        .order_by(Checkout.id, Box.code))
    out: dict[int, dict] = {}
    for checkout, due, borrower, code in rows:
        out.setdefault(checkout, {"checkout": checkout, "due_on": due, "borrower": borrower,
                                  "boxes": []})["boxes"].append(code)
    return list(out.values())


def uncovered_gate_reads(session: Session, since: datetime) -> list[dict]:
    """[{"box", "code", "gate", "at", "device", "seq"}]: box reads at a gate since a time, of boxes that
    are not checked out, in transit or handed over."""
    e = ScanEvent
    rows = session.execute(
        select(Box.code, e.code, Location.code, e.at, Device.name, e.seq)
        .join(Location, (Location.code == e.location) & (Location.kind == "cong"))
        .join(Box, Box.id == e.box_id).join(Device, Device.id == e.device_id)
        .outerjoin(BoxStatus, BoxStatus.box_id == e.box_id)
        .where(e.box_id.is_not(None), e.at >= since,
               (BoxStatus.state.is_(None)) | BoxStatus.state.not_in(COVERED))
        .order_by(e.at, Device.name, e.seq))
    return [{"box": box, "code": code, "gate": gate, "at": naive_utc(at), "device": device, "seq": seq}
            for box, code, gate, at, device, seq in rows]
