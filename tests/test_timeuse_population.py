"""SDG 5.4.1 population (ages 15+ by default) and the ATUS diary-day age (TEAGE).

Before issue 18, sdg_541 counted every respondent (children's diaries included) and the official
ATUS reader took the CPS age PRTAGE (2-5 months before the diary day) where BLS tabulates TEAGE.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carecost.timeuse import TimeUseError, from_persons, read_atus, sdg_541

FIXTURE = Path(__file__).parent / "fixtures" / "atus_official"


def _survey(ages: list[float]):
    n = len(ages)
    df = pd.DataFrame({"id": range(n), "w": 1.0, "sex": (["female", "male"] * n)[:n],
                       "age": ages, "care": [144.0 * (i + 1) for i in range(n)]})
    return from_persons(df, activities=["care"], units="minutes_per_day", weights="w",
                        unpaid_care=["care"])


def test_default_population_is_15_plus_and_younger_respondents_are_excluded_with_a_warning():
    s = _survey([10, 12, 15, 40, 70, 90])
    with pytest.warns(UserWarning, match=r"2 respondents are younger than 15 .*ages 15\+"):
        res = sdg_541(s, by=None)
    # care minutes of the 15+ (ids 2-5): 432, 576, 720, 864 -> mean 648 = 45% of 1,440
    assert res["estimate"].iloc[0] == pytest.approx(45.0)
    assert res["population"].iloc[0] == "ages 15+" and res["n"].iloc[0] == 4
    every = sdg_541(s, by=None, population=None)
    assert every["estimate"].iloc[0] == pytest.approx(100 * np.mean([144.0 * k for k in
                                                                      range(1, 7)]) / 1440)
    assert every["population"].iloc[0] == "all respondents"


def test_other_populations_and_no_warning_when_nobody_is_younger() -> None:
    s = _survey([15, 18, 40, 70])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r15 = sdg_541(s, by=None)
        r18 = sdg_541(s, by=None, population="18+")  # explicit adult population: no warning
    assert r15["n"].iloc[0] == 4
    assert r18["n"].iloc[0] == 3 and r18["population"].iloc[0] == "ages 18+"
    r = sdg_541(s, by=None, population="15-64")
    assert r["n"].iloc[0] == 3 and r["population"].iloc[0] == "ages 15-64"
    assert sdg_541(s, by=None, population=(18, 40))["n"].iloc[0] == 2


def test_population_errors() -> None:
    s = _survey([15, 18, 40, 70])
    with pytest.raises(TimeUseError, match="population must be like"):
        sdg_541(s, population="adults")
    with pytest.raises(TimeUseError, match="the lowest age is above the highest"):
        sdg_541(s, population=(64, 15))
    with pytest.raises(TimeUseError, match=r"column 'years' is not in the data; pass age="):
        sdg_541(s, age="years")
    bad = _survey([15, 18, 40, 70])
    bad.persons["age"] = ["15-24", "15-24", "25-44", "65+"]
    with pytest.raises(TimeUseError, match="is not numeric"):
        sdg_541(from_persons(bad.persons.drop(columns=["unpaid_care_work", "diary_minutes"]),
                             activities=["care"], units="minutes_per_day", weights="w",
                             unpaid_care=["care"]))
    nan = _survey([15, np.nan, 40, 70])
    with pytest.raises(TimeUseError, match="1 respondents have no age"):
        sdg_541(nan)


def test_official_atus_reader_prefers_the_diary_day_age(tmp_path: Path) -> None:
    before = read_atus(FIXTURE)
    assert "age: PRTAGE" in before.source
    d = tmp_path / "atus"
    shutil.copytree(FIXTURE, d)
    cps = pd.read_csv(d / "atuscps_0316.dat")
    # the ATUS roster file: TEAGE = age on the diary day (here one year above the CPS age)
    rost = cps[["TUCASEID", "TULINENO", "PRTAGE"]].rename(columns={"PRTAGE": "TEAGE"})
    rost["TEAGE"] = rost["TEAGE"] + 1
    rost.to_csv(d / "atusrost_0316.dat", index=False)
    after = read_atus(d)
    assert "age: TEAGE" in after.source
    np.testing.assert_array_equal(after.persons["age"], before.persons["age"] + 1)
    # TEAGE in the respondent file (as in some extracts) is used as well
    resp = pd.read_csv(d / "atusresp_0316.dat").merge(
        rost[rost["TULINENO"] == 1][["TUCASEID", "TEAGE"]], on="TUCASEID")
    (d / "atusrost_0316.dat").unlink()
    resp.to_csv(d / "atusresp_0316.dat", index=False)
    np.testing.assert_array_equal(read_atus(d).persons["age"], before.persons["age"] + 1)


def test_official_atus_reader_builds_household_children_and_employment(tmp_path: Path) -> None:
    """The official respondent file's TRCHILDNUM/TRYHHCHILD (household children under 18, age of
    the youngest) and TELFS/TRDPFTPT (labour force status, full/part time) give the BLS Table 8
    groups; without them the columns are simply absent."""
    from carecost.timeuse import household_children

    assert "household_children" not in read_atus(FIXTURE).persons.columns
    d = tmp_path / "atus"
    shutil.copytree(FIXTURE, d)
    resp = pd.read_csv(d / "atusresp_0316.dat")
    n = len(resp)
    resp["TRCHILDNUM"] = [0, 2][:n] + [1] * max(0, n - 2)
    resp["TRYHHCHILD"] = [-1, 4][:n] + [12] * max(0, n - 2)
    resp["TELFS"] = [5, 1][:n] + [2] * max(0, n - 2)
    resp["TRDPFTPT"] = [-1, 2][:n] + [1] * max(0, n - 2)
    resp.to_csv(d / "atusresp_0316.dat", index=False)
    p = read_atus(d).persons
    assert p["household_children"].tolist()[:2] == ["none", "under 6"]
    assert p["employment"].tolist()[:2] == ["not employed", "employed part time"]
    assert p["employed"].tolist()[:2] == [False, True]
    np.testing.assert_array_equal(household_children([False, True, True], [-1, 5, 6]),
                                  ["none", "under 6", "6-17"])
    with pytest.raises(TimeUseError, match="1 respondents with household children have no age"):
        household_children([True, False], [np.nan, np.nan])
    with pytest.raises(TimeUseError, match="1 respondents with household children have no age"):
        household_children([True], [18])
