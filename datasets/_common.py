"""Shared helpers of the dataset recipes: where the sources are, and a deterministic writer."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from carecost.paths import shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
#: where the shipped files go (package data of carecost.countries)
PACKAGE_DATA = ROOT / "src" / "carecost" / "countries" / "data"
#: the Parquet settings of every shipped file (fixed, so that a rebuild gives the same bytes)
PARQUET_OPTIONS: dict[str, object] = {
    "compression": "zstd",
    "compression_level": 19,
    "write_statistics": False,
    "store_schema": False,
    "data_page_version": "1.0",
    "version": "2.6",
}


class SourceMissingError(FileNotFoundError):
    """A source file of a recipe is not in the shared data folder."""


def source(relpath: str) -> Path:
    """The path of one source file under the shared data folder.

    Raises
    ------
    SourceMissingError
        When the shared data folder or the file is absent (the message names both).
    """
    base = shared_data_dir([ROOT])
    path = (base / relpath) if base is not None else None
    if path is None or not path.is_file():
        raise SourceMissingError(
            f"source file {relpath!r} not found under the shared data folder {base}; set "
            "$CARECOST_SHARED_DATA to the folder holding the real public data (../shared/data)")
    return path


def write_parquet(df: pd.DataFrame, path: Path, schema: pa.Schema) -> Path:
    """Write ``df`` to ``path`` with a fixed schema, fixed compression and no metadata.

    Rows must already be sorted by the caller.  Column order and types follow ``schema``; the
    pandas and Arrow schema metadata (which would carry library versions) are not written, so
    the bytes depend only on the data and on the pyarrow version (recorded in
    ``datapackage.json`` as ``carecost:provenance.software.pyarrow``).
    """
    missing = [n for n in schema.names if n not in df.columns]
    extra = [c for c in df.columns if c not in schema.names]
    if missing or extra:
        raise ValueError(f"{path.name}: columns missing {missing}, unexpected {extra}")
    table = pa.Table.from_pandas(df[schema.names], schema=schema, preserve_index=False)
    table = table.replace_schema_metadata(None)
    path.parent.mkdir(parents=True, exist_ok=True)
    strings = [f.name for f in schema if pa.types.is_string(f.type)]
    pq.write_table(table, path, use_dictionary=strings,  # type: ignore[arg-type]
                   **PARQUET_OPTIONS)
    return path
