"""Tidy result tables that carry their covariance, and contrasts of estimates.

Every estimator returns an :class:`Estimate`: a :class:`pandas.DataFrame` with one row per
estimate and the columns ``estimate, se, ci_low, ci_high, cv, df, n`` after the ``by``
columns, which also carries, as attributes of the object (not in ``DataFrame.attrs``), the
covariance matrix of the estimates and the design facts behind them (an
:class:`EstimateInfo`: degrees of freedom, variance method, confidence level, what the
weights count).  :func:`contrast`, :func:`difference` and :func:`ratio_of` combine rows with
the correct covariance, as R's ``svycontrast`` does on ``svyby`` output (Lumley 2010,
section 2.3).

How the covariance survives pandas operations
---------------------------------------------
Operations on one table that keep its rows' index labels (selecting rows or columns,
``copy``, ``assign``, ``sort_values``, ``drop``) keep the :class:`EstimateInfo`, and
:attr:`Estimate.vcov` then returns the covariance of the rows still in the table, in their
current order (found by index label).  Combining tables (``pandas.concat``, ``merge``) gives
a table without covariance (:attr:`Estimate.vcov` is ``None``): there is no joint covariance
of separately estimated tables.  Changing estimates by hand is detected: a contrast of rows
whose ``estimate`` no longer equals the estimated value (or whose index was relabelled, e.g.
by ``reset_index``) is an error; scale a table with :meth:`Estimate.scaled` instead.

References
----------
Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import numpy as np
import pandas as pd
from scipy import stats

from ._errors import DesignError, ResultTypeError, RowNotFoundError

RESULT_COLUMNS = ["estimate", "se", "ci_low", "ci_high", "cv", "df", "n"]
SCALED_COLUMNS = ("estimate", "se", "ci_low", "ci_high")
"""Columns multiplied by a known constant in :meth:`Estimate.scaled`."""


def _frozen(a: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return None
    out = np.array(a, dtype=float)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class EstimateInfo:
    """What a result table knows beyond its columns.

    Attributes
    ----------
    statistic
        ``"mean"``, ``"total"``, ``"ratio"``, ``"proportion"``, ``"quantile"``
        or ``"contrast"``.
    vcov
        Covariance matrix of the estimates (units: the estimate's squared), rows and columns
        in the order of ``index`` (``None`` when it was not computed, e.g. for quantiles or
        with ``vcov=False``).  Read-only.
    index
        Index labels of the table when it was created; lets a filtered table still find its
        rows in ``vcov``.
    level
        Confidence level of ``ci_low``/``ci_high``.
    variance
        A sentence saying how the variance was estimated.
    df
        Design degrees of freedom (R ``degf``) of the design that made the estimates.
    method
        Variance method: ``"linearization"`` or ``"replicate (<method>)"`` (e.g.
        ``"replicate (sdr)"``), or ``"contrast"`` inputs' method.
    weights_unit
        What the design's weights count (``"persons"``, ``"person_days"``) or ``None`` when
        the design was not told.
    estimates
        The estimates in the order of ``index`` (read-only), so that a filtered table still
        has every estimate a contrast needs.
    replicates
        On a replicate design, when asked for (``return_replicates=True``; always for
        ``glm``): the estimates recomputed with every replicate weight, ``estimates x R``,
        rows in the order of ``index`` (read-only), with the variance constants below, so
        that :func:`contrast` of an expression uses the replicate variance (as R
        ``svycontrast`` on a statistic with ``return.replicates=TRUE``).  ``None``
        otherwise.
    rep_scale, rep_rscales, rep_mse
        The replicate design's ``scale``, ``rscales`` and ``mse`` (with ``replicates``).
    """

    statistic: str
    vcov: np.ndarray | None
    index: pd.Index
    level: float
    variance: str
    df: float = float("nan")
    method: str = ""
    weights_unit: str | None = None
    estimates: np.ndarray | None = None
    replicates: np.ndarray | None = None
    rep_scale: float = float("nan")
    rep_rscales: np.ndarray | None = None
    rep_mse: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "vcov", _frozen(self.vcov))
        object.__setattr__(self, "estimates", _frozen(self.estimates))
        object.__setattr__(self, "replicates", _frozen(self.replicates))
        object.__setattr__(self, "rep_rscales", _frozen(self.rep_rscales))

    def __eq__(self, other: object) -> bool:  # identity: keeps pandas' attrs checks cheap
        return self is other

    __hash__ = object.__hash__

    def __deepcopy__(self, memo: dict[int, Any]) -> EstimateInfo:
        return self  # immutable (frozen, read-only arrays): pandas' attrs deep copies share it

    def scaled(self, factor: float, index: pd.Index | None = None) -> EstimateInfo:
        """The same facts for estimates multiplied by a known constant ``factor``."""
        return replace(
            self, vcov=None if self.vcov is None else self.vcov * factor * factor,
            estimates=None if self.estimates is None else self.estimates * factor,
            replicates=None if self.replicates is None else self.replicates * factor,
            index=self.index if index is None else index)


class Estimate(pd.DataFrame):
    """A tidy table of survey estimates that carries their covariance.

    A :class:`pandas.DataFrame` (every pandas operation works) with two extra attributes:
    :attr:`estimate_info` (an :class:`EstimateInfo`) and :attr:`vcov`.  See the module
    documentation for how they survive pandas operations.

    Examples
    --------
    >>> res = d.mean("api00", by="awards")  # doctest: +SKIP
    >>> res.vcov  # covariance of the rows, in the table's order  # doctest: +SKIP
    >>> res.estimate_info.df, res.estimate_info.method  # doctest: +SKIP
    """

    _metadata: ClassVar[list[str]] = ["estimate_info"]
    estimate_info: EstimateInfo | None = None

    @property
    def _constructor(self) -> type[Estimate]:
        return Estimate

    @property
    def vcov(self) -> np.ndarray | None:
        """Covariance matrix of this table's rows, in their current order.

        ``None`` when the estimator did not compute it (``vcov=False``, quantiles, more than
        2,000 estimates by default) or when the table was combined with others.
        """
        info = self.estimate_info
        if info is None or info.vcov is None:
            return None
        pos = _checked_positions(self, info, list(self.index))
        return np.asarray(info.vcov[np.ix_(pos, pos)])

    def scaled(self, factor: float) -> Estimate:
        """A copy with estimates, SEs and interval ends times a known constant ``factor``.

        The covariance is multiplied by ``factor**2``; ``cv`` and ``df`` are unchanged when
        ``factor > 0`` (a negative factor swaps the interval ends, which stay ordered).
        """
        f = float(factor)
        if not np.isfinite(f) or f == 0:
            raise DesignError(f"scaled: the factor must be finite and non-zero; got {factor!r}")
        out = self.copy()
        for c in SCALED_COLUMNS:
            if c in out.columns:
                out[c] = out[c] * f
        if f < 0 and "ci_low" in out.columns and "ci_high" in out.columns:
            out["ci_low"], out["ci_high"] = out["ci_high"].copy(), out["ci_low"].copy()
        if "se" in out.columns:
            out["se"] = out["se"].abs()
        info = self.estimate_info
        out.estimate_info = None if info is None else info.scaled(f)
        if info is not None:
            out.attrs["carecost"] = out.estimate_info
        return out

    def to_frame(self) -> pd.DataFrame:
        """The table as a plain :class:`pandas.DataFrame` (no covariance)."""
        out = pd.DataFrame(self.copy())
        out.attrs = {}
        return out


def critical_value(level: float, df: float) -> float:
    """Two-sided critical value: Student t with ``df`` or normal if infinite."""
    if isinstance(level, bool) or not isinstance(level, (int, float, np.floating)) \
            or not 0 < level < 1:
        raise DesignError(f"level must be a number between 0 and 1 (exclusive), e.g. 0.95; "
                          f"got {level!r}")
    a = 1 - (1 - level) / 2
    if np.isinf(df):
        return float(stats.norm.ppf(a))
    if df <= 0:
        return float("nan")
    return float(stats.t.ppf(a, df))


def build_table(
    rows: pd.DataFrame,
    estimate: np.ndarray,
    variance_diag: np.ndarray,
    *,
    df: float,
    ci_df: float | None,
    level: float,
    n: np.ndarray,
    statistic: str,
    vcov: np.ndarray | None,
    variance: str,
    deff: np.ndarray | None = None,
    method: str = "",
    weights_unit: str | None = None,
) -> Estimate:
    """Assemble the tidy result table."""
    se = np.sqrt(np.clip(variance_diag, 0.0, None))
    se = np.where(np.isnan(estimate), np.nan, se)  # an empty domain has no estimate and no SE
    use_df = df if ci_df is None else ci_df
    crit = critical_value(level, use_df)
    out = Estimate(rows.reset_index(drop=True).copy())
    out["estimate"] = estimate
    out["se"] = se
    out["ci_low"] = estimate - crit * se
    out["ci_high"] = estimate + crit * se
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cv"] = np.where(estimate != 0, se / np.abs(estimate), np.nan)
    out["df"] = float(df)
    out["n"] = np.asarray(n, dtype=np.int64)
    if deff is not None:
        out["deff"] = deff
    return attach(out, EstimateInfo(
        statistic=statistic, vcov=vcov, index=out.index.copy(), level=level,
        variance=variance, df=float(df), method=method, weights_unit=weights_unit,
        estimates=np.asarray(estimate, dtype=float)))


def attach(table: pd.DataFrame, info: EstimateInfo | None) -> Estimate:
    """``table`` as an :class:`Estimate` carrying ``info``.

    ``DataFrame.attrs["carecost"]`` holds the same object for code written before
    :class:`Estimate` (read :attr:`Estimate.vcov` / :attr:`Estimate.estimate_info` instead).
    """
    out = table if isinstance(table, Estimate) else Estimate(table)
    out.estimate_info = info
    if info is not None:
        out.attrs["carecost"] = info
    return out


def _info(result: pd.DataFrame, allow_replicates: bool = False) -> EstimateInfo:
    info = result.estimate_info if isinstance(result, Estimate) else None
    if info is None:
        raise ResultTypeError(
            "this table carries no carecost covariance: pass the table returned by a "
            "carecost estimator (mean, total, ratio, proportion) or a row selection of it, "
            "not a copy rebuilt by hand or a concatenation of tables"
        )
    if info.vcov is None and not (allow_replicates and info.replicates is not None):
        raise DesignError(
            f"the {info.statistic} table has no covariance matrix (too many estimates, or "
            "a statistic without one); re-run the estimator with vcov=True"
        )
    return info


def _checked_positions(result: pd.DataFrame, info: EstimateInfo,
                       labels: Sequence[Hashable]) -> np.ndarray:
    """Positions of ``labels`` in ``info.index``, checked against the table's estimates."""
    pos = info.index.get_indexer(pd.Index(labels))
    if np.any(pos < 0):
        missing = [lab for lab, p in zip(labels, pos, strict=True) if p < 0]
        raise RowNotFoundError(f"rows {missing} are not in this result table")
    if info.estimates is not None and "estimate" in result.columns:
        present = [lab for lab in labels if lab in result.index]
        if present:
            have = result.loc[present, "estimate"].to_numpy(dtype=float)
            want = info.estimates[info.index.get_indexer(pd.Index(present))]
            if not np.allclose(have, want, rtol=1e-12, atol=0.0, equal_nan=True):
                raise DesignError(
                    "the table's estimates no longer match the estimates its covariance "
                    "belongs to (rows relabelled, e.g. by reset_index, or estimates changed "
                    "by hand); contrast the table the estimator returned, and scale it with "
                    "Estimate.scaled()")
    return pos


def find_row(result: pd.DataFrame, **where: object) -> Hashable:
    """Index label of the single row whose columns equal ``where``.

    Examples
    --------
    >>> i = find_row(res, sex="female")  # doctest: +SKIP
    """
    mask = np.ones(len(result), dtype=bool)
    for col, val in where.items():
        if col not in result.columns:
            raise RowNotFoundError(
                f"column {col!r} is not in the result (columns: {list(result.columns)})")
        mask &= (result[col] == val).to_numpy()
    hits = result.index[mask]
    if len(hits) != 1:
        raise RowNotFoundError(f"{len(hits)} rows match {where}; need exactly one")
    return hits[0]


def _select(result: pd.DataFrame, key: Hashable | Mapping[str, object]) -> Hashable:
    if isinstance(key, Mapping):
        return find_row(result, **key)
    return key


def contrast(
    result: pd.DataFrame,
    coefficients: Mapping[str, Mapping[Any, float] | str],
    *,
    names: Mapping[str, Any] | None = None,
    level: float | None = None,
    df: float | None = None,
) -> Estimate:
    """Linear or nonlinear contrasts of estimates, as R ``svycontrast``.

    Parameters
    ----------
    result
        A table returned by a carecost estimator (an :class:`Estimate`).
    coefficients
        ``{name: contrast}``, each contrast either a linear one, ``{row_label: coefficient,
        ...}`` (rows not named get 0), or an expression of the estimates such as
        ``"log(E / M)"`` or ``"100 * (api00 - api99) / api99"`` (R
        ``svycontrast(stat, quote(...))``).  Expressions use numbers, ``+ - * / **``,
        parentheses and the functions ``log, exp, sqrt, log10, log2, log1p, expm1, expit,
        logit, sin, cos, tan, asin, acos, atan``; a name that is not a Python identifier is
        written in backticks (```No:E```).
    names
        What the names in expressions refer to: ``{symbol: row_label or {column: value}}``.
        By default every row is named by its ``by`` values joined with ``":"``, followed by
        the variable when the table has several (or no ``by`` columns), and by the level
        for proportions and factor levels (``glm`` tables: the ``term``); e.g. ``"E"`` for
        ``d.mean("api00", by="stype")``, ``"api00"`` for ``d.mean(["api00", "api99"])``.
    level, df
        Confidence level (default: the table's) and degrees of freedom for
        the interval (default: the table's ``df``, a Student t; ``numpy.inf`` for the
        normal quantile, which R's ``confint`` uses on ``svycontrast`` output).

    Returns
    -------
    Estimate
        ``contrast, estimate, se, ci_low, ci_high, cv, df`` carrying the contrasts'
        covariance.  Linear: :math:`\\mathrm{Var}(c^\\top\\hat\\theta) = c^\\top V c`.
        Expressions :math:`f(\\hat\\theta)`: when the table carries replicate estimates
        (``return_replicates=True`` on a :class:`ReplicateDesign`, and every ``glm`` on
        one), the replicate variance of :math:`f(\\hat\\theta_r)` (R ``svycontrast`` on
        a statistic with replicates); otherwise the delta method
        :math:`\\nabla f^\\top V \\nabla f`, with the gradient exact to rounding
        (complex-step differentiation; R differentiates symbolically with ``deriv``).

    Raises
    ------
    DesignError
        An expression that does not parse, uses an unknown function, or names an unknown
        row; a table without covariance (or replicates).
    """
    info = _info(result, allow_replicates=True)
    out_names = list(coefficients)
    exprs = {k: v for k, v in coefficients.items() if isinstance(v, str)}
    if exprs and len(exprs) != len(coefficients):
        raise DesignError("contrast: give either linear contrasts (dicts) or expressions "
                          "(strings) in one call, not both")
    theta = _full_estimates(result, info)
    if exprs:
        return _nonlinear(result, info, theta, exprs, names, level, df)
    if info.vcov is None:
        raise DesignError(f"the {info.statistic} table has no covariance matrix; re-run the "
                          "estimator with vcov=True")
    c = np.zeros((len(out_names), len(info.index)))
    for i, name in enumerate(out_names):
        coef = coefficients[name]
        assert not isinstance(coef, str)
        labels = list(coef)
        pos = _checked_positions(result, info, labels)
        c[i, pos] = [coef[lab] for lab in labels]
    used = np.any(c != 0, axis=0)  # 0 x NaN must not spoil a contrast
    est = c[:, used] @ theta[used]
    vcov = c[:, used] @ info.vcov[np.ix_(used, used)] @ c[:, used].T
    reps = (None if info.replicates is None
            else c[:, used] @ info.replicates[used])
    return _contrast_table(out_names, est, vcov, result, info, level, df, reps)


EXPRESSION_FUNCTIONS: dict[str, Any] = {
    "log": np.log, "exp": np.exp, "sqrt": np.sqrt, "log10": np.log10, "log2": np.log2,
    "log1p": np.log1p, "expm1": np.expm1, "sin": np.sin, "cos": np.cos, "tan": np.tan,
    "asin": np.arcsin, "acos": np.arccos, "atan": np.arctan,
    "expit": lambda x: 1 / (1 + np.exp(-x)), "logit": lambda x: np.log(x / (1 - x)),
}
"""Functions allowed in contrast expressions (all analytic, so complex steps differentiate
them exactly)."""
COMPLEX_STEP = 1e-30
"""Imaginary step of the complex-step derivative :math:`f'(x) = \\mathrm{Im} f(x+ih)/h`
(Squire and Trapp 1998): no subtraction, so exact to rounding for any tiny ``h``."""


def _row_names(result: pd.DataFrame) -> dict[str, Hashable]:
    """Default names of the rows (see :func:`contrast`)."""
    cols = list(result.columns)
    if "term" in cols:
        return {str(t): i for i, t in zip(result.index, result["term"], strict=True)}
    stop = cols.index("estimate") if "estimate" in cols else len(cols)
    lead = [c for c in cols[:stop] if c not in ("variable", "level")]
    several = "variable" in cols and (result["variable"].nunique() > 1 or not lead)
    out: dict[str, Hashable] = {}
    for i, (_, r) in zip(result.index, result.iterrows(), strict=True):
        parts = [str(r[c]) for c in lead]
        if several:
            parts.append(str(r["variable"]))
        if "level" in cols and isinstance(r["level"], str):
            parts.append(str(r["level"]))
        key = ":".join(parts)
        if key in out:
            out[key] = None  # ambiguous: must be named explicitly
        else:
            out[key] = i
    return {k: v for k, v in out.items() if v is not None}


def _parse(expr: str) -> tuple[Any, dict[str, str]]:
    """The expression's syntax tree, with backtick names replaced by identifiers."""
    import ast
    import re

    quoted: dict[str, str] = {}

    def sub(m: re.Match[str]) -> str:
        key = f"_q{len(quoted)}_"
        quoted[key] = m.group(1)
        return key

    text = re.sub(r"`([^`]*)`", sub, expr)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as err:
        raise DesignError(f"contrast: cannot parse the expression {expr!r}: {err.msg}") from err
    return tree.body, quoted


def _evaluate(node: Any, env: Mapping[str, np.ndarray], expr: str) -> Any:
    """Evaluate a parsed expression on arrays (only arithmetic and allowed functions)."""
    import ast

    ops = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply,
           ast.Div: np.divide, ast.Pow: np.power}
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
            and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in ops:
        return ops[type(node.op)](_evaluate(node.left, env, expr),
                                  _evaluate(node.right, env, expr))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        v = _evaluate(node.operand, env, expr)
        return -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords \
            and len(node.args) == 1:
        fn = EXPRESSION_FUNCTIONS.get(node.func.id)
        if fn is None:
            raise DesignError(f"contrast: unknown function {node.func.id!r} in {expr!r}; "
                              f"allowed: {sorted(EXPRESSION_FUNCTIONS)}")
        return fn(_evaluate(node.args[0], env, expr))
    raise DesignError(f"contrast: {expr!r} may use only numbers, names of estimates, "
                      "+ - * / **, parentheses and one-argument functions "
                      f"{sorted(EXPRESSION_FUNCTIONS)}")


def _identifiers(node: Any) -> list[str]:
    """Names of estimates in a parsed expression (function names excluded), in order."""
    import ast

    funcs = {id(n.func) for n in ast.walk(node) if isinstance(n, ast.Call)}
    out: list[str] = []
    for n in ast.walk(node):
        if isinstance(n, ast.Name) and id(n) not in funcs and n.id not in out:
            out.append(n.id)
    return out


def _nonlinear(
    result: pd.DataFrame, info: EstimateInfo, theta: np.ndarray, exprs: Mapping[str, str],
    names: Mapping[str, Any] | None, level: float | None,
    df: float | None,
) -> Estimate:
    defaults = _row_names(result)
    parsed = {k: _parse(v) for k, v in exprs.items()}
    symbols: list[str] = []  # row names used by any expression
    for node, quoted in parsed.values():
        for ident in _identifiers(node):
            name = quoted.get(ident, ident)
            if name not in symbols:
                symbols.append(name)
    labels: list[Hashable] = []
    for name in symbols:
        if names is not None and name in names:
            labels.append(_select(result, names[name]))
        elif name in defaults:
            labels.append(defaults[name])
        else:
            raise DesignError(
                f"contrast: {name!r} names no row of the table; rows are named "
                f"{list(defaults)[:12]} (pass names={{symbol: row}} to name them)")
    pos = _checked_positions(result, info, labels)
    k = len(symbols)
    if info.replicates is None and info.vcov is None:
        raise DesignError(f"the {info.statistic} table has neither a covariance matrix nor "
                          "replicate estimates; re-run the estimator with vcov=True")
    est = np.empty(len(exprs))
    grads = np.zeros((len(exprs), len(info.index)))
    reps = None if info.replicates is None else np.empty((len(exprs),
                                                          info.replicates.shape[1]))
    for e, (key, (node, quoted)) in enumerate(parsed.items()):
        cenv: dict[str, np.ndarray] = {}
        renv: dict[str, np.ndarray] = {}
        for ident in _identifiers(node):
            j = symbols.index(quoted.get(ident, ident))
            v = np.full(k + 1, theta[pos[j]], dtype=complex)
            v[j + 1] += 1j * COMPLEX_STEP
            cenv[ident] = v
            if info.replicates is not None:
                renv[ident] = np.asarray(info.replicates[pos[j]], dtype=float)
        with np.errstate(all="ignore"):
            real = {i: np.real(v[:1]) for i, v in cenv.items()}
            value = float(np.broadcast_to(_evaluate(node, real, exprs[key]), 1)[0])
            cval = np.broadcast_to(np.asarray(_evaluate(node, cenv, exprs[key]),
                                              dtype=complex), k + 1)
            if reps is not None:
                reps[e] = np.broadcast_to(_evaluate(node, renv, exprs[key]), reps.shape[1])
        est[e] = value
        g = np.imag(cval[1:]) / COMPLEX_STEP if np.isfinite(value) else np.full(k, np.nan)
        np.add.at(grads[e], pos, g)
    if reps is not None:
        from ._engine import replicate_variance

        vcov = replicate_variance(reps, est, info.rep_scale,
                                  np.asarray(info.rep_rscales, dtype=float), info.rep_mse,
                                  True)
    else:
        assert info.vcov is not None
        used = np.any(grads != 0, axis=0)
        vcov = grads[:, used] @ info.vcov[np.ix_(used, used)] @ grads[:, used].T
    return _contrast_table(list(exprs), est, vcov, result, info, level, df, reps)


def _full_estimates(result: pd.DataFrame, info: EstimateInfo) -> np.ndarray:
    """Estimates in the order of ``info.index`` (all rows, even when ``result`` is filtered)."""
    if info.estimates is not None:
        return np.asarray(info.estimates)
    pos = info.index.get_indexer(result.index)
    theta = np.full(len(info.index), np.nan)
    theta[pos[pos >= 0]] = result["estimate"].to_numpy()[pos >= 0]
    return theta


def _contrast_table(
    names: list[str], est: np.ndarray, vcov: np.ndarray, result: pd.DataFrame,
    info: EstimateInfo, level: float | None, df: float | None,
    replicates: np.ndarray | None = None,
) -> Estimate:
    lvl = info.level if level is None else level
    design_df = float(result["df"].iloc[0]) if len(result) else np.inf
    rows = pd.DataFrame({"contrast": names})
    table = build_table(
        rows, est, np.diag(vcov), df=design_df, ci_df=df, level=lvl,
        n=np.zeros(len(names), dtype=np.int64), statistic="contrast", vcov=vcov,
        variance=info.variance, method=info.method, weights_unit=info.weights_unit,
    )
    out = table.drop(columns="n")
    if replicates is not None and out.estimate_info is not None:
        out = attach(out, replace(out.estimate_info, replicates=replicates,
                                  rep_scale=info.rep_scale, rep_rscales=info.rep_rscales,
                                  rep_mse=info.rep_mse))
    return out


def difference(
    result: pd.DataFrame, a: Hashable | Mapping[str, object], b: Hashable | Mapping[str, object],
    *, name: str | None = None, level: float | None = None, df: float | None = None,
) -> Estimate:
    """Estimate of row ``a`` minus row ``b`` with its standard error.

    ``a`` and ``b`` are index labels or column filters such as
    ``{"sex": "female"}``.  :math:`\\mathrm{Var}(a-b) = V_{aa}+V_{bb}-2V_{ab}`.
    """
    ia, ib = _select(result, a), _select(result, b)
    label = name or "difference"
    return contrast(result, {label: {ia: 1.0, ib: -1.0}}, level=level, df=df)


def ratio_of(
    result: pd.DataFrame, a: Hashable | Mapping[str, object], b: Hashable | Mapping[str, object],
    *, name: str | None = None, level: float | None = None, df: float | None = None,
) -> Estimate:
    """Ratio of row ``a`` to row ``b`` with a delta-method standard error.

    As R ``svycontrast(stat, quote(a/b))``: with gradient
    :math:`g = (1/\\hat\\theta_b, -\\hat\\theta_a/\\hat\\theta_b^2)`,
    :math:`\\mathrm{Var} = g^\\top V g`.
    """
    info = _info(result)
    assert info.vcov is not None
    ia, ib = _select(result, a), _select(result, b)
    pos = _checked_positions(result, info, [ia, ib])
    theta = _full_estimates(result, info)
    ta, tb = theta[pos[0]], theta[pos[1]]
    g = np.zeros(len(info.index))
    g[pos[0]] = 1.0 / tb
    g[pos[1]] = -ta / tb**2
    est = np.array([ta / tb])
    vcov = np.array([[g @ info.vcov @ g]])
    return _contrast_table([name or "ratio"], est, vcov, result, info, level, df)
