"""carecost.survey against R ``survey`` 4.1.1 (Lumley) on the same designs.

Reference values were written by ``tests/reference/make_reference.R``
(versions in ``tests/reference/versions.json``); each row of
``values.csv`` holds the R call that produced it, which is parsed here and
translated to the carecost call.  Tolerance: 1e-8 relative.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carecost.survey import Design, ReplicateDesign, SurveyDesign, difference, ratio_of

REF = Path(__file__).parent / "reference"
RTOL = 1e-8


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(REF / "data" / name, keep_default_na=True)


@cache
def designs() -> dict[str, SurveyDesign]:
    strat, clus1, clus2 = _read("apistrat.csv"), _read("apiclus1.csv"), _read("apiclus2.csv")
    sdr = _read("sdr_synth.csv")
    d: dict[str, SurveyDesign] = {
        "dstrat": Design(strat, weights="pw", strata="stype", fpc="fpc"),
        "dstrat_nofpc": Design(strat, weights="pw", strata="stype"),
        "dclus1": Design(clus1, weights="pw", psu="dnum", fpc="fpc"),
        "dclus1_nofpc": Design(clus1, weights="pw", psu="dnum"),
        "dclus2": Design(clus2, psu=["dnum", "snum"], fpc=["fpc1", "fpc2"]),
        "dclus2_wr": Design(clus2, weights="pw", psu=["dnum", "snum"]),
        "dsdr": ReplicateDesign(sdr, "w", "repw[0-9]+", method="sdr", mse=True),
        "dsdr_nomse": ReplicateDesign(sdr, "w", "repw[0-9]+", method="sdr", mse=False),
        "dfay": ReplicateDesign(sdr, "w", "repw[0-9]+", method="fay", rho=0.5, mse=False),
        "dbrr": ReplicateDesign(sdr, "w", "repw[0-9]+", method="brr", mse=True),
        "doth": ReplicateDesign(sdr, "w", "repw[0-9]+", method="other", scale=0.1, mse=False),
    }
    # as.svrepdesign uses R's default survey.replicates.mse = FALSE
    d["rclus1_jk1"] = d["dclus1"].to_replicates("jk1", mse=False)  # type: ignore[attr-defined]
    d["rclus1_nofpc_jk1"] = d["dclus1_nofpc"].to_replicates("jk1", mse=False)  # type: ignore[attr-defined]
    d["rstrat_jkn"] = d["dstrat"].to_replicates("jkn", mse=False)  # type: ignore[attr-defined]
    d["rstrat_nofpc_jkn"] = d["dstrat_nofpc"].to_replicates("jkn", mse=False)  # type: ignore[attr-defined]
    for base in ("dstrat", "dstrat_nofpc", "dclus1", "dclus1_nofpc", "dclus2", "dclus2_wr"):
        dd = d[base]
        d[f"{base}_yes"] = dd.subset((dd.data["sch.wide"] == "Yes").to_numpy())
    sd = d["dsdr"]
    d["dsdr_1529"] = sd.subset((sd.data["agegrp"] == "15-29").to_numpy())
    d["dsdr_f1529"] = sd.subset(
        ((sd.data["agegrp"] == "15-29") & (sd.data["sex"] == "female")).to_numpy()
    )
    d["dsdr_d1"] = sd.subset((sd.data["d"] == 1).to_numpy())
    return d


def _domain(row: pd.Series, by: list[str]) -> str:
    return ";".join(f"{b}={row[b]}" for b in by)


def _terms(res: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    out = res.copy()
    if "level" in out.columns:
        out["term"] = out["variable"] + out["level"].astype(str)
    else:
        out["term"] = out["variable"]
    out["domain"] = [_domain(r, by) for _, r in out.iterrows()] if by else ""
    return out


def carecost_for(call: str) -> tuple[pd.DataFrame | float, list[str]]:
    """Run the carecost equivalent of one R call."""
    d = designs()
    if m := re.fullmatch(r"degf\((\w+)\)", call):
        return d[m[1]].degf(), []
    if m := re.fullmatch(r"svy(mean|total)\(~([\w.]+), (\w+)(, na.rm=TRUE)?(, deff=TRUE)?\)", call):
        stat, var, des, narm, deff = m.groups()
        dd = d[des]
        na = "omit" if narm else "raise"
        if not pd.api.types.is_numeric_dtype(dd.data[var]):
            return dd.proportion(var, na=na, deff=bool(deff)), []
        fn = dd.mean if stat == "mean" else dd.total
        return fn(var, na=na, deff=bool(deff)), []
    if m := re.fullmatch(r"svyratio\(~([\w.]+), ~([\w.]+), (\w+)(, na.rm=TRUE)?\)", call):
        num, den, des, narm = m.groups()
        return d[des].ratio(num, den, na="omit" if narm else "raise"), []
    pat = (
        r"svyby\(~([\w.]+), ~([\w.+]+), (\w+), (?:denominator=~(\w+), )?"
        r"svy(mean|total|ratio)(?:, covmat=TRUE)?\)"
    )
    if m := re.fullmatch(pat, call):
        var, by, des, den, stat = m.groups()
        bys = by.split("+")
        dd = d[des]
        if stat == "ratio":
            return dd.ratio(var, den, by=bys), bys
        if not pd.api.types.is_numeric_dtype(dd.data[var]):
            return dd.proportion(var, by=bys), bys
        return (dd.mean if stat == "mean" else dd.total)(var, by=bys), bys
    if m := re.fullmatch(r"svyquantile\(~(\w+), (\w+), quantiles=c\(([\d.,]+)\), ci=TRUE\)", call):
        var, des, qs = m.groups()
        return d[des].quantile(var, [float(v) for v in qs.split(",")]), []
    raise AssertionError(f"no carecost translation for R call {call!r}")


VALUES = pd.read_csv(REF / "values.csv", keep_default_na=False, na_values=["NA"])


@pytest.mark.parametrize("case", sorted(VALUES["case"].unique()))
def test_matches_r_survey(case: str) -> None:
    ref = VALUES[VALUES["case"] == case]
    call = ref["call"].iloc[0]
    got, by = carecost_for(call)
    if isinstance(got, float):
        assert got == pytest.approx(ref["estimate"].iloc[0], rel=0, abs=0)
        return
    got = _terms(got, by)
    if "quantile" in got.columns:
        for _, r in ref.iterrows():
            g = got[np.isclose(got["quantile"], r["p"])].iloc[0]
            np.testing.assert_allclose(g["estimate"], r["estimate"], rtol=RTOL)
            np.testing.assert_allclose(g[["ci_low", "ci_high"]].to_numpy(float),
                                       [r["ci_low"], r["ci_high"]], rtol=RTOL)
            np.testing.assert_allclose(g["se"], r["se"], rtol=RTOL)
            assert g["df"] == r["df"]
        return
    assert len(got) == len(ref), (got[["term", "domain"]], ref[["term", "domain"]])
    for _, r in ref.iterrows():
        sel = got[(got["term"] == r["term"]) & (got["domain"] == r["domain"])]
        assert len(sel) == 1, f"{r['term']} {r['domain']} not in {got[['term', 'domain']]}"
        g = sel.iloc[0]
        np.testing.assert_allclose(g["estimate"], r["estimate"], rtol=RTOL)
        np.testing.assert_allclose(g["se"], r["se"], rtol=RTOL, atol=1e-12)
        if not pd.isna(r["deff"]):
            np.testing.assert_allclose(g["deff"], r["deff"], rtol=RTOL, atol=1e-12)
        assert g["df"] == r["df"]


def test_contrasts_match_svycontrast() -> None:
    ref = pd.read_csv(REF / "contrasts.csv").set_index(["case", "contrast"])
    res = designs()["dsdr"].mean("y", by="sex")
    diff = difference(res, {"sex": "female"}, {"sex": "male"})
    rat = ratio_of(res, {"sex": "female"}, {"sex": "male"})
    r_diff = ref.loc[("E_sdr_contrast_diff", "contrast")]
    r_rat = ref.loc[("E_sdr_contrast_ratio", "contrast")]
    np.testing.assert_allclose(diff["estimate"].iloc[0], r_diff["estimate"], rtol=RTOL)
    np.testing.assert_allclose(diff["se"].iloc[0], r_diff["se"], rtol=RTOL)
    np.testing.assert_allclose(rat["estimate"].iloc[0], r_rat["estimate"], rtol=RTOL)
    np.testing.assert_allclose(rat["se"].iloc[0], r_rat["se"], rtol=RTOL)
    vc = res.attrs["carecost"].vcov
    np.testing.assert_allclose(vc[0, 0], ref.loc[("E_sdr_by_sex_vcov", "var(female)"), "estimate"],
                               rtol=RTOL)
    np.testing.assert_allclose(vc[0, 1],
                               ref.loc[("E_sdr_by_sex_vcov", "cov(female,male)"), "estimate"],
                               rtol=RTOL)


@pytest.mark.parametrize(
    ("design", "stem"),
    [("rclus1_jk1", "jk1_dclus1"), ("rstrat_jkn", "jkn_dstrat")],
)
def test_generated_replicate_weights_match_as_svrepdesign(design: str, stem: str) -> None:
    import json

    rd = designs()[design]
    assert isinstance(rd, ReplicateDesign)
    rw = pd.read_csv(REF / "data" / f"{stem}_repweights.csv").to_numpy(float)
    np.testing.assert_allclose(rd.replicate_weights, rw, rtol=1e-12)
    meta = json.loads((REF / "data" / f"{stem}_scales.json").read_text())
    fpc_meta = meta.get("fpc", meta)
    np.testing.assert_allclose(rd.scale, np.asarray(fpc_meta["scale"]).ravel()[0], rtol=1e-12)
    np.testing.assert_allclose(rd.rscales, np.broadcast_to(np.asarray(fpc_meta["rscales"],
                                                                      dtype=float),
                                                           rd.rscales.shape), rtol=1e-12)


QBY = pd.read_csv(REF / "quantile_by.csv")


@pytest.mark.parametrize(("case", "p"), sorted(set(zip(QBY["case"], QBY["p"], strict=True))))
def test_quantiles_by_domain_match_svyby_svyquantile(case: str, p: float) -> None:
    """Each domain's Woodruff interval uses that domain's degf, as R (make_reference_quantile.R).

    The R ``ci_low``/``ci_high`` columns are ``confint`` on the ``svyby`` object (normal,
    around the estimate), so only the estimate and the Woodruff SE are compared.
    """
    ref = QBY[(QBY["case"] == case) & (QBY["p"] == p)].set_index("domain")
    got = designs()[case].quantile("api00", p, by="stype").set_index("stype")
    for dom, r in ref.iterrows():
        np.testing.assert_allclose(got.loc[dom, "estimate"], r["estimate"], rtol=1e-12)
        np.testing.assert_allclose(got.loc[dom, "se"], r["se"], rtol=1e-8)
