"""Importing locations and registers (mục lục hồ sơ) from CSV or XLSX: all-or-nothing, set-based."""

from warehouse.importing.load_locations import import_locations, preview_locations
from warehouse.importing.load_register import import_register, preview_register

__all__ = ["import_locations", "import_register", "preview_locations", "preview_register"]
