"""Readers against published reference tables, on small synthetic diaries built to match them.

- Eurostat HETUS 2010 wave (tus_00age, time spent, all ages, minutes per day; 18 countries):
  10-minute slot diaries (a weekday and a Sunday per person, HETUS 2008 codes) whose weighted
  average day equals each country's published women's and men's figures, read through
  ``read_hetus``: the ICATUS 3 + 4 minutes and SDG 5.4.1 must come out as the published table
  implies, in every country.
- OECD Time Use Database (minutes per day, women and men, 33 countries): person tables in hours
  per week (as a stylised survey would give them) whose means are the published unpaid-work
  items, read through ``from_persons(..., units="hours_per_week")``.

Both are checks of the readers and of the SDG 5.4.1 arithmetic against real published numbers,
not estimates for those countries.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from carecost.paths import shared_data_dir
from carecost.timeuse import TimeUseError, from_persons, read_hetus, sdg_541

SHARED = shared_data_dir() or __import__("pathlib").Path("/nonexistent")
HETUS = SHARED / "hetus" / "tus_00age.parquet"
OECD = SHARED / "oecd_timeuse" / "oecd_time_use.parquet"
HETUS_2010 = ("AT", "BE", "DE", "EE", "EL", "ES", "FI", "FR", "HU", "IT", "LU", "NL", "NO",
              "PL", "RO", "RS", "TR", "UK")
CODES = ("AC3", "AC38A", "AC38B", "AC342", "AC938")


# ------------------------------------------------------------------ HETUS 2010
def _hetus(country: str) -> dict[str, dict[str, int]]:
    if not HETUS.exists():
        pytest.skip(f"{HETUS} not available (Eurostat HETUS aggregates)")
    h = pd.read_parquet(HETUS)
    h = h[(h["TIME_PERIOD"] == 2010) & (h["geo"] == country) & (h["unit"] == "TIME_SP")
          & (h["age"] == "TOTAL") & h["acl00"].isin(CODES)]
    assert not h["not_available"].any()
    v = h.set_index(["sex", "acl00"])["value_minutes"]
    return {s: {c: int(v[(s, c)]) for c in CODES} for s in ("F", "M")}


def _minutes(total: int, i: int, shift: int) -> int:
    """A multiple of 10 minutes for person i, so that 10 persons average ``total``: r of
    them (r = total mod 10) get 10 minutes more."""
    base, r = 10 * (total // 10), total % 10
    return base + 10 * (((i + shift) % 10) < r)


def _slot_diaries(pub: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Weekday and Sunday diaries that are equal per person (so 5/7 + 2/7 keeps the mean);
    10 persons per sex, so that each remainder r of 10 minutes is spread exactly."""
    rows = []
    for sx, (sex_code, first) in {"F": (2, 1), "M": (1, 101)}.items():
        p = pub[sx]
        other = p["AC3"] - p["AC38A"] - p["AC38B"] - p["AC342"]  # household care -> 311
        assert other >= 0
        for i in range(10):
            mins = {311: _minutes(other, i, 0), 381: _minutes(p["AC38A"], i, 1),
                    382: _minutes(p["AC38B"], i, 2), 342: _minutes(p["AC342"], i, 3),
                    938: _minutes(p["AC938"], i, 4)}
            slots = [c for c, m in mins.items() for _ in range(m // 10)]
            slots += [11] * (144 - len(slots))  # sleep fills the day
            for diary, day in ((1, 3), (2, 7)):  # a Wednesday and a Sunday
                rows.append({"PID": first + i, "DIARY": diary, "DIADAY": day, "SEX": sex_code,
                             "AGE": 20 + 5 * i, "WGHT": 1.0,
                             **{f"MACT{k + 1}": c for k, c in enumerate(slots)}})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("country", HETUS_2010)
def test_hetus_2010_slot_diaries_reproduce_every_country(country: str) -> None:
    pub = _hetus(country)
    s = read_hetus(_slot_diaries(pub))
    assert s.report.complete == s.report.persons == 40 and len(s.persons) == 20  # 2 diaries
    means = s.persons.groupby("sex")[["icatus_3", "icatus_4", "unpaid_care_work"]].mean()
    res = sdg_541(s).set_index("sex")
    for sx, name in (("F", "female"), ("M", "male")):
        p = pub[sx]
        care = p["AC38A"] + p["AC38B"] + p["AC938"]  # childcare + transporting a child
        # household and family care without tending domestic animals (ICATUS 2)
        domestic = p["AC3"] - p["AC38A"] - p["AC38B"] - p["AC342"]
        assert means.loc[name, "icatus_4"] == pytest.approx(care)
        assert means.loc[name, "icatus_3"] == pytest.approx(domestic)
        assert res.loc[name, "estimate"] == pytest.approx(100 * (domestic + care) / 1440)
    # women do more unpaid domestic and care work than men in every HETUS 2010 country
    assert res.loc["female", "estimate"] > res.loc["male", "estimate"]


def test_hetus_2010_range_across_countries() -> None:
    """The published table implies SDG 5.4.1 (AC3 - AC342 + AC938) for women of 14.2%
    (Netherlands, 205 minutes) to 20.1% (Italy, 290); for men of 3.5% (Turkey, 51) to 10.3%
    (Norway, 148)."""
    pct = {}
    for c in HETUS_2010:
        pub = _hetus(c)
        pct[c] = {sx: 100 * (p["AC3"] - p["AC342"] + p["AC938"]) / 1440
                  for sx, p in pub.items()}
    women = pd.Series({c: v["F"] for c, v in pct.items()})
    men = pd.Series({c: v["M"] for c, v in pct.items()})
    assert (women.idxmin(), women.idxmax(), men.idxmin(), men.idxmax()) == ("NL", "IT", "TR",
                                                                            "NO")
    assert women.min() == pytest.approx(100 * (198 - 1 + 8) / 1440)
    assert women.max() == pytest.approx(100 * (286 - 1 + 5) / 1440)
    assert men.min() == pytest.approx(100 * (53 - 3 + 1) / 1440)
    assert men.max() == pytest.approx(100 * (145 - 0 + 3) / 1440)


# ------------------------------------------------------------------ OECD time-use table
DOMESTIC = ["routine housework", "shopping", "travel related to household activities",
            "other unpaid"]
CARE = ["care for household members"]
# not SDG 5.4.1 here: volunteering (ICATUS 5) and care for non-household members (OECD does not
# split family members in other households, ICATUS 4, from other households, ICATUS 5)
NOT_541 = ["care for non household members", "volunteering"]


def _oecd() -> pd.DataFrame:
    if not OECD.exists():
        pytest.skip(f"{OECD} not available (OECD Time Use Database extract)")
    return pd.read_parquet(OECD)


def _oecd_persons(o: pd.DataFrame, country: str) -> tuple[pd.DataFrame, list[str], dict]:
    """Four women and four men per country, in hours per week, whose means are the published
    unpaid-work items; the rest of the 24-hour day is one column.  Blank (not available)
    items are left out, never read as 0."""
    rows, published = [], {}
    for sx, sex in (("women", "female"), ("men", "male")):
        v = o[(o["country"] == country) & (o["sex"] == sx) & (o["activity_level"] == 2)
              & (o["activity_group"] == "Unpaid work")].set_index("activity")["minutes_per_day"]
        v = v.dropna()
        published[sex] = v
        for k, delta in enumerate((-0.5, -0.2, 0.2, 0.5)):
            mins = v.copy()
            mins["routine housework"] *= 1 + delta  # the deltas cancel: the mean is published
            rows.append({"id": f"{sx}{k}", "w": 1.0, "sex": sex, "age": 30 + k,
                         **{a: m * 7 / 60 for a, m in mins.items()},
                         "rest of the day": (1440 - mins.sum()) * 7 / 60})
    df = pd.DataFrame(rows)
    acts = [c for c in df.columns if c not in ("id", "w", "sex", "age")]
    if df[acts].isna().any().any():
        pytest.skip(f"{country}: an unpaid-work item is blank for one sex only")
    return df, acts, published


def test_oecd_unpaid_work_items_reproduced_through_from_persons() -> None:
    o = _oecd()
    countries = sorted(o["country"].unique())
    assert len(countries) == 33
    checked, without_care = 0, []
    for country in countries:
        df, acts, pub = _oecd_persons(o, country)
        if not {"routine housework", "care for household members"} <= set(acts):
            without_care.append(country)  # blank in the source: no care figure to build from
            continue
        dom = [a for a in DOMESTIC if a in acts]
        s = from_persons(df, activities=acts, units="hours_per_week", weights="w",
                         domestic=dom, care=CARE, source=f"OECD {country}, synthetic")
        np.testing.assert_allclose(s.persons["diary_minutes"], 1440.0, atol=1e-9)
        res = sdg_541(s).set_index("sex")["estimate"]
        for sex in ("female", "male"):
            v = pub[sex]
            expected = 100 * (v[[a for a in dom if a in v.index]].sum()
                              + v["care for household members"]) / 1440
            assert res[sex] == pytest.approx(expected, rel=1e-12), (country, sex)
        checked += 1
    assert checked == 32 and without_care == ["Japan"]


def test_oecd_child_care_is_inside_care_for_household_members() -> None:
    """The OECD table's 'child care' and 'adult care' are parts of 'care for household
    members': listing them as activities as well counts that time twice, and a complete day
    then exceeds 24 hours for some respondents, which from_persons refuses (or, within 24 h,
    a diary total above 1,440 that diary_policy='error' refuses)."""
    o = _oecd()
    v = o[(o["country"] == "Finland") & (o["sex"] == "women")].set_index("activity")[
        "minutes_per_day"]
    assert v["child care"] + v["adult care"] == pytest.approx(v["care for household members"],
                                                              abs=1)
    level2 = o[(o["country"] == "Finland") & (o["sex"] == "women") & (o["activity_level"] == 2)]
    day = level2.set_index("activity")["minutes_per_day"].dropna()  # 2 items are blank
    assert day.sum() == 1440  # Finland women: the 19 given items make the day
    row = {"id": "a", "w": 1.0, **(day / 60).to_dict()}
    two = [row, {**row, "id": "b"}]
    ok = from_persons(pd.DataFrame(two), activities=list(day.index), units="hours_per_day",
                      weights="w", diary_policy="error")
    assert ok.report.complete == 2
    twice = pd.DataFrame([{**r, "child care": v["child care"] / 60,
                           "adult care": v["adult care"] / 60} for r in two])
    with pytest.raises(TimeUseError, match=r"more than 24 hours .*an activity listed twice"):
        from_persons(twice, activities=[*day.index, "child care", "adult care"],
                     units="hours_per_day", weights="w", diary_policy="error")
    # a blank (not available) item is an error, not a zero
    blank = pd.DataFrame([{**row, "job search": np.nan}, {**row, "id": "b", "job search": 0.0}])
    with pytest.raises(TimeUseError, match="1 missing or non-numeric values"):
        from_persons(blank, activities=[*day.index, "job search"], units="hours_per_day",
                     weights="w")


def test_oecd_reference_ages_are_a_population_restriction() -> None:
    """Most OECD figures are for ages 15-64: respondents outside it are left out by domain
    estimation (and younger ones are counted in a warning)."""
    o = _oecd()
    df, acts, _ = _oecd_persons(o, "Finland")
    extra = df.iloc[[0, 4]].assign(id=["girl", "old man"], age=[12, 80])
    extra["routine housework"] = [100.0, 100.0]  # 100 hours a week: far from the mean
    extra["rest of the day"] = 168.0 - extra[[a for a in acts if a != "rest of the day"]].sum(
        axis=1)
    both = pd.concat([df, extra], ignore_index=True)
    s = from_persons(both, activities=acts, units="hours_per_week", weights="w",
                     domestic=[a for a in DOMESTIC if a in acts], care=CARE)
    with pytest.warns(UserWarning, match="1 respondents are younger than 15 .*2 excluded"):
        res = sdg_541(s, population="15-64").set_index("sex")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        clean = from_persons(df, activities=acts, units="hours_per_week", weights="w",
                             domestic=[a for a in DOMESTIC if a in acts], care=CARE)
        ref = sdg_541(clean, population="15-64").set_index("sex")
    pd.testing.assert_series_equal(res["estimate"], ref["estimate"])
    assert (res["population"] == "ages 15-64").all()
