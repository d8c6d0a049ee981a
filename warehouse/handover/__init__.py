"""Handovers (bàn giao): import the giving side's list, reconcile it against the shelves, and export
the register of a fonds in the official form of the mục lục hồ sơ (Nghị định 30/2020, Phụ lục V)."""
