"""Wages for non-earners: Mincer wage equation and Heckman two-step selection model.

Opportunity-cost valuation needs an hourly wage for everyone, but earnings
are observed only for wage earners.  :func:`impute_wages` fits

* a **Mincer** equation by weighted least squares on earners,
  :math:`\\ln w_i = x_i'\\beta + u_i` (Mincer 1974), or
* a **Heckman two-step** model (Heckman 1979): a probit for having a wage,
  :math:`P(s_i=1) = \\Phi(z_i'\\gamma)`, then least squares on earners of
  :math:`\\ln w_i = x_i'\\beta + \\beta_\\lambda \\lambda(z_i'\\gamma) + e_i`
  with the inverse Mills ratio :math:`\\lambda(c) = \\phi(c)/\\Phi(c)`,

and predicts the wage of non-earners.  The choice is recorded in the result
and carried into the valuation's notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from ._common import REFERENCES, ValuationError

WageModelName = Literal["mincer", "heckman"]


@dataclass(frozen=True)
class WageModel:
    """A fitted wage model.

    Attributes
    ----------
    model
        ``"mincer"`` or ``"heckman"``.
    outcome
        Log-wage equation: ``term``, ``estimate``, ``se`` (model-based, not
        design-based; for Heckman, the two-step OLS SEs, which ignore the
        estimated :math:`\\lambda`).
    selection
        Probit (Heckman only): ``term``, ``estimate``, ``se``.
    sigma
        Standard deviation of the log-wage error (Heckman: the consistent
        two-step estimate :math:`\\hat\\sigma^2 = \\bar{e^2} + \\hat\\beta_\\lambda^2
        \\bar\\delta`, :math:`\\delta_i = \\lambda_i(\\lambda_i + z_i'\\hat\\gamma)`).
    rho
        Correlation of the selection and wage errors (Heckman only),
        :math:`\\hat\\beta_\\lambda/\\hat\\sigma` (may fall outside [-1, 1] in
        small samples; reported, not clipped).
    n_fit
        Earners used in the wage equation.
    retransform
        How log predictions become wages (``"lognormal"``:
        :math:`\\exp(x'\\beta + \\sigma^2/2)`; ``"none"``: :math:`\\exp(x'\\beta)`).
    """

    model: WageModelName
    outcome: pd.DataFrame
    selection: pd.DataFrame | None
    sigma: float
    rho: float | None
    n_fit: int
    retransform: str
    covariates: tuple[str, ...]
    selection_covariates: tuple[str, ...]

    def predict_log(self, x: pd.DataFrame) -> np.ndarray:
        """Predicted log wage offer :math:`x'\\beta` (no selection term)."""
        b = self.outcome.set_index("term")["estimate"]
        xs = _design_matrix(x, list(self.covariates), "predict")
        return np.asarray(xs @ b.reindex(xs.columns).to_numpy())

    def predict(self, x: pd.DataFrame) -> np.ndarray:
        """Predicted hourly wage offer (currency per hour)."""
        lp = self.predict_log(x)
        if self.retransform == "lognormal":
            return np.asarray(np.exp(lp + self.sigma**2 / 2))
        return np.asarray(np.exp(lp))


@dataclass(frozen=True)
class ImputedWages:
    """Observed wages with imputed wages for everyone else.

    Attributes
    ----------
    wage
        Hourly wage per person (observed, or imputed), aligned with the data.
    imputed
        True where the wage was imputed.
    model
        The fitted :class:`WageModel`.
    report
        Counts (observed, imputed, and why).
    """

    wage: pd.Series
    imputed: pd.Series
    model: WageModel
    report: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        m = self.model
        ref = REFERENCES["heckman1979"] if m.model == "heckman" else REFERENCES["mincer1974"]
        extra = ""
        if m.model == "heckman":
            extra = (f"; probit for having a wage on {list(m.selection_covariates)}, "
                     f"inverse Mills ratio in the wage equation (rho={m.rho:.3f})")
        half = " + s^2/2" if m.retransform == "lognormal" else ""
        return (f"{int(self.imputed.sum())} of {len(self.wage)} wages imputed by a "
                f"{m.model} log-wage equation on {list(m.covariates)} fitted to {m.n_fit} "
                f"earners{extra}; predicted wage offer exp(x'b{half}), "
                f"sigma={m.sigma:.3f}. Ref.: {ref}")


def _design_matrix(x: pd.DataFrame, cols: list[str], where: str) -> pd.DataFrame:
    missing = [c for c in cols if c not in x.columns]
    if missing:
        raise ValuationError(f"{where}: covariates {missing} not in the data")
    dup = sorted({c for c in cols if list(x.columns).count(c) > 1})
    if dup:
        raise ValuationError(f"{where}: the data have several columns named {dup}")
    out = x[cols]
    for c in cols:
        if not pd.api.types.is_numeric_dtype(out[c].dtype):
            raise ValuationError(
                f"{where}: covariate {c!r} is not numeric ({out[c].dtype}); encode it as dummies "
                "(pandas.get_dummies) first"
            )
    na = out.isna().sum()
    if na.any():
        bad = {k: int(v) for k, v in na.items() if v}
        raise ValuationError(f"{where}: covariates have missing values {bad}; a model cannot "
                             "predict for them — impute or recode first")
    xs = out.astype(float)
    xs.insert(0, "const", 1.0)
    return xs


def _coef_table(res: object, names: list[str]) -> pd.DataFrame:
    params = np.asarray(res.params)  # type: ignore[attr-defined]
    bse = np.asarray(res.bse)  # type: ignore[attr-defined]
    return pd.DataFrame({"term": names, "estimate": params, "se": bse})


def impute_wages(
    data: pd.DataFrame, observed: pd.Series | np.ndarray, covariates: list[str], *,
    model: WageModelName = "heckman", selection_covariates: list[str] | None = None,
    weights: str | np.ndarray | None = None,
    retransform: Literal["lognormal", "none"] = "lognormal",
) -> ImputedWages:
    """Fill missing hourly wages with a Mincer or a Heckman two-step wage model.

    Parameters
    ----------
    data
        One row per person, with numeric ``covariates`` (and
        ``selection_covariates``) without missing values.
    observed
        Observed hourly wage (currency per hour), NaN where not observed,
        aligned with ``data`` (e.g. ``observed_hourly_wage(data)["wage"]``).
        Non-positive observed wages are an error.
    covariates
        Regressors of the log-wage equation (e.g. years of schooling,
        potential experience and its square, sex, race, region).
    model
        ``"mincer"``: least squares on earners only (assumes earners are a
        random sample of everyone given ``covariates``).  ``"heckman"``: the
        two-step selection correction; needs ``selection_covariates``.
    selection_covariates
        Extra variables of the participation probit, excluded from the wage
        equation (exclusion restrictions, e.g. young children, a working
        partner); the probit uses ``covariates + selection_covariates``.
    weights
        Survey weights (column or array) for weighted point estimates
        (probit by weighted likelihood, WLS); model-based SEs are reported.
    retransform
        ``"lognormal"`` (default) predicts :math:`E[w] = \\exp(x'\\beta +
        \\sigma^2/2)`; ``"none"`` predicts the geometric mean.

    Returns
    -------
    ImputedWages
        Observed wages kept; everyone else gets the predicted wage offer.

    Notes
    -----
    For Heckman, the imputed wage is the *offer* :math:`x'\\beta` of the
    latent wage equation, the wage a non-earner would command, not the
    selected earners' conditional mean.  Point estimates are consistent
    under the model; the coefficient SEs here are model-based and ignore the
    survey design.

    References
    ----------
    Heckman, J. J. (1979). Sample selection bias as a specification error.
    *Econometrica* 47(1), 153-161.  Mincer, J. (1974). *Schooling,
    Experience, and Earnings*.  UNECE (2017), section 5.4.
    """
    if model not in ("mincer", "heckman"):
        raise ValuationError(f"impute_wages: model must be 'mincer' or 'heckman'; got {model!r}")
    if retransform not in ("lognormal", "none"):
        raise ValuationError("impute_wages: retransform must be 'lognormal' or 'none'")
    n = len(data)
    obs = np.asarray(observed, dtype=float)
    if obs.shape != (n,):
        raise ValuationError(f"impute_wages: observed has shape {obs.shape}; expected ({n},)")
    nonpos = np.isfinite(obs) & (obs <= 0)
    if nonpos.any():
        raise ValuationError(
            f"impute_wages: {int(nonpos.sum())} observed wages are zero or negative; set them to "
            "NaN (not observed) or correct them"
        )
    has = np.isfinite(obs)
    if has.sum() < len(covariates) + 10:
        raise ValuationError(f"impute_wages: only {int(has.sum())} observed wages for "
                             f"{len(covariates)} covariates")
    if weights is None:
        w = np.ones(n)
    elif isinstance(weights, str):
        if weights not in data.columns:
            raise ValuationError(f"impute_wages: weights column {weights!r} not in the data")
        w = data[weights].to_numpy(dtype=float)
    else:
        w = np.asarray(weights, dtype=float)
    if w.shape != (n,) or not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ValuationError("impute_wages: weights must be positive and finite, one per row")
    w = w / w.mean()
    x = _design_matrix(data, list(covariates), "impute_wages (wage equation)")
    y = np.log(obs[has])
    sel_cols: list[str] = []
    selection = None
    rho: float | None = None
    if model == "mincer":
        fit = sm.WLS(y, x[has].to_numpy(), weights=w[has]).fit()
        outcome = _coef_table(fit, list(x.columns))
        resid = y - x[has].to_numpy() @ np.asarray(fit.params)
        sigma = float(np.sqrt(np.average(resid**2, weights=w[has])))
    else:
        if not selection_covariates:
            raise ValuationError(
                "impute_wages: the Heckman model needs selection_covariates (exclusion "
                "restrictions: variables that shift having a wage but not the wage offer); "
                "without them identification rests on the probit's functional form only"
            )
        sel_cols = list(selection_covariates)
        overlap = sorted(set(sel_cols) & set(covariates))
        if overlap:
            raise ValuationError(f"impute_wages: {overlap} are in both covariates and "
                                 "selection_covariates; exclusion restrictions must be extra")
        z = _design_matrix(data, list(covariates) + sel_cols, "impute_wages (selection)")
        probit = sm.GLM(has.astype(float), z.to_numpy(),
                        family=sm.families.Binomial(link=sm.families.links.Probit()),
                        freq_weights=w).fit()
        selection = _coef_table(probit, list(z.columns))
        zg = z.to_numpy() @ np.asarray(probit.params)
        lam = stats.norm.pdf(zg) / stats.norm.cdf(zg)
        xl = np.column_stack([x[has].to_numpy(), lam[has]])
        fit = sm.WLS(y, xl, weights=w[has]).fit()
        outcome_all = _coef_table(fit, [*x.columns, "inverse_mills_ratio"])
        b_lam = float(np.asarray(fit.params)[-1])
        resid = y - xl @ np.asarray(fit.params)
        delta = lam[has] * (lam[has] + zg[has])
        s2 = float(np.average(resid**2, weights=w[has]) + b_lam**2 * np.average(delta,
                                                                              weights=w[has]))
        sigma = float(np.sqrt(max(s2, 0.0)))
        rho = b_lam / sigma if sigma > 0 else float("nan")
        outcome = outcome_all
    wm = WageModel(model=model, outcome=outcome, selection=selection, sigma=sigma, rho=rho,
                   n_fit=int(has.sum()), retransform=retransform,
                   covariates=tuple(covariates), selection_covariates=tuple(sel_cols))
    pred = wm.predict(data)
    wage = np.where(has, obs, pred)
    report = {"observed": int(has.sum()), "imputed": int((~has).sum())}
    return ImputedWages(wage=pd.Series(wage, index=data.index, name="wage"),
                        imputed=pd.Series(~has, index=data.index, name="imputed"),
                        model=wm, report=report)


EDU_YEARS = {
    "< hs diploma": 10.0, "hs diploma": 12.0, "some college": 13.0, "associate degree": 14.0,
    "bachelor's degree": 16.0, "master's degree": 18.0, "prof degree": 19.0,
    "doctoral degree": 20.0,
}
"""Years of schooling for the ATUS (CPS) education categories of the abridged file
(a common CPS convention; "< hs diploma" is set to 10 years)."""


def atus_wage_covariates(persons: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Numeric covariates for a Mincer/Heckman model on the abridged ATUS persons.

    Returns ``(frame, covariates, selection_covariates)``: the frame has
    ``educ_years`` (:data:`EDU_YEARS`), potential experience ``exper`` =
    max(age - educ_years - 6, 0) and ``exper2`` = exper**2/100, ``female``,
    race dummies (``black``, ``asian``, ``other_race``; white is the base),
    ``hispanic_yes``, region dummies (base northeast), and the exclusion
    restrictions ``child_in_hh``, ``child_under6`` (youngest household child
    under 6), ``partner_present`` (spouse or cohabiting partner) and
    ``partner_employed``.  Unknown categories are an error.
    """
    p = persons
    edu = p["edu"].astype(str).map(EDU_YEARS)
    if edu.isna().any():
        raise ValuationError(f"atus_wage_covariates: unknown education categories "
                             f"{sorted(p.loc[edu.isna(), 'edu'].astype(str).unique())}")
    out = pd.DataFrame(index=p.index)
    out["educ_years"] = edu.astype(float)
    exper = np.maximum(p["age"].to_numpy(dtype=float) - out["educ_years"].to_numpy() - 6, 0)
    out["exper"] = exper
    out["exper2"] = exper**2 / 100
    out["female"] = (p["sex"].astype(str) == "female").astype(float)
    race = p["race"].astype(str)
    out["black"] = (race == "Black only").astype(float)
    out["asian"] = (race == "Asian only").astype(float)
    out["other_race"] = (race == "Other").astype(float)
    if "hispanic" in p.columns:
        out["hispanic_yes"] = (p["hispanic"].astype(str) == "yes").astype(float)
    region = p["region"].astype(str)
    for r in ("midwest", "south", "west"):
        out[r] = (region == r).astype(float)
    out["child_in_hh"] = (p["hh_child"].astype(str) == "yes").astype(float)
    young = p["hh_child_youngest_age"].to_numpy(dtype=float, na_value=np.nan)
    out["child_under6"] = np.where(np.isfinite(young) & (young < 6), 1.0, 0.0)
    out["partner_present"] = p["partner_hh"].astype(str).isin(["spouse", "cohabit"]).astype(float)
    out["partner_employed"] = (p["partner_works"].astype(str) == "yes").astype(float)
    cov = ["educ_years", "exper", "exper2", "female", "black", "asian", "other_race",
           *(["hispanic_yes"] if "hispanic_yes" in out.columns else []), "midwest", "south", "west"]
    sel = ["child_in_hh", "child_under6", "partner_present", "partner_employed"]
    return out, cov, sel
