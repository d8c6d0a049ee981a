"""Cutting a serial byte stream into codes: a frame ends on the suffix; noise is dropped and reported.

A scanner sends each code followed by its suffix (CR, LF, CR LF or TAB), but a read may carry half
a frame or several, and line noise adds bytes that no barcode holds. A code is printable ASCII;
anything else is dropped and reported, white space around a frame is ignored, an empty frame is
skipped. With no suffix (NONE), a pause in the stream ends the frame (see `flush`)."""

from __future__ import annotations

SUFFIXES = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n", "TAB": b"\t", "NONE": b""}
MAX_FRAME = 4096  # a frame this long without its suffix is noise, not a barcode
_EDGES = b" \t\r\n"


def clean(frame: bytes, prefix: str = "") -> tuple[str | None, str | None]:
    """The code a frame holds (None if none) and what was wrong with it (None if nothing)."""
    raw = frame.strip(_EDGES)
    printable = bytes(b for b in raw if 0x20 <= b <= 0x7E)
    code = printable.decode("ascii").strip()
    if prefix and code.startswith(prefix):
        code = code[len(prefix):]
    dropped = len(raw) - len(printable)
    error = None
    if dropped:
        error = (f"line noise: {dropped} byte(s) dropped from {raw!r}" if code
                 else f"line noise: frame {raw!r} holds no code")
    return code or None, error


class Framer:
    """Bytes in, codes out; keeps the unfinished frame between reads."""

    def __init__(self, suffix: str = "CR", prefix: str = ""):
        self.suffix_name = suffix
        self.suffix = SUFFIXES[suffix]
        self.prefix = prefix
        self.buffer = bytearray()

    def feed(self, data: bytes) -> tuple[list[str], list[str]]:
        """The codes that `data` completes, and the errors found on the way."""
        self.buffer += data
        codes: list[str] = []
        errors: list[str] = []
        if self.suffix:
            while (end := self.buffer.find(self.suffix)) >= 0:
                frame = bytes(self.buffer[:end])
                del self.buffer[:end + len(self.suffix)]
                self._take(frame, codes, errors)
        if len(self.buffer) > MAX_FRAME:
            errors.append(f"line noise: {len(self.buffer)} bytes without a {self.suffix_name} "
                          "suffix dropped")
            self.buffer.clear()
        return codes, errors

    def flush(self) -> tuple[list[str], list[str]]:
        """The stream paused: with no suffix the pending bytes are a frame; else they wait."""
        codes: list[str] = []
        errors: list[str] = []
        if not self.suffix and self.buffer:
            frame = bytes(self.buffer)
            self.buffer.clear()
            self._take(frame, codes, errors)
        return codes, errors

    def reset(self) -> str | None:
        """The device went away: an unfinished frame is lost (reported unless it was only blanks)."""
        left = bytes(self.buffer).strip(_EDGES)
        self.buffer.clear()
        return f"unfinished frame {left!r} dropped when the device went away" if left else None

    def _take(self, frame: bytes, codes: list[str], errors: list[str]) -> None:
        code, error = clean(frame, self.prefix)
        if code:
            codes.append(code)
        if error:
            errors.append(error)
