"""Errors a user can act on: what went wrong and what to do next."""


class UserError(Exception):
    """A problem caused by input or setup, reported as one line with a hint, never a traceback."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()
