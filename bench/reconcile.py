"""Bench: reconciling a handover list of N boxes against N observed boxes, beside a raw SQL read of the same rows.

usage: .venv/bin/python bench/reconcile.py [--sizes 10000,100000,1000000] [--runs 3]

For each size N, builds a SQLite database (Kho's schema; rows put in with raw executemany): one fonds of
N boxes on 1,000 shelves with ~1.1 N files, a closed stock-take with one result per box (found,
misplaced, missing, unlocated), one sighting with a place per located box, and a handover list of ~N
boxes (2 % of the register's boxes left off, 2 % unknown to the register, 1 % with a wrong file count).
Then times in the same run, each `--runs` times (median shown):
  (a) raw: the rows the stock-take reconciliation reads (listed boxes, the fonds' boxes with their
      homes and file counts, the stock-take's results with their places, shelves → racks), read by
      plain sqlite3 with fetchall — the floor;
  (b) `reconcile_list(session, id, stocktake)`: the same reads through SQLAlchemy, then the pure
      classification, the JSON document built;
  (p) of which the pure classification alone, on rows already read;
  (c) raw: the rows of (a) with the last-known places (latest sighting with a place per box, a window
      query) instead of the stock-take's results, by sqlite3;
  (d) `reconcile_list(session, id)` against the last-known places.
Times are seconds, wall / CPU of this process (CPU is the steadier on a shared machine); µs per box
of CPU. Linear means µs per box stays flat as N grows."""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHELVES_PER_RACK, RACKS = 5, 200
NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC).isoformat(" ")

RAW_STOCKTAKE = [
    "SELECT number, code, location, files FROM handover_boxes WHERE handover_id = 1 ORDER BY number",
    ("SELECT b.id, b.code, f.code, b.number, l.code, coalesce(n.n, 0), b.retired_at IS NOT NULL FROM boxes b "
     "JOIN fonds f ON f.id = b.fonds_id LEFT JOIN locations l ON l.id = b.home_id "
     "LEFT JOIN (SELECT box_id, count(*) AS n FROM files WHERE fonds_id = 1 GROUP BY box_id) n ON n.box_id = b.id "
     "WHERE b.fonds_id = 1 ORDER BY b.number"),
    ("SELECT r.box_id, r.outcome, l.code FROM stocktake_results r LEFT JOIN locations l ON l.id = r.found_id "
     "WHERE r.stocktake_id = 1 AND r.box_id IS NOT NULL AND r.outcome != 'unexpected'"),
    "SELECT s.code, g.code FROM locations s JOIN locations g ON g.id = s.parent_id WHERE g.kind = 'gia'",
]
RAW_LAST_KNOWN = [  # the same rows without a stock-take: the last sighting with a place replaces its results
    RAW_STOCKTAKE[0], RAW_STOCKTAKE[1], RAW_STOCKTAKE[3],
    ("SELECT r.box_id, l.code FROM (SELECT e.box_id, e.place_id, row_number() OVER (PARTITION BY e.box_id "
     "ORDER BY e.at DESC, d.name DESC, e.seq DESC) AS n FROM scan_events e JOIN devices d ON d.id = e.device_id "
     "WHERE e.box_id IN (SELECT id FROM boxes WHERE fonds_id = 1 UNION SELECT b.id FROM boxes b "
     "JOIN handover_boxes h ON h.code = b.code WHERE h.handover_id = 1) AND e.sighting AND e.place_id IS NOT NULL) r "
     "JOIN locations l ON l.id = r.place_id WHERE r.n = 1"),
]


def build(path: Path, n: int) -> None:
    """Kho's schema, then the rows through raw executemany (building is not what is timed)."""
    from warehouse.db import Database
    from warehouse.models import Base

    database = Database(f"sqlite:///{path}")
    Base.metadata.create_all(database.engine)
    database.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("BEGIN")
    shelves = _locations(conn)
    conn.executemany("INSERT INTO agencies (id, name, name_key, status, decision, created_at) VALUES (?,?,?,?,?,?)",
                     [(1, "Sở A", "so a", "active", "", NOW), (2, "Sở B", "so b", "active", "", NOW)])
    conn.execute("INSERT INTO fonds (id, code, name, name_key, agency_id, closing_decision, note, created_at) "
                 "VALUES (1, 'P001', 'Phông A', 'phong a', 1, '', '', ?)", (NOW,))
    home = {b: shelves[b % len(shelves)] for b in range(1, n + 1)}
    conn.executemany("INSERT INTO boxes (id, code, fonds_id, number, home_id, condition, condition_note, "
                     "created_at) VALUES (?, ?, 1, ?, ?, 'good', '', ?)",
                     ((b, f"P001-H{b:04d}", b, home[b], NOW) for b in range(1, n + 1)))
    files = [(b, b) for b in range(1, n + 1)] + [(n + b, b) for b in range(10, n + 1, 10)]
    conn.executemany("INSERT INTO files (fonds_id, catalogue, box_id, number, file_code, title, title_key, "
                     "retention, access, completed, note) VALUES (1, 1, ?, ?, '', 'Hồ sơ', 'ho so', '', '', 1, '')",
                     ((box, str(number)) for number, box in files))
    _observed(conn, n, home, shelves)
    _listed(conn, n)
    conn.execute("COMMIT")
    conn.close()


def _locations(conn) -> list[int]:
    rows, shelves, next_id = [(1, "K01", "kho", None, "/K01/")], [], 2
    for r in range(RACKS):
        rack = (next_id, f"K01-G{r:03d}", "gia", 1, "/")
        rows.append(rack)
        next_id += 1
        for s in range(SHELVES_PER_RACK):
            rows.append((next_id, f"K01-G{r:03d}-N{s}", "ngan", rack[0], "/"))
            shelves.append(next_id)
            next_id += 1
    conn.executemany("INSERT INTO locations (id, code, name, name_key, kind, parent_id, path) "
                     "VALUES (?, ?, 'x', 'x', ?, ?, ?)", rows)
    return shelves


def outcome(b: int) -> str:
    return "missing" if b % 25 == 0 else "unlocated" if b % 50 == 1 else "misplaced" if b % 25 == 7 else "found"


def _observed(conn, n: int, home: dict[int, int], shelves: list[int]) -> None:
    """A closed stock-take of the fonds, and one sighting with a place for each box it located."""
    conn.execute("INSERT INTO stocktakes (id, fonds_id, blind, state, note, expected, opened_at, opened_by) "
                 "VALUES (1, 1, 0, 'closed', '', ?, ?, 'bench')", (n, NOW))
    conn.execute("INSERT INTO devices (id, name, description, created_at) VALUES (1, 'HH-01', '', ?)",
                 (NOW,))
    place = {b: home[b] if outcome(b) == "found" else shelves[(b + 7) % len(shelves)]
             for b in range(1, n + 1) if outcome(b) in ("found", "misplaced")}
    conn.executemany("INSERT INTO stocktake_results (stocktake_id, outcome, box_id, code, expected_id, found_id) "
                     "VALUES (1, ?, ?, ?, ?, ?)",
                     ((outcome(b), b, f"P001-H{b:04d}", home[b], place.get(b)) for b in range(1, n + 1)))
    conn.executemany("INSERT INTO scan_events (device_id, seq, code, kind, at, at_offset, reading, box_id, "
                     "place_id, sighting) VALUES (1, ?, ?, 'barcode', ?, 420, 'box', ?, ?, 1)",
                     ((b, f"P001-H{b:04d}", NOW, b, p) for b, p in place.items()))


def _listed(conn, n: int) -> None:
    conn.execute("INSERT INTO handovers (id, fonds_id, giver_id, receiver_id, giver_person, receiver_person, note, "
                 "state, filename, sha256, rows, boxes, created_at, created_by) "
                 "VALUES (1, 1, 1, 2, '', '', '', 'draft', 'bench', '', ?, ?, ?, 'bench')", (n, n, NOW))
    numbers = [b for b in range(1, n + 1) if b % 50 != 3] + [n + k for k in range(1, n // 50 + 1)]
    conn.executemany("INSERT INTO handover_boxes (handover_id, number, files, row) VALUES (1, ?, ?, ?)",
                     ((b, (2 if b % 10 == 0 else 1) + (b % 100 == 11), i) for i, b in enumerate(numbers, 2)))


def median_time(work, runs: int) -> tuple[tuple[float, float], object]:
    """((wall s, CPU s) medians, the last answer): CPU time is the steadier on a shared machine."""
    walls, cpus, answer = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        answer = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return (statistics.median(walls), statistics.median(cpus)), answer


def measure(path: Path, runs: int) -> dict:
    from warehouse.db import Database
    from warehouse.handover import reconcile as rec
    from warehouse.models import Handover

    raw = sqlite3.connect(path)
    database = Database(f"sqlite:///{path}")
    out = {}
    out["raw"], _ = median_time(lambda: [raw.execute(q).fetchall() for q in RAW_STOCKTAKE], runs)
    with database.reading() as s:
        out["kho"], doc = median_time(lambda: rec.reconcile_list(s, 1, 1), runs)
        handover = s.get(Handover, 1)
        listed, register = rec.listed_boxes(s, 1), rec.register_boxes(s, handover)
        located, counted = rec.stocktake_places(s, 1)
        racks = rec.racks(s)
        out["pure"], _ = median_time(lambda: rec.reconcile("P001", listed, register, located, racks, counted), runs)
        out["raw_last"], _ = median_time(lambda: [raw.execute(q).fetchall() for q in RAW_LAST_KNOWN], runs)
        out["kho_last"], last = median_time(lambda: rec.reconcile_list(s, 1), runs)
    database.dispose()
    raw.close()
    out["summary"], out["summary_last"] = doc["summary"], last["summary"]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    print(f"median of {a.runs} runs, SQLite {sqlite3.sqlite_version}, {RACKS * SHELVES_PER_RACK} shelves; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; seconds as wall / CPU")
    print(f"{'N boxes':>9} {'(a) raw read':>14} {'(b) reconcile':>14} {'b/a CPU':>8} {'µs/box':>7} "
          f"{'(p) pure':>12} {'(c) raw read':>14} {'(d) reconcile':>14} {'d/c CPU':>8} {'µs/box':>7}")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="kho-bench-") as tmp:
            path = Path(tmp) / "bench.db"
            build(path, n)
            m = measure(path, a.runs)
        pair = {key: f"{m[key][0]:>6.2f} / {m[key][1]:<5.2f}" for key in ("raw", "kho", "pure", "raw_last", "kho_last")}
        print(f"{n:>9,} {pair['raw']:>14} {pair['kho']:>14} {m['kho'][1] / m['raw'][1]:>7.1f}x "
              f"{1e6 * m['kho'][1] / n:>7.1f} {pair['pure']:>12} {pair['raw_last']:>14} {pair['kho_last']:>14} "
              f"{m['kho_last'][1] / m['raw_last'][1]:>7.1f}x {1e6 * m['kho_last'][1] / n:>7.1f}")
        print(f"{'':>9} against the stock-take: {m['summary']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
