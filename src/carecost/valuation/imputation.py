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

WageTarget = Literal["offer", "conditional"]
"""What a Heckman model predicts for non-earners: the wage ``"offer"``
:math:`E[w \\mid x]` or the wage ``"conditional"`` on not earning,
:math:`E[w \\mid x, z, s=0]` (see :func:`impute_wages`)."""


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

    @property
    def b_lambda(self) -> float:
        """Coefficient of the inverse Mills ratio, :math:`\\hat\\beta_\\lambda =
        \\hat\\rho\\hat\\sigma` (Heckman only; NaN for Mincer)."""
        t = self.outcome.set_index("term")["estimate"]
        return float(t["inverse_mills_ratio"]) if "inverse_mills_ratio" in t.index \
            else float("nan")

    def _xb(self, x: pd.DataFrame) -> np.ndarray:
        b = self.outcome.set_index("term")["estimate"]
        xs = _design_matrix(x, list(self.covariates), "predict")
        return np.asarray(xs.to_numpy() @ b.reindex(xs.columns).to_numpy())

    def _zg(self, x: pd.DataFrame, target: str) -> np.ndarray:
        if self.model != "heckman" or self.selection is None:
            raise ValuationError(
                f"predict: target={target!r} needs the Heckman model (a Mincer equation has no "
                "selection equation; under its assumption that earners are a random sample "
                "given x, the conditional wage is the offer) -- use model='heckman' or "
                "target='offer'"
            )
        g = self.selection.set_index("term")["estimate"]
        zs = _design_matrix(x, [*self.covariates, *self.selection_covariates], "predict")
        return np.asarray(zs.to_numpy() @ g.reindex(zs.columns).to_numpy())

    def conditional_log_moments(self, x: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Mean and variance of the log wage of non-earners, given ``x`` and ``z``.

        With the selection index :math:`c = z'\\gamma` and
        :math:`\\lambda_0 = \\phi(c)/(1-\\Phi(c))`:
        :math:`E[\\ln w \\mid x, z, s=0] = x'\\beta - \\beta_\\lambda \\lambda_0` and
        :math:`\\mathrm{Var}[\\ln w \\mid x, z, s=0] = \\sigma^2 - \\beta_\\lambda^2
        \\lambda_0(\\lambda_0 - c)` (moments of a normal truncated above at
        :math:`-c`, as in Heckman 1979, section II).  Heckman models only.
        """
        zg = self._zg(x, "conditional")
        lam0 = np.exp(stats.norm.logpdf(zg) - stats.norm.logsf(zg))
        bl = self.b_lambda
        mean = self._xb(x) - bl * lam0
        var = self.sigma**2 - bl**2 * lam0 * (lam0 - zg)
        return np.asarray(mean), np.asarray(np.maximum(var, 0.0))

    def predict_log(self, x: pd.DataFrame, target: WageTarget = "offer") -> np.ndarray:
        """Predicted log wage: the offer :math:`x'\\beta` (no selection term), or with
        ``target="conditional"`` the mean log wage of non-earners
        :math:`x'\\beta - \\beta_\\lambda \\lambda_0` (:meth:`conditional_log_moments`)."""
        _check_target(target)
        if target == "offer":
            return self._xb(x)
        return self.conditional_log_moments(x)[0]

    def predict(self, x: pd.DataFrame, target: WageTarget = "offer") -> np.ndarray:
        """Predicted hourly wage (currency per hour).

        ``target="offer"``: :math:`E[w \\mid x] = \\exp(x'\\beta + \\sigma^2/2)`
        (``retransform="lognormal"``) or :math:`\\exp(x'\\beta)` (``"none"``).
        ``target="conditional"`` (Heckman): the mean wage of non-earners,
        :math:`E[w \\mid x, z, s=0] = \\exp(x'\\beta + \\sigma^2/2)\\,
        \\Phi(-z'\\gamma - \\beta_\\lambda)/\\Phi(-z'\\gamma)`, exact under the
        model's bivariate normality (the log wage given :math:`s=0` is not
        normal, so :math:`\\exp(m + v/2)` with the conditional moments of
        :meth:`conditional_log_moments` would only approximate it); with
        ``retransform="none"`` :math:`\\exp(E[\\ln w \\mid x, z, s=0])`.
        """
        _check_target(target)
        if target == "offer":
            lp = self._xb(x)
            if self.retransform == "lognormal":
                return np.asarray(np.exp(lp + self.sigma**2 / 2))
            return np.asarray(np.exp(lp))
        if self.retransform != "lognormal":
            return np.asarray(np.exp(self.conditional_log_moments(x)[0]))
        zg = self._zg(x, target)
        bl = self.b_lambda
        log_w = (self._xb(x) + self.sigma**2 / 2 + stats.norm.logcdf(-zg - bl)
                 - stats.norm.logcdf(-zg))
        return np.asarray(np.exp(log_w))


def _check_target(target: object) -> None:
    if target not in ("offer", "conditional"):
        raise ValuationError(f"predict must be 'offer' or 'conditional'; got {target!r}")


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
    predict: WageTarget = "offer"

    def describe(self) -> str:
        """One sentence for the valuation's notes: model, covariates, what was predicted."""
        m = self.model
        ref = REFERENCES["heckman1979"] if m.model == "heckman" else REFERENCES["mincer1974"]
        extra = ""
        if m.model == "heckman":
            extra = (f"; probit for having a wage on {list(m.selection_covariates)}, "
                     f"inverse Mills ratio in the wage equation (rho={m.rho:.3f}, "
                     f"b_lambda={m.b_lambda:.3f})")
        ln = m.retransform == "lognormal"
        if self.predict == "conditional":
            what = ("predict='conditional': mean wage of non-earners given not earning, "
                    + ("E[w|x,z,s=0] = exp(x'b + s^2/2) Phi(-z'g - b_lambda)/Phi(-z'g)" if ln
                       else "exp(x'b - b_lambda phi(z'g)/(1 - Phi(z'g)))"))
        else:
            what = ("predict='offer': wage offer (what a non-earner would command), "
                    f"exp(x'b{' + s^2/2' if ln else ''})")
        return (f"{int(self.imputed.sum())} of {len(self.wage)} wages imputed by a "
                f"{m.model} log-wage equation on {list(m.covariates)} fitted to {m.n_fit} "
                f"earners{extra}; {what}, sigma={m.sigma:.3f}. Ref.: {ref}")


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
    predict: WageTarget = "offer",
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
    predict
        What non-earners get (Heckman; recorded in the result and in
        :meth:`ImputedWages.describe`).  ``"offer"`` (default): the wage offer
        :math:`E[w \\mid x]`, what the person would command in the market, the
        usual opportunity cost of a non-earner's time.  ``"conditional"``: the
        expected wage *given that the person does not earn*,
        :math:`E[\\ln w \\mid x, z, s=0] = x'\\beta - \\beta_\\lambda
        \\phi(z'\\gamma)/(1-\\Phi(z'\\gamma))`, retransformed with the
        conditional distribution (:meth:`WageModel.predict`); with positive
        selection (:math:`\\rho > 0`) it is below the offer.  ``"conditional"``
        with ``model="mincer"`` is an error.

    Returns
    -------
    ImputedWages
        Observed wages kept; everyone else gets the predicted wage (the offer,
        or the conditional mean with ``predict="conditional"``), recorded in
        ``ImputedWages.predict``.

    Notes
    -----
    For Heckman, the default imputed wage is the *offer* :math:`x'\\beta` of
    the latent wage equation, the wage a non-earner would command, not the
    selected earners' conditional mean; ``predict="conditional"`` gives the
    non-earners' own conditional mean instead; which of the two values the
    hours of people who do not work for pay is a choice the valuation must
    state (it is carried into its notes).  Point estimates are consistent
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
    if predict not in ("offer", "conditional"):
        raise ValuationError(
            f"impute_wages: predict must be 'offer' or 'conditional'; got {predict!r}")
    if predict == "conditional" and model != "heckman":
        raise ValuationError(
            "impute_wages: predict='conditional' needs model='heckman' (a Mincer equation has "
            "no selection equation, so it cannot condition on not earning)"
        )
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
    pred = np.full(n, np.nan)
    if (~has).any():
        pred[~has] = wm.predict(data[~has], target=predict)
    wage = np.where(has, obs, pred)
    report = {"observed": int(has.sum()), "imputed": int((~has).sum())}
    return ImputedWages(wage=pd.Series(wage, index=data.index, name="wage"),
                        imputed=pd.Series(~has, index=data.index, name="imputed"),
                        model=wm, report=report, predict=predict)


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
