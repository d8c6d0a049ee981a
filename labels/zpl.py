"""ZPL II for thermal printers (Zebra and compatibles), and sending it to one on TCP port 9100.

Each label is one ^XA … ^XZ format laid out like the PDF label (layout.compose on the printer's dot
grid): text fields in UTF-8 (^CI28) written as ^FH hex escapes so the stream itself is ASCII, a
Code128 (^BC) and a QR code (^BQ) that the printer draws, and for an RFID printer the EPC written to
the tag's EPC memory (^RS8 ^RFW,H,,,A: Gen 2, hex, the PC bits adjusted). Vietnamese needs a printer
font with its glyphs: `font` names one stored on the printer (e.g. E:DEJAVU.TTF, sent once with
font_download), else the printer's font 0 is used."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterable

from labels import fonts, layout
from labels.model import Label, LabelError
from labels.templates import Template

PORT = 9100
DPIS = (152, 203, 300, 600)
_PRINTER = re.compile(r"^(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[A-Za-z0-9.-]+))(?::(?P<port>\d{1,5}))?$")


def escape(text: str) -> str:
    """Field data for ^FH: ASCII as is; the UTF-8 bytes of anything else, and _ ^ ~, as _XX."""
    out = []
    for ch in text:
        if " " <= ch <= "}" and ch not in "_^~":
            out.append(ch)
        else:
            out.extend(f"_{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


def label(item: Label, template: Template, dpi: int = 203, font: str = "", rfid: bool = False) -> str:
    """One label as a ZPL format (^XA … ^XZ), sized to the template's label at `dpi`."""
    if dpi not in DPIS:
        raise LabelError(f"printer resolution {dpi} dpi is not one of {', '.join(map(str, DPIS))}")
    grid = 25.4 / dpi
    drawing = layout.compose(item, *template.label, grid=grid, qr_drawn=False)  # the printer draws it

    def dots(mm: float) -> int:
        return round(mm / grid)

    out = ["^XA", "^CI28", f"^PW{dots(drawing.width)}", f"^LL{dots(drawing.height)}", "^LH0,0"]
    for part in drawing.items:
        if isinstance(part, layout.Text):
            high = max(10, round(part.size * dpi / 72))
            face = f"^A@N,{high},{high},{font}" if font else f"^A0N,{high},{high}"
            out.append(f"^FO{dots(part.x)},{dots(part.baseline - 0.8 * part.size * fonts.PT)}{face}"
                       f"^FB{dots(part.width)},1,0,C,0^FH^FD{escape(part.text)}^FS")
        elif isinstance(part, layout.Bars):
            out.append(f"^FO{dots(part.x)},{dots(part.y)}^BY{dots(part.module)},3,{dots(part.height)}"
                       f"^BCN,{dots(part.height)},N,N,N,A^FD{item.code}^FS")
        else:
            out.append(f"^FO{dots(part.x)},{dots(part.y)}^BQN,2,{dots(part.module)}^FDMA,{item.code}^FS")
    if rfid:
        if item.epc is None:
            raise LabelError(f"{item.code} has no EPC to write to its RFID tag")
        out.append(f"^RS8^RFW,H,,,A^FD{item.epc}^FS")
    out.append("^XZ")
    return "\n".join(out) + "\n"


def render(labels: Iterable[Label], template: Template, dpi: int = 203, font: str = "", rfid: bool = False,
           total: int = 0, progress: Callable[[int, int], None] | None = None) -> bytes:
    """Every label's format, one after the other, as the bytes a printer receives."""
    chunks, count = [], 0
    for item in labels:
        chunks.append(label(item, template, dpi, font, rfid))
        count += 1
        if progress and count % 100 == 0:
            progress(count, total)
    if progress:
        progress(count, total or count)
    return "".join(chunks).encode("ascii")


def font_download(ttf: bytes, name: str = "E:DEJAVU.TTF") -> bytes:
    """~DY: store a TrueType font on the printer under `name` (drive:NAME.TTF), in hex."""
    found = re.fullmatch(r"([REBA]):([A-Z0-9_]{1,16})\.TTF", name.upper())
    if not found:
        raise LabelError(f"printer font name {name!r} must look like E:NAME.TTF")
    return f"~DY{found[1]}:{found[2]},A,T,{len(ttf)},,{ttf.hex().upper()}\n".encode("ascii")


def printer_address(value: str) -> tuple[str, int]:
    """(host, port) of "HOST", "HOST:PORT" or "[IPv6]:PORT"; port 9100 unless given."""
    found = _PRINTER.match((value or "").strip())
    port = int(found["port"]) if found and found["port"] else PORT
    if not found or not 0 < port < 65536:
        raise LabelError(f"printer {value!r} is not HOST or HOST:PORT")
    return found["v6"] or found["host"], port


def send(data: bytes, printer: str, timeout: float = 10.0) -> int:
    """Send raw bytes to a network printer (port 9100 by default); how many were sent."""
    host, port = printer_address(printer)
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            conn.sendall(data)
            conn.shutdown(socket.SHUT_WR)
    except OSError as e:
        raise LabelError(f"printer {host}:{port} did not take the labels: {e.strerror or e}") from e
    return len(data)
