"""One design front end, two backends (issue 14, items 1, 2 and 6).

Every estimator test below runs on the in-memory backend (a pandas DataFrame) and on the
Dask backend (``dd.from_pandas(frame, npartitions=3)``) and checks the result against values
computed by hand in the test with numpy (not against the other backend), so that both
backends are checked against the formulas.  Quantiles (exact, in two passes on Dask) and
design effects work on both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carecost.survey import (
    Design,
    DesignError,
    Estimate,
    ReplicateDesign,
    contrast,
    difference,
    ratio_of,
)
from carecost.survey.results import critical_value

dd = pytest.importorskip("dask.dataframe")

BACKENDS = ["memory", "dask"]
REPS = [f"r{j:02d}" for j in range(12)]
RTOL = 1e-9


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(20261204)
    n = 900
    st = rng.integers(0, 3, n)
    df = pd.DataFrame({
        "st": st,
        "psu": st * 10 + rng.integers(0, 4, n),
        "sex": rng.choice(["female", "male"], n),
        "grp": rng.choice(["a", "b", "c"], n),
        "y": rng.exponential(50, n) * (rng.random(n) < 0.8),
        "x": rng.uniform(1, 4, n),
        "w": rng.uniform(1, 6, n),
        "year": rng.choice([2015, 2016], n),
    })
    df["fpc"] = 40.0 + 10 * df["st"]
    for r in REPS:
        df[r] = df["w"] * rng.uniform(0.6, 1.4, n)
    return df


def _data(frame: pd.DataFrame, backend: str) -> object:
    return frame if backend == "memory" else dd.from_pandas(frame, npartitions=3)


def _lin(frame: pd.DataFrame, backend: str, **kw: object) -> Design:
    kw = {"strata": "st", "psu": "psu", **kw}
    return Design(_data(frame, backend), weights="w", **kw)  # type: ignore[arg-type]


def _rep(frame: pd.DataFrame, backend: str) -> ReplicateDesign:
    return ReplicateDesign(_data(frame, backend), "w", REPS, method="sdr")


# ----------------------------------------------------------------- hand computations
def _lin_var(frame: pd.DataFrame, z: np.ndarray, fpc: bool = False) -> float:
    """Stratified with-replacement (or fpc) variance of PSU totals of z (one stage)."""
    t = pd.DataFrame({"st": frame["st"], "psu": frame["psu"], "z": z})
    pt = t.groupby(["st", "psu"])["z"].sum().reset_index()
    v = 0.0
    for h, g in pt.groupby("st"):
        n_h = len(g)
        f = 1 - n_h / (40.0 + 10 * h) if fpc else 1.0
        v += f * n_h / (n_h - 1) * ((g["z"] - g["z"].mean()) ** 2).sum()
    return v


def _hand_mean(frame: pd.DataFrame, y: str, dom: np.ndarray, design: str
               ) -> tuple[float, float]:
    w = frame["w"].to_numpy()
    yv = frame[y].to_numpy()
    d = dom.astype(float)
    est = (w * d * yv).sum() / (w * d).sum()
    if design == "rep":
        reps = np.array([(frame[r] * d * yv).sum() / (frame[r] * d).sum() for r in REPS])
        return est, float(np.sqrt(4 / len(REPS) * ((reps - est) ** 2).sum()))
    z = w * d * (yv - est) / (w * d).sum()
    return est, float(np.sqrt(_lin_var(frame, z, fpc=design == "lin_fpc")))


def _hand_total(frame: pd.DataFrame, y: str, dom: np.ndarray, design: str
                ) -> tuple[float, float]:
    w = frame["w"].to_numpy()
    yv = frame[y].to_numpy() * dom
    est = (w * yv).sum()
    if design == "rep":
        reps = np.array([(frame[r] * yv).sum() for r in REPS])
        return est, float(np.sqrt(4 / len(REPS) * ((reps - est) ** 2).sum()))
    return est, float(np.sqrt(_lin_var(frame, w * yv, fpc=design == "lin_fpc")))


def _make(frame: pd.DataFrame, design: str, backend: str) -> Design | ReplicateDesign:
    if design == "rep":
        return _rep(frame, backend)
    if design == "lin_fpc":
        return _lin(frame, backend, fpc="fpc")
    return _lin(frame, backend)


DESIGNS = ["lin", "lin_fpc", "rep"]


# ------------------------------------------------------------------------ estimators
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("design", DESIGNS)
def test_mean_by_domain_matches_the_formula(frame, backend, design) -> None:
    res = _make(frame, design, backend).mean("y", by="sex")
    assert isinstance(res, Estimate)
    for _, row in res.iterrows():
        est, se = _hand_mean(frame, "y", (frame["sex"] == row["sex"]).to_numpy(), design)
        assert row["estimate"] == pytest.approx(est, rel=RTOL)
        assert row["se"] == pytest.approx(se, rel=1e-8)
    assert res["n"].tolist() == frame["sex"].value_counts().sort_index().tolist()
    assert res.vcov is not None and res.vcov.shape == (2, 2)
    np.testing.assert_allclose(np.sqrt(np.diag(res.vcov)), res["se"], rtol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("design", DESIGNS)
def test_total_ratio_and_proportion_match_the_formula(frame, backend, design) -> None:
    d = _make(frame, design, backend)
    everyone = np.ones(len(frame), dtype=bool)
    tot = d.total("y")
    est, se = _hand_total(frame, "y", everyone, design)
    assert tot["estimate"].iloc[0] == pytest.approx(est, rel=RTOL)
    assert tot["se"].iloc[0] == pytest.approx(se, rel=1e-8)
    # ratio y/x = mean of y over mean of x; its SE from z = w (y - R x) / T_x
    rat = d.ratio("y", "x")
    w, y, x = (frame[c].to_numpy() for c in ("w", "y", "x"))
    r = (w * y).sum() / (w * x).sum()
    assert rat["estimate"].iloc[0] == pytest.approx(r, rel=RTOL)
    assert rat["variable"].iloc[0] == "y/x"
    if design != "rep":
        z = w * (y - r * x) / (w * x).sum()
        se_r = np.sqrt(_lin_var(frame, z, fpc=design == "lin_fpc"))
        assert rat["se"].iloc[0] == pytest.approx(se_r, rel=1e-8)
    prop = d.proportion("grp", by="sex")
    assert prop["level"].tolist() == ["a", "b", "c"] * 2
    for _, row in prop.iterrows():
        ind = frame.assign(ind=(frame["grp"] == row["level"]).astype(float))
        est, se = _hand_mean(ind, "ind", (frame["sex"] == row["sex"]).to_numpy(), design)
        assert row["estimate"] == pytest.approx(est, rel=RTOL)
        assert row["se"] == pytest.approx(se, rel=1e-8)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("design", DESIGNS)
@pytest.mark.parametrize("replace", [False, True])
def test_design_effects_on_both_backends(frame, backend, design, replace) -> None:
    """deff = V / V_srs with V_srs = S^2 (N - n)/(N n) (before: Dask had no deff)."""
    d = _make(frame, design, backend)
    res = d.mean("y", by="sex", deff="replace" if replace else True)
    tot = d.total("y", deff="replace" if replace else True)
    for _, row in res.iterrows():
        m = (frame["sex"] == row["sex"]).to_numpy()
        w, y = frame["w"].to_numpy()[m], frame["y"].to_numpy()[m]
        n, big_n = len(y), w.sum()
        ybar = (w * y).sum() / big_n
        s2 = n / (n - 1) * (w * (y - ybar) ** 2).sum() / big_n
        vsrs = s2 / n * (1.0 if replace else (big_n - n) / big_n)
        assert row["deff"] == pytest.approx(row["se"] ** 2 / vsrs, rel=1e-9)
    w, y = frame["w"].to_numpy(), frame["y"].to_numpy()
    n, big_n = len(y), w.sum()
    ybar = (w * y).sum() / big_n
    s2 = n / (n - 1) * (w * (y - ybar) ** 2).sum() / big_n
    vsrs = s2 / n * (1.0 if replace else (big_n - n) / big_n) * big_n**2
    assert tot["deff"].iloc[0] == pytest.approx(tot["se"].iloc[0] ** 2 / vsrs, rel=1e-9)


def test_deff_on_dask_does_not_cancel_for_large_values(frame) -> None:
    """Dask pools partition moments (Chan et al.), so y = 1e8 + noise keeps its deff."""
    big = frame.assign(y=1e8 + np.random.default_rng(3).normal(size=len(frame)))
    a = _lin(big, "memory").mean("y", deff=True)
    b = _lin(big, "dask").mean("y", deff=True)
    np.testing.assert_allclose(b["deff"], a["deff"], rtol=1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("design", DESIGNS)
def test_quantiles_are_exact_on_both_backends(frame, backend, design) -> None:
    """Before: quantiles raised on Dask. Now two passes (distinct values, then indicators)."""
    d = _make(frame, design, backend)
    res = d.quantile("y", [0.1, 0.5, 0.9], by="sex")
    for _, row in res.iterrows():
        sub = frame[frame["sex"] == row["sex"]].sort_values("y", kind="stable")
        share = (sub["w"].cumsum() / sub["w"].sum()).to_numpy()
        expect = sub["y"].to_numpy()[np.searchsorted(share, row["quantile"] - 1e-12)]
        assert row["estimate"] == expect
        assert row["ci_low"] <= row["estimate"] <= row["ci_high"]
    assert res.estimate_info is not None and res.vcov is None
    # the interval (Woodruff) and each domain's degrees of freedom agree with the in-memory
    # design, whose quantiles are checked against R in test_survey_reference.py
    ref = _make(frame, design, "memory").quantile("y", [0.1, 0.5, 0.9], by="sex")
    for c in ("estimate", "ci_low", "ci_high", "se", "df", "n"):
        np.testing.assert_allclose(res[c], ref[c], rtol=1e-10)


def test_quantile_ties_and_single_rows_follow_r_on_dask() -> None:
    """R's rule below the first share (take the second row) with tied and single values."""
    df = pd.DataFrame({"y": [0.0, 0.0, 0.0, 5.0, 7.0, 7.0, 9.0, 1.0, 2.0, 2.0],
                       "g": ["a"] * 7 + ["b"] * 3,
                       "w": [1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 1.0, 5.0, 1.0, 1.0]})
    probs = [0.0, 0.05, 0.2, 3 / 9, 0.5, 5 / 9, 0.99, 1.0]
    ref = Design(df, weights="w").quantile("y", probs, by="g", df=np.inf)
    got = Design(dd.from_pandas(df, npartitions=3), weights="w").quantile(
        "y", probs, by="g", df=np.inf)
    np.testing.assert_array_equal(got["estimate"], ref["estimate"])
    np.testing.assert_allclose(got[["ci_low", "ci_high"]], ref[["ci_low", "ci_high"]])


def test_quantile_on_dask_refuses_too_many_distinct_values(frame, monkeypatch) -> None:
    import carecost.survey._base as base

    monkeypatch.setattr(base, "QUANTILE_DISTINCT_LIMIT", 100)
    with pytest.raises(DesignError, match=r"distinct \(domain, value\) pairs of 'y'.*round"):
        _rep(frame, "dask").quantile("y", 0.5)


# ------------------------------------------------------------------------- subsets
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("design", ["lin", "rep"])
def test_subset_takes_an_expression_or_a_function_on_both(frame, backend, design) -> None:
    d = _make(frame, design, backend)
    dom = (frame["year"] == 2016).to_numpy()
    est, se = _hand_mean(frame, "y", dom, design)
    for mask in ("year == 2016", lambda f: f["year"] == 2016):
        got = d.subset(mask).mean("y")
        assert got["estimate"].iloc[0] == pytest.approx(est, rel=RTOL)
        assert got["se"].iloc[0] == pytest.approx(se, rel=1e-8)
    # the domain keeps the full design: degrees of freedom of the subset, as R
    assert d.subset("year == 2016").degf() == d.degf()


def test_array_masks_are_for_in_memory_designs(frame) -> None:
    dom = (frame["year"] == 2016).to_numpy()
    mem = _lin(frame, "memory").subset(dom).mean("y")
    assert mem["estimate"].iloc[0] == pytest.approx(_hand_mean(frame, "y", dom, "lin")[0])
    with pytest.raises(DesignError, match="an in-memory array cannot be aligned"):
        _lin(frame, "dask").subset(dom)


@pytest.mark.parametrize("backend", BACKENDS)
def test_weights_unit_travels_with_the_design(frame, backend) -> None:
    """Before: weights_unit lived on TimeUseSurvey only and subset() lost it."""
    d = ReplicateDesign(_data(frame, backend), "w", REPS, weights_unit="person_days")
    sub = d.subset("year == 2016").assign(z=lambda f: f["y"] * 2)
    assert sub.weights_unit == "person_days"
    assert sub.mean("z").estimate_info.weights_unit == "person_days"  # type: ignore[union-attr]
    assert d.with_weights_unit("persons").weights_unit == "persons"
    with pytest.raises(DesignError, match="weights_unit must be one of"):
        d.with_weights_unit("people")  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", BACKENDS)
def test_estimate_info_carries_the_design_facts(frame, backend) -> None:
    res = _rep(frame, backend).mean("y", by="sex")
    info = res.estimate_info
    assert info is not None
    assert info.df == 11.0 and info.method == "replicate (sdr)" and info.statistic == "mean"
    lin = _lin(frame, backend).total("y").estimate_info
    assert lin is not None and lin.method == "linearization"
    assert lin.df == frame["psu"].nunique() - frame["st"].nunique()


def test_dask_refuses_row_access_with_one_clear_error(frame) -> None:
    d = _rep(frame, "dask")
    for what, call in (("weights", lambda: d.weights), ("in_subset", lambda: d.in_subset),
                       ("replicate_weights", lambda: d.replicate_weights)):
        with pytest.raises(DesignError, match=f"{what}.*not available on the Dask backend"):
            call()
    with pytest.raises(DesignError, match="to_replicates is not available on the Dask"):
        _lin(frame, "dask").to_replicates()
    assert len(d.subset("year == 2016")) == int((frame["year"] == 2016).sum())
    assert d.weight_total() == pytest.approx(frame["w"].sum())
    with pytest.raises(DesignError, match="already exist and this Dask design is a subset"):
        d.subset("y > 0").assign(y=lambda f: f["y"] + 1)


def test_old_dask_constructors_return_the_one_front_end(frame) -> None:
    from carecost.survey.dask_backend import DaskDesign, DaskReplicateDesign

    ddf = dd.from_pandas(frame, npartitions=3)
    assert isinstance(DaskDesign(ddf, "w", strata="st", psu="psu"), Design)
    assert isinstance(DaskReplicateDesign(ddf, "w", REPS), ReplicateDesign)
    with pytest.raises(DesignError, match="takes a Dask DataFrame"):
        DaskDesign(frame, "w")


# ------------------------------------------------------------------- result objects
def test_estimate_keeps_its_covariance_through_pandas_operations(frame) -> None:
    res = _lin(frame, "memory").mean(["y", "x"], by="sex")
    full = res.vcov
    assert full is not None
    sub = res[res["variable"] == "y"]
    np.testing.assert_allclose(sub.vcov, full[np.ix_([0, 2], [0, 2])])
    flipped = res.sort_values("estimate", ascending=False)
    order = flipped.index.to_numpy()
    np.testing.assert_allclose(flipped.vcov, full[np.ix_(order, order)])
    # a combination of tables has no joint covariance
    assert pd.concat([res, res]).vcov is None
    # scaling: estimates x f, covariance x f^2
    sc = res.scaled(365.0)
    np.testing.assert_allclose(sc.vcov, full * 365.0**2)
    np.testing.assert_allclose(sc["se"], res["se"] * 365.0)
    # the contrast of a scaled table is the scaled contrast
    a = difference(res, {"sex": "female", "variable": "y"}, {"sex": "male", "variable": "y"})
    b = difference(sc, {"sex": "female", "variable": "y"}, {"sex": "male", "variable": "y"})
    assert b["estimate"].iloc[0] == pytest.approx(365 * a["estimate"].iloc[0], rel=1e-12)
    assert b["se"].iloc[0] == pytest.approx(365 * a["se"].iloc[0], rel=1e-12)
    assert isinstance(a, Estimate) and a.vcov is not None
    assert ratio_of(res, 0, 2)["estimate"].iloc[0] == pytest.approx(
        res["estimate"].iloc[0] / res["estimate"].iloc[2])


def test_relabelled_or_edited_tables_are_refused(frame) -> None:
    res = _lin(frame, "memory").mean("y", by="grp")
    moved = res[res["grp"] != "a"].reset_index(drop=True)  # labels 0, 1 now mean b, c
    with pytest.raises(DesignError, match="no longer match the estimates"):
        difference(moved, 0, 1)
    edited = res.copy()
    edited["estimate"] = edited["estimate"] * 2
    with pytest.raises(DesignError, match="no longer match the estimates"):
        contrast(edited, {"a-b": {0: 1.0, 1: -1.0}})
    with pytest.raises(DesignError, match="level must be a number between 0 and 1"):
        critical_value(95, 10)
    with pytest.raises(DesignError, match="level must be a number between 0 and 1"):
        _lin(frame, "memory").mean("y", level=1.5)
    no_cov = _lin(frame, "memory").mean("y", by="grp", vcov=False)
    with pytest.raises(DesignError, match="has no covariance matrix"):
        difference(no_cov, 0, 1)


# ------------------------------------------------------------ in-memory engine internals
def test_domain_numbering_equals_pandas_groupby() -> None:
    """make_groups' per-column factorization numbers domains as groupby(sort=True)."""
    from carecost.survey._engine import groups_by_pandas, make_groups

    rng = np.random.default_rng(5)
    n = 400
    df = pd.DataFrame({
        "i": rng.integers(-3, 4, n), "u": rng.integers(0, 3, n).astype(np.uint8),
        "b": rng.random(n) < 0.5, "s": rng.choice(["x", "y", "zz"], n),
        "c": pd.Categorical(rng.choice(["lo", "hi"], n), categories=["mid", "lo", "hi"]),
        "f": rng.choice([0.5, 1.5, -2.0], n), "big": rng.choice([10**12, -5, 7], n),
        "o": pd.Series(rng.choice(["a", "b"], n), dtype=object),
        "ni": pd.array(rng.integers(0, 3, n), dtype="Int64"),
        "gap": rng.choice([0, 500, 1000, 1500], n), "gap2": rng.choice([-1500, 0, 7], n),
    })
    for by in (["i"], ["b"], ["s"], ["c"], ["f"], ["big"], ["o"], ["ni"], ["i", "s"],
               ["c", "b", "u"], ["s", "c", "f", "big"], ["gap", "gap2", "b"]):
        for active in (np.ones(n, dtype=bool), rng.random(n) < 0.6):
            got, ref = make_groups(df, by, active), groups_by_pandas(df, by, active)
            np.testing.assert_array_equal(got.codes, ref.codes)
            pd.testing.assert_frame_equal(got.table, ref.table)


@pytest.mark.parametrize("order", ["C", "F"])
def test_streaming_replicate_product_equals_dense(order: str) -> None:
    """replicate_products = base.T @ W for row- and column-major W, with rows outside every
    domain and with one or several threads."""
    import scipy.sparse as sp

    from carecost.survey._engine import base_matrix, replicate_products

    rng = np.random.default_rng(3)
    n, r, g = 30_000, 150, 7
    w = np.asarray(rng.uniform(0.5, 2.0, (n, r)), order=order)
    codes = rng.integers(-1, g, n).astype(np.intp)
    values = np.column_stack([rng.normal(size=n), np.ones(n)])
    base = base_matrix(values, codes, g)
    dense = base.toarray().T @ np.ascontiguousarray(w)
    for threads in (1, 2):
        np.testing.assert_allclose(replicate_products(base, w, threads), dense, rtol=1e-12)
    empty = sp.csr_matrix((n, 2 * g))
    assert not replicate_products(empty, w, 2).any()


def test_degf_certificate_agrees_with_the_full_gram_rank() -> None:
    """The full-rank certificate never changes degf: full-rank, duplicated and nearly
    dependent replicate columns, on the whole design and on a subset and per domain."""
    from carecost.survey._backend import rank_from_gram, replicate_rank

    rng = np.random.default_rng(11)
    n, r = 3_000, 40
    w = rng.uniform(1, 5, n)
    fac = 1 + 2**-1.5 * (rng.choice([-1.0, 1.0], (n, r)) - rng.choice([-1.0, 1.0], (n, r)))
    full = w[:, None] * fac
    dup = full.copy()
    dup[:, 5] = dup[:, 7]  # rank 39
    near = full.copy()
    near[:, 3] = near[:, 4] * (1 + 1e-9 * rng.normal(size=n))  # rank 39 at tolerance 1e-5
    for mat, expect in ((full, r), (dup, r - 1), (near, r - 1)):
        rows = np.arange(n)
        bound = np.einsum("ij,ij->j", mat, mat)
        assert replicate_rank(mat, rows, bound) == rank_from_gram(mat.T @ mat) == expect
        loose = n * mat.max(axis=0) ** 2  # the bound the design build gives
        assert replicate_rank(mat, rows, loose) == expect
        sub = rows[rng.random(n) < 0.3]
        assert replicate_rank(mat, sub, loose) == rank_from_gram(mat[sub].T @ mat[sub])
    few = np.arange(25)  # fewer rows than columns: the full Gram matrix decides
    assert replicate_rank(full, few, np.einsum("ij,ij->j", full, full)) == 25
    df = pd.DataFrame(dup, columns=[f"q{j}" for j in range(r)]).assign(w=w, y=rng.normal(size=n))
    d = ReplicateDesign(df, weights="w", replicates=[f"q{j}" for j in range(r)], method="sdr")
    assert d.degf() == r - 2
    assert d.subset(df["y"] > 0).degf() == rank_from_gram(
        dup[df["y"] > 0].T @ dup[df["y"] > 0]) - 1


def test_replicate_weights_are_read_in_place_and_checked(frame) -> None:
    """float64 replicate columns in one pandas block are read without a conversion per
    column; the checks still name the bad column, whatever the layout."""
    reps = list(REPS)
    d = ReplicateDesign(frame, weights="w", replicates=reps, method="sdr")
    repw = d.replicate_weights
    assert repw.flags.c_contiguous and repw.shape == (len(frame), len(reps))
    np.testing.assert_array_equal(repw, frame[reps].to_numpy())
    c_layout = pd.DataFrame(np.ascontiguousarray(frame[reps].to_numpy()), columns=reps)
    c_layout["w"] = frame["w"].to_numpy()
    c_layout["y"] = frame["y"].to_numpy()
    d2 = ReplicateDesign(c_layout, weights="w", replicates=reps, method="sdr")
    pd.testing.assert_frame_equal(d2.mean("y"), d.mean("y"))
    ints = frame.assign(**{r: frame[r].round().astype("int64") + 1 for r in reps})
    d3 = ReplicateDesign(ints, weights="w", replicates=reps, method="sdr")
    np.testing.assert_array_equal(d3.replicate_weights, ints[reps].to_numpy(dtype=float))
    for bad, msg in ((np.nan, "r03.*1 missing"), (-1.0, "r03.*negative")):
        for data in (frame, c_layout):
            broken = data.copy()
            broken.loc[4, "r03"] = bad
            with pytest.raises(DesignError, match=msg):
                ReplicateDesign(broken, weights="w", replicates=reps, method="sdr")
    const = frame.assign(r05=2.0)
    with pytest.raises(DesignError, match=r"r05.*constant"):
        ReplicateDesign(const, weights="w", replicates=reps, method="sdr")
    unc = ReplicateDesign(frame.assign(**{r: frame[r] / frame["w"] for r in reps}), weights="w",
                          replicates=reps, method="sdr", combined_weights=False)
    np.testing.assert_allclose(unc.replicate_weights, frame[reps].to_numpy(), rtol=1e-12)
