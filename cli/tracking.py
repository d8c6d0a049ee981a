"""Tracking on the command line: `move` (re-shelving orders), `transfer` (between stores), `checkout`
(reading room, offices), `dispose` (tiêu hủy under a decision) and `box` (where a box is, its history,
search, a stock-take's places applied)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale, gettext

from cli.output import db, emit, failing_cleanly, say
from warehouse.boxes import get_box
from warehouse.errors import N_, refused
from warehouse.models import Box
from warehouse.tracking import checkouts, disposal, documents, history, moves, places, search, transfers
from warehouse.tracking.state import STATE_WORDS

ACTOR = "cli"
JSON = click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
CODES = click.argument("codes", nargs=-1, metavar="BOX…")


def plain(value):
    """A document with times and dates as ISO 8601 text, for JSON."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _run(as_json: bool, work, text, reading: bool = False) -> None:
    """Run `work(session)` in one transaction (or a read), then print its document."""
    with failing_cleanly(as_json), (db().reading() if reading else db().transaction()) as s:
        doc = plain(work(s))
    emit(doc, as_json, text)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))


def _tr(lang: str):
    def tr(msgid: str) -> str:
        with force_locale(lang):
            return gettext(msgid)
    return tr


# Move orders, transfers and check-outs are each an order of boxes, shown, cancelled and worked on box by box
# the same way: one command of each kind serves the three groups.

def _show_command(group: AppGroup, order: str, doc, text, help: str | None = None) -> None:
    """`GROUP show ORDER`: one order as its service's document."""
    @group.command("show", help=help)
    @click.argument("order_id", type=int, metavar=order)
    @JSON
    def command(order_id, as_json):
        _run(as_json, lambda s: doc(s, order_id), text, True)


def _cancel_command(group: AppGroup, order: str, cancel, text, help: str) -> None:
    """`GROUP cancel ORDER [--reason …]`."""
    @group.command("cancel", help=help)
    @click.argument("order_id", type=int, metavar=order)
    @click.option("--reason", default="")
    @JSON
    def command(order_id, reason, as_json):
        _run(as_json, lambda s: cancel(s, ACTOR, order_id, reason), text)


def _boxes_command(group: AppGroup, name: str, order: str, act, text, help: str) -> None:
    """`GROUP NAME ORDER BOX…`: these boxes of the order, by hand (moved, loaded, received, back in…)."""
    @group.command(name, help=help)
    @click.argument("order_id", type=int, metavar=order)
    @CODES
    @JSON
    def command(order_id, codes, as_json):
        _run(as_json, lambda s: act(s, ACTOR, order_id, codes), text)


# --- move ---------------------------------------------------------------------------------------------

move = AppGroup("move", help="Move orders: re-shelve boxes inside a store; a scan at the new shelf completes them.")


def _order_text(d: dict) -> str:
    done = sum(1 for b in d["boxes"] if b["done_at"])
    return f"move order {d['id']} → {d['to']} ({d['state']}): {done}/{len(d['boxes'])} box(es) moved"


@move.command("order")
@CODES
@click.option("--to", "to", required=True, help="The shelf (ngan) the boxes go to.")
@click.option("--reason", required=True)
@click.option("--approved-by", "approved_by", required=True, help="Who approved the move.")
@JSON
def move_order(codes, to, reason, approved_by, as_json):
    """Order boxes moved to a shelf; each is moved when it is scanned there."""
    _run(as_json, lambda s: moves.order_move(s, ACTOR, codes, to, reason, approved_by), _order_text)


@move.command("list")
@click.option("--state", type=click.Choice(["open", "done", "cancelled"]))
@JSON
def move_list(state, as_json):
    """Move orders, newest first."""
    _run(as_json, lambda s: moves.listing(s, state), lambda rows: "\n".join(
        f"{r['id']}\t{r['state']}\t→ {r['to']}\t{r['moved']}/{r['boxes']}\t{r['reason']}" for r in rows), True)


_show_command(move, "ORDER_ID", moves.order_doc, _order_text,
              "One order with each box, where it came from and when it was moved.")
_boxes_command(move, "done", "ORDER_ID", moves.complete_by_hand, _order_text, "Record boxes as moved without a scan.")
_cancel_command(move, "ORDER_ID", moves.cancel, _order_text, "Cancel an open order: boxes not moved keep their home.")


@move.command("suggest")
@click.option("--boxes", "count", type=int, required=True, help="How many boxes must fit.")
@click.option("--within", default=None, help="A store, room, row or rack to look in.")
@JSON
def move_suggest(count, within, as_json):
    """Shelves with room for that many more boxes."""
    _run(as_json, lambda s: moves.suggest_shelves(s, count, within), lambda rows: "\n".join(
        f"{r['shelf']}\t{r['free']} free of {r['capacity']}" for r in rows) or "no shelf has room", True)


# --- transfer -----------------------------------------------------------------------------------------

transfer = AppGroup("transfer", help="Transfers of boxes between stores (or to an outside body).")


def _transfer_text(d: dict) -> str:
    counts = ", ".join(f"{k} {v}" for k, v in d["counts"].items() if v)
    return f"transfer {d['id']} {d['origin']} → {d['destination'] or d['recipient']} ({d['state']}): {counts}"


@transfer.command("create")
@CODES
@click.option("--from", "origin", required=True, help="The store (kho) the boxes leave.")
@click.option("--to", "destination", default="", help="The store of Kho they go to.")
@click.option("--recipient", default="", help="Or the outside body that receives them.")
@click.option("--vehicle", default="")
@click.option("--seal", "seals", multiple=True, help="A seal number (repeat for each).")
@click.option("--person", "people", multiple=True, help="Who carries or escorts (repeat for each).")
@click.option("--expected", default=None, help="Expected arrival, ISO 8601 with its offset.")
@click.option("--note", default="")
@JSON
def transfer_create(codes, origin, destination, recipient, vehicle, seals, people, expected, note, as_json):
    """Plan a transfer of boxes; scans naming it ({"transfer": ID}) load and receive them."""
    def work(s):
        return transfers.create_transfer(s, ACTOR, codes, origin, destination=destination, recipient=recipient,
                                         vehicle=vehicle, seals=", ".join(seals), people=", ".join(people),
                                         expected_at=_instant(expected), note=note)
    _run(as_json, work, _transfer_text)


def _instant(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise refused(N_("%(value)r is not an ISO 8601 time"), value=text) from None
    if when.tzinfo is None:
        raise refused(N_("%(value)r has no UTC offset (e.g. +07:00)"), value=text)
    return when


_boxes_command(transfer, "load", "TRANSFER_ID", transfers.load_by_hand, _transfer_text,
               "Dispatch scans by hand: these boxes are loaded (in transit).")


@transfer.command("dispatch")
@click.argument("transfer_id", type=int)
@click.option("--all", "load_all", is_flag=True, help="Load every listed box not scanned yet.")
@click.option("--seals", default=None, help="Seal numbers as the vehicle leaves.")
@JSON
def transfer_dispatch(transfer_id, load_all, seals, as_json):
    """The vehicle leaves with the boxes loaded."""
    _run(as_json, lambda s: transfers.dispatch(s, ACTOR, transfer_id, load_all=load_all, seals=seals),
         _transfer_text)


_boxes_command(transfer, "receive", "TRANSFER_ID", transfers.receive_by_hand, _transfer_text,
               "Receipt scans by hand: these boxes arrived (one not listed is received but not listed).")
_boxes_command(transfer, "missing", "TRANSFER_ID", transfers.declare_missing, _transfer_text,
               "These boxes did not arrive: missing on receipt (lost until seen again).")
_cancel_command(transfer, "TRANSFER_ID", transfers.cancel, _transfer_text, "Call off a planned transfer.")
_show_command(transfer, "TRANSFER_ID", transfers.transfer_doc, _transfer_text,
              "A transfer with each box and its state on it.")


@transfer.command("list")
@click.option("--state", type=click.Choice(["planned", "dispatched", "received", "cancelled"]))
@JSON
def transfer_list(state, as_json):
    """Transfers, newest first."""
    _run(as_json, lambda s: transfers.listing(s, state), lambda rows: "\n".join(
        f"{r['id']}\t{r['state']}\t{r['origin']} → {r['destination'] or r['recipient']}" for r in rows), True)


@transfer.command("pdf")
@click.argument("transfer_id", type=int)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", default="vi", type=click.Choice(["vi", "en"]))
def transfer_pdf(transfer_id, out, lang):
    """The transfer document as a PDF."""
    with failing_cleanly(), db().reading() as s:
        doc = transfers.transfer_doc(s, transfer_id)
    out.write_bytes(documents.pdf(doc, _tr(lang), _zone()))
    say(f"transfer {transfer_id}: {out}")


# --- checkout -----------------------------------------------------------------------------------------

checkout = AppGroup("checkout", help="Check boxes out to the reading room or an office, and back in.")


def _checkout_text(d: dict) -> str:
    back = sum(1 for b in d["boxes"] if b["returned_at"])
    return f"check-out {d['id']} to {d['kind']} {d['place']} ({d['borrower']}, due {d['due_on']}): " \
           f"{back}/{len(d['boxes'])} back"


@checkout.command("out")
@CODES
@click.option("--to", "kind", required=True, type=click.Choice(["reading_room", "office"]))
@click.option("--place", default="", help="Which reading room or office.")
@click.option("--borrower", required=True)
@click.option("--due", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Due back (yyyy-mm-dd).")
@click.option("--purpose", default="")
@JSON
def checkout_out(codes, kind, place, borrower, due, purpose, as_json):
    """Check boxes out."""
    _run(as_json, lambda s: checkouts.check_out(s, ACTOR, codes, kind=kind, borrower=borrower, due_on=due.date(),
                                                place=place, purpose=purpose), _checkout_text)


_boxes_command(checkout, "in", "CHECKOUT_ID", checkouts.check_in, _checkout_text,
               "Check boxes back in (every box still out when none is named).")


@checkout.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only check-outs with boxes still out.")
@JSON
def checkout_list(open_only, as_json):
    """Check-outs, newest first."""
    _run(as_json, lambda s: checkouts.listing(s, open_only=open_only), lambda rows: "\n".join(
        f"{r['id']}\t{r['kind']}\t{r['borrower']}\tdue {r['due_on']}\t{r['returned']}/{r['boxes']}"
        f"{' OVERDUE' if r['overdue'] else ''}" for r in rows), True)


_show_command(checkout, "CHECKOUT_ID", checkouts.checkout_doc, _checkout_text)


# --- dispose ------------------------------------------------------------------------------------------

dispose = AppGroup("dispose", help="Disposal (tiêu hủy) of files past their retention, under a decision.")


@dispose.command("candidates")
@click.option("--on", "on", type=click.DateTime(["%Y-%m-%d"]), default=None, help="The day (default today).")
@click.option("--fonds", default="")
@JSON
def dispose_candidates(on, fonds, as_json):
    """Files and boxes past their retention (end year + years) and not destroyed yet."""
    day = on.date() if on else date.today()
    _run(as_json, lambda s: disposal.candidates(s, day, [], True, fonds), lambda d: "\n".join(
        [f"file {f['id']}\t{f['box']}\t{f['number']}\tkept through {f['kept_through']}" for f in d["files"]]
        + [f"box {b['box']}\t{b['files']} file(s)" for b in d["boxes"]]), True)


@dispose.command("record")
@click.option("--number", required=True, help="The decision's number.")
@click.option("--date", "decided_on", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--body", required=True, help="The body that approved it.")
@click.option("--file", "file_ids", type=int, multiple=True, help="A file it covers (repeat).")
@click.option("--box", "boxes", multiple=True, help="A box it covers whole (repeat).")
@click.option("--note", default="")
@JSON
def dispose_record(number, decided_on, body, file_ids, boxes, note, as_json):
    """Record a disposal decision: its files are destroyed; boxes left empty are destroyed."""
    _run(as_json, lambda s: disposal.record_disposal(s, ACTOR, number=number, decided_on=decided_on.date(),
                                                     body=body, file_ids=file_ids, box_codes=boxes, note=note),
         lambda d: f"decision {d['number']}: {len(d['files'])} file(s), boxes destroyed: "
                   f"{', '.join(d['boxes_destroyed']) or '-'}")


@dispose.command("list")
@JSON
def dispose_list(as_json):
    _run(as_json, disposal.listing, lambda rows: "\n".join(
        f"{r['id']}\t{r['number']}\t{r['decided_on']}\t{r['files']} file(s)\t{r['boxes']} box(es)" for r in rows),
         True)


# --- box ----------------------------------------------------------------------------------------------

box = AppGroup("box", help="Where a box is, its history, search by state and place.")


@box.command("where")
@click.argument("code")
@JSON
def box_where(code, as_json):
    """A box's home, state, last-known place and when it was last seen."""
    _run(as_json, lambda s: places.box_doc(s, Box.id == get_box(s, code).id), lambda d: f"{d['code']}: {d['state']} {d['place'] or ''} (home {d['home'] or '-'}, "
                                  f"last seen {d['last_seen'] or 'never'})", True)


@box.command("history")
@click.argument("code")
@click.option("--limit", default=history.LIMIT, type=int)
@JSON
def box_history(code, limit, as_json):
    """A box's timeline, newest first: sightings, moves, transfers, check-outs, stock-takes, re-boxing."""
    def work(s):
        found = get_box(s, code)
        return [e.to_json() for e in history.box_timeline(s, found, [], True, limit)]
    _run(as_json, work, lambda rows: "\n".join(
        f"{r['at']}\t{_what(r)}\t{r['place'] or ''}\t{r['actor'] or ''}\t{r['device'] or ''}" for r in rows), True)


def _what(entry: dict) -> str:
    """A timeline entry's kind; for an alert also which one, its kind and (when raised) its state now."""
    if not entry["kind"].startswith("alert"):
        return entry["kind"]
    alert = entry["detail"]
    return f"{entry['kind']} #{alert['alert']} {alert['kind']}" + (f" ({alert['state']})" if "state" in alert else "")


@box.command("search")
@click.argument("query", default="")
@click.option("--fonds", default="")
@click.option("--state", default="", type=click.Choice(["", *search.FILTER_STATES]))
@click.option("--place", default="", help="A location: boxes whose home or last-known place is in it.")
@click.option("--files", "with_files", is_flag=True, help="Search files too.")
@click.option("--xlsx", "xlsx", type=click.Path(dir_okay=False, path_type=Path), help="Write the results here.")
@JSON
def box_search(query, fonds, state, place, with_files, xlsx, as_json):
    """Boxes (and files) by code, EPC, fonds, box number, title words, state and place."""
    filters = search.Filters(query, fonds, state, place)
    with failing_cleanly(as_json), db().reading() as s:
        boxes = search.search_boxes(s, filters, limit=100_000)
        files = search.search_files(s, filters, [], True, limit=100_000) if with_files else []
    if xlsx:
        tr = _tr("vi")
        xlsx.write_bytes(search.workbook(boxes, files, tr, lambda st: tr(STATE_WORDS.get(st, st)), _zone()))
        say(f"{len(boxes)} box(es), {len(files)} file(s): {xlsx}")
    doc = search.as_json(boxes, files)
    emit(doc, as_json, lambda d: "\n".join(f"{b['code']}\t{b['state']}\t{b['place'] or ''}" for b in d["boxes"]))


@box.command("apply-stocktake")
@click.argument("stocktake_id", type=int)
@JSON
def box_apply_stocktake(stocktake_id, as_json):
    """Make what a closed stock-take found the last-known place of those boxes."""
    _run(as_json, lambda s: places.apply_stocktake(s, stocktake_id, ACTOR),
         lambda d: f"stock-take {d['id']}: {d['applied']} place(s) applied, {d['unchanged']} unchanged")


COMMANDS = (move, transfer, checkout, dispose, box)
