"""Type stub of the C extension _sheetscan (see _sheetscan.c and fastsheet.py)."""

from collections.abc import Callable
from typing import Any

class ScanError(ValueError):
    """The sheet uses something the scanner does not read as calamine does."""

class Scanner:
    """Parses the rows of <sheetData> into slices of at most `limit` rows; with `strip`, every
    str value ``v`` is given as ``v.strip() or None``."""

    def __init__(
        self,
        strings: list[str],
        kinds: bytes,
        date1904: bool,
        iso: Callable[[str], Any],
        limit: int,
        strip: bool = False,
    ) -> None: ...
    @property
    def count(self) -> int:
        """Rows in the current slice."""

    @property
    def done(self) -> bool:
        """True once </sheetData> was reached."""

    def feed(self, buffer: bytes, pos: int, /) -> int:
        """Parse the complete rows of buffer[pos:]; return the first position not parsed."""

    def take(self) -> tuple[list[int], list[list[Any]]]:
        """The rows parsed so far, column by column (missing cells None); starts a new slice."""

def shared_strings(buffer: bytes, pos: int, out: list[str], /) -> int:
    """Append the text of every complete <si> of buffer[pos:] to out; return the first position
    not parsed."""
