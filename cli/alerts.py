"""`alerts list | sweep | ack | resolve`: what is off, and who dealt with it."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from cli.output import db, emit, failing_cleanly, say
from warehouse.alerts import listing, raising
from warehouse.alerts.sweep import sweep as run_sweep
from warehouse.errors import Refused
from warehouse.models.alerts import ALERT_STATES

alerts = AppGroup("alerts", help="Alerts: list, sweep the time-based rules, acknowledge, resolve.")


def _table(rows: list[dict]) -> str:
    lines = [f"{r['id']:>5} {r['severity']:<8} {r['state']:<12} {r['kind']:<18} "
             f"{r['box'] or r['code'] or '':<16} {r['location'] or '':<18} x{r['count']} {r['at']}" for r in rows]
    return "\n".join(lines) or "no alerts"


@alerts.command("list")
@click.option("--state", type=click.Choice(ALERT_STATES))
@click.option("--kind")
@click.option("--json", "as_json", is_flag=True)
def list_alerts(state: str | None, kind: str | None, as_json: bool) -> None:
    """Every alert (or those in a state / of a kind), newest first."""
    with db().reading() as s:
        rows = listing.alerts(s, state=state, kind=kind)
    emit(rows, as_json, _table)


def _parse_now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise Refused(f"--now {value!r} is not an ISO 8601 time") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@alerts.command("sweep")
@click.option("--now", "now", help="Evaluate as of this ISO 8601 time (default: now).")
@click.option("--json", "as_json", is_flag=True)
def sweep(now: str | None, as_json: bool) -> None:
    """Evaluate the time-based rules (overdue transfers, scan conflicts, boxes not seen)."""
    with failing_cleanly(as_json):
        moment = _parse_now(now)
        with db().transaction() as s:
            result = run_sweep(s, moment, "cli", current_app.config.get("ALERT_NOT_SEEN_DAYS", 0))
    emit(result, as_json, lambda r: f"{r['raised']} alert(s) raised or repeated")


@alerts.command("ack")
@click.argument("alert_id", type=int)
@click.option("--note", default="")
@click.option("--by", "actor", default="cli", help="Who acknowledges it.")
def ack(alert_id: int, note: str, actor: str) -> None:
    """Acknowledge an open alert."""
    with failing_cleanly(), db().transaction() as s:
        raising.acknowledge(s, alert_id, actor, note)
    say(f"alert {alert_id} acknowledged")


@alerts.command("resolve")
@click.argument("alert_id", type=int)
@click.option("--note", default="")
@click.option("--by", "actor", default="cli", help="Who resolves it.")
def resolve(alert_id: int, note: str, actor: str) -> None:
    """Resolve an alert (it stays in the list, resolved)."""
    with failing_cleanly(), db().transaction() as s:
        raising.resolve(s, alert_id, actor, note)
    say(f"alert {alert_id} resolved")


COMMANDS = (alerts,)
