"""Errors the core raises; faces turn them into messages (the text names the offending value)."""


class KhoError(Exception):
    """Base of Kho's own errors."""


class Refused(KhoError):
    """The request breaks a rule; nothing was changed."""


class NotFound(KhoError):
    """A named thing does not exist."""


class ImportRefused(Refused):
    """An import file had errors; `errors` lists each with its row and column."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        first = errors[0] if errors else {}
        super().__init__(f"{len(errors)} error(s); first: row {first.get('row')}, "
                         f"column {first.get('column')}: {first.get('error')}")


def N_(message: str) -> str:
    """Mark a msgid for extraction; the core has no locale, the face translates it."""
    return message


def explained(cls: type[KhoError], msgid: str, /, **values) -> KhoError:
    """An error whose text a face can translate: `msgid` has %(name)s fields filled from `values`."""
    error = cls(msgid % values if values else msgid)
    error.msgid, error.values = msgid, values  # type: ignore[attr-defined]
    return error


def refused(msgid: str, /, **values) -> KhoError:
    """A translatable Refused: the request breaks a rule, nothing changed."""
    return explained(Refused, msgid, **values)


def not_found(msgid: str, /, **values) -> KhoError:
    """A translatable NotFound naming what was looked for."""
    return explained(NotFound, msgid, **values)
