"""Scanner drivers, one module per kind of device, chosen by URL like pyserial's serial_for_url.

Each driver has `url`, `status` (a Status), `finite` (whether it ends by itself) and
`scans(stop)`, which yields plain Scan values until `stop` (a threading.Event) is set.
A leaf: nothing here imports Kho's core or faces."""

from __future__ import annotations

from scanner.file import FileDriver
from scanner.scan import Scan, Status, UrlError
from scanner.serial import SerialDriver
from scanner.sim import SimDriver

SCHEMES = {"serial": SerialDriver, "file": FileDriver, "sim": SimDriver}

__all__ = ["SCHEMES", "Scan", "Status", "UrlError", "open_driver"]


def open_driver(url: str):
    """The driver a URL names (its options checked); it connects when its scans are read."""
    scheme = url.split(":", 1)[0] if ":" in url else ""
    if scheme not in SCHEMES:
        raise UrlError(f"{url!r}: unknown kind of scanner {scheme!r} (known: {', '.join(SCHEMES)})")
    return SCHEMES[scheme](url)
