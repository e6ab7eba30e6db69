"""Tables and tests against R survey 4.1.1: ``table`` (svytable), ``chisq`` (svychisq, F and
Chisq), ``ciprop`` (svyciprop), ``var`` (svyvar), ``ttest`` (svyttest).

Reference values: ``tests/reference/tables.csv``, written by
``tests/reference/make_reference_tables.R``.  Tolerance 1e-8 relative (issue 19).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carecost.survey import Design, DesignError, ReplicateDesign, SurveyDesign

REF = Path(__file__).parent / "reference"
RTOL = 1e-8
TABLES = pd.read_csv(REF / "tables.csv")


def _api(name: str) -> pd.DataFrame:
    a = pd.read_csv(REF / "data" / name)
    a["yes"] = (a["sch.wide"] == "Yes").astype(float)
    return a


@cache
def designs() -> dict[str, SurveyDesign]:
    st, c1, c2 = _api("apistrat.csv"), _api("apiclus1.csv"), _api("apiclus2.csv")
    sdr = pd.read_csv(REF / "data" / "sdr_synth.csv")
    d: dict[str, SurveyDesign] = {
        "dstrat": Design(st, weights="pw", strata="stype", fpc="fpc"),
        "dclus1": Design(c1, weights="pw", psu="dnum", fpc="fpc"),
        "dclus2": Design(c2, psu=["dnum", "snum"], fpc=["fpc1", "fpc2"]),
        "dsdr": ReplicateDesign(sdr, "w", "repw[0-9]+", method="sdr", mse=True),
    }
    d["rclus1_jk1"] = d["dclus1"].to_replicates("jk1", mse=False)  # type: ignore[attr-defined]
    return d


def carecost_values(design: str, call: str) -> dict[str, float]:
    kind, *args = call.split(":")
    d = designs()[design]
    if kind == "svytable":
        t = d.table(args[0], args[1])
        return {f"{r[args[0]]}:{r[args[1]]}": r["Freq"] for _, r in t.iterrows()}
    if kind.startswith("svychisq"):
        r = d.chisq(args[0], args[1], statistic=kind.split("_")[1]).iloc[0]  # type: ignore[arg-type]
        return {"statistic": r["statistic"], "ndf": r["df"], "df": r["df"], "ddf": r["ddf"],
                "p": r["p"]}
    if kind.startswith("svyciprop"):
        return dict(d.ciprop(args[0], kind.split("_")[1]).iloc[0])  # type: ignore[arg-type]
    if kind == "svyvar":
        return dict(d.var(args[0]).iloc[0])
    r = d.ttest(args[0], args[1]).iloc[0]
    return {"statistic": r["t"], "df": r["df"], "p": r["p"], "estimate": r["estimate"]}


@pytest.mark.parametrize(("design", "call"),
                         list(dict.fromkeys(zip(TABLES["design"], TABLES["call"], strict=True))))
def test_matches_r(design: str, call: str) -> None:
    ref = TABLES[(TABLES["design"] == design) & (TABLES["call"] == call)]
    got = carecost_values(design, call)
    for _, r in ref.iterrows():
        np.testing.assert_allclose(got[r["quantity"]], r["value"], rtol=RTOL,
                                   err_msg=f"{design} {call} {r['quantity']}")


def test_table_total_rescales_and_keeps_empty_cells() -> None:
    d = designs()["dstrat"]
    t = d.table("stype", "awards", total=200)
    assert len(t) == 6
    np.testing.assert_allclose(t["Freq"].sum(), 200, rtol=1e-12)
    sub = d.subset("stype == 'E'").table("stype", "awards")
    assert list(sub["stype"]) == ["E", "E"]  # levels present in the (sub)design


def test_ciprop_intervals_stay_in_unit_interval_near_zero() -> None:
    d = designs()["dclus1"].assign(rare=lambda f: (f["api00"] > 880).astype(float))
    for method in ("logit", "beta", "xlogit"):
        r = d.ciprop("rare", method).iloc[0]  # type: ignore[arg-type]
        assert 0 <= r["ci_low"] < r["estimate"] < r["ci_high"] <= 1, method


def test_bad_input_is_a_clear_error() -> None:
    d = designs()["dstrat"]
    with pytest.raises(DesignError, match="must be 0/1"):
        d.ciprop("api00")
    with pytest.raises(DesignError, match="method must be one of"):
        d.ciprop("yes", "asin")  # type: ignore[arg-type]
    with pytest.raises(DesignError, match="exactly two groups"):
        d.ttest("api00", "stype")
    with pytest.raises(DesignError, match="at least two of each"):
        d.subset("stype == 'E'").chisq("stype", "awards")
    with pytest.raises(DesignError, match="statistic must be"):
        d.chisq("stype", "awards", "Wald")  # type: ignore[arg-type]


def test_tables_on_dask_run_or_are_one_clear_refusal() -> None:
    """``table`` and ``var`` run on Dask (compared with memory in
    tests/test_survey_dask_models.py); ``chisq`` and ``ciprop`` need the rows in memory."""
    dd = pytest.importorskip("dask.dataframe")
    d = Design(dd.from_pandas(_api("apistrat.csv"), npartitions=2), weights="pw",
               strata="stype")
    assert len(d.table("stype")) == 3
    assert d.var("api00")["estimate"].iloc[0] > 0
    for call, what in ((lambda: d.chisq("stype", "awards"), "chisq"),
                       (lambda: d.ciprop("yes"), "ciprop")):
        with pytest.raises(DesignError, match=f"{what} is not available on the Dask.*"
                                              "Compute the columns"):
            call()
