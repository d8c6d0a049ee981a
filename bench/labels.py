"""Bench: label sheets per second, beside baselines measured in the same run.

usage: .venv/bin/python bench/labels.py [--labels 10000] [--runs 3] [--template a4-3x8] [--db]

Times, each `--runs` times (median shown), for `--labels` box labels with realistic Vietnamese text:
  (g) an empty grid: the same number of A4 pages, nothing drawn (the floor of reportlab itself);
  (b) raw reportlab: the same pages with the same text drawn by drawString at fixed places, DejaVu
      embedded — no wrapping, no barcode, no QR (what any PDF of this text costs);
  (p) labels.pdf.render: the labels as Kho draws them (layout and fitting, Code128, QR);
  (z) labels.zpl.render: the same labels as ZPL for a thermal printer (thermal-100x50, 203 dpi);
  (c) with --db: `flask --app app labels pdf --fonds F --out …` end to end as a subprocess on a fresh
      SQLite database holding that many boxes (3 files each), start-up included.
Figures are labels per second in wall time and in CPU time (this process, or the subprocess for (c)):
on a shared machine the CPU figures are the steadier ones."""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AGENCIES = ["Trường Đại học Sư phạm Đà Nẵng", "Sở Tài nguyên và Môi trường tỉnh Quảng Ngãi",
            "Ủy ban nhân dân huyện Đức Phổ"]


def make_labels(n: int) -> list:
    from labels import Label

    return [Label(f"P012-H{i:05d}", (AGENCIES[i % 3], f"HỘP SỐ {i}",
                                     f"Từ hồ sơ số {3 * i - 2:03d} Đến hồ sơ số {3 * i:03d}",
                                     f"Thời gian: {1990 + i % 20} – {1995 + i % 20}",
                                     "Thời hạn bảo quản: Vĩnh viễn" if i % 4 else "Thời hạn bảo quản: 20 năm"),
                  (1,)) for i in range(1, n + 1)]


def timed(work, *args) -> tuple[float, float]:
    """(wall, CPU) seconds of work(*args) in this process."""
    wall, cpu = time.perf_counter(), time.process_time()
    work(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def empty_grid(items, template) -> None:
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO(), pagesize=(template.page[0] * mm, template.page[1] * mm))
    for _ in range(-(-len(items) // template.per_page)):
        canvas.showPage()
    canvas.save()


def raw_reportlab(items, template) -> None:
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from labels import fonts

    regular, bold = fonts.register()
    canvas = Canvas(io.BytesIO(), pagesize=(template.page[0] * mm, template.page[1] * mm), pageCompression=1)
    height = template.page[1] * mm
    for i, label in enumerate(items):
        if i and i % template.per_page == 0:
            canvas.showPage()
        left, top = template.slot(i % template.per_page)
        for k, line in enumerate((*label.lines, label.code)):
            canvas.setFont(bold if k in label.strong else regular, 7)
            canvas.drawString((left + 3) * mm, height - (top + 4 + 3.5 * k) * mm, line)
    canvas.showPage()
    canvas.save()


def kho_pdf(items, template) -> None:
    from labels import pdf

    pdf.render(items, template, io.BytesIO())


def kho_zpl(items, template) -> None:
    from labels import BUILT_IN, zpl

    zpl.render(items, BUILT_IN["thermal-100x50"])


def build_db(path: Path, n: int) -> str:
    """A SQLite database with one fonds of n boxes of 3 files each (Core inserts)."""
    from sqlalchemy import insert

    from warehouse import schema
    from warehouse.db import Database
    from warehouse.models import Agency, Box, File, Fonds

    url = f"sqlite:///{path}"
    db = Database(url)
    schema.upgrade(db.engine)
    with db.transaction() as s:
        s.execute(insert(Agency), [{"id": 1, "name": AGENCIES[0], "name_key": "a"}])
        s.execute(insert(Fonds), [{"id": 1, "code": "P012", "name": "Phông", "name_key": "phong", "agency_id": 1}])
        s.execute(insert(Box), [{"id": i, "code": f"P012-H{i:05d}", "fonds_id": 1, "number": i} for i in range(1, n + 1)])
        s.execute(insert(File), [{"fonds_id": 1, "catalogue": 1, "box_id": i, "position": 3 * i + k,
                                  "number": f"{3 * i + k:05d}", "title": "Hồ sơ", "title_key": "ho so",
                                  "start_date": date(1990 + i % 20, 1, 1), "end_date": date(1995 + i % 20, 1, 1),
                                  "retention": "Vĩnh viễn" if k else "20 năm"}
                                 for i in range(1, n + 1) for k in range(3)])
    db.dispose()
    return url


def end_to_end(url: str, out: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", "labels", "pdf", "--fonds", "P012",
                    "--out", str(out)], check=True, cwd=ROOT, env={**os.environ, "KHO_DATABASE_URL": url},
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--labels", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--template", default="a4-3x8")
    parser.add_argument("--db", action="store_true", help="also time `labels pdf` end to end on SQLite")
    args = parser.parse_args()
    from labels import BUILT_IN

    template, items = BUILT_IN[args.template], make_labels(args.labels)
    cases = {"g": ("empty page grid", empty_grid), "b": ("raw reportlab drawString", raw_reportlab),
             "p": ("Kho labels, PDF", kho_pdf), "z": ("Kho labels, ZPL", kho_zpl)}
    results: dict[str, list[tuple[float, float]]] = {k: [] for k in cases}
    with tempfile.TemporaryDirectory() as tmp:
        url = build_db(Path(tmp) / "kho.db", args.labels) if args.db else ""
        if url:
            results["c"] = []
        for _ in range(args.runs):
            for key, (_, work) in cases.items():
                results[key].append(timed(work, items, template))
            if url:
                results["c"].append(end_to_end(url, Path(tmp) / "out.pdf"))
    names = {**{k: v[0] for k, v in cases.items()}, "c": "flask labels pdf --fonds (end to end)"}
    base = {i: statistics.median(r[i] for r in results["b"]) for i in (0, 1)}
    print(f"{args.labels} labels, template {args.template}, median of {args.runs} run(s), "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'':44} {'wall s':>8} {'labels/s':>9} {'CPU s':>8} {'labels/s':>9} {'vs (b), CPU':>11}")
    for key, runs in results.items():
        wall, cpu = (statistics.median(r[i] for r in runs) for i in (0, 1))
        print(f"({key}) {names[key]:40} {wall:8.2f} {args.labels / wall:9.0f} {cpu:8.2f} "
              f"{args.labels / cpu:9.0f} {base[1] / cpu:10.2f}×")


if __name__ == "__main__":
    main()
