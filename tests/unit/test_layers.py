"""Three floors, arrows only downward: the core imports no face or leaf; leaves import nothing of Kho."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# package → top-level modules it must never import
FORBIDDEN = {
    "warehouse": {"flask", "web", "cli", "scanner", "labels", "app"},
    "scanner": {"warehouse", "web", "cli", "app"},
    "labels": {"warehouse", "web", "cli", "app"},
}


def imports_of(source: str, module: str) -> set[str]:
    """Absolute names of every module imported anywhere in `source` (inside functions too)."""
    package = module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            name = ".".join([*base, *([node.module] if node.module else [])])
            found.add(name)
            if not node.module:
                found.update(f"{name}.{alias.name}" for alias in node.names)
    return found


def breaks(imported: str, forbidden: set[str]) -> bool:
    top = imported.split(".")[0]
    return top in forbidden or (top.startswith("flask_") and "flask" in forbidden)


def _modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        if parts[-1] == "__init__":
            name += ".__init__"  # so that relative imports resolve against the package itself
        yield path, name


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_or_beside_it(package):
    wrong = [f"{path.relative_to(ROOT)} imports {name}"
             for path, module in _modules(package)
             for name in sorted(imports_of(path.read_text(encoding="utf-8"), module))
             if breaks(name, FORBIDDEN[package])]
    assert wrong == []


@pytest.mark.parametrize(("source", "module", "bad"), [
    ("import flask", "warehouse.boxes", True),
    ("from flask_babel import gettext", "warehouse.boxes", True),
    ("def f():\n    from web.access import can", "warehouse.boxes", True),
    ("import flask_login.utils", "warehouse.accounts", True),
    ("from web import nav", "warehouse.models.__init__", True),
    ("from labels.pdf import render", "warehouse.labels", True),
    ("from .. import labels", "warehouse.models.box", False),  # that is warehouse.labels
    ("import app", "warehouse.db", True),
    ("from warehouse.models import Box", "scanner.serial", True),
    ("from . import db", "warehouse.__init__", False),
    ("from .base import Base", "warehouse.models.box", False),
    ("import sqlalchemy, json", "warehouse.db", False),
    ("import flaskish", "warehouse.db", False),
    ("from . import sim", "scanner.__init__", False),
])
def test_the_import_check_tells_a_breach_from_a_legal_import(source, module, bad):
    package = module.split(".")[0]
    assert any(breaks(n, FORBIDDEN[package]) for n in imports_of(source, module)) is bad
