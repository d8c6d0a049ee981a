"""Label settings from plain values (config.toml's LABEL_* keys) and writing labels where they go: a
PDF sheet or a ZPL file, or ZPL straight to a network printer."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from labels import pdf, zpl
from labels.model import Label, LabelError
from labels.templates import Template, templates

DEFAULT_TEMPLATE = "a4-3x8"
DEFAULT_THERMAL = "thermal-100x50"


@dataclass(frozen=True)
class Settings:
    templates: dict[str, Template]
    template: str = DEFAULT_TEMPLATE  # for sheets
    thermal: str = DEFAULT_THERMAL  # for one label at a time on a thermal printer
    printer: str = ""  # HOST:PORT of the thermal printer, if any
    dpi: int = 203
    font: str = ""  # a font stored on the printer, e.g. E:DEJAVU.TTF
    rfid: bool = False  # the printer encodes RFID tags

    def get(self, name: str | None, default: str | None = None) -> Template:
        """A template by name (the default sheet template when none is named)."""
        name = name or default or self.template
        if name not in self.templates:
            raise LabelError(f"no label template {name!r}: one of {', '.join(sorted(self.templates))}")
        return self.templates[name]


def settings(table: Mapping | None) -> Settings:
    """Settings from a table of TEMPLATE, THERMAL_TEMPLATE, PRINTER, PRINTER_DPI, PRINTER_FONT,
    PRINTER_RFID and TEMPLATES (a list of templates.parse tables); what it leaves out takes the defaults."""
    table = dict(table or {})
    found = Settings(templates(table.pop("TEMPLATES", None)), str(table.pop("TEMPLATE", DEFAULT_TEMPLATE)),
                     str(table.pop("THERMAL_TEMPLATE", DEFAULT_THERMAL)), str(table.pop("PRINTER", "")),
                     int(table.pop("PRINTER_DPI", 203)), str(table.pop("PRINTER_FONT", "")),
                     bool(table.pop("PRINTER_RFID", False)))
    if table:
        raise LabelError(f"unknown label setting(s) {', '.join(sorted(table))}")
    if found.dpi not in zpl.DPIS:
        raise LabelError(f"PRINTER_DPI {found.dpi} is not one of {', '.join(map(str, zpl.DPIS))}")
    found.get(found.template)
    found.get(found.thermal)
    return found


def settings_from(config: Mapping, prefix: str = "LABEL_") -> Settings:
    """Settings from an app's configuration: its keys that start with `prefix` (LABEL_PRINTER …)."""
    return settings({key[len(prefix):]: value for key, value in config.items() if key.startswith(prefix)})


def write(items: Sequence[Label], template: Template, output: str, path: str | Path | None = None,
          printer: str = "", dpi: int = 203, font: str = "", rfid: bool = False,
          progress: Callable[[int, int], None] | None = None) -> int:
    """Render `items` as `output` ("pdf" or "zpl") to a file at `path`, or (ZPL) to `printer`; bytes written."""
    if output == "pdf":
        if path is None:
            raise LabelError("a PDF needs a file to be written to")
        pdf.render(items, template, str(path), total=len(items), progress=progress)
        return Path(path).stat().st_size
    if output != "zpl":
        raise LabelError(f"unknown output {output!r}: pdf or zpl")
    data = zpl.render(items, template, dpi, font, rfid, total=len(items), progress=progress)
    if printer:
        return zpl.send(data, printer)
    if path is None:
        raise LabelError("ZPL needs a file or a printer")
    Path(path).write_bytes(data)
    return len(data)
