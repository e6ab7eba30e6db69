"""Stylised (person-level) surveys: ``from_persons(..., units=...)``.

Before issue 18, ``from_persons`` took every activity column as minutes per day: Chile's or
Mexico's ENUT in hours per week gave an SDG 5.4.1 share 8.6 times too small (2.3% instead of
19.5% for Chilean women in 2015), and nothing could catch it, since 168 hours "fit" in 1,440
minutes.  ``units`` is now required.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecost.paths import shared_data_dir
from carecost.timeuse import TimeUseError, from_persons, sdg_541

ENUT = shared_data_dir() / "chile_enut"
DOMESTIC = ["t_tdnr_psc", "t_tdnr_lv", "t_tdnr_lrc", "t_tdnr_mrm", "t_tdnr_admnhog",
            "t_tdnr_comphog", "t_tdnr_cmp"]
CARE = ["t_tcnr_ce", "t_tcnr_re", "t_tcnr_oac"]  # by type of care (not also by age: overlap)


def _table(**cols: list[float]) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    return pd.DataFrame({"id": [f"p{i}" for i in range(n)], "w": 1.0,
                         "sex": (["female", "male"] * n)[:n], **cols})


@pytest.mark.parametrize(("units", "values", "minutes"), [
    ("hours_per_week", [168.0, 14.0], [1440.0, 120.0]),
    ("hours_per_day", [24.0, 2.0], [1440.0, 120.0]),
    ("minutes_per_week", [7 * 1440.0, 840.0], [1440.0, 120.0]),
    ("minutes_per_day", [1440.0, 120.0], [1440.0, 120.0]),
])
def test_units_are_converted_to_minutes_per_day(units: str, values: list[float],
                                                minutes: list[float]) -> None:
    s = from_persons(_table(a=values), activities=["a"], units=units,  # type: ignore[arg-type]
                     weights="w")
    np.testing.assert_allclose(s.persons["a"], minutes)
    np.testing.assert_allclose(s.persons["diary_minutes"], minutes)


def test_units_are_required_and_checked() -> None:
    df = _table(a=[1.0, 2.0])
    with pytest.raises(TypeError, match="units"):
        from_persons(df, activities=["a"], weights="w")  # type: ignore[call-arg]
    with pytest.raises(TimeUseError, match="units must be one of"):
        from_persons(df, activities=["a"], units="hours", weights="w")  # type: ignore[arg-type]


def test_a_total_that_cannot_fit_in_a_day_is_refused_with_the_rows_named() -> None:
    # p1: 20 + 10 hours a day; p2 fine; p3: 200 hours a week
    df = _table(work=[20.0, 8.0, 150.0], care=[10.0, 2.0, 50.0])
    with pytest.raises(TimeUseError,
                       match=r"1 persons' .* more than 24 hours .*'p0' \(30\.0 hours"):
        from_persons(df.iloc[:2], activities=["work", "care"], units="hours_per_day",
                     weights="w")
    with pytest.raises(TimeUseError, match=r"1 persons'.*'p2' \(200\.0 hours per week"):
        from_persons(df, activities=["work", "care"], units="hours_per_week", weights="w")
    # minutes per day read as hours per day: 120 minutes of care become 120 hours
    with pytest.raises(TimeUseError, match="check the unit"):
        from_persons(_table(care=[120.0, 30.0]), activities=["care"], units="hours_per_day",
                     weights="w")


def test_domestic_and_care_columns_give_icatus_3_and_4() -> None:
    df = _table(cook=[14.0, 7.0], child=[7.0, 0.0], tv=[21.0, 21.0])
    s = from_persons(df, activities=["cook", "child", "tv"], units="hours_per_week",
                     weights="w", domestic=["cook"], care=["child"])
    p = s.persons
    assert p["icatus_3"].tolist() == [120.0, 60.0] and p["icatus_4"].tolist() == [60.0, 0.0]
    assert p["unpaid_care_work"].tolist() == [180.0, 60.0]
    with pytest.raises(TimeUseError, match="not both"):
        from_persons(df, activities=["cook", "child"], units="hours_per_week", weights="w",
                     domestic=["cook"], unpaid_care=["cook"])
    with pytest.raises(TimeUseError, match=r"care columns \['nap'\] are not activity columns"):
        from_persons(df, activities=["cook", "child"], units="hours_per_week", weights="w",
                     care=["nap"])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 80), st.floats(0, 80)), min_size=2, max_size=20))
def test_weekly_hours_and_daily_minutes_give_the_same_sdg_541(rows) -> None:
    week = _table(dom=[r[0] for r in rows], care=[r[1] for r in rows])
    day = week.assign(dom=week["dom"] * 60 / 7, care=week["care"] * 60 / 7)
    a = from_persons(week, activities=["dom", "care"], units="hours_per_week", weights="w",
                     domestic=["dom"], care=["care"])
    b = from_persons(day, activities=["dom", "care"], units="minutes_per_day", weights="w",
                     domestic=["dom"], care=["care"])
    pd.testing.assert_frame_equal(sdg_541(a, population=None), sdg_541(b, population=None),
                                  rtol=1e-9)


# ------------------------------------------------------------------ Chile ENUT 2015 and 2023
def _enut(year: int) -> pd.DataFrame:
    path = ENUT / f"enut_{year}.parquet"
    if not path.exists():
        pytest.skip(f"{path} not available (Chile ENUT, ../shared/data/chile_enut)")
    df = pd.read_parquet(path)
    # no survey weights were published with these files: every estimate here is an UNWEIGHTED
    # sample mean (w = 1), and its standard error treats respondents as independent draws
    return df.assign(w=1.0, sex=df["sexo"].map({1: "female", 0: "male"}))


def _activities(year: int) -> list[str]:
    """The 25 activity columns that add up to the 168-hour week (one care decomposition)."""
    d = pd.read_parquet(ENUT / "column_dictionary.parquet")
    d = d[(d["wave"] == year) & (d["unit"] == "hours per week") & (d["variable"] != "t_total")]
    return [v for v in d["variable"] if not v.startswith("t_tcnr_") or v in CARE]


@pytest.mark.parametrize(("year", "women", "men"), [
    (2015, 19.501, 9.535),  # unweighted sample means, ages 12+
    (2023, 17.437, 8.896),
])
def test_chile_enut_sdg_541_unweighted(year: int, women: float, men: float) -> None:
    df = _enut(year)
    acts = _activities(year)
    assert len(acts) == 25
    s = from_persons(df, activities=acts, units="hours_per_week", id="id_persona", weights="w",
                     domestic=DOMESTIC, care=CARE, source=f"Chile ENUT {year} (mtuem), unweighted")
    # the 25 activities are the whole 168-hour week: exactly one day each once converted
    np.testing.assert_allclose(s.persons["diary_minutes"], 1440.0, atol=1e-9)
    res = sdg_541(s, population="12+", age="edad_anios").set_index("sex")
    assert res.loc["female", "estimate"] == pytest.approx(women, abs=1e-3)
    assert res.loc["male", "estimate"] == pytest.approx(men, abs=1e-3)
    # plausible range for a Latin American survey (women 15-30%, men 5-15%)
    assert 15 < women < 30 and 5 < men < 15
    # the pre-issue-18 reading (hours per week taken as minutes per day) is 8.6 times smaller
    wrong = from_persons(df, activities=acts, units="minutes_per_day", id="id_persona",
                         weights="w", domestic=DOMESTIC, care=CARE)
    got = sdg_541(wrong, population="12+", age="edad_anios").set_index("sex")["estimate"]
    assert got["female"] == pytest.approx(res.loc["female", "estimate"] * 7 / 60, rel=1e-9)


def test_chile_enut_2015_against_the_un_sdg_database() -> None:
    """UNSD's SDG 5.4.1 for Chile 2015 (ENUT, INE, weighted, ages 12+) is 5.30 hours a day for
    women and 2.36 for men (22.1% and 9.9% of the day); the unweighted mtuem file gives 19.5%
    and 9.5%.  Women's gap (-2.6 points) is almost all domestic work (3.10 vs 3.73 h/day; care
    1.58 vs 1.57): the file is unweighted, its diaries were rescaled to a 168-hour week with paid
    work and sleep as anchors, weekends imputed from a "twin" respondent and outliers removed
    (see ../shared/data/README.md), so it is a test of the reader, not a Chilean estimate."""
    df = _enut(2015)
    un_path = shared_data_dir() / "un_gender" / "timeuse_unpaid_hours.parquet"
    if not un_path.exists():
        pytest.skip(f"{un_path} not available")
    un = pd.read_parquet(un_path)
    un = un[(un["iso3"] == "CHL") & (un["TIME_PERIOD"] == 2015) & (un["AGE"] == "Y_GE12")
            & (un["URBANIZATION"] == "_T")].set_index(["series_number", "SEX"])["OBS_VALUE"]
    s = from_persons(df, activities=_activities(2015), units="hours_per_week", id="id_persona",
                     weights="w", domestic=DOMESTIC, care=CARE)
    ours = sdg_541(s, population="12+", age="edad_anios").set_index("sex")["estimate"]
    un_pct = {sex: 100 * un[(100, code)] / 24 for sex, code in (("female", "F"), ("male", "M"))}
    assert un_pct["female"] == pytest.approx(22.10, abs=0.01)
    assert ours["female"] - un_pct["female"] == pytest.approx(-2.60, abs=0.01)
    assert ours["male"] - un_pct["male"] == pytest.approx(-0.32, abs=0.01)
    p = s.persons.groupby("sex")[["icatus_3", "icatus_4"]].mean() / 60
    assert p.loc["female", "icatus_4"] == pytest.approx(un[(300, "F")], abs=0.02)  # care agrees
    assert un[(200, "F")] - p.loc["female", "icatus_3"] == pytest.approx(0.63, abs=0.01)


def test_chile_enut_default_population_is_15_plus_with_a_warning() -> None:
    df = _enut(2015)
    s = from_persons(df, activities=_activities(2015), units="hours_per_week", id="id_persona",
                     weights="w", domestic=DOMESTIC, care=CARE)
    n_young = int((df["edad_anios"] < 15).sum())
    assert n_young == 628
    with pytest.warns(UserWarning, match=f"{n_young} respondents are younger than 15"):
        res = sdg_541(s, age="edad_anios").set_index("sex")
    assert (res["population"] == "ages 15+").all()
    assert res.loc["female", "estimate"] == pytest.approx(20.270, abs=1e-3)
    assert res.loc["male", "estimate"] == pytest.approx(9.816, abs=1e-3)
    assert res["n"].sum() == len(df) - n_young
