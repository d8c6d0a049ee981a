"""Bench: closing a stock-take of a whole store beside a raw SQL query that reads the same rows.

usage: .venv/bin/python bench/stocktake.py [--boxes 200000] [--reads 400000] [--runs 3] [--pg URL]

Builds a database (SQLite in a temporary folder, or a new PostgreSQL database made from --pg URL)
with one store of 12 boxes a shelf, 5 shelves a rack, 40 racks a row; opens a stock-take of the store
and ingests its reads through the scan pipeline (handhelds reading a shelf label then its boxes, a
second pass over most shelves, some boxes misplaced, missing or read after a gate, unknown codes).
Then times, in the same run, each `--runs` times (median shown; each run rolled back):
  (r) the raw baseline: the driver's own cursor (sqlite3 / psycopg) fetching the stock-take's reads
      and its expected boxes — the rows close needs, nothing else;
  (d) deciding: the set-based loads and the pure classification (`sessions.decide`);
  (c) the whole close: deciding, saving one result row per box, totals, audit (`sessions.close`);
  (o) opening a stock-take of the store (the frozen expected set: one INSERT … SELECT);
  (p) one poll of the live progress (`progress.progress`).
Runs are interleaved, and each step is also shown as a ratio to (r) in the same run, the figure
that carries over from machine to machine. Statements issued by (c) are counted (COPY on PostgreSQL goes by the driver's own cursor: not
counted). Times are wall-clock seconds. On PostgreSQL the tables are ANALYZEd after the bulk loads,
as autovacuum would do shortly after them; the database is dropped at the end."""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PER_SHELF, PER_RACK, PER_ROW = 12, 5, 40


def build_store(db, boxes: int) -> list[tuple[str, list[str]]]:
    """Locations and boxes through Core inserts; returns (shelf code, its box codes) in order."""
    from sqlalchemy import insert

    from warehouse.models import Box, Fonds, Location

    shelves = -(-boxes // PER_SHELF)
    racks = -(-shelves // PER_RACK)
    rows = [{"id": 1, "code": "K01", "name": "Kho 1", "kind": "kho", "path": "/K01/"}]
    shelf_ids, next_id = [], 2
    for r in range(-(-racks // PER_ROW)):
        day = f"K01-D{r + 1:02d}"
        rows.append({"id": next_id, "code": day, "name": day, "kind": "day", "parent_id": 1, "path": f"/K01/{day}/"})
        day_id, next_id = next_id, next_id + 1
        for g in range(min(PER_ROW, racks - r * PER_ROW)):
            gia = f"{day}-G{g + 1:02d}"
            rows.append({"id": next_id, "code": gia, "name": gia, "kind": "gia", "parent_id": day_id,
                         "path": f"/K01/{day}/{gia}/"})
            gia_id, next_id = next_id, next_id + 1
            for n in range(PER_RACK):
                code = f"{gia}-N{n + 1}"
                rows.append({"id": next_id, "code": code, "name": code, "kind": "ngan", "parent_id": gia_id,
                             "path": f"/K01/{day}/{gia}/{code}/"})
                shelf_ids.append((next_id, code))
                next_id += 1
    rows.append({"id": next_id, "code": "K01-C1", "name": "Cổng", "kind": "cong", "parent_id": 1, "path": "/K01/K01-C1/"})
    funds = [f"P{f:03d}" for f in range(1, -(-boxes // 9000) + 1)]
    box_rows, placed = [], [(code, []) for _, code in shelf_ids]
    for i in range(boxes):
        fonds, number = divmod(i, 9000)
        code = f"{funds[fonds]}-H{number + 1:04d}"
        box_rows.append({"code": code, "fonds_id": fonds + 1, "number": number + 1,
                         "home_id": shelf_ids[i // PER_SHELF][0]})
        placed[i // PER_SHELF][1].append(code)
    with db.transaction() as s:
        s.execute(insert(Location), rows)
        s.execute(insert(Fonds), [{"id": i, "code": c, "name": c, "name_key": c.lower()}
                                  for i, c in enumerate(funds, start=1)])
        s.execute(insert(Box), box_rows)
    return placed


def reads_for(store: list[tuple[str, list[str]]], target: int, seed: int = 11) -> list[dict]:
    """About `target` reads: every shelf once, then a second pass until the target is reached."""
    rnd, t0, seqs, out = random.Random(seed), datetime(2026, 3, 2, 1, 0, tzinfo=UTC), {}, []

    def read(device: str, code: str) -> None:
        seqs[device] = seqs.get(device, 0) + 1
        at = t0 + timedelta(milliseconds=250 * len(out))
        out.append({"device": device, "seq": seqs[device], "code": code, "kind": "barcode", "at": at.isoformat()})

    passes = 0
    while len(out) < target:
        for index, (shelf, codes) in enumerate(store):
            if len(out) >= target:
                break
            device = f"HH-{(index + passes) % 8 + 1:02d}"
            read(device, shelf)
            for code in codes:
                luck = rnd.random()
                if luck < 0.01 and passes == 0:
                    continue  # missing
                elsewhere = "K01-C1" if luck < 0.02 else rnd.choice(store)[0] if luck < 0.03 else None
                if elsewhere:  # read after a gate (no place), or on another shelf (misplaced)
                    read(device, elsewhere)
                read(device, code)
                if elsewhere:
                    read(device, shelf)
            if rnd.random() < 0.02:
                read(device, f"X{rnd.randint(1, 99999):05d}")  # an unknown code
        passes += 1
    return out


def timed(work) -> tuple[float, float]:
    """(wall, CPU of this process) seconds of one run; on SQLite the CPU includes the database's work."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def raw_reader(url: str, stocktake: int):
    """The baseline: the driver fetching the stock-take's reads and expected boxes."""
    reads = ("SELECT at, device_id, seq, reading, box_id, place_id, CASE WHEN reading = 'unknown' "
             "THEN code END, label_id, location FROM scan_events WHERE stocktake = {p}")
    expected = "SELECT box_id, home_id FROM stocktake_boxes WHERE stocktake_id = {p}"
    if url.startswith("sqlite"):
        import sqlite3

        path = url.split("///", 1)[1]

        def run():
            conn = sqlite3.connect(path)
            n = len(conn.execute(reads.format(p="?"), (stocktake,)).fetchall())
            n += len(conn.execute(expected.format(p="?"), (stocktake,)).fetchall())
            conn.close()
            return n
        return run
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)

    def run_pg():
        with psycopg.connect(plain) as conn:
            n = len(conn.execute(reads.format(p="%s"), (stocktake,)).fetchall())
            n += len(conn.execute(expected.format(p="%s"), (stocktake,)).fetchall())
            return n
    return run_pg


def rolled_back(db, work):
    """Run `work(session)` in a transaction that is rolled back, so each run starts alike."""
    def run():
        with db.sessions() as s:
            s.begin()
            try:
                work(s)
                s.flush()
            finally:
                s.rollback()
    return run


def counting_statements(db, work) -> int:
    from sqlalchemy import event

    count = [0]

    def seen(*_args):
        count[0] += 1
    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        work()
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    return count[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--boxes", type=int, default=200_000)
    ap.add_argument("--reads", type=int, default=400_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pg", help="a PostgreSQL URL whose role may create databases (postgresql+psycopg://…)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kho-bench-") as tmp:
        url = fresh_database(a.pg, Path(tmp))
        try:
            report(url, a)
        finally:
            if a.pg:
                drop_database(a.pg, url.rsplit("/", 1)[1])
    return 0


def fresh_database(pg: str | None, work: Path) -> str:
    if not pg:
        return f"sqlite:///{work}/stocktake.db"
    from sqlalchemy import create_engine, text

    name = f"kho_bench_stocktake_{int(time.time())}"
    engine = create_engine(pg, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return pg.rsplit("/", 1)[0] + "/" + name


def drop_database(pg: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(pg, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def analyze(db) -> None:
    """On PostgreSQL, fresh statistics after a bulk load, as autovacuum would soon gather them."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")


def report(url: str, a) -> None:
    from warehouse import schema
    from warehouse.db import Database
    from warehouse.models import Stocktake
    from warehouse.scans.ingest import ingest
    from warehouse.stocktake import progress, sessions

    db = Database(url)
    schema.upgrade(db.engine)
    store = build_store(db, a.boxes)
    analyze(db)
    with db.transaction() as s:
        opened = sessions.open_stocktake(s, actor="bench", scope="K01")
    events = reads_for(store, a.reads)
    start = time.perf_counter()
    for at in range(0, len(events), 50_000):
        with db.transaction() as s:
            ingest(s, events[at:at + 50_000], actor="bench", stocktake=opened["id"])
    ingested = time.perf_counter() - start
    analyze(db)
    sid = opened["id"]
    steps = {
        "r": ("raw driver query of the same rows", raw_reader(url, sid)),
        "d": ("decide: loads + classification", rolled_back(db, lambda s: sessions.decide(s, s.get(Stocktake, sid)))),
        "c": ("close: decide + save + audit", rolled_back(db, lambda s: sessions.close(s, sid, "bench"))),
        "o": ("open: freeze the expected set",
              rolled_back(db, lambda s: sessions.open_stocktake(s, actor="bench", scope="K01"))),
        "p": ("one poll of the live progress", rolled_back(db, lambda s: progress.progress(s, s.get(Stocktake, sid)))),
    }
    samples: dict[str, list[tuple[float, float]]] = {key: [] for key in steps}
    for _ in range(a.runs):  # interleaved: a burst of load on the machine hits every step of a run alike
        for key, (_, work) in steps.items():
            samples[key].append(timed(work))
    statements = counting_statements(db, steps["c"][1])
    with db.transaction() as s:
        result = sessions.close(s, sid, "bench")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{db.engine.dialect.name}: {opened['expected']} boxes expected, {len(events)} reads "
          f"(ingested in {ingested:.0f} s); median of {a.runs} runs; load average {load}")
    print(f"  {'step':<42} {'wall s':>7} {'CPU s':>7} {'wall ÷ (r), per run':>20}")
    for key, (label, _) in steps.items():
        wall = statistics.median(w for w, _ in samples[key])
        cpu = statistics.median(c for _, c in samples[key])
        ratio = statistics.median(w / r for (w, _), (r, _) in zip(samples[key], samples["r"]))
        print(f"  ({key}) {label:<38} {wall:7.2f} {cpu:7.2f} {ratio:19.1f}x")
    print(f"  close issued {statements} statements")
    print("  outcome: " + ", ".join(f"{k} {len(result[k])}" for k in sessions.LISTS))
    db.dispose()


if __name__ == "__main__":
    sys.exit(main())
