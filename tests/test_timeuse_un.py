"""SDG 5.4.1 as the UNSD SDG database publishes it: three series (domestic and care work,
domestic chores, care work) by sex and UN age group, over a 24-hour day that counts
non-participants; and a check against the UN gender data portal's figures for the United
States (series 100/200/300, ATUS 2003-2016) on the real ATUS microdata."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carecost.paths import shared_data_dir
from carecost.timeuse import (
    UN_AGE_GROUPS,
    TimeUseError,
    from_persons,
    read_atus,
    sdg_541_series,
    un_age_groups,
)

SHARED = shared_data_dir([Path(__file__).parent]) or Path("/nonexistent")


def _survey(ages: list[float], dom: list[float], care: list[float], **extra: list[object]):
    n = len(ages)
    df = pd.DataFrame({"id": range(n), "w": 1.0, "sex": (["female", "male"] * n)[:n],
                       "age": ages, "dom": dom, "care": care, **extra})
    return from_persons(df, activities=["dom", "care"], units="minutes_per_day", weights="w",
                        domestic=["dom"], care=["care"])


def test_un_age_groups_are_the_sdg_database_codes() -> None:
    assert list(UN_AGE_GROUPS) == ["Y_GE15", "Y15T24", "Y25T44", "Y45T54", "Y55T64", "Y_GE65"]
    g = un_age_groups([14, 15, 24, 25, 44.5, 45, 64, 65, 99])
    assert g["Y_GE15"].tolist() == [False] + [True] * 8
    assert g["Y15T24"].tolist() == [False, True, True] + [False] * 6
    # a fractional age between two groups (44.5) is in neither: ages are in completed years
    assert g.loc[4, ["Y25T44", "Y45T54"]].tolist() == [False, False]
    assert g["Y_GE65"].sum() == 2
    other = un_age_groups([10, 12, 14], groups=["Y_GE10", "Y12T14"])
    assert other["Y_GE10"].all() and other["Y12T14"].tolist() == [False, True, True]
    with pytest.raises(TimeUseError, match="not an SDMX age-range code"):
        un_age_groups([20], groups=["adults"])
    with pytest.raises(TimeUseError, match="lowest age is above the highest"):
        un_age_groups([20], groups=["Y64T15"])
    with pytest.raises(TimeUseError, match="1 missing or non-numeric"):
        un_age_groups([20, np.nan])


def test_three_series_by_sex_and_age_over_a_24_hour_day() -> None:
    # the 30-year-old man does no unpaid work: he counts, with 0 (a 24-hour day, everybody)
    s = _survey([20, 21, 30, 31, 70, 72], dom=[144, 72, 0, 0, 288, 144],
                care=[0, 0, 144, 0, 0, 72])
    r = sdg_541_series(s).set_index(["series", "AGE", "SEX"])
    assert set(r.index.get_level_values("series")) == {"SL_DOM_TSPD", "SL_DOM_TSPDDC",
                                                       "SL_DOM_TSPDCW"}
    # 15+, both sexes: domestic 648/6 = 108 min = 1.8 h = 7.5% of the day; care 216/6 = 36 min
    assert r.loc[("SL_DOM_TSPDDC", "Y_GE15", "_T"), "hours_per_day"] == pytest.approx(1.8)
    assert r.loc[("SL_DOM_TSPDDC", "Y_GE15", "_T"), "percent_of_day"] == pytest.approx(7.5)
    assert r.loc[("SL_DOM_TSPDCW", "Y_GE15", "_T"), "hours_per_day"] == pytest.approx(0.6)
    assert r.loc[("SL_DOM_TSPDCW", "Y25T44", "M"), "hours_per_day"] == 0.0
    assert r.loc[("SL_DOM_TSPDCW", "Y25T44", "M"), "n"] == 1
    assert r.loc[("SL_DOM_TSPD", "Y_GE65", "F"), "percent_of_day"] == pytest.approx(20.0)
    # domestic + care = the SDG 5.4.1 total in every cell
    tot = r.xs("SL_DOM_TSPD")["percent_of_day"]
    parts = r.xs("SL_DOM_TSPDDC")["percent_of_day"] + r.xs("SL_DOM_TSPDCW")["percent_of_day"]
    pd.testing.assert_series_equal(tot, parts.reindex(tot.index), check_names=False)
    assert r["percent_of_day"].eq(100 * r["hours_per_day"] / 24).all()
    # age groups without respondents (45-54, 55-64) are absent, not zero
    assert "Y45T54" not in set(r.index.get_level_values("AGE"))


def test_younger_respondents_are_counted_in_a_warning_and_in_no_group() -> None:
    s = _survey([10, 12, 30, 40], dom=[60, 60, 120, 0], care=[0, 0, 0, 60])
    with pytest.warns(UserWarning, match="2 respondents are younger than 15"):
        r = sdg_541_series(s, series=["SL_DOM_TSPD"])
    assert r.set_index(["AGE", "SEX"]).loc[("Y_GE15", "_T"), "n"] == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a 10+ breakdown covers them: no warning
        r10 = sdg_541_series(s, series=["SL_DOM_TSPD"], groups=["Y_GE10"])
    assert r10.set_index("SEX").loc["_T", "n"] == 4


def test_location_breakdown_and_errors() -> None:
    s = _survey([20, 21, 30, 31], dom=[60, 120, 0, 60], care=[0, 0, 0, 0],
                urban=["urban", "rural", "urban", "rural"])
    r = sdg_541_series(s, location="urban", series=["SL_DOM_TSPDDC"], groups=["Y_GE15"])
    cells = r.set_index(["SEX", "URBANIZATION"])["hours_per_day"]
    assert cells[("_T", "_T")] == pytest.approx(1.0)
    assert cells[("_T", "rural")] == pytest.approx(1.5)
    assert cells[("F", "urban")] == pytest.approx(0.5)
    with pytest.raises(TimeUseError, match="unknown series"):
        sdg_541_series(s, series=["SL_TOTAL"])
    with pytest.raises(TimeUseError, match=r"column\(s\) \['years'\] not found"):
        sdg_541_series(s, age="years")


ATUS = SHARED / "atus_0316"
UN = SHARED / "un_gender" / "timeuse_unpaid_hours.parquet"


@pytest.mark.realdata
@pytest.mark.skipif(not ((ATUS / "atusact.parquet").exists() and UN.exists()),
                    reason=f"real ATUS ({ATUS}) or UN gender portal data ({UN}) not found")
def test_atus_against_the_un_gender_portal_for_the_united_states() -> None:
    """UNSD's U.S. figures (hours per day, 'US Bureau of Labor Statistics based on American Time
    Use Survey', 2003-2016, by sex and the BLS age groups) against carecost's ATUS-to-ICATUS
    classification of the same microdata.

    Care work (series 300, ICATUS 4) agrees to 0.001 h on average and within 0.07 h in every
    cell.  Domestic chores (200, ICATUS 3) are systematically lower in carecost for women, by
    0.04 h on average (0.02-0.08 h at ages 15+, widening after 2011): UNSD's own ATUS-to-ICATUS
    mapping is not published, so which codes it counts as domestic work that carecost does not
    is unresolved (this is a stated gap, not tuned away)."""
    s = read_atus(ATUS)
    un = pd.read_parquet(UN)
    un = un[(un["iso3"] == "USA") & un["series_number"].isin([100, 200, 300])
            & (un["TIME_PERIOD"] <= 2016)]
    series = {100: "SL_DOM_TSPD", 200: "SL_DOM_TSPDDC", 300: "SL_DOM_TSPDCW"}
    groups = sorted(un["AGE"].unique())
    assert groups == ["Y15T24", "Y25T34", "Y35T44", "Y45T54", "Y55T64", "Y_GE15", "Y_GE65"]
    rows = []
    for year, grp in un.groupby("TIME_PERIOD"):
        d = s.design.subset((s.persons["tuyear"] == year).to_numpy())
        ours = sdg_541_series(d, groups=groups).set_index(["series", "SEX", "AGE"])
        for _, u in grp.iterrows():
            o = ours.loc[(series[u["series_number"]], u["SEX"], u["AGE"]), "hours_per_day"]
            rows.append({"year": year, "series": u["series_number"], "sex": u["SEX"],
                         "age": u["AGE"], "diff": o - u["OBS_VALUE"]})
    diff = pd.DataFrame(rows)
    assert len(diff) == 14 * 3 * 2 * 7
    care = diff[diff["series"] == 300]["diff"]
    assert abs(care.mean()) < 0.002 and care.abs().max() < 0.07
    dom_w = diff[(diff["series"] == 200) & (diff["sex"] == "F")]
    assert -0.05 < dom_w["diff"].mean() < -0.035
    w15 = dom_w[dom_w["age"] == "Y_GE15"]["diff"]
    assert (w15 < -0.02).all() and (w15 > -0.09).all()
    assert diff["diff"].abs().max() < 0.19
