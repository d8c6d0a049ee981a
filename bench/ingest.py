"""Bench: `flask --app app scans ingest` end to end against parsing the JSONL and one raw executemany.

usage: .venv/bin/python bench/ingest.py [--reads 200000] [--runs 3] [--boxes 20000] [--pg URL]

Builds a SQLite database with a store (rows, racks, shelves, gates) and boxes, writes a JSONL of
realistic reads (handhelds reading a shelf label then its boxes, RFID readers with re-reads, gates,
unknown codes), then times in the same run, each `--runs` times (median shown):
  (a) parsing the JSONL alone (json.loads per line);
  (b) one raw sqlite3 executemany of the same rows into a bare table, one transaction (WAL,
      synchronous=NORMAL, as Kho opens SQLite);
  (c) `flask --app app scans ingest FILE --json` as a subprocess, start-up included, into a fresh
      copy of the database;
  (s) the start-up alone (`flask --app app scans --help`), for reference;
  (k) floor of the store: one raw executemany of the same reads, already interpreted (box, place,
      sighting filled in), into Kho's own scan_events table of a fresh copy of the database (its key
      (device, seq), its box-by-time index, its foreign keys) — what any pipeline that keeps the
      reads where the rest of Kho reads them must pay for the insert alone;
  (i) floor of any `flask` command: a Python process importing Flask and SQLAlchemy, nothing else.
Each is shown in wall time and in CPU time (user + system of the process that does the work): on a
shared machine the CPU figures are the steadier ones.
With --pg URL (a database a role may create databases from), (c) also runs on PostgreSQL."""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FLASK = [str(ROOT / ".venv/bin/flask"), "--app", "app"]
COMPANY_PREFIX = "8930000"


def build_store(url: str, boxes: int) -> dict:
    """Schema, locations and boxes through Core inserts; returns codes for the reads."""
    from sqlalchemy import insert

    from warehouse import schema
    from warehouse.db import Database
    from warehouse.models import Box, Fonds, Location
    from warehouse.scans.giai96 import box_to_epc

    db = Database(url)
    schema.upgrade(db.engine)
    shelves, gates, rows = [], [], []
    with db.transaction() as s:
        s.execute(insert(Location), [{"id": 1, "code": "K01", "name": "Kho 1", "kind": "kho", "path": "/K01/"}])
        # Paths as Kho keeps them: every ancestor's code, root first.
        next_id = 2
        for d in range(1, 9):
            day = f"K01-D{d:02d}"
            rows.append({"id": next_id, "code": day, "name": day, "kind": "day", "parent_id": 1,
                         "path": f"/K01/{day}/"})
            day_id, next_id = next_id, next_id + 1
            for g in range(1, 11):
                gia = f"{day}-G{g:02d}"
                rows.append({"id": next_id, "code": gia, "name": gia, "kind": "gia", "parent_id": day_id,
                             "path": f"/K01/{day}/{gia}/"})
                gia_id, next_id = next_id, next_id + 1
                for n in range(1, 6):
                    shelves.append((next_id, f"{gia}-N{n}"))
                    rows.append({"id": next_id, "code": f"{gia}-N{n}", "name": "n", "kind": "ngan",
                                 "parent_id": gia_id, "path": f"/K01/{day}/{gia}/{gia}-N{n}/"})
                    next_id += 1
        for c in range(1, 3):
            gates.append(f"K01-C{c}")
            rows.append({"id": next_id, "code": f"K01-C{c}", "name": "c", "kind": "cong", "parent_id": 1,
                         "path": f"/K01/K01-C{c}/"})
            next_id += 1
        s.execute(insert(Location), rows)
        funds = [f"P{f:03d}" for f in range(1, 21)]
        s.execute(insert(Fonds), [{"id": i, "code": code, "name": code, "name_key": code.lower()}
                                  for i, code in enumerate(funds, start=1)])
        per = boxes // len(funds)
        box_rows = [{"code": f"{code}-H{n:04d}", "fonds_id": f, "number": n,
                     "home_id": shelves[(f * per + n) % len(shelves)][0],
                     "epc": box_to_epc(code, n, COMPANY_PREFIX) if n % 2 else None}
                    for f, code in enumerate(funds, start=1) for n in range(1, per + 1)]
        s.execute(insert(Box), box_rows)
    db.dispose()
    codes = dict(shelves)
    on_shelf: dict[str, list] = {}
    for b in box_rows:
        on_shelf.setdefault(codes[b["home_id"]], []).append((b["code"], b["fonds_id"], b["number"]))
    return {"shelves": [code for _, code in shelves], "gates": gates, "on_shelf": on_shelf,
            "boxes": [(b["code"], b["fonds_id"], b["number"]) for b in box_rows], "funds": funds}


def write_reads(path: Path, store: dict, reads: int, seed: int = 7) -> None:
    """Handhelds: a shelf label, then ~12 of its boxes; RFID readers: tags with re-reads; gates; unknowns.

    As in a store: most boxes read are on their home shelf; 2 % of box reads are of a box from
    anywhere else (misplaced), 0.5 % are codes Kho does not know."""
    from warehouse.scans.giai96 import box_to_epc

    rnd, t0 = random.Random(seed), datetime(2026, 3, 1, 8, 0, 0)
    seqs: dict[str, int] = {}
    with open(path, "w", encoding="utf-8") as out:
        written = 0
        while written < reads:
            rfid = rnd.random() < 0.3
            device = f"RF-{rnd.randint(1, 2):02d}" if rfid else f"HH-{rnd.randint(1, 10):02d}"
            shelf = rnd.choice(store["shelves"])
            burst = []
            if not rfid:
                burst.append((shelf, "barcode", None))
            for _ in range(rnd.randint(8, 16)):
                home = store["on_shelf"].get(shelf)
                code, fonds, number = rnd.choice(store["boxes"] if not home or rnd.random() < 0.02 else home)
                if rnd.random() < 0.005:
                    burst.append((f"P999-H{rnd.randint(1, 9999):04d}", "barcode", None))
                elif rfid:
                    epc = box_to_epc(store["funds"][fonds - 1], number, COMPANY_PREFIX)
                    burst += [(epc, "rfid", shelf)] * rnd.randint(1, 3)
                else:
                    burst.append((code, "barcode", None))
            if not rfid and rnd.random() < 0.05:
                burst.append((rnd.choice(store["gates"]), "barcode", None))
            for code, kind, location in burst[: reads - written]:
                seqs[device] = seqs.get(device, 0) + 1
                at = t0 + timedelta(seconds=written // 4)
                event = {"device": device, "seq": seqs[device], "code": code, "kind": kind,
                         "at": at.isoformat() + "+07:00"}
                if location:
                    event["location"] = location
                out.write(json.dumps(event) + "\n")
                written += 1


def clocks() -> tuple[float, float]:
    """(wall, CPU of this process and its finished children) — CPU is steadier on a shared machine."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def since(start: tuple[float, float]) -> tuple[float, float]:
    now = clocks()
    return now[0] - start[0], now[1] - start[1]


def time_parse(path: Path) -> tuple[float, float]:
    start = clocks()
    with open(path, encoding="utf-8") as f:
        events = [json.loads(line) for line in f]
    assert events
    return since(start)


def time_raw(path: Path, work: Path) -> tuple[float, float]:
    """One executemany of the same rows into a bare table (parsing not timed)."""
    with open(path, encoding="utf-8") as f:
        rows = [(e["device"], e["seq"], e["code"], e["kind"], e["at"], e.get("location"), e.get("antenna"),
                 json.dumps(e["context"]) if "context" in e else None) for e in map(json.loads, f)]
    target = work / "raw.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE events (device TEXT, seq INTEGER, code TEXT, kind TEXT, at TEXT, "
                 "location TEXT, antenna INTEGER, context TEXT)")
    start = clocks()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    elapsed = since(start)
    conn.close()
    return elapsed


def time_store_floor(path: Path, base: Path, work: Path) -> tuple[float, float]:
    """(k): the reads, interpreted by a plain dict look-up (not timed), appended by one executemany
    into scan_events of a copy of the database, as Kho opens SQLite (WAL, foreign keys, its cache)."""
    target = work / "floor.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(base, target)
    conn = sqlite3.connect(target, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "cache_size=-65536"):
        conn.execute(f"PRAGMA {pragma}")
    boxes = dict(conn.execute("SELECT code, id FROM boxes"))
    places = dict(conn.execute("SELECT code, id FROM locations"))
    devices: dict[str, int] = {}
    rows, place = [], {}
    with open(path, encoding="utf-8") as f:
        for e in map(json.loads, f):
            device = devices.setdefault(e["device"], len(devices) + 1)
            code = e["code"]
            if code in places:
                place[device] = places[code]
            box = boxes.get(code)
            where = places.get(e.get("location", "")) or place.get(device)
            rows.append((device, e["seq"], code, e["kind"], e["at"][:19].replace("T", " ") + ".000000", 420,
                         e.get("location"), None, None, None, "box" if box else "place", box, None, where,
                         1 if box else 0))
    rows.sort(key=lambda r: (r[0], r[1]))
    conn.executemany("INSERT INTO devices (id, name, description, created_at) VALUES (?, ?, '', '2026-01-01')",
                     [(i, name) for name, i in devices.items()])
    marks = ", ".join("?" * 15)
    start = clocks()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO scan_events VALUES ({marks})", rows)
    conn.execute("COMMIT")
    elapsed = since(start)
    conn.close()
    return elapsed


def time_imports() -> tuple[float, float]:
    """(i): a bare interpreter importing Flask and SQLAlchemy's ORM."""
    start = clocks()
    subprocess.run([sys.executable, "-c", "import flask, sqlalchemy.orm"], check=True)
    return since(start)


def time_cli(args: list[str], url: str) -> tuple[tuple[float, float], dict | None]:
    env = dict(os.environ, KHO_DATABASE_URL=url)
    start = clocks()
    done = subprocess.run([*FLASK, *args], check=False, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = since(start)
    if done.returncode:
        sys.exit(f"bench: {' '.join(args)} failed: {done.stderr[-500:]}")
    return elapsed, (json.loads(done.stdout) if "--json" in args else None)


def fresh_pg(admin: str, base: Path, store_boxes: int, name: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    url = admin.rsplit("/", 1)[0] + "/" + name
    build_store(url, store_boxes)
    return url


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reads", type=int, default=200_000)
    ap.add_argument("--boxes", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pg", help="PostgreSQL URL (postgresql+psycopg://…/db) to also time ingest there")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kho-bench-") as tmp:
        work = Path(tmp)
        base = work / "base.db"
        store = build_store(f"sqlite:///{base}", a.boxes)
        reads = work / "reads.jsonl"
        write_reads(reads, store, a.reads)
        times: dict[str, list[tuple[float, float]]] = {"parse": [], "raw": [], "ingest": [], "startup": [],
                                                       "floor": [], "imports": [], "pg": []}
        answer = None
        for run in range(a.runs):
            times["parse"].append(time_parse(reads))
            times["raw"].append(time_raw(reads, work))
            target = work / f"run{run}.db"
            shutil.copy(base, target)
            elapsed, answer = time_cli(["scans", "ingest", str(reads), "--json"], f"sqlite:///{target}")
            times["ingest"].append(elapsed)
            times["startup"].append(time_cli(["scans", "--help"], f"sqlite:///{target}")[0])
            times["floor"].append(time_store_floor(reads, base, work))
            times["imports"].append(time_imports())
            if a.pg:
                url = fresh_pg(a.pg, base, a.boxes, f"kho_bench_{os.getpid()}")
                times["pg"].append(time_cli(["scans", "ingest", str(reads), "--json"], url)[0])
        report(a, times, answer)
    return 0


def report(a, times: dict, answer: dict | None) -> None:
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v))
           for k, v in times.items() if v}
    raw = med["raw"]
    print(f"{a.reads:,} reads, {a.boxes:,} boxes, median of {a.runs} runs (SQLite {sqlite3.sqlite_version}); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'step':<50}{'wall s':>8}{'reads/s':>10}{'vs raw':>8}{'CPU s':>8}{'vs raw':>8}")
    rows = [("(a) parse the JSONL (json.loads per line)", med["parse"]),
            ("(b) raw sqlite3 executemany into a bare table", raw),
            ("(a)+(b) parse, then raw executemany", tuple(p + r for p, r in zip(med["parse"], raw))),
            ("(c) flask scans ingest, end to end (SQLite)", med["ingest"]),
            ("(s) of which flask start-up (scans --help)", med["startup"]),
            ("(k) floor: executemany into Kho's scan_events", med["floor"]),
            ("(i) floor: python importing flask + sqlalchemy", med["imports"]),
            ("(k)+(i)+(a) floor of any pipeline like (c)",
             tuple(k + i + p for k, i, p in zip(med["floor"], med["imports"], med["parse"])))]
    if "pg" in med:
        rows.append(("(c) flask scans ingest, end to end (PostgreSQL)", med["pg"]))
    for name, (wall, cpu) in rows:
        print(f"{name:<50}{wall:>8.2f}{a.reads / wall:>10,.0f}{raw[0] / wall:>7.2f}x{cpu:>8.2f}{raw[1] / cpu:>7.2f}x")
    if answer:
        print(f"ingest answered: accepted {answer['accepted']}, duplicates {answer['duplicates']}, "
              f"refused {len(answer['refused'])}, sightings {answer['sightings']}, "
              f"unknown codes {len(answer['unknown'])}")


if __name__ == "__main__":
    sys.exit(main())
