"""duplicate_code through the ingest service on both databases: one box code read in two stores closer in
time than the trip between them (ALERT_DUPLICATE_TRAVEL_MINUTES), however the reads arrive; and what the
read rules cost a batch."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from tests.integration.test_tracking_service import GATE, M1, M2, N1, N2, RULES, build
from warehouse.alerts import batch, listing
from warehouse.scans import ingest as pipeline
from warehouse.scans.ingest import ingest
from warehouse.stocktake import sessions as stocktakes
from warehouse.tracking import transfers

T = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội


def read(device, seq, code, minutes, **extra):
    return {"device": device, "seq": seq, "code": code, "kind": "barcode",
            "at": (T + timedelta(minutes=minutes)).isoformat(), **extra}


def send(db, *events, settings=None, **kw):
    with db.transaction() as s:
        if settings is not None:
            s.info["kho_settings"] = settings
        return ingest(s, list(events), actor="t", rules=RULES, **kw)


def duplicates(db):
    with db.reading() as s:
        return [(a["box"], a["location"], a["count"]) for a in listing.alerts(s, kind="duplicate_code")]


def test_a_box_read_in_two_stores_ten_minutes_apart_is_a_duplicate_code(db):
    build(db)
    send(db, read("HH-1", 1, "P001-H0001", 0, location=N1))
    send(db, read("HH-2", 1, "P001-H0001", 10, location=M1))
    assert duplicates(db) == [("P001-H0001", M1, 1)]
    send(db, read("HH-2", 2, "P001-H0001", 12, location=M1))  # read again over there: the same cause
    assert duplicates(db) == [("P001-H0001", M1, 2)]


def test_reads_further_apart_than_the_trip_or_in_one_store_are_no_duplicate(db):
    build(db)
    send(db, read("HH-1", 1, "P001-H0001", 0, location=N1), read("HH-1", 2, "P001-H0002", 0, location=N1),
         read("HH-1", 3, "P001-H0004", 0, location=N2))
    send(db, read("HH-2", 1, "P001-H0001", 45, location=M1),  # 45 minutes later in K02
         read("HH-2", 2, "P001-H0002", 1, location=N2))       # a minute later, another shelf of K01
    assert duplicates(db) == []


def test_both_reads_in_one_batch_raise_once_and_a_late_read_is_compared_with_later_ones(db):
    build(db)
    send(db, read("HH-1", 1, "P001-H0001", 0, location=N1), read("HH-2", 1, "P001-H0001", 5, location=M1))
    assert duplicates(db) == [("P001-H0001", M1, 1)]
    send(db, read("HH-2", 2, "P001-H0004", 20, location=M2))
    send(db, read("HH-1", 2, "P001-H0004", 15, location=N2))  # sent late: read before the K02 one
    assert sorted(duplicates(db)) == [("P001-H0001", M1, 1), ("P001-H0004", N2, 1)]


def test_the_travel_time_is_a_setting_and_zero_turns_the_rule_off(db):
    build(db)
    quick = {"ALERT_DUPLICATE_TRAVEL_MINUTES": 5}
    send(db, read("HH-1", 1, "P001-H0001", 0, location=N1), settings=quick)
    send(db, read("HH-2", 1, "P001-H0001", 10, location=M1), settings=quick)
    assert duplicates(db) == []
    send(db, read("HH-1", 2, "P001-H0002", 0, location=N1), read("HH-2", 2, "P001-H0002", 1, location=M1),
         settings={"ALERT_DUPLICATE_TRAVEL_MINUTES": 0})
    assert duplicates(db) == []
    send(db, read("HH-2", 3, "P001-H0001", 3, location=M1), settings=quick)
    assert duplicates(db) == [("P001-H0001", M1, 1)]


def test_a_box_carried_on_a_transfer_and_stock_take_reads_are_no_duplicate(db):
    build(db)
    with db.transaction() as s:
        tid = transfers.create_transfer(s, "anna", ["P001-H0004"], "K01", destination="K02")["id"]
    send(db, read("HH-1", 1, "P001-H0004", 0, location=N2, context={"transfer": tid}))
    with db.transaction() as s:
        transfers.dispatch(s, "anna", tid)
    send(db, read("HH-2", 1, "P001-H0004", 10, location=M1, context={"transfer": tid}))
    with db.transaction() as s:
        sid = stocktakes.open_stocktake(s, actor="anna", scope="K02")["id"]
    send(db, read("HH-1", 2, "P001-H0005", 0, location=N2))
    send(db, read("HH-3", 1, "P001-H0005", 5, location=M1), stocktake=sid)
    assert duplicates(db) == []


def test_the_read_rules_cost_a_batch_the_same_few_statements_whatever_its_size(db, monkeypatch):
    """Reads off their shelf, in a second store, at a gate, of unknown codes: statements counted."""
    build(db)
    counted: list[int] = []

    def counting(session, reads, actor):
        engine, hook = session.get_bind(), lambda *a, **k: counted.append(1)
        event.listen(engine, "before_cursor_execute", hook)
        try:
            batch.after_batch(session, reads, actor)
        finally:
            event.remove(engine, "before_cursor_execute", hook)

    monkeypatch.setattr(pipeline, "AFTER_BATCH", [counting])
    codes, places = ("P001-H0001", "P001-H0002", "P001-H0004", "NOPE-9"), (N1, N2, M1, M2, GATE)

    def statements(first_seq, size):
        counted.clear()
        send(db, *(read("HH-1", first_seq + i, codes[i % 4], i / 100, location=places[(i // 4) % 5])
                   for i in range(size)))
        return len(counted)

    small, large = statements(1, 20), statements(1000, 2000)
    assert small == large and small <= 14, (small, large)
    with db.reading() as s:
        kinds = {a["kind"] for a in listing.alerts(s)}
    assert kinds == {"misplaced", "unknown_code", "duplicate_code", "unauthorised_exit"}


def test_the_running_apps_configuration_reaches_the_rule_through_the_api(db, app, client):
    from tests.integration.test_api_scans import post, token_for

    build(db)
    _, one = token_for(db, "HH-1")
    _, two = token_for(db, "HH-2")
    app.config["ALERT_DUPLICATE_TRAVEL_MINUTES"] = 0
    assert post(client, one, [read("HH-1", 1, "P001-H0001", 0, location=N1)]).status_code == 200
    assert post(client, two, [read("HH-2", 1, "P001-H0001", 1, location=M1)]).status_code == 200
    assert duplicates(db) == []
    app.config["ALERT_DUPLICATE_TRAVEL_MINUTES"] = 30
    assert post(client, two, [read("HH-2", 2, "P001-H0001", 2, location=M1)]).status_code == 200
    assert duplicates(db) == [("P001-H0001", M1, 1)]


def test_create_app_gives_its_settings_to_every_session(tmp_path):
    from app import create_app

    application = create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/k.db", "ALERT_DUPLICATE_TRAVEL_MINUTES": 7})
    database = application.extensions["kho_db"]
    with database.transaction() as s:
        assert batch.travel_time(s) == timedelta(minutes=7)
    with database.reading() as s:
        assert batch.travel_time(s) == timedelta(minutes=7)
    database.dispose()
