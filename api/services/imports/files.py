"""An import from a path, as the command line runs it."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from sqlmodel import Session

from api.services.imports import csv_template, data_inclusion
from api.services.imports.reading import FileError
from api.services.imports.records import Batch, Rejection
from api.services.imports.runner import Options, Summary, run

Format = Literal["data-inclusion", "csv"]


def read_path(path: Path, format: Format, source: str | None) -> Batch:
    """Every record of the file(s); a file that cannot be read at all gives
    one rejection (line 0 when it failed before its first row) and no record."""
    try:
        if format == "data-inclusion":
            return data_inclusion.read_path(path, source)
        with path.open("rb") as raw:
            return csv_template.read(raw, source or path.stem)
    except FileError as error:
        batch = Batch()
        batch.rejected.append(Rejection(0, str(error)))
        return batch


def import_path(
    session: Session, path: Path, format: Format, source: str | None, options: Options
) -> Summary:
    """Read, write and commit; a file that cannot be read writes nothing."""
    batch = read_path(path, format, source)
    if batch.rejected and not (batch.services or batch.organizations):
        summary = Summary(rejected=batch.rejected)
        return summary
    summary = run(session, batch, options)
    session.commit()
    return summary
