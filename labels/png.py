"""One label as a PNG image (for previews on screen and printers that take images)."""

from __future__ import annotations

import io

from labels import fonts, layout, symbols
from labels.model import Label
from labels.templates import Template


def render(label: Label, template: Template, dpi: int = 300) -> bytes:
    """The label at `dpi` (300 by default: each module a whole number of pixels), black on white."""
    from PIL import Image, ImageDraw, ImageFont

    drawing = layout.compose(label, *template.label, grid=25.4 / dpi)
    px = dpi / 25.4
    image = Image.new("L", (round(drawing.width * px), round(drawing.height * px)), 255)
    pen = ImageDraw.Draw(image)
    faces: dict[tuple[bool, int], ImageFont.FreeTypeFont] = {}
    for item in drawing.items:
        if isinstance(item, layout.Text):
            size = max(1, round(item.size * dpi / 72))
            font = faces.get((item.bold, size)) or faces.setdefault(
                (item.bold, size), ImageFont.truetype(str(fonts.path(item.bold)), size))
            pen.text(((item.x + item.width / 2) * px, item.baseline * px), item.text, font=font, fill=0,
                     anchor="ms")
            continue
        x0, y0, step = round(item.x * px), round(item.y * px), round(item.module * px)
        rows = [item.modules] if isinstance(item, layout.Bars) else item.rows
        tall = round(item.height * px) if isinstance(item, layout.Bars) else step
        for r, row in enumerate(rows):
            for start, length in symbols.runs(row):
                pen.rectangle((x0 + start * step, y0 + r * tall, x0 + (start + length) * step - 1,
                               y0 + (r + 1) * tall - 1), fill=0)
    if template.outline:
        pen.rectangle((0, 0, image.width - 1, image.height - 1), outline=160)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()
