"""Wage imputation for opportunity cost: Mincer and Heckman two-step."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from carecost.valuation import ValuationError, impute_wages, observed_hourly_wage


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
