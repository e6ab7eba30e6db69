"""Lazy loading of the shipped country database (``carecost/countries/data/*.parquet``)."""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

FILES = ("countries", "population", "population_variants", "indicators", "io_flows",
         "io_industries")


@cache
def table(name: str) -> pd.DataFrame:
    """One shipped table, read once per process (callers must not modify it)."""
    if name not in FILES:
        raise KeyError(name)
    ref = resources.files("carecost.countries").joinpath("data", f"{name}.parquet")
    with resources.as_file(ref) as path:
        return pd.read_parquet(path)


@cache
def indicator_index() -> pd.DataFrame:
    """The indicator table indexed by (iso3, indicator, sex, category), sorted by year."""
    return table("indicators").set_index(["iso3", "indicator", "sex", "category"]).sort_index()
