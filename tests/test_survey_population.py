"""Calibration to population totals by sex and age group from the country database (UN WPP
2019): the example survey and one year (2016) of the real ATUS file, with the change in the
estimates (:func:`carecost.survey.population.calibration_change`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carecost.paths import shared_data_dir
from carecost.survey import DesignError
from carecost.survey.example import example_design
from carecost.survey.population import calibration_change, population_cells

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_data_dir([Path(__file__).parent]) or ROOT.parent / "shared" / "data"
ATUS = SHARED / "atus_0316"
EXAMPLE_AGES = {"15-29": (15, 29), "30-49": (30, 49), "50-64": (50, 64), "65+": (65, None)}
ATUS_AGES = {"15-24": (15, 24), "25-34": (25, 34), "35-44": (35, 44), "45-54": (45, 54),
             "55-64": (55, 64), "65+": (65, None)}


def test_population_cells_sum_wpp_single_ages() -> None:
    from carecost.countries import population

    cells = population_cells("USA", 2016, ATUS_AGES)
    pop = population("USA", 2016)
    assert cells["Freq"].sum() == pop.loc[pop["age"] >= 15, "population"].sum()
    f = cells[(cells["sex"] == "female") & (cells["age_group"] == "25-34")]["Freq"].iloc[0]
    want = pop[(pop["sex"] == "female") & pop["age"].between(25, 34)]["population"].sum()
    assert f == want
    days = population_cells("USA", 2016, ATUS_AGES, multiplier=366)
    np.testing.assert_allclose(days["Freq"], cells["Freq"] * 366, rtol=1e-15)


def test_population_cells_bad_input() -> None:
    with pytest.raises(DesignError, match="overlaps"):
        population_cells("USA", 2016, {"a": (15, 30), "b": (30, 40)})
    with pytest.raises(DesignError, match="within ages 0-100"):
        population_cells("USA", 2016, {"a": (40, 30)})
    with pytest.raises(DesignError, match="multiplier must be positive"):
        population_cells("USA", 2016, ATUS_AGES, multiplier=0)


def test_example_survey_calibrated_to_a_wpp_age_sex_structure() -> None:
    """The example survey is synthetic: it is calibrated to Brazil's 2019 sex-age structure
    (WPP 2019) scaled to its own estimated population, to show the mechanics."""
    d = example_design()
    cells = population_cells("BRA", 2019, EXAMPLE_AGES, total=d.weight_total())
    post = d.poststratify(["sex", "age_group"], cells)
    counts = post.total("age_group", by="sex")
    want = cells.set_index(["sex", "age_group"])["Freq"]
    got = counts.set_index(["sex", "level"])["estimate"]
    np.testing.assert_allclose(got.loc[want.index].to_numpy(), want.to_numpy(), rtol=1e-12)
    assert (counts["se"] < 1e-6 * counts["estimate"]).all()
    change = calibration_change(d.mean("unpaid_care_min", by="sex"),
                                post.mean("unpaid_care_min", by="sex"))
    assert list(change["sex"]) == ["female", "male"]
    np.testing.assert_allclose(change["change"],
                               change["estimate_after"] - change["estimate_before"])
    # the example over-represents people aged 65+ relative to Brazil's structure; their
    # lower care minutes get less weight, so mean minutes rise for both sexes
    assert (change["change"] > 0).all()
    # raking to the two margins and linear calibration to the same main effects agree on
    # the margins
    margins: dict[str, dict[str, float]] = {
        "sex": {str(k): float(v) for k, v in cells.groupby("sex")["Freq"].sum().items()},
        "age_group": {str(k): float(v) for k, v in
                      cells.groupby("age_group")["Freq"].sum().items()}}
    raked = d.rake(margins)
    t = {"Intercept": cells["Freq"].sum(), "sex[T.male]": margins["sex"]["male"],
         **{f"age_group[T.{g}]": margins["age_group"][g] for g in ("30-49", "50-64", "65+")}}
    lin = d.calibrate(t)
    for des in (raked, lin):
        tot = des.total("age_group")
        np.testing.assert_allclose(tot["estimate"], [margins["age_group"][g] for g in
                                                     EXAMPLE_AGES], rtol=1e-9)


def test_calibration_change_needs_matching_rows() -> None:
    d = example_design()
    with pytest.raises(DesignError, match="same rows"):
        calibration_change(d.mean("unpaid_care_min", by="sex"),
                           d.mean("unpaid_care_min", by="age_group"))


@pytest.fixture(scope="module")
def atus_2016(tmp_path_factory: pytest.TempPathFactory) -> object:
    if not (ATUS / "atusact.parquet").exists():
        pytest.skip(f"real ATUS data not found at {ATUS} (set CARECOST_SHARED_DATA)")
    from carecost.timeuse import read_atus

    resp = pd.read_parquet(ATUS / "atusresp.parquet", filters=[("tuyear", "==", 2016)])
    lo, hi = int(resp["tucaseid"].min()), int(resp["tucaseid"].max())
    rng = [("tucaseid", ">=", lo), ("tucaseid", "<=", hi)]
    out = tmp_path_factory.mktemp("atus2016")
    resp.to_parquet(out / "atusresp.parquet")
    for name in ("atuscps", "atusact"):
        pd.read_parquet(ATUS / f"{name}.parquet", filters=rng).to_parquet(out / f"{name}.parquet")
    return read_atus(out)


@pytest.mark.realdata
def test_atus_2016_poststratified_to_wpp(atus_2016: object) -> None:
    """ATUS 2016 final weights (person-days, 366 days) post-stratified to WPP 2019 USA 2016
    by sex and age group.  BLS already controls the weights to CPS population counts of the
    civilian non-institutional population by sex, age and more, so the means barely move;
    the totals move by WPP's wider coverage (people in institutions and the armed forces),
    about 3% for men aged 15+."""
    s = atus_2016
    d = s.design  # type: ignore[attr-defined]
    assert len(d) == 10_493 and d.weights_unit == "person_days"
    cells = population_cells("USA", 2016, ATUS_AGES, multiplier=366)
    post = d.poststratify(["sex", "age_group"], cells)
    by_sex = calibration_change(d.total("sex").scaled(1 / 366), post.total("sex").scaled(1 / 366))
    wpp = cells.groupby("sex")["Freq"].sum() / 366
    np.testing.assert_allclose(by_sex["estimate_after"], wpp.loc[["female", "male"]], rtol=1e-10)
    assert by_sex.loc[by_sex["level"] == "male", "change_pct"].iloc[0] == pytest.approx(3.0,
                                                                                      abs=0.5)
    means = calibration_change(d.mean("unpaid_care_work", by="sex"),
                               post.mean("unpaid_care_work", by="sex"))
    assert (means["change"].abs() < 0.5).all()  # minutes per day
    assert (means["se_ratio"] < 1).all()  # post-stratification removes sex-age variation
    # raking to the sex and age margins gives the same margins
    raked = d.rake({"sex": (cells.groupby("sex")["Freq"].sum()),
                    "age_group": cells.groupby("age_group")["Freq"].sum()})
    np.testing.assert_allclose(raked.total("age_group")["estimate"].sum() / 366,
                               cells["Freq"].sum() / 366, rtol=1e-12)


@pytest.mark.realdata
def test_atus_level_missing_from_population_is_named(atus_2016: object) -> None:
    d = atus_2016.design  # type: ignore[attr-defined]
    cells = population_cells("USA", 2016, {k: v for k, v in ATUS_AGES.items() if k != "65+"},
                             multiplier=366)
    with pytest.raises(DesignError, match=r"age_group='65\+'.*missing from the population"):
        d.poststratify(["sex", "age_group"], cells)
