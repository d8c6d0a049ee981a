"""sim: a demo stream, as if someone walked the shelves with a handheld scanner.

    sim://?rate=2&seed=1
    sim://?codes=shelves.txt&count=500

A round reads a shelf label, then the boxes on that shelf (now and then one is skipped, one from
another shelf turns up, or a code nobody knows), then moves to the next shelf, and starts over.
Options (unknown ones are refused by name):
    rate=2          reads per second on average (the gaps vary, as a person's do)
    seed=           the same seed gives the same codes in the same order
    count=0         end after this many reads (0: never end)
    codes=FILE      one shelf per line: its label, then its boxes (`K01-P01-D01-G01-N01 P012-H0001 …`)
    fonds=P012      without codes=: the demo store's shelves K01-P01-D01-G01-N01… hold `boxes`
    boxes=180       boxes of `fonds`, numbered {fonds}-H0001…, 10 to a shelf
    unknown=0.03    share of reads that are codes nobody knows
    misplaced=0.02  share of box reads that are a box from another shelf"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from scanner.scan import Scan, Status, UrlError
from scanner.url import Query

KNOWN = ("rate", "seed", "count", "codes", "fonds", "boxes", "unknown", "misplaced")
PER_SHELF = 10


def demo_shelves(fonds: str, boxes: int) -> list[tuple[str, list[str]]]:
    """The demo store's shelves in walking order, `boxes` boxes of `fonds` ten to a shelf."""
    labels = [f"K01-P{r:02d}-D{d:02d}-G{g:02d}-N{n:02d}"
              for r in range(1, 3) for d in range(1, 3) for g in range(1, 4) for n in range(1, 6)]
    codes = [f"{fonds}-H{b:04d}" for b in range(1, boxes + 1)]
    shelves = [codes[i:i + PER_SHELF] for i in range(0, len(codes), PER_SHELF)]
    labels += [f"K01-X{i:03d}" for i in range(len(labels), len(shelves))]  # more boxes than shelves
    return [(label, shelves[i] if i < len(shelves) else []) for i, label in enumerate(labels)]


def read_shelves(url: str, path: Path) -> list[tuple[str, list[str]]]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as e:
        raise UrlError(f"{url}: cannot read codes file {path}: {e}") from None
    shelves = [(codes[0], codes[1:]) for codes in (line.replace(",", " ").split() for line in lines)
               if codes and not codes[0].startswith("#")]
    if not shelves:
        raise UrlError(f"{url}: codes file {path} names no shelf")
    return shelves


def round_of(shelves: list[tuple[str, list[str]]], rng: random.Random, unknown: float,
             misplaced: float) -> Iterator[str]:
    """One walk over every shelf: its label, then (mostly) its boxes."""
    every_box = [box for _label, boxes in shelves for box in boxes]
    for label, boxes in shelves:
        yield label
        for box in boxes:
            if rng.random() < unknown:
                legacy = f"LT-{rng.randint(1975, 2004)}-{rng.randint(1, 999):04d}"
                yield rng.choice([f"X{rng.randint(0, 99999):05d}", legacy])
            if rng.random() < misplaced and every_box:
                yield rng.choice(every_box)
            if rng.random() >= 0.05:  # one box in twenty is not on its shelf today
                yield box


class SimDriver:
    """Endless (or `count` long) reads of realistic codes, at `rate` per second."""

    def __init__(self, url: str):
        q = Query(url, "sim", KNOWN)
        if q.target.strip("/"):
            raise UrlError(f"{url}: a sim: URL names no device; write sim://?rate=2")
        self.url = url
        self.rate = q.number("rate", 2.0, 0.001)
        self.seed = q.integer("seed", None)
        self.count = q.integer("count", 0, 0)
        self.unknown = q.number("unknown", 0.03)
        self.misplaced = q.number("misplaced", 0.02)
        path = q.text("codes")
        self.shelves = (read_shelves(url, Path(path)) if path
                        else demo_shelves(q.text("fonds", "P012"), q.integer("boxes", 180, 0)))
        self.finite = bool(self.count)
        self.status = Status()

    def scans(self, stop: threading.Event) -> Iterator[Scan]:
        """Reads until `count` is reached or `stop` is set."""
        rng = random.Random(self.seed)
        self.status.connected()
        made = 0
        while not stop.is_set():
            for code in round_of(self.shelves, rng, self.unknown, self.misplaced):
                if stop.wait(rng.expovariate(self.rate)):
                    break
                yield Scan(code, "barcode", datetime.now().astimezone())
                made += 1
                if made == self.count:
                    self.status.disconnected()
                    return
        self.status.disconnected()
