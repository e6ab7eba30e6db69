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
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray
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
    if design.backend == "dask":
        return _glm_dask(design, formula, family, na, level)
    y, x, terms, rows, yname = _response_and_matrix(design, formula, na)
    mb = design._memory("glm")
    assert isinstance(mb, MemoryBackend)
    w = np.where(rows, mb.w, 0.0)
    _check_response(y[rows], family, yname)
    _check_rank(x, w, terms, formula)
    beta = _fit_full(y, x, w, family)
    reps: FloatArray | None = None
    if isinstance(design, ReplicateDesign):
        assert mb.repw is not None
        reps = fit_replicates(y, x, mb.repw * rows[:, None], family, beta)
        vcov = replicate_variance(reps, beta, design.scale, design.rscales, design.mse, True)
    else:
        assert isinstance(design, Design)
        vcov = _sandwich(design, mb, y, x, w, rows, beta, family)
    return _coefficient_table(design, terms, beta, vcov, level, reps)


def _coefficient_table(design: SurveyDesign, terms: list[str], beta: FloatArray,
                       vcov: FloatArray, level: float, reps: FloatArray | None
                       ) -> Estimate:
    """The tidy coefficient table (R ``summary.svyglm``), carrying the covariance and, for
    replicate designs, every replicate's coefficients (R ``return.replicates``)."""
    p = len(terms)
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
    info = EstimateInfo(
        statistic="glm", vcov=vcov, index=out.index.copy(), level=level,
        variance=design._variance_note(), df=degf, method=design._METHOD,
        weights_unit=design.weights_unit, estimates=beta)
    if reps is not None:
        info = replace(info, replicates=reps, rep_scale=design.scale,  # type: ignore[attr-defined]
                       rep_rscales=design.rscales, rep_mse=design.mse)  # type: ignore[attr-defined]
    return attach(out, info)


def _aliased(gram: FloatArray) -> NDArray[np.bool_]:
    """Terms that are (numerically) linear combinations of earlier ones, from the weighted
    Gram matrix :math:`X^\\top W X`: a sequential Cholesky on unit-norm columns, a term
    aliased when its residual norm is below 1e-7 (as the QR check in memory)."""
    p = gram.shape[0]
    d = np.sqrt(np.clip(np.diag(gram), 0, None))
    out = d == 0
    g = gram / np.outer(np.where(out, 1.0, d), np.where(out, 1.0, d))
    keep: list[int] = []
    for j in range(p):
        if out[j]:
            continue
        if keep:
            gk = g[np.ix_(keep, keep)]
            v = g[keep, j]
            r2 = g[j, j] - v @ np.linalg.solve(gk, v)
        else:
            r2 = g[j, j]
        if r2 < 1e-14:
            out[j] = True
        else:
            keep.append(j)
    return out


def _glm_dask(design: SurveyDesign, formula: str, family: str, na: NaPolicy, level: float
              ) -> Estimate:
    """A gaussian ``glm`` on the Dask backend from sufficient statistics.

    One reduction gives :math:`A = X^\\top W X` and :math:`X^\\top W y` (the weighted totals
    of the column products, built partition by partition with the model spec of a
    prototype whose categorical columns carry the levels present in the design), so
    :math:`\\hat\\beta = A^{-1} X^\\top W y` (the WLS solution).  Variance: on a
    :class:`~carecost.survey.Design` the design covariance :math:`V` of the totals of
    :math:`e_{ij} = x_{ij}(y_i - x_i^\\top\\hat\\beta)` (a second estimator call) and
    :math:`A^{-1} V A^{-1}` (R ``svy.varcoef``); on a replicate design the same totals for
    every replicate give :math:`\\hat\\beta_r = A_r^{-1}(X^\\top W_r y)` (exactly the WLS
    refit of R ``svyglm.svrepdesign``), and their replicate variance.  Other families need
    one pass per IRLS iteration and are refused.
    """
    import formulaic

    from ._base import check_columns
    from .replicate import ReplicateDesign
    from .tables import _dask_levels, weighted_sums

    if family != "gaussian":
        raise DesignError(
            f"glm(family={family!r}) is not available on the Dask backend: iteratively "
            "reweighted least squares needs a pass over the data per iteration. Compute the "
            "model columns first (e.g. Design(ddf[cols].compute(), ...)); family='gaussian' "
            "runs on Dask from sufficient statistics")
    if not isinstance(formula, str) or "~" not in formula:
        raise DesignError(f"glm: formula must be a string such as 'y ~ x + g', got {formula!r}")
    try:
        needed = sorted(formulaic.Formula(formula).required_variables)
    except Exception as err:  # formulaic raises many types; report the formula with it
        raise DesignError(f"glm: cannot parse the formula {formula!r}: {err}") from err
    check_columns(design._backend, needed, "glm")
    cats: dict[str, list[object]] = {}
    for v in needed:
        dt = design._backend.dtype(v)
        if not (pd.api.types.is_numeric_dtype(dt) or pd.api.types.is_bool_dtype(dt)):
            cats[v] = _dask_levels(design, v, "glm")

    def frame(f: pd.DataFrame) -> pd.DataFrame:
        f = f[needed].copy()
        for v, levels in cats.items():
            f[v] = pd.Categorical(f[v], categories=levels)
        return f

    proto = frame(design.data[needed].head(20, npartitions=-1))
    try:
        built = formulaic.model_matrix(formula, proto, na_action="ignore")
    except Exception as err:  # formulaic raises many types; report the formula with it
        raise DesignError(f"glm: cannot build the model matrix of {formula!r}: {err}") from err
    spec = built.model_spec
    if built.lhs.shape[1] != 1:
        raise DesignError(f"glm: the response of {formula!r} gives {built.lhs.shape[1]} "
                          "columns; use one numeric column")
    terms = [str(c) for c in built.rhs.columns]
    p = len(terms)
    iu, ju = np.triu_indices(p)
    gram_cols = [f"__glm_g{a}_{b}" for a, b in zip(iu, ju, strict=True)]
    rhs_cols = [f"__glm_b{a}" for a in range(p)]

    def matrices(f: pd.DataFrame) -> tuple[FloatArray, FloatArray]:
        mm = spec.get_model_matrix(frame(f), na_action="ignore")
        return (np.asarray(mm.rhs, dtype=float).reshape(len(f), p),
                np.asarray(mm.lhs, dtype=float).reshape(len(f)))

    def products(f: pd.DataFrame, inset: NDArray[np.bool_]) -> pd.DataFrame:
        x, y = matrices(f)
        data = np.column_stack([x[:, iu] * x[:, ju], x * y[:, None]])
        return pd.DataFrame(data, columns=gram_cols + rhs_cols, index=f.index)

    meta = pd.DataFrame({c: pd.Series(dtype=float) for c in gram_cols + rhs_cols})
    d1 = design.derive(products, meta)
    cols = gram_cols + rhs_cols
    try:
        if isinstance(design, ReplicateDesign):
            t = d1.total(cols, na=na, vcov=False, return_replicates=True)
            assert t.estimate_info is not None and t.estimate_info.replicates is not None
            sums = np.column_stack([t["estimate"].to_numpy(), t.estimate_info.replicates])
        else:
            sums = weighted_sums(d1, cols, [], na)[1][:, None]
    except DesignError as err:
        if "missing value" in str(err) and na == "raise":
            raise DesignError(
                f"glm: rows in the design have a missing value in a variable of {formula!r}; "
                "pass na='omit' to fit on the rows with every value (as R's default "
                "na.action), or impute first") from err
        raise
    m = sums.shape[1]
    gram = np.empty((m, p, p))
    gram[:, iu, ju] = sums[:len(iu)].T
    gram[:, ju, iu] = sums[:len(iu)].T
    rhs = sums[len(iu):].T  # m x p
    aliased = _aliased(gram[0])
    if aliased.any():
        bad = [t for t, a in zip(terms, aliased, strict=True) if a]
        raise DesignError(
            f"glm: the design matrix of {formula!r} is singular: term(s) {bad} are linear "
            "combinations of earlier terms (or constant zero) among the rows with positive "
            "weight; drop them or merge levels")
    beta = np.linalg.solve(gram[0], rhs[0])
    if isinstance(design, ReplicateDesign):
        try:
            reps = np.linalg.solve(gram[1:], rhs[1:, :, None])[:, :, 0].T
        except np.linalg.LinAlgError as err:
            raise DesignError("glm: a replicate's design matrix is singular (a replicate gives "
                              "zero weight to every row of some level); merge sparse "
                              "levels") from err
        vcov = replicate_variance(reps, beta, design.scale, design.rscales, design.mse, True)
        return _coefficient_table(design, terms, beta, vcov, level, reps)
    res_cols = [f"__glm_e{a}" for a in range(p)]

    def scores(f: pd.DataFrame, inset: NDArray[np.bool_]) -> pd.DataFrame:
        x, y = matrices(f)
        return pd.DataFrame(x * (y - x @ beta)[:, None], columns=res_cols, index=f.index)

    d2 = design.derive(scores, pd.DataFrame({c: pd.Series(dtype=float) for c in res_cols}))
    v = d2.total(res_cols, na=na, vcov=True).vcov
    assert v is not None
    ainv = np.linalg.inv(gram[0])
    return _coefficient_table(design, terms, beta, ainv @ v @ ainv, level, None)


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
