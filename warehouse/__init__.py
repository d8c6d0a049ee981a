"""Kho's core: what boxes, shelves, fonds and handovers are, the rules between them, and the
services that load, decide, save and audit. Knows nothing of Flask or of devices."""

__version__ = "0.1.0"
