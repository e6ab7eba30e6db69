"""Survey-weighted generalised linear models (R ``survey::svyglm``).

The coefficients solve the weighted score equations
:math:`\\sum_i w_i x_i (y_i - \\mu_i)\\,\\mu'(\\eta_i)/V(\\mu_i) = 0` (a pseudo-likelihood
fit; Binder 1983).  Their variance is

* for a linearization :class:`~carecost.survey.Design`, the design-based sandwich
  :math:`\\hat V(\\hat\\beta) = A^{-1}\\,\\hat V_{design}\\big(\\sum_i U_i\\big)\\,A^{-1}`
  with :math:`A = X^\\top \\operatorname{diag}(w_i\\,\\mu'(\\eta_i)^2/V(\\mu_i)) X` and
  :math:`U_i = w_i x_i (y_i-\\mu_i)\\mu'(\\eta_i)/V(\\mu_i)`: the influence values
  :math:`U_i A^{-1}` go through the same stratified, multistage variance as every estimator
  (R ``svy.varcoef``, Lumley 2010, section 5.2);
* for a :class:`~carecost.survey.ReplicateDesign`, the replicate variance of the
  coefficients refitted with every replicate weight (R ``svyglm.svrepdesign``).  All
  replicates are fitted at once: the replicate weights are a matrix, and each iteration of
  iteratively reweighted least squares solves every replicate's normal equations
  :math:`X^\\top W_r X\\,\\beta_r = X^\\top W_r z_r` as one batched solve (one solve in all for
  the gaussian family).

References
----------
Binder, D. A. (1983). On the variances of asymptotically normal estimators from complex
surveys. *International Statistical Review* 51, 279–292.
Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, chapter 5. Wiley.
Lumley, T. and Scott, A. (2017). Fitting regression models to survey data. *Statistical
Science* 32, 265–278.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from ._backend import MemoryBackend, NaPolicy, Prepared, Spec
from ._engine import FloatArray, Plan, replicate_variance
from ._errors import DesignError
from .results import Estimate, EstimateInfo, attach, critical_value

if TYPE_CHECKING:
    from ._base import SurveyDesign

Family = Literal["gaussian", "quasibinomial", "quasipoisson"]
FAMILIES = ("gaussian", "quasibinomial", "quasipoisson")
MAX_ITER = 50
"""Most IRLS iterations (R ``glm.control`` uses 25; canonical links need far fewer)."""
TOL = 1e-10
"""Convergence: largest change of a term :math:`\\beta_j x_{ij}` relative to 1 + the largest
term.  IRLS converges quadratically for canonical links, so below ``1e-7`` a change that no
longer halves is rounding, and the fit is returned."""
ROW_BLOCK = 8192
"""Rows per block when the replicate fits accumulate their normal equations."""


def _family_functions(family: str) -> tuple[Callable[[FloatArray], FloatArray],
                                            Callable[[FloatArray], FloatArray]]:
    """Inverse link and :math:`\\mu'(\\eta)^2/V(\\mu)` (= :math:`\\mu'(\\eta)`, canonical links)."""
    if family == "gaussian":
        return (lambda eta: eta), (lambda mu: np.ones_like(mu))
    if family == "quasibinomial":
        def expit(eta: FloatArray) -> FloatArray:
            return np.asarray(stats.logistic.cdf(eta))
        return expit, (lambda mu: mu * (1.0 - mu))
    return np.exp, (lambda mu: mu)


def _response_and_matrix(design: SurveyDesign, formula: str, na: NaPolicy
                         ) -> tuple[FloatArray, FloatArray, list[str], np.ndarray, str]:
    """Response, model matrix (all rows; zero where unused), term names, rows used, y name."""
    import formulaic

    mb = design._memory("glm")
    data = mb.data
    if not isinstance(formula, str) or "~" not in formula:
        raise DesignError(f"glm: formula must be a string such as 'y ~ x + g', got {formula!r}")
    try:
        mm = formulaic.model_matrix(formula, data, na_action="drop")
    except Exception as err:  # formulaic raises many types; report the formula with it
        raise DesignError(f"glm: cannot build the model matrix of {formula!r}: {err}") from err
    lhs, rhs = mm.lhs, mm.rhs
    if lhs.shape[1] != 1:
        raise DesignError(
            f"glm: the response of {formula!r} gives {lhs.shape[1]} columns "
            f"({list(lhs.columns)}); use one numeric column (e.g. a 0/1 indicator for "
            "quasibinomial)")
    yname = str(lhs.columns[0])
    used = np.zeros(len(data), dtype=bool)
    used[np.asarray(rhs.index, dtype=np.intp)] = True
    nmiss = int((~used & mb.mask).sum())
    if nmiss and na == "raise":
        raise DesignError(
            f"glm: {nmiss} row(s) in the design have a missing value in a variable of "
            f"{formula!r}; pass na='omit' to fit on the rows with every value (as R's default "
            "na.action), or impute first")
    n, p = len(data), rhs.shape[1]
    x = np.zeros((n, p))
    x[used] = np.asarray(rhs, dtype=float)
    y = np.zeros(n)
    y[used] = np.asarray(lhs, dtype=float).ravel()
    return y, x, [str(c) for c in rhs.columns], used & mb.mask, yname


def _check_response(y: FloatArray, family: str, yname: str) -> None:
    if family == "quasibinomial" and (np.any(y < 0) or np.any(y > 1)):
        raise DesignError(f"glm: family='quasibinomial' needs a response in [0, 1]; "
                          f"{yname!r} has values from {y.min():g} to {y.max():g}")
    if family == "quasipoisson" and np.any(y < 0):
        raise DesignError(f"glm: family='quasipoisson' needs a non-negative response; "
                          f"{yname!r} has values down to {y.min():g}")


def _check_rank(x: FloatArray, w: FloatArray, terms: list[str], formula: str) -> None:
    """An error naming the terms that are linear combinations of earlier terms."""
    xs = x[w > 0] * np.sqrt(w[w > 0])[:, None]
    if xs.shape[0] < xs.shape[1]:
        raise DesignError(f"glm: {xs.shape[0]} rows with positive weight for "
                          f"{xs.shape[1]} coefficients of {formula!r}")
    norms = np.linalg.norm(xs, axis=0)
    zero = norms == 0
    r = np.linalg.qr(xs / np.where(zero, 1.0, norms), mode="r")
    aliased = zero | (np.abs(np.diag(r)) < 1e-7)
    if aliased.any():
        bad = [t for t, a in zip(terms, aliased, strict=True) if a]
        raise DesignError(
            f"glm: the design matrix of {formula!r} is singular: term(s) {bad} are linear "
            "combinations of earlier terms (or constant zero) among the rows with positive "
            "weight; drop them or merge levels")


def _fit_full(y: FloatArray, x: FloatArray, w: FloatArray, family: str) -> FloatArray:
    """Full-sample coefficients with statsmodels (WLS for gaussian, GLM otherwise)."""
    import statsmodels.api as sm

    keep = w > 0
    if family == "gaussian":
        res = sm.WLS(y[keep], x[keep], weights=w[keep]).fit()
    else:
        fam = sm.families.Binomial() if family == "quasibinomial" else sm.families.Poisson()
        res = sm.GLM(y[keep], x[keep], family=fam, var_weights=w[keep]).fit(
            tol=1e-12, maxiter=MAX_ITER)
    return np.asarray(res.params, dtype=float)


def fit_replicates(y: FloatArray, x: FloatArray, weights: FloatArray, family: str,
                   start: FloatArray) -> FloatArray:
    """Coefficients for every weight column at once (``p x R``), by vectorised IRLS.

    Each iteration accumulates, block of rows by block, every column's normal equations
    :math:`G_r = X^\\top \\operatorname{diag}(W_{\\cdot r} v_{\\cdot r}) X` (one BLAS product of
    the ``p(p+1)/2`` column products of ``X`` with the ``n x R`` working weights) and
    right-hand sides, then solves all ``R`` systems in one batched ``numpy.linalg.solve``.
    The gaussian family needs one iteration.
    """
    linkinv, varfun = _family_functions(family)
    n, p = x.shape
    r = weights.shape[1]
    iu, ju = np.triu_indices(p)
    beta = np.repeat(start[:, None], r, axis=1)
    xscale = np.abs(x).max(axis=0)
    previous = np.inf
    change = np.inf
    for _ in range(1 if family == "gaussian" else MAX_ITER):
        gram = np.zeros((len(iu), r))
        rhs = np.zeros((p, r))
        for lo in range(0, n, ROW_BLOCK):
            xb = x[lo:lo + ROW_BLOCK]
            wb = weights[lo:lo + ROW_BLOCK]
            if family == "gaussian":
                ww, z = wb, np.broadcast_to(y[lo:lo + ROW_BLOCK, None], wb.shape)
            else:
                eta = xb @ beta
                mu = linkinv(eta)
                v = varfun(mu)
                ww = wb * v
                with np.errstate(divide="ignore", invalid="ignore"):
                    z = eta + np.where(v > 0, (y[lo:lo + ROW_BLOCK, None] - mu) / v, 0.0)
            gram += (xb[:, iu] * xb[:, ju]).T @ ww
            rhs += xb.T @ (ww * z)
        g = np.empty((r, p, p))
        g[:, iu, ju] = gram.T
        g[:, ju, iu] = gram.T
        try:
            new = np.linalg.solve(g, rhs.T[:, :, None])[:, :, 0].T
        except np.linalg.LinAlgError as err:
            raise DesignError(
                "glm: a replicate's design matrix is singular (a replicate gives zero weight "
                "to every row of some level); merge sparse levels") from err
        # change on the scale of the linear predictor (|dbeta_j| max_i |x_ij|), relative to
        # the largest term; stop there, or once rounding stops it from shrinking
        step = np.abs(new - beta) * xscale[:, None]
        change = float(np.max(step.max(axis=0) / (1.0 + (np.abs(new) * xscale[:, None])
                                                 .max(axis=0))))
        beta = np.asarray(new, dtype=np.float64)
        if change < TOL or (change < 1e-7 and change >= 0.5 * previous):
            return beta
        previous = change
    if family != "gaussian":
        raise DesignError(
            f"glm: IRLS did not converge in {MAX_ITER} iterations for every replicate (largest "
            f"relative change {change:.3g}); check for separation (a term that predicts a 0/1 "
            "response perfectly)")
    return beta


def glm(design: SurveyDesign, formula: str, family: Family = "gaussian", *,
        na: NaPolicy = "raise", level: float = 0.95) -> Estimate:
    """Fit a survey-weighted GLM; see :meth:`carecost.survey.SurveyDesign.glm`."""
    from .design import Design
    from .replicate import ReplicateDesign

    if family not in FAMILIES:
        raise DesignError(f"glm: family must be one of {FAMILIES}; got {family!r}")
    if na not in ("raise", "omit"):
        raise DesignError(f"na must be 'raise' or 'omit', got {na!r}")
    critical_value(level, np.inf)
    y, x, terms, rows, yname = _response_and_matrix(design, formula, na)
    mb = design._memory("glm")
    assert isinstance(mb, MemoryBackend)
    w = np.where(rows, mb.w, 0.0)
    _check_response(y[rows], family, yname)
    _check_rank(x, w, terms, formula)
    beta = _fit_full(y, x, w, family)
    p = len(terms)
    if isinstance(design, ReplicateDesign):
        assert mb.repw is not None
        reps = fit_replicates(y, x, mb.repw * rows[:, None], family, beta)
        vcov = replicate_variance(reps, beta, design.scale, design.rscales, design.mse, True)
    else:
        assert isinstance(design, Design)
        vcov = _sandwich(design, mb, y, x, w, rows, beta, family)
    degf = design.degf()
    df = degf + 1 - p
    se = np.sqrt(np.clip(np.diag(vcov), 0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = beta / se
    pval = 2 * stats.t.sf(np.abs(t), df) if df > 0 else np.full(p, np.nan)
    crit = critical_value(level, df)
    out = pd.DataFrame({"term": terms, "estimate": beta, "se": se, "t": t, "p": pval,
                        "df": float(df), "ci_low": beta - crit * se,
                        "ci_high": beta + crit * se})
    return attach(out, EstimateInfo(
        statistic="glm", vcov=vcov, index=out.index.copy(), level=level,
        variance=design._variance_note(), df=degf, method=design._METHOD,
        weights_unit=design.weights_unit, estimates=beta))


def _sandwich(design: SurveyDesign, mb: MemoryBackend, y: FloatArray, x: FloatArray,
              w: FloatArray, rows: np.ndarray, beta: FloatArray, family: str) -> FloatArray:
    """Design-based covariance of the coefficients: the design variance of the influence
    values :math:`U_i A^{-1}` (R ``svy.varcoef``)."""
    linkinv, varfun = _family_functions(family)
    mu = linkinv(x @ beta)
    v = varfun(mu)
    a = x.T @ (x * (w * v)[:, None])
    ainv = np.linalg.inv(a)
    # per-row influence before the weight: x_i (y_i - mu_i) (canonical links); the backend
    # multiplies by w_i, sums to sampling units and forms the stratified sums of squares
    base = sp.csr_matrix(np.where(rows[:, None], x * (y - mu)[:, None], 0.0))
    p = x.shape[1]
    codes = np.where(rows, 0, -1).astype(np.intp)
    plan = Plan(base=base, num=np.arange(p, dtype=np.intp), den=np.full(p, -1, dtype=np.intp),
                rows=pd.DataFrame(index=pd.RangeIndex(p)), n=np.zeros(p, dtype=np.int64),
                codes=codes, est_group=np.zeros(p, dtype=np.intp))
    prep = Prepared(Spec("total", (), (), "raise"), plan, pd.DataFrame(index=pd.RangeIndex(1)),
                    {})
    stages = design._stages  # type: ignore[attr-defined]
    lonely = design._lonely  # type: ignore[attr-defined]
    sub = mb.with_mask(rows)
    return np.asarray(sub.linearization_variance(prep, sp.csc_matrix(ainv), stages, True,
                                                 lonely == "average"))
