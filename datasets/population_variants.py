"""Recipe: ``population_variants.parquet``, WPP 2019 low and high variants as ratios to medium.

Source: UN World Population Prospects 2019, file ``wpp2019/population_5y.parquet`` of the shared
data (source (b) of its README: GitHub cran/wpp2019 1.1-1, commit a1693cc4, files
``pop{F,M}proj{Low,Med,High}.txt``, the August 2019 revision of WPP 2019).  Only the rows of the
201 countries (``iso3`` not null) for the 5-year steps 2025–2060 are kept.

One row per country × sex × 5-year age group (``age_start`` 0, 5, …, 95 and 100 = 100 and over)
× year, with ``low_to_medium`` = low / medium and ``high_to_medium`` = high / medium, both
computed in float64 from the integer persons (the WPP thousands, three decimals, × 1000, exact).
A group whose medium population is 0 has 0 in low and high as well (checked) and gets ratio 1.
In WPP 2019 the low and high variants differ from the medium only by fertility (half a child
fewer or more per woman), so the ratios differ from 1 only for people born after mid-2020.

``carecost.countries.population(iso3, years, variant="low")`` multiplies the medium single-age
population (``population.parquet``, source (a)) by the ratio of its group, and rounds to
persons with :func:`numpy.rint` (half to even).  Between the steps the ratio is interpolated
linearly in time along the birth cohort (the group holding the cohort at the earlier step, 2020
with ratio 1 being the common base of every variant, and at the later step; a cohort born after
the earlier step takes the later step's ratio).
:func:`check` verifies here, against the sources, that the group sums of that product reproduce
the low and high 5-year populations of (b) at the 5-year steps to the rounding (at most 0.5
person per single age of the group), except where (a) and (b) are different revisions of the
medium variant (India and the United Arab Emirates from 2055, ``../shared/data/README.md``):
there the product follows (a)'s medium and differs from (b)'s low/high by (b)'s ratio times the
revision gap; :func:`check` requires those cells to be exactly IND and ARE in 2055 and 2060.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ._common import source, write_parquet

FIRST_STEP, LAST_STEP = 2025, 2060
BASE_YEAR = 2020
SOURCE_FILE = "wpp2019/population_5y.parquet"
SINGLE_AGE_FILE = "wpp2019/population_single_age.parquet"
#: the cells where sources (a) and (b) are different revisions of the medium variant
REVISED = {("ARE", 2055), ("ARE", 2060), ("IND", 2055), ("IND", 2060)}
SCHEMA = pa.schema([
    ("iso3", pa.string()),
    ("year", pa.int16()),
    ("sex", pa.string()),
    ("age_start", pa.int16()),
    ("low_to_medium", pa.float64()),
    ("high_to_medium", pa.float64()),
])
OUTPUTS = ("population_variants.parquet",)
KEY = ["iso3", "year", "sex", "age_start"]


def _persons(thousands: pd.Series) -> np.ndarray:
    """WPP thousands (three decimals) as integer persons; raise if that is not exact."""
    t = thousands.to_numpy(dtype=float)
    p = np.round(t * 1000.0)
    if not np.array_equal(p / 1000.0, t):
        raise ValueError("WPP 5-year population has more than three decimals")
    return p


def groups() -> pd.DataFrame:
    """The 5-year groups of (b), one row per key, with ``medium``, ``low``, ``high`` persons."""
    raw = pd.read_parquet(
        source(SOURCE_FILE),
        columns=["iso3", "year", "sex", "age_start", "population_thousands", "variant"],
        filters=[("year", ">=", FIRST_STEP), ("year", "<=", LAST_STEP),
                 ("variant", "in", ["low", "medium", "high"])])
    raw = raw[raw["iso3"].notna()]
    raw = raw.assign(iso3=raw["iso3"].astype(str), sex=raw["sex"].astype(str),
                     variant=raw["variant"].astype(str),
                     persons=_persons(raw["population_thousands"]))
    wide = raw.pivot_table(index=KEY, columns="variant", values="persons", aggfunc="count")
    if not (wide.to_numpy() == 1).all():
        raise ValueError("population_5y: a country x year x sex x group lacks a variant or has "
                         "it twice")
    wide = raw.pivot(index=KEY, columns="variant", values="persons").reset_index()
    n_iso = wide["iso3"].nunique()
    expected = n_iso * 8 * 2 * 21
    if n_iso != 201 or len(wide) != expected:
        raise ValueError(f"population_5y: {n_iso} countries, {len(wide)} rows; expected 201 "
                         f"countries and {201 * 8 * 2 * 21} rows")
    return wide.sort_values(KEY, kind="mergesort", ignore_index=True)


def frame() -> pd.DataFrame:
    """The shipped table, sorted by iso3, year, sex and age_start."""
    g = groups()
    med = g["medium"].to_numpy(dtype=float)
    zero = med == 0.0
    if (g.loc[zero, ["low", "high"]].to_numpy() != 0.0).any():
        raise ValueError("a group with no medium-variant population has low or high persons: "
                         "its ratio is undefined")
    safe = np.where(zero, 1.0, med)
    out = pd.DataFrame({
        "iso3": g["iso3"].to_numpy(),
        "year": g["year"].to_numpy().astype(np.int16),
        "sex": g["sex"].to_numpy(),
        "age_start": g["age_start"].to_numpy().astype(np.int16),
        "low_to_medium": np.where(zero, 1.0, g["low"].to_numpy(dtype=float) / safe),
        "high_to_medium": np.where(zero, 1.0, g["high"].to_numpy(dtype=float) / safe),
    })
    return out


def apply_ratios(medium: np.ndarray, ratio: np.ndarray) -> np.ndarray:
    """Persons of a variant: ``rint(medium × ratio)`` (the rule of carecost.countries)."""
    return np.rint(medium * ratio)


def check(ratios: pd.DataFrame | None = None) -> dict[str, float]:
    """Verify that the ratios applied to the single ages of (a) give back (b) low and high.

    For every country, 5-year step, sex and group, the single-age medium population of (a) is
    multiplied by the group's ratio and rounded with :func:`apply_ratios`; the sum over the
    ages of the group must equal (b)'s low (high) persons within 0.5 × (number of single ages
    in the group) persons (plus 1e-6 for floating point), except in :data:`REVISED`.

    Returns
    -------
    dict
        ``max_abs_diff_persons`` (outside :data:`REVISED`), ``cells`` checked, and
        ``revised_max_abs_diff_persons`` / ``revised_max_rel_diff`` (IND and ARE, 2055–2060).

    Raises
    ------
    ValueError
        When a cell outside :data:`REVISED` differs by more than the rounding, or the cells
        where (a) and (b) medium differ by more than 0.5 person are not exactly
        :data:`REVISED`.
    """
    ratios = frame() if ratios is None else ratios
    g = groups()
    single = pd.read_parquet(
        source(SINGLE_AGE_FILE),
        columns=["iso3", "geo_type", "year", "age", "sex", "population_thousands"],
        filters=[("geo_type", "==", "country"), ("year", "in", list(range(FIRST_STEP,
                                                                           LAST_STEP + 1, 5)))])
    single = single.assign(iso3=single["iso3"].astype(str), sex=single["sex"].astype(str),
                           age_start=(np.minimum(single["age"].to_numpy(), 100) // 5 * 5),
                           medium=_persons(single["population_thousands"]))
    single = single.merge(ratios, on=KEY, how="left", validate="many_to_one")
    if single["low_to_medium"].isna().any():
        raise ValueError("a single-age row of (a) has no ratio")
    single["low"] = apply_ratios(single["medium"].to_numpy(), single["low_to_medium"].to_numpy())
    single["high"] = apply_ratios(single["medium"].to_numpy(),
                                  single["high_to_medium"].to_numpy())
    single["n_ages"] = 1
    got = single.groupby(KEY, as_index=False)[["medium", "low", "high", "n_ages"]].sum()
    both = g.merge(got, on=KEY, suffixes=("_b", "_a"), validate="one_to_one")
    if len(both) != len(g):
        raise ValueError("(a) and (b) do not cover the same country x year x sex x group cells")
    gap = (both["medium_a"] - both["medium_b"]).abs()
    revised = set(zip(both.loc[gap > 0.5, "iso3"], both.loc[gap > 0.5, "year"], strict=True))
    if revised != REVISED:
        raise ValueError(f"(a) and (b) medium differ in {sorted(revised)}, expected "
                         f"{sorted(REVISED)}")
    in_rev = np.array([(i, int(y)) in REVISED for i, y in zip(both["iso3"], both["year"],
                                                             strict=True)])
    tol = 0.5 * both["n_ages"].to_numpy() + 1e-6
    worst = 0.0
    rev_abs = rev_rel = 0.0
    for v in ("low", "high"):
        diff = (both[f"{v}_a"] - both[f"{v}_b"]).abs().to_numpy()
        bad = (~in_rev) & (diff > tol)
        if bad.any():
            rows = both.loc[bad, [*KEY, f"{v}_a", f"{v}_b"]].head()
            raise ValueError(f"{v} variant not reproduced to the rounding:\n{rows}")
        worst = max(worst, float(diff[~in_rev].max()))
        rev_abs = max(rev_abs, float(diff[in_rev].max()))
        b = both[f"{v}_b"].to_numpy()[in_rev]
        rev_rel = max(rev_rel, float(np.max(diff[in_rev] / np.where(b > 0, b, 1.0))))
    return {"cells": float(len(both)), "max_abs_diff_persons": worst,
            "revised_max_abs_diff_persons": rev_abs, "revised_max_rel_diff": rev_rel}


def build(out_dir: Path) -> list[Path]:
    """Write ``population_variants.parquet`` into ``out_dir`` (after :func:`check`)."""
    df = frame()
    check(df)
    return [write_parquet(df, out_dir / OUTPUTS[0], SCHEMA)]
