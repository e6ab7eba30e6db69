"""Recipe: ``population.parquet``, single-year population 2000–2060 by sex and age, 201 countries.

Source: UN World Population Prospects 2019, file ``wpp2019/population_single_age.parquet`` of the
shared data (source (a) of its README: open-numbers/ddf--unpop--wpp_population at commit
2eee2208, the original June 2019 release).  Only the rows of countries (``geo_type`` =
``country``) for 2000–2060 are kept.  That file holds the estimates (1950–2020) and the medium
variant (2021–2100); no other variant exists at single ages, so every year after 2020, the last
estimate year, is the medium-variant projection (``variant`` = ``medium``).

The only transformation: the population in thousands, given with three decimals, is stored as an
integer number of persons (``round(thousands × 1000)``).  It is exact: dividing the stored value by
1000 gives back the source double for every row (checked here and in tests/test_datasets.py).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ._common import source, write_parquet

FIRST_YEAR, LAST_YEAR = 2000, 2060
LAST_ESTIMATE_YEAR = 2020
SOURCE_FILE = "wpp2019/population_single_age.parquet"
SCHEMA = pa.schema([
    ("iso3", pa.string()),
    ("year", pa.int16()),
    ("sex", pa.string()),
    ("age", pa.int16()),
    ("population", pa.int32()),
    ("variant", pa.string()),
])
OUTPUTS = ("population.parquet",)


def frame() -> pd.DataFrame:
    """The shipped table, sorted by iso3, year, sex and age."""
    raw = pd.read_parquet(
        source(SOURCE_FILE),
        columns=["iso3", "geo_type", "year", "age", "sex", "population_thousands", "variant"],
        filters=[("geo_type", "==", "country"), ("year", ">=", FIRST_YEAR),
                 ("year", "<=", LAST_YEAR)])
    if raw["iso3"].isna().any():
        raise ValueError("a country row of the WPP file has no ISO3 code")
    thousands = raw["population_thousands"].to_numpy(dtype=float)
    persons = np.round(thousands * 1000.0)
    if not np.array_equal(persons / 1000.0, thousands):
        raise ValueError("WPP population has more than three decimals: storing persons is lossy")
    variant = raw["variant"].astype(str).to_numpy()
    year = raw["year"].to_numpy()
    if not (np.all(variant[year <= LAST_ESTIMATE_YEAR] == "estimate")
            and np.all(variant[year > LAST_ESTIMATE_YEAR] == "medium")):
        raise ValueError("WPP variants are not estimate up to 2020 and medium after")
    out = pd.DataFrame({
        "iso3": raw["iso3"].astype(str).to_numpy(),
        "year": year.astype(np.int16),
        "sex": raw["sex"].astype(str).to_numpy(),
        "age": raw["age"].to_numpy().astype(np.int16),
        "population": persons.astype(np.int32),
        "variant": variant,
    })
    return out.sort_values(["iso3", "year", "sex", "age"], kind="mergesort",
                           ignore_index=True)


def build(out_dir: Path) -> list[Path]:
    """Write ``population.parquet`` into ``out_dir``."""
    return [write_parquet(frame(), out_dir / OUTPUTS[0], SCHEMA)]
