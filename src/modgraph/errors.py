"""Errors that the command line reports as one clear message and a non-zero exit."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: a file that does not parse, a missing folder, an unknown parameter.

    ``location`` names the file (and line and column where known) or the parameter.
    """

    exit_code = 2

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message
