"""Reading spreadsheet files as people save them: UTF-8 (with or without a
BOM) or Windows-1252, ``;`` or ``,``, streamed line by line so a large file
never sits in memory."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from typing import IO

from api.i18n import _

SAMPLE = 64 * 1024
# What the partner space accepts in one upload (the command line has no limit).
UPLOAD_MAX_BYTES = 10 * 1024 * 1024
# A cell a spreadsheet would run: "=SUM(…)", "@cmd", "+A1", "-A1+…"; a phone
# number (+33 …) or a negative number is not one.
_FORMULA = re.compile(r"^\s*(=|@|[+\-]\s*[^\d\s(])")
# Our own exports prefix such cells with a quote: read back, it goes.
_QUOTED = re.compile(r"^'(?=[=+\-@])")


class FileError(ValueError):
    """The whole file cannot be read: nothing is imported."""


def _encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in sample:  # UTF-16 and other wide encodings
        raise FileError(_("Le fichier n’est ni en UTF-8 ni en Windows-1252."))
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if error.start >= len(sample) - 3:  # a character cut by the sample's end
            return "utf-8"
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError as error:
        raise FileError(
            _("Le fichier n’est ni en UTF-8 ni en Windows-1252.")
        ) from error
    return "cp1252"


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def open_csv(raw: IO[bytes]) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The column names (trimmed, lower-cased) and an iterator of (line
    number, {column: cell}) for each row after the header. FileError when
    the file cannot be decoded: at once, or at the line where it stops being
    so (the rows before it were read)."""
    buffered = raw if hasattr(raw, "peek") else io.BufferedReader(raw, SAMPLE)  # type: ignore[arg-type]
    sample = buffered.peek(SAMPLE)[:SAMPLE]  # type: ignore[attr-defined]
    encoding = _encoding(sample)
    text = io.TextIOWrapper(buffered, encoding=encoding, newline="")  # type: ignore[arg-type]
    try:
        first = text.readline()
    except UnicodeDecodeError as error:
        raise FileError(
            _("Le fichier n’est ni en UTF-8 ni en Windows-1252.")
        ) from error
    if not first.strip():
        raise FileError(_("Le fichier est vide."))
    delimiter = _delimiter(first)
    header = next(csv.reader([first], delimiter=delimiter))
    columns = [name.strip().lstrip("\ufeff").lower() for name in header]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for cells in reader:
                if any(cell.strip() for cell in cells):
                    yield reader.line_num + 1, dict(zip(columns, cells, strict=False))
        except UnicodeDecodeError as error:
            raise FileError(
                _("Le fichier n’est ni en UTF-8 ni en Windows-1252.")
            ) from error
        except csv.Error as error:
            raise FileError(
                _("Le fichier n’est pas un CSV lisible (ligne %(line)s).")
                % {"line": reader.line_num + 1}
            ) from error

    return columns, rows()


def cell(value: str | None) -> str | None:
    """A trimmed cell, None when empty; a quote our exports put before a
    formula-like text goes."""
    if value is None:
        return None
    value = _QUOTED.sub("", value.strip())
    return value or None


def is_formula(value: str) -> bool:
    return bool(_FORMULA.match(value))
