"""Wage imputation for opportunity cost: Mincer and Heckman two-step."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from carecost.valuation import ValuationError, WageModel, impute_wages, observed_hourly_wage


def _simulate(n: int = 20_000, rho: float = 0.6, seed: int = 1) -> pd.DataFrame:
    """ln w* = 1 + 0.1 educ - 0.2 female + u;  s* = -0.5 + 0.08 educ + 0.8 z + v;
    corr(u, v) = rho, sd(u) = 0.5; wages observed when s* > 0."""
    rng = np.random.default_rng(seed)
    educ = rng.integers(8, 21, n).astype(float)
    female = rng.integers(0, 2, n).astype(float)
    z = rng.normal(size=n)
    v = rng.normal(size=n)
    u = 0.5 * (rho * v + np.sqrt(1 - rho**2) * rng.normal(size=n))
    lw = 1 + 0.1 * educ - 0.2 * female + u
    s = -0.5 + 0.08 * educ + 0.8 * z + v > 0
    return pd.DataFrame({"educ": educ, "female": female, "z": z,
                         "wage": np.where(s, np.exp(lw), np.nan), "lw_true": lw})


def test_mincer_matches_least_squares_by_hand() -> None:
    df = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0] * 3,
                       "wage": [np.exp(1.0), np.exp(1.3), np.exp(1.35), np.exp(1.7), np.nan,
                                np.exp(2.05)] * 3})
    imp = impute_wages(df, df["wage"], ["x"], model="mincer")
    has = df["wage"].notna().to_numpy()
    x = np.column_stack([np.ones(has.sum()), df.loc[has, "x"]])
    b, *_ = np.linalg.lstsq(x, np.log(df.loc[has, "wage"]), rcond=None)
    resid = np.log(df.loc[has, "wage"]) - x @ b
    s2 = float(np.mean(resid**2))
    # the imputed wage of x = 5 is exp(b0 + 5 b1 + s2 / 2)
    expected = np.exp(b[0] + 5 * b[1] + s2 / 2)
    assert imp.wage.iloc[4] == pytest.approx(expected)
    assert imp.imputed.sum() == 3
    assert imp.wage[~imp.imputed].equals(df["wage"][~imp.imputed])
    assert "mincer" in imp.describe()


def test_heckman_two_step_by_hand() -> None:
    df = _simulate(n=3000)
    imp = impute_wages(df, df["wage"], ["educ", "female"], model="heckman",
                       selection_covariates=["z"])
    has = df["wage"].notna().to_numpy()
    z = sm.add_constant(df[["educ", "female", "z"]].to_numpy())
    probit = sm.Probit(has.astype(float), z).fit(disp=0)
    zg = z @ probit.params
    lam = stats.norm.pdf(zg) / stats.norm.cdf(zg)  # inverse Mills ratio
    x = np.column_stack([sm.add_constant(df[["educ", "female"]].to_numpy())[has], lam[has]])
    ols = sm.OLS(np.log(df["wage"].to_numpy()[has]), x).fit()
    np.testing.assert_allclose(imp.model.selection["estimate"], probit.params, rtol=1e-5)
    np.testing.assert_allclose(imp.model.outcome["estimate"], ols.params, rtol=1e-5)
    # offer for a non-earner: exp(x b + sigma^2 / 2), without the Mills term
    i = int(np.flatnonzero(~has)[0])
    xb = ols.params[0] + ols.params[1] * df["educ"].iloc[i] + ols.params[2] * df["female"].iloc[i]
    assert imp.wage.iloc[i] == pytest.approx(np.exp(xb + imp.model.sigma**2 / 2))


def test_heckman_corrects_selection_bias() -> None:
    df = _simulate()
    heck = impute_wages(df, df["wage"], ["educ", "female"], model="heckman",
                        selection_covariates=["z"])
    minc = impute_wages(df, df["wage"], ["educ", "female"], model="mincer")
    hb = heck.model.outcome.set_index("term")["estimate"]
    mb = minc.model.outcome.set_index("term")["estimate"]
    # true educ coefficient 0.1; selection on v with rho = 0.6 biases OLS downwards
    assert abs(hb["educ"] - 0.1) < abs(mb["educ"] - 0.1)
    assert abs(hb["educ"] - 0.1) < 0.01
    assert heck.model.rho == pytest.approx(0.6, abs=0.15)
    assert heck.model.sigma == pytest.approx(0.5, abs=0.05)
    # non-earners' mean log wage offer x'b (true: 1 + 0.1 educ - 0.2 female) vs the imputed
    # one; their realised ln w* is lower (E[u | no wage] < 0), which is not the offer
    miss = df["wage"].isna()
    true_offer = (1 + 0.1 * df.loc[miss, "educ"] - 0.2 * df.loc[miss, "female"]).mean()
    assert abs(heck.model.predict_log(df[miss]).mean() - true_offer) < 0.03
    assert abs(minc.model.predict_log(df[miss]).mean() - true_offer) > \
        abs(heck.model.predict_log(df[miss]).mean() - true_offer)


def test_imputation_errors() -> None:
    df = _simulate(n=500)
    with pytest.raises(ValuationError, match="needs selection_covariates"):
        impute_wages(df, df["wage"], ["educ"], model="heckman")
    with pytest.raises(ValuationError, match="in both covariates and selection"):
        impute_wages(df, df["wage"], ["educ", "z"], model="heckman", selection_covariates=["z"])
    with pytest.raises(ValuationError, match="missing values"):
        bad = df.assign(educ=df["educ"].where(df.index != 3))
        impute_wages(bad, bad["wage"], ["educ"], model="mincer")
    with pytest.raises(ValuationError, match="zero or negative"):
        impute_wages(df, df["wage"].fillna(0.0), ["educ"], model="mincer")
    with pytest.raises(ValuationError, match="not numeric"):
        impute_wages(df.assign(g="a"), df["wage"], ["g"], model="mincer")


def test_observed_hourly_wage_rules() -> None:
    df = pd.DataFrame({"hourly_wage": [12.0, np.nan, 0.0, np.nan],
                       "weekly_earn": [500.0, 800.0, 400.0, np.nan],
                       "work_hrs_week": [40.0, 40.0, 0.0, np.nan]})
    out = observed_hourly_wage(df)
    # hourly first; weekly / hours for salaried (800 / 40 = 20); zero amounts are not wages
    assert out["wage"].iloc[0] == 12.0
    assert out["wage"].iloc[1] == 20.0
    assert np.isnan(out["wage"].iloc[2]) and np.isnan(out["wage"].iloc[3])
    assert out.attrs["report"]["zero hourly (not used)"] == 1
    with pytest.raises(ValuationError, match="negative"):
        observed_hourly_wage(df.assign(weekly_earn=[-1.0, 0, 0, 0]))


def test_heckman_conditional_prediction_recovers_non_earners_wages() -> None:
    """On the simulated selection model the truth is known: non-earners' realised ln w*.

    With rho = 0.6 and sd(u) = 0.5, non-earners' errors average
    E[u | s=0] = -rho sd(u) phi(c)/(1 - Phi(c)) < 0, so the offer x'b overstates their
    log wage and the conditional mean x'b - b_lambda lambda_0 matches it.
    """
    df = _simulate()
    miss = df["wage"].isna().to_numpy()
    kw = {"model": "heckman", "selection_covariates": ["z"]}
    offer = impute_wages(df, df["wage"], ["educ", "female"], **kw)
    cond = impute_wages(df, df["wage"], ["educ", "female"], predict="conditional", **kw)
    assert offer.predict == "offer" and cond.predict == "conditional"
    assert "predict='conditional'" in cond.describe() and "predict='offer'" in offer.describe()
    # observed wages are kept by both
    assert cond.wage[~miss].equals(offer.wage[~miss])
    true_lw = df.loc[miss, "lw_true"].to_numpy()
    m, v = cond.model.conditional_log_moments(df[miss])
    # mean log wage of non-earners: conditional within 0.02, the offer off by > 0.15
    assert abs(m.mean() - true_lw.mean()) < 0.02
    assert offer.model.predict_log(df[miss]).mean() - true_lw.mean() > 0.15
    # conditional variance sigma^2 - b_lambda^2 lambda_0 (lambda_0 - c) vs the realised spread
    assert np.mean((true_lw - m) ** 2) == pytest.approx(v.mean(), rel=0.05)
    assert (v < cond.model.sigma**2).all()
    # wage levels (lognormal retransformation): with the true parameters the formula
    # exp(x'b + s^2/2) Phi(-c - rho s)/Phi(-c) gives the non-earners' mean wage (sampling
    # error of that mean about 0.8%); estimated (two-step rho 0.57 for 0.6), within 4%; the
    # unconditional offer exp(x'b + s^2/2) is far above it
    true_w = np.exp(true_lw).mean()
    truth = WageModel(
        model="heckman",
        outcome=pd.DataFrame({"term": ["const", "educ", "female", "inverse_mills_ratio"],
                              "estimate": [1.0, 0.1, -0.2, 0.6 * 0.5]}),  # b_lambda = rho s
        selection=pd.DataFrame({"term": ["const", "educ", "female", "z"],
                                "estimate": [-0.5, 0.08, 0.0, 0.8]}),
        sigma=0.5, rho=0.6, n_fit=0, retransform="lognormal",
        covariates=("educ", "female"), selection_covariates=("z",))
    assert truth.predict(df[miss], target="conditional").mean() == pytest.approx(true_w,
                                                                                 rel=0.015)
    assert cond.wage[miss].mean() == pytest.approx(true_w, rel=0.04)
    assert offer.wage[miss].mean() > 1.15 * true_w
    # retransform="none": exp of the conditional mean log wage
    geo = impute_wages(df, df["wage"], ["educ", "female"], predict="conditional",
                       retransform="none", **kw)
    np.testing.assert_allclose(geo.wage[miss], np.exp(m))


def test_conditional_prediction_needs_heckman() -> None:
    df = _simulate(n=500)
    with pytest.raises(ValuationError, match="needs model='heckman'"):
        impute_wages(df, df["wage"], ["educ"], model="mincer", predict="conditional")
    with pytest.raises(ValuationError, match="predict must be"):
        impute_wages(df, df["wage"], ["educ"], model="mincer", predict="mean")  # type: ignore[arg-type]
    minc = impute_wages(df, df["wage"], ["educ"], model="mincer")
    with pytest.raises(ValuationError, match="needs the Heckman model"):
        minc.model.predict(df, target="conditional")


def test_observed_hourly_wage_counts_implausible_wages() -> None:
    df = pd.DataFrame({"hourly_wage": [2.13, 12.0, np.nan, np.nan, 3.0],
                       "weekly_earn": [np.nan, np.nan, 2884.61, 800.0, np.nan],
                       "work_hrs_week": [np.nan, 40.0, 2.0, 40.0, np.nan]})
    # wages: 2.13 (tipped cash wage), 12, 2884.61 / 2 = 1442.3, 800 / 40 = 20, 3.00
    out = observed_hourly_wage(df)
    rep = out.attrs["report"]
    # default bounds: half the federal minimum (3.625) and 200 per hour; kept, not dropped
    assert rep["implausible: below min_plausible"] == 2
    assert rep["implausible: above max_plausible"] == 1
    assert rep["implausible: excluded"] == 0
    assert out["implausible"].tolist() == [True, False, True, False, True]
    assert out["wage"].iloc[2] == pytest.approx(1442.305)
    assert out.attrs["bounds"]["min_plausible"] == pytest.approx(3.625)
    # excluded on request: set to missing, reported
    ex = observed_hourly_wage(df, exclude_implausible=True)
    assert ex.attrs["report"]["implausible: excluded"] == 3
    assert ex["wage"].isna().tolist() == [True, False, True, False, True]
    assert (ex["wage_source"] == "excluded (implausible)").sum() == 3
    assert ex.attrs["report"]["hourly"] == 1 and ex.attrs["report"]["weekly/hours"] == 1
    # own bounds, or none
    own = observed_hourly_wage(df, min_plausible=2.0, max_plausible=None)
    assert not own["implausible"].any()
    with pytest.raises(ValuationError, match="min_plausible < max_plausible"):
        observed_hourly_wage(df, min_plausible=50.0, max_plausible=10.0)
