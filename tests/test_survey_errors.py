"""Bad input gets a clear error; lonely PSUs follow the option the user chose (vs R)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carecost.survey import Design, DesignError, ReplicateDesign, difference

REF = Path(__file__).parent / "reference"


@pytest.fixture
def df() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 40
    out = pd.DataFrame({
        "stratum": np.repeat([1, 2], n // 2),
        "psu": np.tile(np.arange(4), n // 4) + np.repeat([0, 10], n // 2),
        "y": rng.normal(10, 2, n),
        "sex": rng.choice(["female", "male"], n),
        "w": rng.uniform(1, 3, n),
    })
    for r in range(4):
        out[f"rw{r}"] = out["w"] * rng.uniform(0.5, 1.5, n)
    return out


def test_unknown_column(df: pd.DataFrame) -> None:
    with pytest.raises(DesignError, match=r"column\(s\) \['wt'\] not found"):
        Design(df, weights="wt")
    d = Design(df, weights="w", strata="stratum", psu="psu")
    with pytest.raises(DesignError, match="'income'"):
        d.mean("income")


def test_missing_and_negative_weights(df: pd.DataFrame) -> None:
    bad = df.copy()
    bad.loc[3, "w"] = np.nan
    with pytest.raises(DesignError, match="1 missing value"):
        Design(bad, weights="w")
    bad.loc[3, "w"] = -1.0
    with pytest.raises(DesignError, match="1 negative value"):
        Design(bad, weights="w")
    with pytest.raises(DesignError, match="1 negative"):
        ReplicateDesign(bad, "w", "rw[0-9]")


def test_lonely_psu_is_an_error_by_default(df: pd.DataFrame) -> None:
    one = df.copy()
    one.loc[one["stratum"] == 2, "psu"] = 10
    with pytest.raises(DesignError, match="stratum stratum=2 has only one PSU"):
        Design(one, weights="w", strata="stratum", psu="psu")


def test_psu_not_nested(df: pd.DataFrame) -> None:
    bad = df.copy()
    bad["psu"] = np.tile(np.arange(4), len(df) // 4)
    with pytest.raises(DesignError, match="nest=True"):
        Design(bad, weights="w", strata="stratum", psu="psu")
    d = Design(bad, weights="w", strata="stratum", psu="psu", nest=True)
    assert d.degf() == 8 - 2


def test_replicate_columns(df: pd.DataFrame) -> None:
    with pytest.raises(DesignError, match="no column matches"):
        ReplicateDesign(df, "w", "repwt[0-9]+")
    with pytest.raises(DesignError, match=r"not found"):
        ReplicateDesign(df, "w", ["rw0", "rw9"])
    const = df.copy()
    const["rw1"] = 1.0
    with pytest.raises(DesignError, match=r"\['rw1'\] are constant"):
        ReplicateDesign(const, "w", "rw[0-9]")
    with pytest.raises(DesignError, match="rho"):
        ReplicateDesign(df, "w", "rw[0-9]", method="fay")
    with pytest.raises(DesignError, match="rscales"):
        ReplicateDesign(df, "w", "rw[0-9]", method="jkn")


def test_missing_values_in_y_are_an_error_unless_omitted(df: pd.DataFrame) -> None:
    bad = df.copy()
    bad.loc[[1, 5], "y"] = np.nan
    d = Design(bad, weights="w", strata="stratum", psu="psu")
    with pytest.raises(DesignError, match=r"'y' has 2 missing value\(s\)"):
        d.mean("y")
    got = d.mean("y", na="omit")
    keep = bad["y"].notna()
    expected = np.average(bad.loc[keep, "y"], weights=bad.loc[keep, "w"])
    assert got["estimate"].iloc[0] == pytest.approx(expected, rel=1e-12)
    assert got["n"].iloc[0] == keep.sum()


def test_mismatched_subset_length_and_type(df: pd.DataFrame) -> None:
    d = Design(df, weights="w")
    with pytest.raises(DesignError, match="shape"):
        d.subset(np.ones(3, dtype=bool))
    with pytest.raises(DesignError, match="boolean"):
        d.subset(np.ones(len(df)))


def test_non_numeric_y(df: pd.DataFrame) -> None:
    d = Design(df, weights="w")
    with pytest.raises(DesignError, match=r"not numeric.*proportion"):
        d.mean("sex")


def test_fpc_errors(df: pd.DataFrame) -> None:
    bad = df.copy()
    bad["fpc"] = np.where(bad["stratum"] == 1, 100, 0.5)
    with pytest.raises(DesignError, match="mixes"):
        Design(bad, weights="w", strata="stratum", psu="psu", fpc="fpc")
    bad["fpc"] = 2
    with pytest.raises(DesignError, match="more than 100% sampling"):
        Design(bad, weights="w", strata="stratum", psu="psu", fpc="fpc")
    with pytest.raises(DesignError, match="one fpc column per stage"):
        Design(bad, weights="w", psu=["stratum", "psu"], fpc="fpc")


def test_contrast_needs_a_carecost_table(df: pd.DataFrame) -> None:
    res = Design(df, weights="w").mean("y", by="sex")
    with pytest.raises(TypeError, match="carries no carecost covariance"):
        difference(pd.DataFrame(res), 0, 1)
    with pytest.raises(KeyError, match="0 rows match"):
        difference(res, {"sex": "other"}, {"sex": "male"})


LONELY = pd.read_csv(REF / "lonely_psu.csv")


@pytest.mark.parametrize("option", ["remove", "certainty", "adjust", "average"])
@pytest.mark.parametrize("fpc", [False, True])
def test_lonely_psu_options_match_r(option: str, fpc: bool) -> None:
    a = pd.read_csv(REF / "data" / "apistrat.csv")
    first_m = a.index[a["stype"] == "M"][0]
    a = a[(a["stype"] != "M") | (a.index == first_m)].reset_index(drop=True)
    d = Design(a, weights="pw", strata="stype", fpc="fpc" if fpc else None,
               lonely_psu=option)  # type: ignore[arg-type]
    ref = LONELY[(LONELY["option"] == option) & (LONELY["fpc"] == fpc)].set_index("stat")
    m = d.mean("api00")
    t = d.total("enroll")
    b = d.mean("api00", by="awards")
    got = {
        "mean_api00": m.iloc[0], "total_enroll": t.iloc[0],
        "by_awards_No": b[b["awards"] == "No"].iloc[0],
        "by_awards_Yes": b[b["awards"] == "Yes"].iloc[0],
    }
    for stat, row in got.items():
        np.testing.assert_allclose(row["estimate"], ref.loc[stat, "estimate"], rtol=1e-8)
        np.testing.assert_allclose(row["se"], ref.loc[stat, "se"], rtol=1e-8)


JKN = pd.read_csv(REF / "lonely_psu_jkn.csv")


@pytest.mark.parametrize("option", ["remove", "certainty", "adjust", "average"])
def test_jkn_replicates_with_lonely_psu_match_r(option: str) -> None:
    a = pd.read_csv(REF / "data" / "apistrat.csv")
    first_m = a.index[a["stype"] == "M"][0]
    a = a[(a["stype"] != "M") | (a.index == first_m)].reset_index(drop=True)
    d = Design(a, weights="pw", strata="stype", lonely_psu=option)  # type: ignore[arg-type]
    r = d.to_replicates("jkn", mse=False)
    ref = JKN[JKN["option"] == option].set_index("stat")
    assert r.replicate_weights.shape[1] == ref["replicates"].iloc[0]
    assert r.scale == pytest.approx(ref["scale"].iloc[0], rel=1e-12)
    for stat, got in (("mean_api00", r.mean("api00")), ("total_enroll", r.total("enroll"))):
        np.testing.assert_allclose(got["estimate"].iloc[0], ref.loc[stat, "estimate"], rtol=1e-8)
        np.testing.assert_allclose(got["se"].iloc[0], ref.loc[stat, "se"], rtol=1e-8)


MULTI = pd.read_csv(REF / "lonely_psu_multistage.csv", keep_default_na=False,
                    na_values=["NaN", "NA"])


def _multistage_design(name: str, option: str) -> Design:
    """The designs of make_reference_lonely_multistage.R (apiclus2 with lonely stage-2 units)."""
    a = pd.read_csv(REF / "data" / "apiclus2.csv")
    n = a.groupby("dnum")["snum"].transform("size")
    big = sorted(a.loc[n >= 5, "dnum"].unique())[:4]
    first = a["snum"] == a.groupby("dnum")["snum"].transform("min")
    a["one"] = 1
    a["st2"] = np.where(a["dnum"].isin(big) & first, "b", "a")
    if name != "ms_strata0":
        a.loc[a["dnum"].isin([176, 719]), "fpc2"] = 5
    strata = None if name == "ms_lonely" else ["one", "st2"]
    return Design(a, psu=["dnum", "snum"], strata=strata, fpc=["fpc1", "fpc2"],
                  lonely_psu=option)  # type: ignore[arg-type]


@pytest.mark.parametrize("option", ["remove", "certainty", "adjust", "average"])
@pytest.mark.parametrize("name", ["ms_lonely", "ms_strata", "ms_strata0"])
def test_lonely_units_at_stage_two_by_domain_match_r(name: str, option: str) -> None:
    """svyby on a two-stage design with lonely stage-2 units, as R (issue 13 item 8).

    With ``"average"`` R averages within each first-stage unit over the stage-2 strata the
    domain reaches, so only domains that reach a unit whose reached strata are all lonely are
    NaN (before the fix every domain was NaN).
    """
    d = _multistage_design(name, option)
    ref = MULTI[(MULTI["design"] == name) & (MULTI["option"] == option)]
    got: dict[tuple[str, str], pd.Series] = {
        ("mean_api00", ""): d.mean("api00").iloc[0],
        ("total_api99", ""): d.total("api99").iloc[0],
        ("mean_api00_subset_sch.wide_Yes", ""):
            d.subset((d.data["sch.wide"] == "Yes").to_numpy()).mean("api00").iloc[0],
    }
    for by in ("stype", "sch.wide"):
        for stat, res in (("mean_api00", d.mean("api00", by=by)),
                          ("total_api99", d.total("api99", by=by))):
            for _, r in res.iterrows():
                got[(stat, f"{by}={r[by]}")] = r
    assert len(got) == len(ref)
    for _, r in ref.iterrows():
        g = got[(r["stat"], r["domain"])]
        np.testing.assert_allclose(g["estimate"], r["estimate"], rtol=1e-8)
        assert np.isnan(g["se"]) == np.isnan(r["se"]), (r["stat"], r["domain"], g["se"])
        if not np.isnan(r["se"]):
            np.testing.assert_allclose(g["se"], r["se"], rtol=1e-8)


def test_lonely_unit_at_stage_two_fails_by_default_naming_it() -> None:
    with pytest.raises(DesignError, match=r"only one PSU at stage 2.*within dnum=176|"
                                          r"within dnum=176.*only one PSU at stage 2"):
        _multistage_design("ms_lonely", "fail")
