"""Driver URLs `scheme:target?name=value&…`: the options a driver knows, each checked by name."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import unquote

from scanner.scan import UrlError

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class Query:
    """The options of one URL; an option the driver does not know is refused by its name."""

    def __init__(self, url: str, scheme: str, known: Iterable[str]):
        prefix = scheme + ":"
        if not url.startswith(prefix):
            raise UrlError(f"{url!r} is not a {scheme}: URL")
        self.url = url
        self.target, _, query = url[len(prefix):].partition("?")
        self.options: dict[str, str] = {}
        for pair in filter(None, query.split("&")):
            name, sep, value = pair.partition("=")
            name = unquote(name)
            if not sep:
                raise UrlError(f"{url}: option {name!r} needs a value (name=value)")
            if name in self.options:
                raise UrlError(f"{url}: option {name!r} is given twice")
            self.options[name] = unquote(value)
        known = sorted(known)
        for name in self.options:
            if name not in known:
                raise UrlError(f"{url}: unknown option {name!r} (known: {', '.join(known)})")

    def _bad(self, name: str, why: str) -> UrlError:
        return UrlError(f"{self.url}: option {name}={self.options[name]!r}: {why}")

    def text(self, name: str, default: str | None = None) -> str | None:
        return self.options.get(name, default)

    def integer(self, name: str, default: int | None, low: int | None = None,
                high: int | None = None) -> int | None:
        if name not in self.options:
            return default
        try:
            value = int(self.options[name])
        except ValueError:
            raise self._bad(name, "not a whole number") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise self._bad(name, f"must be between {low} and {high}")
        return value

    def number(self, name: str, default: float, low: float = 0.0) -> float:
        if name not in self.options:
            return default
        try:
            value = float(self.options[name])
        except ValueError:
            raise self._bad(name, "not a number") from None
        if not value >= low or value == float("inf"):
            raise self._bad(name, f"must be a finite number of at least {low}")
        return value

    def choice(self, name: str, default: str, choices: Iterable[str]) -> str:
        """One of `choices`, matched case-insensitively."""
        choices = list(choices)
        value = self.options.get(name, default)
        for choice in choices:
            if value.upper() == choice.upper():
                return choice
        raise self._bad(name, f"one of {', '.join(choices)}")

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.options.get(name)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise self._bad(name, "1 or 0")
