"""Label templates: a page of label stock as a grid (sizes in millimetres), built in or from config.

A template's table in config (keys in upper case, as in config.toml's LABEL_TEMPLATES list):
    NAME = "my-a4-3x7"
    TITLE = "A4, 3 × 7, 63.5 × 38.1 mm"
    PAGE = "A4"            # or [width, height]; A4, A5, A6, LETTER
    LABEL = [63.5, 38.1]   # width, height
    GRID = [3, 7]          # columns, rows
    MARGINS = [7.25, 15.15]  # left, top (default: the grid centred on the page)
    GAPS = [2.5, 0]        # between columns, between rows
    FIELDS = ["name", "box", "files", "years", "retention"]   # what a box label shows, in order
    OUTLINE = false        # a hairline around each label (for plain paper)
A thermal roll is a one-label page: PAGE = LABEL, GRID = [1, 1]."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from labels.model import LabelError

PAGES = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "A6": (105.0, 148.0), "LETTER": (215.9, 279.4)}
DEFAULT_FIELDS = ("name", "box", "files", "years", "retention")
SLACK = 0.05  # mm a grid may overrun its page by (rounding of published stock sizes)


@dataclass(frozen=True)
class Template:
    name: str
    page: tuple[float, float]
    label: tuple[float, float]
    grid: tuple[int, int] = (1, 1)
    margins: tuple[float, float] | None = None
    gaps: tuple[float, float] = (0.0, 0.0)
    fields: tuple[str, ...] = DEFAULT_FIELDS
    outline: bool = False
    title: str = field(default="", compare=False)

    @property
    def per_page(self) -> int:
        return self.grid[0] * self.grid[1]

    @property
    def origin(self) -> tuple[float, float]:
        """Top-left corner of the first label: the margins, else the grid centred on the page."""
        if self.margins is not None:
            return self.margins
        used_w = self.grid[0] * self.label[0] + (self.grid[0] - 1) * self.gaps[0]
        used_h = self.grid[1] * self.label[1] + (self.grid[1] - 1) * self.gaps[1]
        return (self.page[0] - used_w) / 2, (self.page[1] - used_h) / 2

    def slot(self, index: int) -> tuple[float, float]:
        """Top-left corner (mm from the page's top-left) of the label at `index` on its page, row by row."""
        column, row = index % self.grid[0], (index // self.grid[0]) % self.grid[1]
        left, top = self.origin
        return left + column * (self.label[0] + self.gaps[0]), top + row * (self.label[1] + self.gaps[1])

    def check(self) -> Template:
        """Refuse a grid that does not fit its page, naming the template and the overrun."""
        if min(self.label) <= 0 or min(self.grid) < 1 or min(self.page) <= 0:
            raise LabelError(f"template {self.name}: sizes and grid must be positive")
        if min(self.gaps) < 0 or (self.margins is not None and min(self.margins) < 0):
            raise LabelError(f"template {self.name}: margins and gaps cannot be negative")
        left, top = self.origin
        right = left + self.grid[0] * self.label[0] + (self.grid[0] - 1) * self.gaps[0]
        bottom = top + self.grid[1] * self.label[1] + (self.grid[1] - 1) * self.gaps[1]
        if left < -SLACK or top < -SLACK or right > self.page[0] + SLACK or bottom > self.page[1] + SLACK:
            raise LabelError(f"template {self.name}: the grid spans {right:.2f} × {bottom:.2f} mm, "
                             f"more than its {self.page[0]:g} × {self.page[1]:g} mm page")
        return self


def _thermal(name: str, width: float, height: float) -> Template:
    return Template(name, (width, height), (width, height), title=f"{width:g} × {height:g} mm roll (thermal)")


BUILT_IN: dict[str, Template] = {t.name: t for t in (
    Template("a4-3x8", PAGES["A4"], (70.0, 37.0), (3, 8), (0.0, 0.5), title="A4, 3 × 8, 70 × 37 mm"),
    Template("a4-3x7", PAGES["A4"], (63.5, 38.1), (3, 7), (7.25, 15.15), (2.5, 0.0),
             title="A4, 3 × 7, 63.5 × 38.1 mm"),
    Template("a4-2x7", PAGES["A4"], (99.1, 38.1), (2, 7), (4.65, 15.15), (2.5, 0.0),
             title="A4, 2 × 7, 99.1 × 38.1 mm"),
    Template("a4-2x4", PAGES["A4"], (105.0, 74.0), (2, 4), (0.0, 0.5), title="A4, 2 × 4, 105 × 74 mm"),
    _thermal("thermal-100x50", 100.0, 50.0),
    _thermal("thermal-100x75", 100.0, 75.0),
)}


def _pair(name: str, table: Mapping, key: str, default=None) -> tuple[float, float] | None:
    value = table.get(key, default)
    if value is None:
        return None
    if isinstance(value, str):
        if key == "PAGE" and value.upper() in PAGES:
            return PAGES[value.upper()]
        raise LabelError(f"template {name}: {key} {value!r} is not one of {', '.join(PAGES)} or [width, height]")
    try:
        first, second = (float(v) for v in value)
    except (TypeError, ValueError):
        raise LabelError(f"template {name}: {key} must be two numbers, not {value!r}") from None
    return first, second


def parse(name: str, table: Mapping, base: Template | None = None) -> Template:
    """A template from a config table; keys it leaves out come from `base` (a built-in of that name)."""
    unknown = set(table) - {"NAME", "TITLE", "PAGE", "LABEL", "GRID", "MARGINS", "GAPS", "FIELDS", "OUTLINE"}
    if unknown:
        raise LabelError(f"template {name}: unknown key(s) {', '.join(sorted(unknown))}")
    label = _pair(name, table, "LABEL", base.label if base else None)
    if label is None:
        raise LabelError(f"template {name}: LABEL = [width, height] is required")
    page = _pair(name, table, "PAGE", base.page if base else label)
    grid = _pair(name, table, "GRID", base.grid if base else (1, 1))
    if grid is None or any(int(v) != v for v in grid):
        raise LabelError(f"template {name}: GRID must be two whole numbers [columns, rows]")
    fields = table.get("FIELDS", base.fields if base else DEFAULT_FIELDS)
    if isinstance(fields, str) or not all(isinstance(f, str) for f in fields):
        raise LabelError(f"template {name}: FIELDS must be a list of names")
    return Template(name, page or label, label, (int(grid[0]), int(grid[1])),
                    _pair(name, table, "MARGINS", base.margins if base else None),
                    _pair(name, table, "GAPS", base.gaps if base else (0.0, 0.0)) or (0.0, 0.0),
                    tuple(fields), bool(table.get("OUTLINE", base.outline if base else False)),
                    str(table.get("TITLE", base.title if base else name))).check()


def templates(tables: Iterable[Mapping] | Mapping[str, Mapping] | None = None) -> dict[str, Template]:
    """The built-in templates with those of config added or overriding them: a list of tables that
    each give their NAME, or tables by name."""
    pairs = tables.items() if isinstance(tables, Mapping) else ((t.get("NAME") if isinstance(t, Mapping) else None, t)
                                                                  for t in tables or ())
    found = dict(BUILT_IN)
    for name, table in pairs:
        if not isinstance(table, Mapping) or not isinstance(name, str) or not name.strip():
            raise LabelError(f"template {name or table!r}: expected a table of settings with a NAME")
        found[name.strip()] = parse(name.strip(), table, BUILT_IN.get(name.strip()))
    return found
