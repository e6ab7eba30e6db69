"""Tidy result tables and contrasts of estimates.

Every estimator returns a :class:`pandas.DataFrame` with one row per
estimate and the columns ``estimate, se, ci_low, ci_high, cv, df, n`` after
the ``by`` columns.  The covariance matrix of the estimates travels with the
table in ``DataFrame.attrs["carecost"]`` (an :class:`EstimateInfo`), so that
:func:`contrast`, :func:`difference` and :func:`ratio_of` can combine rows
with the correct covariance, as R's ``svycontrast`` does on ``svyby`` output
(Lumley 2010, section 2.3).

References
----------
Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

RESULT_COLUMNS = ["estimate", "se", "ci_low", "ci_high", "cv", "df", "n"]


@dataclass(frozen=True, eq=False)
class EstimateInfo:
    """Metadata attached to a result table.

    Attributes
    ----------
    statistic
        ``"mean"``, ``"total"``, ``"ratio"``, ``"proportion"``, ``"quantile"``
        or ``"contrast"``.
    vcov
        Covariance matrix of the estimates, rows and columns in the order of
        ``index`` (``None`` when it was not computed, e.g. for quantiles).
    index
        Index labels of the table when it was created; lets a filtered table
        still find its rows in ``vcov``.
    level
        Confidence level of ``ci_low``/``ci_high``.
    variance
        A sentence saying how the variance was estimated.
    """

    statistic: str
    vcov: np.ndarray | None
    index: pd.Index
    level: float
    variance: str
    extra: dict[str, object] = field(default_factory=dict)

    def __eq__(self, other: object) -> bool:  # identity: keeps pandas' attrs checks cheap
        return self is other

    __hash__ = object.__hash__


def critical_value(level: float, df: float) -> float:
    """Two-sided critical value: Student t with ``df`` or normal if infinite."""
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (exclusive); got {level!r}")
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
) -> pd.DataFrame:
    """Assemble the tidy result table."""
    se = np.sqrt(np.clip(variance_diag, 0.0, None))
    se = np.where(np.isnan(estimate), np.nan, se)  # an empty domain has no estimate and no SE
    use_df = df if ci_df is None else ci_df
    crit = critical_value(level, use_df)
    out = rows.reset_index(drop=True).copy()
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
    out.attrs["carecost"] = EstimateInfo(
        statistic=statistic, vcov=vcov, index=out.index.copy(), level=level,
        variance=variance, extra={"estimates": np.asarray(estimate, dtype=float).copy()},
    )
    return out


def _info(result: pd.DataFrame) -> EstimateInfo:
    info = result.attrs.get("carecost")
    if not isinstance(info, EstimateInfo):
        raise TypeError(
            "this table carries no carecost covariance: pass the table returned by a "
            "carecost estimator (mean, total, ratio, proportion), not a copy rebuilt by hand"
        )
    if info.vcov is None:
        raise ValueError(
            f"the {info.statistic} table has no covariance matrix (too many estimates, or "
            "a statistic without one); re-run the estimator with vcov=True"
        )
    return info


def _positions(result: pd.DataFrame, info: EstimateInfo, labels: Sequence[Hashable]) -> np.ndarray:
    pos = info.index.get_indexer(pd.Index(labels))
    if np.any(pos < 0):
        missing = [lab for lab, p in zip(labels, pos, strict=True) if p < 0]
        raise KeyError(f"rows {missing} are not in this result table")
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
            raise KeyError(f"column {col!r} is not in the result (columns: {list(result.columns)})")
        mask &= (result[col] == val).to_numpy()
    hits = result.index[mask]
    if len(hits) != 1:
        raise KeyError(f"{len(hits)} rows match {where}; need exactly one")
    return hits[0]


def _select(result: pd.DataFrame, key: Hashable | Mapping[str, object]) -> Hashable:
    if isinstance(key, Mapping):
        return find_row(result, **key)
    return key


def contrast(
    result: pd.DataFrame,
    coefficients: Mapping[str, Mapping[Hashable, float]],
    *,
    level: float | None = None,
    df: float | None = None,
) -> pd.DataFrame:
    """Linear contrasts of estimates, as R ``svycontrast(stat, list(...))``.

    Parameters
    ----------
    result
        A table returned by a carecost estimator.
    coefficients
        ``{name: {row_label: coefficient, ...}}``; rows not named get 0.
    level, df
        Confidence level (default: the table's) and degrees of freedom for
        the interval (default: the table's ``df``; ``numpy.inf`` for normal).

    Returns
    -------
    pandas.DataFrame
        ``contrast, estimate, se, ci_low, ci_high, cv, df`` with the contrasts'
        covariance attached, :math:`\\mathrm{Var}(c^\\top\\hat\\theta) =
        c^\\top V c`.
    """
    info = _info(result)
    assert info.vcov is not None
    names = list(coefficients)
    c = np.zeros((len(names), len(info.index)))
    for i, name in enumerate(names):
        labels = list(coefficients[name])
        pos = _positions(result, info, labels)
        c[i, pos] = [coefficients[name][lab] for lab in labels]
    theta = _full_estimates(result, info)
    used = np.any(c != 0, axis=0)  # 0 x NaN must not spoil a contrast
    est = c[:, used] @ theta[used]
    vcov = c[:, used] @ info.vcov[np.ix_(used, used)] @ c[:, used].T
    return _contrast_table(names, est, vcov, result, info, level, df)


def _full_estimates(result: pd.DataFrame, info: EstimateInfo) -> np.ndarray:
    """Estimates in the order of ``info.index`` (all rows, even when ``result`` is filtered)."""
    full = info.extra.get("estimates")
    if full is not None:
        return np.asarray(full)
    pos = info.index.get_indexer(result.index)
    theta = np.full(len(info.index), np.nan)
    theta[pos[pos >= 0]] = result["estimate"].to_numpy()[pos >= 0]
    return theta


def _contrast_table(
    names: list[str], est: np.ndarray, vcov: np.ndarray, result: pd.DataFrame,
    info: EstimateInfo, level: float | None, df: float | None,
) -> pd.DataFrame:
    lvl = info.level if level is None else level
    design_df = float(result["df"].iloc[0]) if len(result) else np.inf
    rows = pd.DataFrame({"contrast": names})
    table = build_table(
        rows, est, np.diag(vcov), df=design_df, ci_df=df, level=lvl,
        n=np.zeros(len(names), dtype=np.int64), statistic="contrast", vcov=vcov,
        variance=info.variance,
    )
    return table.drop(columns="n")


def difference(
    result: pd.DataFrame, a: Hashable | Mapping[str, object], b: Hashable | Mapping[str, object],
    *, name: str | None = None, level: float | None = None, df: float | None = None,
) -> pd.DataFrame:
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
) -> pd.DataFrame:
    """Ratio of row ``a`` to row ``b`` with a delta-method standard error.

    As R ``svycontrast(stat, quote(a/b))``: with gradient
    :math:`g = (1/\\hat\\theta_b, -\\hat\\theta_a/\\hat\\theta_b^2)`,
    :math:`\\mathrm{Var} = g^\\top V g`.
    """
    info = _info(result)
    assert info.vcov is not None
    ia, ib = _select(result, a), _select(result, b)
    pos = _positions(result, info, [ia, ib])
    theta = _full_estimates(result, info)
    ta, tb = theta[pos[0]], theta[pos[1]]
    g = np.zeros(len(info.index))
    g[pos[0]] = 1.0 / tb
    g[pos[1]] = -ta / tb**2
    est = np.array([ta / tb])
    vcov = np.array([[g @ info.vcov @ g]])
    return _contrast_table([name or "ratio"], est, vcov, result, info, level, df)
