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
