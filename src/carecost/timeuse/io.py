"""Reading time-use tables from CSV, Parquet, Stata (.dta) and SPSS (.sav) files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .survey import TimeUseError

READERS = {".csv": "csv", ".txt": "csv", ".dat": "csv", ".parquet": "parquet", ".pq": "parquet",
           ".dta": "stata", ".sav": "spss", ".zsav": "spss"}


def read_table(path: str | Path, *, columns: list[str] | None = None, labels: bool = False
               ) -> pd.DataFrame:
    """Read a data file by its extension; labelled Stata/SPSS values stay codes.

    Parameters
    ----------
    path
        ``.csv``/``.dat``/``.txt`` (comma-separated with a header), ``.parquet``,
        ``.dta`` (Stata) or ``.sav``/``.zsav`` (SPSS).  Stata and SPSS files are
        read with pyreadstat (install the ``stata`` extra).
    columns
        Read only these columns (an error names any that are missing).
    labels
        ``False`` (default): labelled values are kept as their **codes**
        (an activity coded 18 stays 18, not "food preparation, cooking",
        which no crosswalk could classify); the value labels are kept in
        ``df.attrs["value_labels"]`` (``{column: {code: label}}``).
        ``True``: labelled values become pandas categoricals of their labels.

    Returns
    -------
    pandas.DataFrame
    """
    p = Path(path)
    if not p.exists():
        raise TimeUseError(f"{p}: file not found")
    kind = READERS.get(p.suffix.lower())
    if kind is None:
        raise TimeUseError(f"{p}: unknown file type {p.suffix!r}; carecost reads "
                           f"{sorted(READERS)}")
    if kind == "csv":
        df = pd.read_csv(p)
    elif kind == "parquet":
        df = pd.read_parquet(p)
    else:
        try:
            import pyreadstat
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise TimeUseError("reading Stata/SPSS files needs pyreadstat: "
                               "pip install 'carecost[stata]'") from err
        reader = pyreadstat.read_dta if kind == "stata" else pyreadstat.read_sav
        df, meta = reader(str(p), apply_value_formats=labels, formats_as_category=labels)
        value_labels = {col: dict(meta.value_labels[name])
                        for col, name in meta.variable_to_label.items()
                        if name in meta.value_labels}
        df.attrs["value_labels"] = value_labels
    if columns is not None:
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise TimeUseError(f"{p}: columns {missing} not found (file has "
                               f"{list(df.columns)[:15]})")
        df = df[columns]
    return df
