"""Calibrated designs (``poststratify``, ``rake``, ``calibrate``) against R survey 4.1.1.

Reference values: ``tests/reference/calibration.csv``, written by
``tests/reference/make_reference_calibration.R`` (calibrations run to full convergence, see
the script).  Tolerance 1e-6 relative (the calibration bar of issue 19); the SE of a
calibrated total (``api99`` after ``calibrate``) is zero up to rounding in both, so it is
compared with the estimate as scale.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from carecost.survey import Design, DesignError, ReplicateDesign, SurveyDesign

REF = Path(__file__).parent / "reference"
RTOL = 1e-6
CAL = pd.read_csv(REF / "calibration.csv", keep_default_na=False)
POP_STYPE = {"E": 4421, "H": 755, "M": 1018}
POP_SCH = {"No": 1072, "Yes": 5122}
TOTALS = {"Intercept": 6194, "stype[T.H]": 755, "stype[T.M]": 1018, "api99": 3914069}

CALIBRATIONS: dict[str, Callable[[SurveyDesign], Any]] = {
    "post_stype": lambda d: d.poststratify("stype", POP_STYPE),
    "rake": lambda d: d.rake({"stype": POP_STYPE, "sch.wide": POP_SCH}),
    "linear": lambda d: d.calibrate(TOTALS),
    "linear_bounded": lambda d: d.calibrate(TOTALS, bounds=(0.45, 2.5)),
    "raking": lambda d: d.calibrate(TOTALS, "raking"),
    "raking_bounded": lambda d: d.calibrate(TOTALS, "raking", (0.55, 2.5)),
    "logit": lambda d: d.calibrate(TOTALS, "logit", (0.55, 2.5)),
}


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / "data" / name)


@cache
def designs() -> dict[str, SurveyDesign]:
    c1, st = _read("apiclus1.csv"), _read("apistrat.csv")
    d: dict[str, SurveyDesign] = {
        "dclus1": Design(c1, weights="pw", psu="dnum", fpc="fpc"),
        "dstrat": Design(st, weights="pw", strata="stype", fpc="fpc"),
    }
    d["rclus1_jk1"] = d["dclus1"].to_replicates("jk1", mse=False)  # type: ignore[attr-defined]
    return d


@pytest.mark.parametrize(("design", "calibration"),
                         list(dict.fromkeys(zip(CAL["design"], CAL["calibration"],
                                                strict=True))))
def test_calibrated_estimates_match_r(design: str, calibration: str) -> None:
    ref = CAL[(CAL["design"] == design) & (CAL["calibration"] == calibration)]
    d = CALIBRATIONS[calibration](designs()[design])
    assert type(d) is type(designs()[design])
    for _, r in ref.iterrows():
        stat, var = r["statistic"].split("_")
        fn = d.mean if stat == "mean" else d.total
        if r["domain"]:
            by, level = r["domain"].split("=")
            res = fn(var, by=by)
            row = res[res[by].astype(str) == level].iloc[0]
        else:
            row = fn(var).iloc[0]
        where = f"{design} {calibration} {r['statistic']} {r['domain']}"
        np.testing.assert_allclose(row["estimate"], r["estimate"], rtol=RTOL, err_msg=where)
        if calibration in ("post_stype", "rake") or var != "api99":
            np.testing.assert_allclose(row["se"], r["se"], rtol=RTOL, err_msg=where)
        else:  # a calibrated total: SE zero up to rounding
            assert abs(row["se"] - r["se"]) <= 1e-9 * abs(r["estimate"]), where


@pytest.mark.parametrize("name", ["dclus1", "rclus1_jk1"])
def test_calibrated_weights_reproduce_the_population(name: str) -> None:
    d = designs()[name]
    post = d.poststratify("stype", POP_STYPE)
    counts = post.assign(one=np.ones(len(post.data))).total("one", by="stype")
    np.testing.assert_allclose(counts["estimate"], [4421, 755, 1018], rtol=1e-12)
    assert np.all(counts["se"] < 1e-6)  # known counts have no sampling variance
    cal = d.calibrate(TOTALS, "logit", (0.55, 2.5))
    np.testing.assert_allclose(cal.total("api99")["estimate"], 3914069, rtol=1e-11)
    g = cal.weights / d.weights
    assert g.min() >= 0.55 - 1e-12 and g.max() <= 2.5 + 1e-12
    if isinstance(cal, ReplicateDesign):
        reps = cal.replicate_weights.T @ cal.data["api99"].to_numpy(float)
        np.testing.assert_allclose(reps, 3914069, rtol=1e-11)


def test_missing_population_level_is_named() -> None:
    with pytest.raises(DesignError, match=r"stype='M'.*missing from the population"):
        designs()["dclus1"].poststratify("stype", {"E": 4421, "H": 755})


def test_population_cell_without_sample_is_an_error() -> None:
    with pytest.raises(DesignError, match=r"stype='X'.*no sampled unit"):
        designs()["dclus1"].poststratify("stype", {**POP_STYPE, "X": 5})


def test_calibration_that_cannot_meet_bounds_names_the_total() -> None:
    with pytest.raises(DesignError, match=r"cannot meet the totals within bounds.*off by"):
        designs()["dclus1"].calibrate(TOTALS, bounds=(0.95, 1.05))


def test_replicate_that_cannot_meet_bounds_is_named() -> None:
    with pytest.raises(DesignError, match=r"replicate \d+ cannot meet"):
        designs()["rclus1_jk1"].calibrate(TOTALS, bounds=(0.6, 1.6))


def test_totals_must_name_the_calibration_terms() -> None:
    with pytest.raises(DesignError, match=r"missing \['stype\[T.M\]'\]"):
        designs()["dclus1"].calibrate({"Intercept": 6194, "stype[T.H]": 755})


def test_inconsistent_margins_are_an_error() -> None:
    with pytest.raises(DesignError, match="different totals"):
        designs()["dclus1"].rake({"stype": POP_STYPE, "sch.wide": {"No": 1000, "Yes": 5000}})


def test_subset_design_is_refused_and_subset_after_calibration_works() -> None:
    d = designs()["dclus1"]
    with pytest.raises(DesignError, match="calibrate the full design, then take the subset"):
        d.subset("stype == 'E'").poststratify("stype", POP_STYPE)
    post = d.poststratify("stype", POP_STYPE)
    by = post.mean("api00", by="sch.wide")
    sub = post.subset("`sch.wide` == 'Yes'").mean("api00")
    np.testing.assert_allclose(sub["se"].iloc[0], by["se"].iloc[1], rtol=1e-12)


def test_calibration_on_dask_is_one_clear_refusal() -> None:
    dd = pytest.importorskip("dask.dataframe")
    d = Design(dd.from_pandas(_read("apistrat.csv"), npartitions=2), weights="pw",
               strata="stype")
    with pytest.raises(DesignError, match="poststratify is not available on the Dask"):
        d.poststratify("stype", POP_STYPE)


def test_rake_margin_level_missing_from_population_is_named() -> None:
    with pytest.raises(DesignError, match=r"rake: level sch.wide='Yes'.*missing from the "
                                          "population"):
        designs()["dclus1"].rake({"stype": POP_STYPE, "sch.wide": {"No": 6194}})


def test_calibration_total_for_an_unknown_level_is_named() -> None:
    with pytest.raises(DesignError, match=r"not terms \['stype\[T.X\]'\]"):
        designs()["dclus1"].calibrate({**TOTALS, "stype[T.X]": 10})
