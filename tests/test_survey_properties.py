"""Invariants of the survey estimators (hypothesis property tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecost.survey import Design, ReplicateDesign, difference, ratio_of
from carecost.survey._engine import replicate_variance


def _frame(seed: int, n: int, n_rep: int = 8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "stratum": rng.integers(0, 3, n),
        "y": rng.exponential(50.0, n) * (rng.random(n) < 0.7),
        "x": rng.uniform(1.0, 10.0, n),
        "sex": rng.choice(["female", "male"], n),
        "grp": rng.choice(["a", "b", "c"], n),
        "w": rng.uniform(1.0, 100.0, n),
    })
    df["psu"] = df["stratum"] * 100 + rng.integers(0, 4, n)
    # every stratum gets at least two PSUs
    df.loc[df.index[:6], ["stratum", "psu"]] = [[0, 0], [0, 1], [1, 100], [1, 101], [2, 200],
                                                [2, 201]]
    for r in range(n_rep):
        df[f"rep{r}"] = df["w"] * rng.uniform(0.5, 1.5, n)
    return df


def _designs(df: pd.DataFrame) -> list:
    return [
        Design(df, weights="w", strata="stratum", psu="psu"),
        ReplicateDesign(df, "w", [c for c in df.columns if c.startswith("rep")], method="sdr"),
    ]


seeds = st.integers(0, 10_000)
sizes = st.integers(30, 120)
scales = st.floats(0.01, 1000.0)


@settings(max_examples=25, deadline=None)
@given(seed=seeds, n=sizes, c=scales)
def test_scaling_weights_keeps_means_ratios_and_scales_totals(seed: int, n: int, c: float) -> None:
    df = _frame(seed, n)
    df2 = df.copy()
    for col in ["w"] + [k for k in df.columns if k.startswith("rep")]:
        df2[col] = df[col] * c
    for d1, d2 in zip(_designs(df), _designs(df2), strict=True):
        m1, m2 = d1.mean("y", by="sex"), d2.mean("y", by="sex")
        np.testing.assert_allclose(m1[["estimate", "se"]], m2[["estimate", "se"]], rtol=1e-9)
        r1, r2 = d1.ratio("y", "x"), d2.ratio("y", "x")
        np.testing.assert_allclose(r1[["estimate", "se"]], r2[["estimate", "se"]], rtol=1e-9)
        t1, t2 = d1.total("y"), d2.total("y")
        np.testing.assert_allclose(t2[["estimate", "se"]], c * t1[["estimate", "se"]], rtol=1e-9)


@settings(max_examples=20, deadline=None)
@given(seed=seeds, n=sizes)
def test_permuting_rows_changes_nothing(seed: int, n: int) -> None:
    df = _frame(seed, n)
    perm = df.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    for d1, d2 in zip(_designs(df), _designs(perm), strict=False):
        a = d1.mean("y", by="grp")
        b = d2.mean("y", by="grp")
        np.testing.assert_allclose(a[["estimate", "se"]], b[["estimate", "se"]], rtol=1e-9)


@settings(max_examples=25, deadline=None)
@given(seed=seeds, n=sizes)
def test_domain_mean_equals_mean_on_subset_design(seed: int, n: int) -> None:
    df = _frame(seed, n)
    for d in _designs(df):
        by = d.mean("y", by="sex")
        for sex in ("female", "male"):
            if not (df["sex"] == sex).any():
                continue
            sub = d.subset((d.data["sex"] == sex).to_numpy()).mean("y")
            row = by[by["sex"] == sex].iloc[0]
            np.testing.assert_allclose(sub["estimate"].iloc[0], row["estimate"], rtol=1e-10)
            np.testing.assert_allclose(sub["se"].iloc[0], row["se"], rtol=1e-10)


@settings(max_examples=25, deadline=None)
@given(seed=seeds, n=sizes)
def test_sdr_variance_is_4_over_r_sum_of_squares(seed: int, n: int) -> None:
    df = _frame(seed, n, n_rep=12)
    reps = [c for c in df.columns if c.startswith("rep")]
    d = ReplicateDesign(df, "w", reps, method="sdr", mse=True)
    est = d.mean("y")
    full = np.average(df["y"], weights=df["w"])
    thetas = np.array([np.average(df["y"], weights=df[c]) for c in reps])
    v = 4 / len(reps) * np.sum((thetas - full) ** 2)
    np.testing.assert_allclose(est["se"].iloc[0] ** 2, v, rtol=1e-10)
    np.testing.assert_allclose(est["estimate"].iloc[0], full, rtol=1e-12)


@settings(max_examples=25, deadline=None)
@given(seed=seeds, n=sizes)
def test_gap_is_antisymmetric_and_ratio_consistent(seed: int, n: int) -> None:
    df = _frame(seed, n)
    for d in _designs(df):
        res = d.mean("y", by="sex")
        if len(res) < 2:
            continue
        fm = difference(res, {"sex": "female"}, {"sex": "male"})
        mf = difference(res, {"sex": "male"}, {"sex": "female"})
        np.testing.assert_allclose(fm["estimate"], -mf["estimate"], rtol=1e-12)
        np.testing.assert_allclose(fm["se"], mf["se"], rtol=1e-12)
        r = ratio_of(res, {"sex": "female"}, {"sex": "male"})
        f = res.loc[res["sex"] == "female", "estimate"].iloc[0]
        m = res.loc[res["sex"] == "male", "estimate"].iloc[0]
        np.testing.assert_allclose(r["estimate"].iloc[0], f / m, rtol=1e-12)


def test_replicate_variance_mse_false_centres_on_mean() -> None:
    rng = np.random.default_rng(0)
    th = rng.normal(size=(3, 10))
    v = replicate_variance(th, np.zeros(3), 0.5, np.ones(10), mse=False, full=False)
    np.testing.assert_allclose(v, 0.5 * ((th - th.mean(1, keepdims=True)) ** 2).sum(1))


def test_total_of_indicator_equals_sum_of_weights() -> None:
    df = _frame(1, 50)
    df["one"] = 1.0
    d = _designs(df)[0]
    np.testing.assert_allclose(d.total("one")["estimate"].iloc[0], df["w"].sum(), rtol=1e-12)


def test_proportions_sum_to_one_and_match_indicator_means() -> None:
    df = _frame(2, 90)
    d = _designs(df)[1]
    p = d.proportion("grp", by="sex")
    sums = p.groupby("sex")["estimate"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0, rtol=1e-12)
    df["is_a"] = (df["grp"] == "a").astype(float)
    d2 = _designs(df)[1]
    m = d2.mean("is_a", by="sex")
    pa = p[p["level"] == "a"]
    np.testing.assert_allclose(pa["estimate"].to_numpy(), m["estimate"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(pa["se"].to_numpy(), m["se"].to_numpy(), rtol=1e-10)


def test_bootstrap_variance_close_to_linearization() -> None:
    df = _frame(5, 400)
    d = _designs(df)[0]
    lin = d.mean("y")["se"].iloc[0]
    boot = d.to_replicates("bootstrap", replicates=2000, seed=1).mean("y")["se"].iloc[0]
    assert boot == pytest.approx(lin, rel=0.1)


def test_ci_uses_t_with_design_df_by_default_and_normal_on_request() -> None:
    from scipy import stats

    df = _frame(4, 60)
    d = _designs(df)[0]
    r = d.mean("y")
    t = stats.t.ppf(0.975, r["df"].iloc[0])
    np.testing.assert_allclose(r["ci_high"] - r["estimate"], t * r["se"], rtol=1e-12)
    rn = d.mean("y", df=np.inf, level=0.9)
    np.testing.assert_allclose(rn["ci_high"] - rn["estimate"], stats.norm.ppf(0.95) * rn["se"],
                               rtol=1e-12)


def test_repeated_estimates_are_identical() -> None:
    df = _frame(11, 300, n_rep=20)
    d = _designs(df)[1]
    first = d.mean(["y", "x"], by=["sex", "grp"])
    second = d.mean(["y", "x"], by=["sex", "grp"])
    third = d.mean(["y", "x"], by=["sex", "grp"])
    for other in (second, third):
        np.testing.assert_allclose(other[["estimate", "se"]], first[["estimate", "se"]],
                                   rtol=1e-12)
    p1 = d.proportion("grp", by="sex")
    p2 = d.proportion("grp", by="sex")
    p3 = d.proportion("grp", by="sex")
    np.testing.assert_allclose(p3[["estimate", "se"]], p1[["estimate", "se"]], rtol=1e-12)
    np.testing.assert_allclose(p2[["estimate", "se"]], p1[["estimate", "se"]], rtol=1e-12)


def test_contrast_on_a_filtered_table_and_empty_domains() -> None:
    from carecost.survey import difference

    df = _frame(3, 120)
    d = _designs(df)[1]
    res = d.mean("y", by=["grp", "sex"])
    full = difference(res, {"grp": "a", "sex": "female"}, {"grp": "a", "sex": "male"})
    part = difference(res[res["grp"] == "a"], {"sex": "female"}, {"sex": "male"})
    np.testing.assert_allclose(part[["estimate", "se"]], full[["estimate", "se"]], rtol=1e-12)
    empty = _designs(df)[0].subset(np.zeros(len(df), dtype=bool)).mean("y")
    assert np.isnan(empty["estimate"].iloc[0]) and np.isnan(empty["se"].iloc[0])


def test_undefined_replicate_estimates_are_left_out_as_r() -> None:
    th = np.array([[1.0, 2.0, np.nan, 4.0]])
    with pytest.warns(UserWarning, match="1 replicate estimates are undefined"):
        v = replicate_variance(th, np.array([2.0]), 0.5, np.ones(4), mse=True, full=False)
    np.testing.assert_allclose(v, 0.5 * ((1 - 2) ** 2 + 0 + (4 - 2) ** 2))
    with pytest.warns(UserWarning):
        v2 = replicate_variance(th, np.array([2.0]), 0.5, np.ones(4), mse=False, full=False)
    m = (1 + 2 + 4) / 3
    np.testing.assert_allclose(v2, 0.5 * ((1 - m) ** 2 + (2 - m) ** 2 + (4 - m) ** 2))
