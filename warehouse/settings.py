"""Settings from config.toml, each overridable by a KHO_<KEY> environment variable."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def config_path() -> Path:
    """The config file: KHO_CONFIG, else config.toml beside app.py."""
    return Path(os.environ.get("KHO_CONFIG") or ROOT / "config.toml")


def _coerce(raw: str, current: object) -> object:
    """Read an environment value as the type of the setting it overrides."""
    if isinstance(current, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, float):
        return float(raw)
    if isinstance(current, (list, dict)):
        return json.loads(raw)
    return raw


def load(path: Path | None = None, environ: Mapping[str, str] | None = None) -> dict:
    """Settings from the file, then KHO_ overrides; relative SQLite paths are taken from ROOT."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    with open(path or config_path(), "rb") as f:
        settings = {k: v for k, v in tomllib.load(f).items() if k.isupper()}
    for key, raw in env.items():
        if key.startswith("KHO_") and key not in ("KHO_CONFIG",):
            name = key[4:]
            settings[name] = _coerce(raw, settings.get(name, ""))
    settings["DATABASE_URL"] = absolute_sqlite(settings["DATABASE_URL"])
    return settings


def absolute_sqlite(url: str) -> str:
    """`sqlite:///instance/kho.db` is relative to the project, not to the working directory."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != prefix + ":memory:":
        return prefix + str(ROOT / url[len(prefix):])
    return url


@lru_cache(maxsize=1)
def _configured() -> dict:
    return load()


def of_session(session, key: str, default):
    """A setting as the running app was configured (warehouse.db.Database puts the app's settings on
    every session as info["kho_settings"]), else as config.toml and KHO_ variables say."""
    given: Mapping = session.info.get("kho_settings") or _configured()
    return given.get(key, default)
