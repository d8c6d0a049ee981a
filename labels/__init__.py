"""Label renderers (a leaf: imports nothing of Kho). They get plain values — a Label with its code,
lines of text and optional EPC hex, and a Template (a grid of label stock) — and give PDF sheets
(labels.pdf), one label as PNG (labels.png) or ZPL for thermal and RFID printers (labels.zpl)."""

from labels.model import Label, LabelError
from labels.templates import BUILT_IN, Template, templates

__all__ = ["BUILT_IN", "Label", "LabelError", "Template", "templates"]
