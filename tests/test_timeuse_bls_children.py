"""BLS ATUS Tables 8 and 9 (adults 18+ by presence and age of the youngest household child)
reproduced from the real ATUS 2003-2016 microdata in ../shared/data/atus_0316.

Published values: ``tests/reference/bls_table9_published.csv`` (Table 9, time spent caring for
household children, from The Economics Daily of 2 September 2011 -- 2006-10, both sexes, 18
cells to 0.01 h -- and from BLS text quoting Table 9 for 2004, 2008-12 and 2011-15).  No cell of
Table 8 for 2003-2016 could be retrieved here (only the table heads), so Table 8 is checked by
identities with Tables 1 and 9 on the same microdata, not against published cells.

Tolerance: half a unit in the last published digit (BLS rounds to 0.01 h; one-decimal figures in
the text were rounded from two-decimal ones, so they also get the first rounding's 0.005 h;
minutes get half a minute).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carecost.paths import shared_data_dir
from carecost.timeuse import (
    BLS_TABLE9_ROWS,
    TimeUseError,
    bls_table1,
    bls_table8,
    bls_table9,
    bls_table9_crosswalk,
    read_atus,
    weekend_or_holiday,
)

REF = Path(__file__).parent / "reference" / "bls_table9_published.csv"
ATUS = (shared_data_dir([Path(__file__).parent]) or Path("/nonexistent")) / "atus_0316"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not (ATUS / "atusact.parquet").exists(),
                       reason=f"real ATUS data not found at {ATUS} (set CARECOST_SHARED_DATA)"),
]

# The 3 of 18 two-decimal cells of 2006-10 that are off by one in the second decimal (by
# 0.0051-0.0061 h; all our values are above BLS's).  Likely cause: the abridged file's age is
# the CPS age (PRTAGE, 2-5 months before the diary day) where BLS selects adults 18+ by the
# diary-day age TEAGE, so 17-year-olds who turned 18 before their diary day are missing here;
# they do little childcare (with every 17-year-old included the three cells fall to 0.789,
# 0.143 and 0.070 h, on the other side of BLS).  Not resolvable without TEAGE.
OFF_BY_ONE = {("2006-2010", "under 6", "total", "all", "Physical care"),
              ("2006-2010", "6-17", "total", "all", "Physical care"),
              ("2006-2010", "6-17", "total", "all", "Attending children's events")}


@pytest.fixture(scope="module")
def atus():
    return read_atus(ATUS, crosswalk=bls_table9_crosswalk())


def _tolerance(published: str, unit: str) -> float:
    if unit == "minutes":
        return 0.5 / 60 + 1e-9
    d = len(published.split(".")[1]) if "." in published else 0
    return 0.5 * 10**-d + (0.005 if d == 1 else 0.0) + 1e-9


def test_table9_reproduces_the_published_cells(atus) -> None:
    pub = pd.read_csv(REF, dtype=str)
    assert len(pub) == 36
    weekend = weekend_or_holiday(atus.persons)
    cache: dict[tuple[str, str], pd.DataFrame] = {}
    matched, off = [], []
    for _, p in pub.iterrows():
        key = (p["years"], p["day_type"])
        if key not in cache:
            years = tuple(int(y) for y in p["years"].split("-"))
            days = {"all": None, "weekday": ~weekend, "weekend_holiday": weekend}[p["day_type"]]
            t = bls_table9(atus, years if len(years) == 2 else years[0],  # type: ignore[arg-type]
                           days=days)
            cache[key] = t.set_index(["household_children", "sex", "activity"])
        value = cache[key].loc[(p["household_children"], p["sex"], p["activity"]),
                               "hours_per_day"]
        published = float(p["published"]) / (60 if p["unit"] == "minutes" else 1)
        cell = (p["years"], p["household_children"], p["sex"], p["day_type"], p["activity"])
        if abs(value - published) <= _tolerance(p["published"], p["unit"]):
            matched.append(cell)
        else:
            off.append((cell, round(value, 4), p["published"]))
    # 33 of 36 published cells are reproduced to BLS's rounding; the other 3 are one unit off
    # in the second decimal (see OFF_BY_ONE)
    assert len(matched) == 33, off
    assert {c for c, _, _ in off} == OFF_BY_ONE
    for _, value, published in off:
        assert abs(value - float(published)) < 0.01


def test_table9_rows_partition_primary_childcare(atus) -> None:
    kinds = [r for r in BLS_TABLE9_ROWS if r != "Primary childcare"]
    np.testing.assert_allclose(atus.persons[kinds].sum(axis=1), atus.persons["Primary childcare"],
                               atol=1e-9)
    # primary childcare = Table 1 "Caring for and helping household children" + its travel
    np.testing.assert_allclose(
        atus.persons["Primary childcare"],
        atus.persons["Caring for and helping household children"]
        + atus.persons["Travel related to care of household children"], atol=1e-9)
    t = bls_table9(atus, (2006, 2010))
    assert set(t["household_children"]) == {"under 6", "6-17"}
    assert (t["population"] == "ages 18+").all()
    w = t.pivot_table(index=["household_children", "sex"], columns="activity",
                      values="hours_per_day")
    np.testing.assert_allclose(w[kinds].sum(axis=1), w["Primary childcare"], rtol=1e-12)
    # women do more primary childcare than men in both groups (BLS Table 9)
    assert (w.xs("women", level="sex")["Primary childcare"]
            > w.xs("men", level="sex")["Primary childcare"]).all()


def test_table8_agrees_with_tables_1_and_9_on_the_same_diaries(atus) -> None:
    t8 = bls_table8(atus, 2008).set_index(["household_children", "sex", "activity"])
    assert (t8["population"] == "ages 18+").all()
    assert set(t8.index.get_level_values(0)) == {"under 6", "6-17", "none"}
    t9 = bls_table9(atus, 2008).set_index(["household_children", "sex", "activity"])
    for kids in ("under 6", "6-17"):
        for sex in ("total", "men", "women"):
            assert t8.loc[(kids, sex, "Caring for and helping household children"),
                          "hours_per_day"] + t9.loc[
                (kids, sex, "Travel related to care of household children"),
                "hours_per_day"] == pytest.approx(
                t9.loc[(kids, sex, "Primary childcare"), "hours_per_day"], rel=1e-12)
    # persons without household children do (almost) no childcare
    none = t8.loc[("none", "total", "Caring for and helping household children"),
                  "hours_per_day"]
    assert none < 0.05 < t8.loc[("6-17", "total", "Caring for and helping household children"),
                                "hours_per_day"]
    # the three groups together are Table 1 for the population 18+
    adults = atus.persons["age"] >= 18
    t1 = bls_table1(atus, 2008, rows=["Household activities"],
                    days=adults.to_numpy()).set_index("sex")
    n = t8.xs(("total", "Household activities"), level=("sex", "activity"))["n"]
    h = t8.xs(("total", "Household activities"), level=("sex", "activity"))["hours_per_day"]
    p = atus.persons[(atus.persons["tuyear"] == 2008) & adults]
    share = p.groupby("household_children")["wt"].sum() / p["wt"].sum()
    assert n.sum() == t1.loc["total", "n"]
    assert (h * share.reindex(h.index)).sum() == pytest.approx(t1.loc["total", "hours_per_day"],
                                                               rel=1e-12)


def test_table8_employment_panels_partition_the_population(atus) -> None:
    whole = bls_table8(atus, 2016, rows=["Working and work-related activities"])
    panels = [bls_table8(atus, 2016, rows=["Working and work-related activities"],
                         employment=e) for e in ("full_time", "part_time", "not_employed")]
    emp = bls_table8(atus, 2016, rows=["Working and work-related activities"],
                     employment="employed")
    n = sum(pn.set_index(["household_children", "sex"])["n"] for pn in panels)
    # 'employed, hours unknown' does not occur in the abridged file: the panels partition it
    assert (n == whole.set_index(["household_children", "sex"])["n"]).all()
    ne = panels[2].set_index(["household_children", "sex"])["hours_per_day"]
    em = emp.set_index(["household_children", "sex"])["hours_per_day"]
    # the not employed (job search counts as work-related) work far less than the employed
    assert (ne < 0.25 * em).all() and (em > 2.5).all()
    with pytest.raises(TimeUseError, match="employment must be None or one of"):
        bls_table8(atus, 2016, employment="retired")
    with pytest.raises(TimeUseError, match="no diaries in 2020-2020"):
        bls_table8(atus, 2020)


def test_table9_needs_the_childcare_columns() -> None:
    persons = pd.DataFrame({"id": [1, 2], "wt": 1.0, "sex": ["female", "male"], "age": 30,
                            "tuyear": 2010, "household_children": ["under 6", "none"]})
    from carecost.timeuse import from_persons

    s = from_persons(persons.assign(a=10.0), activities=["a"], units="minutes_per_day",
                     weights="wt")
    with pytest.raises(TimeUseError, match="bls_table9_crosswalk"):
        bls_table9(s, 2010)
    bad = from_persons(persons.assign(a=10.0, household_children=["under 6", "some"]),
                       activities=["a"], units="minutes_per_day", weights="wt")
    with pytest.raises(TimeUseError, match=r"household_children has values \['some'\]"):
        bls_table8(bad, 2010, rows=["a"])
