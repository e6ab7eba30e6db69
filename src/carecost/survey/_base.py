"""The one design front end: estimators shared by linearization and replicate-weight designs.

:class:`SurveyDesign` checks arguments, lays out each estimate (a ratio or total of weighted
domain totals, :mod:`carecost.survey._engine`), asks its backend
(:mod:`carecost.survey._backend`: rows in memory or in a Dask DataFrame) for the sums it
needs, and builds the result table (:class:`~carecost.survey.Estimate`).  The subclasses
:class:`~carecost.survey.Design` and :class:`~carecost.survey.ReplicateDesign` say how a
variance is computed from those sums.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, Literal, Self

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ._backend import (
    Backend,
    DaskBackend,
    Kind,
    MemoryBackend,
    NaPolicy,
    Prepared,
    Spec,
    layout,
    numeric_values,
)
from ._engine import FloatArray, base_matrix, evaluate, replicate_variance
from ._errors import DesignError
from .results import Estimate, EstimateInfo, attach, build_table, critical_value

__all__ = ["VCOV_LIMIT", "DesignError", "NaPolicy", "SurveyDesign", "WeightsUnit"]

VCOV_LIMIT = 2000
"""Above this many estimates only the variances (not covariances) are computed by default."""
QUANTILE_DISTINCT_LIMIT = 2_000_000
"""Most distinct (domain, value) pairs a quantile on the Dask backend collects."""
WeightsUnit = Literal["persons", "person_days"]
"""What the weights count: persons (sum = population) or person-days (sum = population x days
of the reference period, as ATUS final weights)."""
WEIGHTS_UNITS = ("persons", "person_days")


def as_list(x: str | Sequence[str] | None) -> list[str]:
    if x is None:
        return []
    if isinstance(x, str):
        return [x]
    return list(x)


def check_columns(data: Any, cols: Sequence[str], what: str) -> None:
    """An error naming the columns of ``cols`` that ``data`` (anything with ``.columns``) lacks."""
    available = list(data.columns)
    missing = [c for c in cols if c not in available]
    if missing:
        raise DesignError(
            f"{what}: column(s) {missing} not found in the data; available columns start "
            f"with {available[:12]}"
        )


def numeric_column(data: pd.DataFrame, col: str) -> FloatArray:
    return numeric_values(data[col], col)


def check_weights_unit(unit: object) -> WeightsUnit | None:
    if unit is not None and unit not in WEIGHTS_UNITS:
        raise DesignError(f"weights_unit must be one of {WEIGHTS_UNITS} or None (not stated); "
                          f"got {unit!r}")
    return unit  # type: ignore[return-value]


def check_weights(w: FloatArray, name: str) -> None:
    """Sampling weights must be present, finite and non-negative."""
    nmiss = int(np.isnan(w).sum())
    if nmiss:
        raise DesignError(f"weights column {name!r} has {nmiss} missing value(s)")
    nneg = int((w < 0).sum())
    if nneg:
        raise DesignError(f"weights column {name!r} has {nneg} negative value(s)")
    if not np.all(np.isfinite(w)):
        raise DesignError(f"weights column {name!r} has infinite values")


class SurveyDesign(ABC):
    """Common interface of :class:`Design` and :class:`ReplicateDesign`, on any backend.

    Subclasses provide :meth:`_variance`, :meth:`degf`, :meth:`_variance_note`,
    :meth:`_group_degf` (in-memory quantiles) and the class attributes ``_METHOD`` and
    ``_SRS_NONZERO_ONLY`` (whether design-effect ``n`` counts only rows of non-zero weight).
    """

    _backend: Backend
    _weights_unit: WeightsUnit | None = None
    _METHOD: str = ""
    _SRS_NONZERO_ONLY: bool = False

    # ------------------------------------------------------------------ basics
    @property
    def backend(self) -> str:
        """``"memory"`` (a pandas DataFrame) or ``"dask"`` (a Dask DataFrame)."""
        return self._backend.name

    def _memory(self, what: str) -> MemoryBackend:
        """The in-memory backend, or one clear error naming what the Dask backend cannot do."""
        b = self._backend
        if not isinstance(b, MemoryBackend):
            raise DesignError(
                f"{what} is not available on the Dask backend: it needs the rows in memory. "
                "Compute the columns you need first (e.g. Design(ddf[cols].compute(), ...)) "
                "or use the estimators, which reduce each partition")
        return b

    @property
    def data(self) -> Any:
        """The analysis data (all rows, including those outside a subset): a pandas
        DataFrame, or the Dask DataFrame on the Dask backend."""
        b = self._backend
        return b.data if isinstance(b, MemoryBackend) else b.ddf  # type: ignore[attr-defined]

    @property
    def _data(self) -> pd.DataFrame:
        return self._memory("row access").data

    @property
    def _w(self) -> FloatArray:
        return self._memory("row access").w

    @property
    def _mask(self) -> NDArray[np.bool_]:
        return self._memory("row access").mask

    @property
    def weights(self) -> FloatArray:
        """Sampling weights; zero for rows outside the current subset (in-memory designs)."""
        return self._memory("weights (one value per row)").masked_w

    @property
    def in_subset(self) -> NDArray[np.bool_]:
        """Boolean mask of the rows in the current (sub)design (in-memory designs)."""
        return self._memory("in_subset (one value per row)").mask.copy()

    @property
    def weights_unit(self) -> WeightsUnit | None:
        """What the weights count (``"persons"``, ``"person_days"``), or ``None`` if not stated.

        Kept by :meth:`subset` and :meth:`assign`, and reported in every result
        (``Estimate.estimate_info.weights_unit``).
        """
        return self._weights_unit

    def with_weights_unit(self, unit: WeightsUnit | None) -> Self:
        """A copy of the design that states what its weights count."""
        new = copy.copy(self)
        new._weights_unit = check_weights_unit(unit)
        return new

    def weight_total(self) -> float:
        """Sum of the full-sample weights over the rows in the (sub)design."""
        return self._backend.weight_total()

    def distinct(self, columns: str | Sequence[str]) -> pd.DataFrame:
        """Distinct combinations of ``columns`` among the rows in the (sub)design (any backend)."""
        cols = as_list(columns)
        check_columns(self._backend, cols, "distinct")
        return self._backend.distinct(cols)

    def __len__(self) -> int:
        """Rows in the (sub)design (on the Dask backend: one pass over the data)."""
        return self._backend.count()

    def derive(self, fn: Any, meta: pd.DataFrame) -> Self:
        """A copy with the columns ``fn(rows, in_subset)`` added, computed chunk by chunk.

        ``fn`` gets a pandas DataFrame of rows (the data in memory, one partition on Dask)
        and the boolean mask of those rows in the (sub)design, and returns a DataFrame of new
        columns with the same index; ``meta`` is an empty DataFrame naming them (and their
        dtypes).  This is how derived per-row variables (e.g. the value of each person's
        unpaid work) reach every backend.
        """
        return self._with_backend(self._backend.derive(fn, meta))

    @abstractmethod
    def degf(self) -> float:
        """Design degrees of freedom, as R ``survey::degf``."""

    @abstractmethod
    def _variance(
        self, prep: Prepared, full: bool
    ) -> tuple[FloatArray, FloatArray, FloatArray | None]:
        """Return ``(theta, var_diag, vcov_or_None)`` for a prepared estimate."""

    @abstractmethod
    def _variance_note(self) -> str:
        """One sentence on how variances are estimated."""

    @abstractmethod
    def _group_degf(self, codes: NDArray[np.intp], n_groups: int) -> FloatArray:
        """Degrees of freedom of each domain's subset design (R ``degf`` of ``subset``)."""

    def _with_backend(self, backend: Backend) -> Self:
        new = copy.copy(self)
        new._backend = backend
        return new

    def assign(self, **columns: object) -> Self:
        """A copy of the design with new or replaced analysis columns (like srvyr ``mutate``).

        Values are arrays or Series with one value per row of :attr:`data` (all rows,
        including those outside a subset), or functions of :attr:`data` returning them (as
        ``pandas.DataFrame.assign``; on the Dask backend, Dask Series of :attr:`data` or such
        functions).  The design itself (weights, strata, clusters, replicates, subset,
        ``weights_unit``) is unchanged.
        """
        return self._with_backend(self._backend.assign(dict(columns)))

    # ----------------------------------------------------------------- subsets
    def subset(self, mask: object) -> Self:
        """Design for a domain (subpopulation), keeping the full design for variance.

        Rows outside the domain stay in the design with zero weight, so
        strata and PSUs with no domain members still count, as R
        ``subset.survey.design`` does (Lumley 2010, section 2.3.1).  The
        result is *not* a row filter: ``d.subset(m).mean(y)`` equals the
        domain mean from ``d.mean(y, by=m)``.

        Parameters
        ----------
        mask
            On every backend: a ``DataFrame.eval`` expression such as
            ``"sex == 'female'"``, or a function of a pandas DataFrame (the data, or one
            partition of a Dask DataFrame) returning booleans, e.g.
            ``lambda f: f["year"] == 2016``.  In memory also a boolean array or Series
            aligned with the data.  Missing values count as outside the domain.
        """
        return self._with_backend(self._backend.subset(mask))

    # -------------------------------------------------------------- internals
    def _prepare(self, kind: Kind, variables: list[str], by: list[str], na: NaPolicy
                 ) -> Prepared:
        check_columns(self._backend, variables + by, "estimator")
        if na not in ("raise", "omit"):
            raise DesignError(f"na must be 'raise' or 'omit', got {na!r}")
        if kind != "proportion":
            for c in variables:
                dt = self._backend.dtype(c)
                if not (pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt)):
                    raise DesignError(
                        f"column {c!r} is not numeric (dtype {dt}); use proportion() for a "
                        "categorical variable or convert it with pandas.to_numeric")
        prep = self._backend.prepare(Spec(kind, tuple(variables), tuple(by), na))
        self._check_missing(prep.nmiss, na)
        return prep

    @staticmethod
    def _check_missing(nmiss: dict[tuple[str, str], int], na: NaPolicy) -> None:
        if na != "raise":
            return
        for (role, c), k in nmiss.items():
            if k and role == "variable":
                raise DesignError(
                    f"column {c!r} has {k} missing value(s) in the design; pass na='omit' "
                    "to estimate for the non-missing domain (as R na.rm=TRUE), or impute first"
                )
        for (role, c), k in nmiss.items():
            if k and role == "by":
                raise DesignError(
                    f"by column {c!r} has {k} missing value(s); pass na='omit' to leave "
                    "those rows out of every domain, or recode them"
                )

    def _run(
        self, prep: Prepared, *, statistic: str, level: float, df: float | None,
        vcov: bool | None, deff: bool | Literal["replace"] = False, replicates: bool = False,
    ) -> Estimate:
        critical_value(level, np.inf)  # a bad level is an error before any pass over the data
        full = prep.plan.n_estimates <= VCOV_LIMIT if vcov is None else bool(vcov)
        if replicates:
            theta, var, cov, reps = self._replicate_estimates(prep, full)
        else:
            theta, var, cov = self._variance(prep, full)
        res = build_table(
            prep.plan.rows, theta, var, df=self.degf(), ci_df=df, level=level, n=prep.plan.n,
            statistic=statistic, vcov=cov, variance=self._variance_note(),
            method=self._METHOD, weights_unit=self._weights_unit,
        )
        if replicates:
            assert res.estimate_info is not None
            res = attach(res, dataclasses.replace(
                res.estimate_info, replicates=reps, rep_scale=self.scale,  # type: ignore[attr-defined]
                rep_rscales=self.rscales, rep_mse=self.mse))  # type: ignore[attr-defined]
        if deff:
            res["deff"] = self._deff(prep, res["se"].to_numpy() ** 2, deff == "replace")
        return res

    def _replicate_estimates(self, prep: Prepared, full: bool
                             ) -> tuple[FloatArray, FloatArray, FloatArray | None, FloatArray]:
        """``(theta, var, vcov, theta_rep)`` of a replicate design: the estimates of every
        replicate kept (R ``return.replicates=TRUE``), the variance from them as
        :meth:`ReplicateDesign._variance`."""
        if not hasattr(self, "_rscales"):
            raise DesignError("return_replicates=True needs a ReplicateDesign (replicate "
                              "weights); a linearization Design has no replicates "
                              "(convert it with to_replicates)")
        t0, trep = self._backend.replicate_totals(prep)
        theta = evaluate(prep.plan, t0)[:, 0]
        theta_rep = evaluate(prep.plan, trep)
        v = replicate_variance(theta_rep, theta, self.scale, self.rscales,  # type: ignore[attr-defined]
                               self.mse, full)  # type: ignore[attr-defined]
        if full:
            return theta, np.diag(v).copy(), v, theta_rep
        return theta, v, None, theta_rep

    def _deff(self, prep: Prepared, var: FloatArray, replace: bool) -> FloatArray:
        """Design effects as R ``svymean(..., deff=TRUE)`` / ``svytotal``.

        :math:`\\mathrm{deff} = \\hat V / \\hat V_{srs}` with
        :math:`\\hat V_{srs} = \\hat S^2 (\\hat N-n)/(\\hat N n)` for a mean
        (times :math:`\\hat N^2` for a total), :math:`\\hat S^2` the weighted
        domain variance with divisor :math:`n-1`; without the factor
        :math:`(\\hat N-n)/\\hat N` when ``replace``.  The backend supplies per domain
        the rows :math:`n`, :math:`\\hat N = \\sum w` and :math:`\\sum w (y-\\bar y_w)^2`
        (on Dask pooled from partition moments, Chan, Golub and LeVeque 1979).
        """
        n, wsum, ss = self._backend.deff_moments(prep, self._SRS_NONZERO_ONLY)
        n, wsum = n[:, None], wsum[:, None]
        s2 = n / (n - 1) * ss / wsum
        vsrs = s2 / n
        if not replace:
            vsrs = vsrs * (wsum - n) / wsum
        if prep.spec.kind == "total":
            vsrs = vsrs * wsum**2
        with np.errstate(divide="ignore", invalid="ignore"):
            return var / vsrs.ravel()

    def _estimate(self, kind: Kind, variables: list[str], by: str | Sequence[str] | None,
                  na: NaPolicy, level: float, df: float | None, vcov: bool | None,
                  deff: bool | Literal["replace"] = False, statistic: str | None = None,
                  replicates: bool = False) -> Estimate:
        design, variables, labels = self._expand_levels(kind, variables, by)
        prep = design._prepare(kind, variables, as_list(by), na)
        res = design._run(prep, statistic=statistic or kind, level=level, df=df, vcov=vcov,
                          deff=deff, replicates=replicates)
        if labels:
            names = [labels.get(v, (v, None)) for v in res["variable"]]
            res["variable"] = [n for n, _ in names]
            res.insert(int(res.columns.get_loc("variable")) + 1, "level",  # type: ignore[arg-type]
                       [lev for _, lev in names])
        return res

    def _expand_levels(self, kind: Kind, variables: list[str], by: str | Sequence[str] | None
                       ) -> tuple[Self, list[str], dict[str, tuple[str, str]]]:
        """Replace each categorical variable of a total by its level indicators.

        Returns the design with the indicator columns (computed chunk by chunk, so on every
        backend; missing where the variable is missing, so ``na`` applies), the new variable
        list and ``{indicator: (variable, level)}``.  Levels: every category of a pandas
        ``Categorical`` (R keeps a factor's empty levels), else the sorted distinct values
        among the rows in the design.
        """
        if kind != "total":  # means of levels: proportion() (R svymean(~factor))
            return self, variables, {}
        check_columns(self._backend, variables + as_list(by), "estimator")
        cats: dict[str, list[Any]] = {}
        for c in variables:
            dt = self._backend.dtype(c)
            if pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt):
                continue
            if isinstance(dt, pd.CategoricalDtype) and dt.categories is not None \
                    and not (len(dt.categories) == 1 and str(dt.categories[0]) ==
                             "__UNKNOWN_CATEGORIES__"):
                cats[c] = list(dt.categories)
            else:
                vals = self.distinct(c)[c].dropna()
                cats[c] = sorted(vals.tolist())
            if not cats[c]:
                raise DesignError(f"column {c!r} has no non-missing value in the design")
        if not cats:
            return self, variables, {}
        labels: dict[str, tuple[str, str]] = {}
        new_vars: list[str] = []
        spec: list[tuple[str, str, Any]] = []
        for c in variables:
            if c not in cats:
                new_vars.append(c)
                continue
            for lev in cats[c]:
                name = f"{c}[{lev}]"
                while name in self._backend.columns or name in labels:
                    name = "_" + name
                labels[name] = (c, str(lev))
                new_vars.append(name)
                spec.append((name, c, lev))

        def indicators(f: pd.DataFrame, inset: NDArray[np.bool_]) -> pd.DataFrame:
            out = {}
            for name, c, lev in spec:
                col = f[c]
                out[name] = np.where(col.isna().to_numpy(), np.nan,
                                     (col == lev).to_numpy(dtype=bool, na_value=False)
                                     .astype(float))
            return pd.DataFrame(out, index=f.index)

        b = self._backend
        if isinstance(b, MemoryBackend):  # one concat (no column-by-column insert)
            mem = copy.copy(b)
            mem.data = pd.concat([b.data, indicators(b.data, b.mask)], axis=1)
            return self._with_backend(mem), new_vars, labels
        meta = pd.DataFrame({name: pd.Series(dtype=float) for name, _, _ in spec})
        return self.derive(indicators, meta), new_vars, labels

    # -------------------------------------------------------------- estimators
    def mean(
        self, y: str | Sequence[str], by: str | Sequence[str] | None = None, *,
        na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
        deff: bool | Literal["replace"] = False, vcov: bool | None = None,
        return_replicates: bool = False,
    ) -> Estimate:
        """Weighted mean of each variable, overall or by domain.

        :math:`\\hat{\\bar y}_d = \\sum_i w_i d_i y_i / \\sum_i w_i d_i`
        (a ratio estimator, Lumley 2010, section 2.2), as R ``svymean`` and
        ``svyby(..., svymean)``.

        Parameters
        ----------
        y
            Numeric column name(s) (units are those of the data).  For the shares of a
            categorical variable's levels (R ``svymean(~factor)``) use :meth:`proportion`;
            :meth:`total` of a categorical column gives the levels' counts.
        by
            Column name(s) defining domains; each combination present in the
            (sub)design gets a row.
        na
            ``"raise"`` (default): missing values in ``y`` or ``by`` are an
            error naming the column and count.  ``"omit"``: rows with a
            missing value are left out of the domain (R ``na.rm=TRUE``),
            the full design is kept for variance.
        level
            Confidence level of ``ci_low``/``ci_high``.
        df
            Degrees of freedom of the interval.  Default: the design degrees
            of freedom (:meth:`degf`), giving Student-t intervals as srvyr and
            Stata do; pass ``numpy.inf`` for normal intervals (R's
            ``confint`` default).
        deff
            Add a ``deff`` column (``"replace"``: SRS with replacement).
        vcov
            Keep the covariance matrix of the estimates for contrasts
            (default: when there are at most 2,000 estimates).
        return_replicates
            On a :class:`ReplicateDesign`: keep every replicate's estimates in the result
            (:attr:`EstimateInfo.replicates`), so that :func:`contrast` of an expression
            uses the replicate variance, as R's ``return.replicates=TRUE``.  An error on a
            :class:`Design`.

        Returns
        -------
        Estimate
            A DataFrame with the ``by`` columns, ``variable``, ``estimate``, ``se``,
            ``ci_low``, ``ci_high``, ``cv``, ``df``, ``n`` (unweighted rows), [``deff``],
            carrying the covariance (:attr:`Estimate.vcov`) and the design facts
            (:attr:`Estimate.estimate_info`).
        """
        return self._estimate("mean", as_list(y), by, na, level, df, vcov, deff,
                              replicates=return_replicates)

    def total(
        self, y: str | Sequence[str], by: str | Sequence[str] | None = None, *,
        na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
        deff: bool | Literal["replace"] = False, vcov: bool | None = None,
        return_replicates: bool = False,
    ) -> Estimate:
        """Weighted (Horvitz–Thompson) total, :math:`\\hat T_d = \\sum_i w_i d_i y_i`.

        As R ``svytotal``.  Units: the variable's units times the population
        units of the weights (e.g. minutes per day x persons).  A categorical ``y`` gives
        the estimated population count of each level (R ``svytotal(~factor)``), in the
        units of the weights, with a ``level`` column (levels: every category of a pandas
        ``Categorical``, as R keeps a factor's empty levels; else the sorted values present
        in the design; computed chunk by chunk, so on every backend).  Parameters and
        columns as :meth:`mean`.
        """
        return self._estimate("total", as_list(y), by, na, level, df, vcov, deff,
                              replicates=return_replicates)

    def ratio(
        self, numerator: str, denominator: str, by: str | Sequence[str] | None = None, *,
        na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
        vcov: bool | None = None, return_replicates: bool = False,
    ) -> Estimate:
        """Ratio of two totals, :math:`\\hat R = \\hat T_y / \\hat T_x`, as R ``svyratio``.

        Linearized with :math:`z_i = w_i (y_i - \\hat R x_i)/\\hat T_x`
        (Lumley 2010, section 2.2.1).  The ``variable`` column reads
        ``"numerator/denominator"``.
        """
        return self._estimate("ratio", [numerator, denominator], by, na, level, df, vcov,
                              replicates=return_replicates)

    def proportion(
        self, y: str, by: str | Sequence[str] | None = None, *, na: NaPolicy = "raise",
        level: float = 0.95, df: float | None = None,
        deff: bool | Literal["replace"] = False, vcov: bool | None = None,
        return_replicates: bool = False,
    ) -> Estimate:
        """Share of the (domain) population in each level of a categorical variable.

        The mean of the level indicators, as R ``svymean(~factor)``; intervals
        are Wald intervals on the proportion scale.  All categories of a
        pandas ``Categorical`` are reported (zero for absent ones); for other
        dtypes, the levels present in the design.
        """
        return self._estimate("proportion", [y], by, na, level, df, vcov, deff,
                              replicates=return_replicates)

    def quantile(
        self, y: str, q: float | Sequence[float], by: str | Sequence[str] | None = None, *,
        na: NaPolicy = "raise", level: float = 0.95, df: float | None = None,
    ) -> Estimate:
        """Quantiles with Woodruff (1952) confidence intervals, as R ``svyquantile``.

        The estimate is the smallest value :math:`x` with estimated
        distribution function :math:`\\hat F(x) \\ge q` (R's default
        ``qrule="math"``).  The interval inverts a Wald interval for
        :math:`\\hat F(\\hat x_q)`, the design-based mean of
        :math:`1\\{y \\le \\hat x_q\\}` (R ``interval.type="mean"``), using a
        Student t with ``df`` (default: the degrees of freedom of each domain's
        subset design, as R ``svyby(..., svyquantile)``);
        ``se`` is the interval's width divided by twice the critical value.
        Interval ends are NaN when the interval for :math:`F` leaves [0, 1].

        On the Dask backend the estimate is exact too, in passes over the partitions: the
        weight and row count of each distinct value of ``y`` in each domain (the weighted
        distribution function; at most ``QUANTILE_DISTINCT_LIMIT`` distinct
        (domain, value) pairs, else one clear :class:`DesignError` -- round ``y`` or use
        an in-memory design), then the means of the indicators and each domain's degrees
        of freedom.

        Notes
        -----
        For a probability below the first sorted weight share, R's ``qs``
        helper returns the *second* smallest value; carecost does the same, so
        that estimates and interval ends (whose probabilities can fall there)
        reproduce R exactly.

        References
        ----------
        Woodruff, R. S. (1952). Confidence intervals for medians and other
        position measures. *JASA* 47, 635–646.
        Lumley, T. (2010). *Complex Surveys*, section 2.4.
        """
        bys = as_list(by)
        qs_ = [float(v) for v in np.atleast_1d(np.asarray(q, dtype=float))]
        for v in qs_:
            if not 0 <= v <= 1:
                raise DesignError(f"quantile probabilities must be in [0, 1]; got {v}")
        critical_value(level, np.inf)
        check_columns(self._backend, [y, *bys], "estimator")
        if na not in ("raise", "omit"):
            raise DesignError(f"na must be 'raise' or 'omit', got {na!r}")
        spec = Spec("mean", (y,), tuple(bys), na)
        if isinstance(self._backend, MemoryBackend):
            cdf, table, fstat, dfs = self._quantile_memory(spec, df)
        else:
            cdf, table, fstat, dfs = self._quantile_partitions(spec, df)
        ox, cw, start, stop, counts, single = cdf
        g = len(table)
        crit = np.array([critical_value(level, v) for v in dfs])
        qhats = [_weighted_quantile(ox, cw, start, stop, np.full(g, p), single) for p in qs_]
        out = []
        for p, qhat, (fhat, fvar) in zip(qs_, qhats, fstat(qhats), strict=True):
            fse = np.sqrt(np.clip(fvar, 0, None))
            plo, phi = fhat - crit * fse, fhat + crit * fse
            lo = _weighted_quantile(ox, cw, start, stop, plo, single)
            hi = _weighted_quantile(ox, cw, start, stop, phi, single)
            lo[plo < 0] = np.nan
            hi[phi > 1] = np.nan
            frame = table.copy()
            frame["variable"] = y
            frame["quantile"] = p
            frame["estimate"] = qhat
            frame["se"] = (hi - lo) / (2 * crit)
            frame["ci_low"] = lo
            frame["ci_high"] = hi
            with np.errstate(divide="ignore", invalid="ignore"):
                frame["cv"] = frame["se"] / np.abs(qhat)
            frame["df"] = dfs
            frame["n"] = counts.astype(np.int64)
            out.append(frame)
        res = pd.concat(out, ignore_index=True)
        if bys:
            res = res.sort_values([*bys, "quantile"], kind="stable").reset_index(drop=True)
        return attach(res, EstimateInfo(
            statistic="quantile", vcov=None, index=res.index.copy(), level=level,
            variance=self._variance_note(), df=self.degf(), method=self._METHOD,
            weights_unit=self._weights_unit, estimates=res["estimate"].to_numpy(dtype=float)))

    def glm(
        self, formula: str, family: Literal["gaussian", "quasibinomial", "quasipoisson"]
        = "gaussian", *, na: NaPolicy = "raise", level: float = 0.95,
    ) -> Estimate:
        """Survey-weighted generalised linear model, as R ``svyglm``.

        The coefficients :math:`\\hat\\beta` solve the weighted score equations
        :math:`\\sum_i w_i x_i (y_i - \\mu_i) = 0` with :math:`\\mu_i = g^{-1}(x_i^\\top\\beta)`
        (canonical links: identity, logit, log), fitted with statsmodels (WLS/GLM).  The
        variance is design-based: on a :class:`Design` the sandwich
        :math:`A^{-1}\\hat V_{design}(\\sum_i U_i)A^{-1}` with
        :math:`A = \\sum_i w_i V(\\mu_i) x_i x_i^\\top` and :math:`U_i = w_i x_i (y_i-\\mu_i)`
        (Binder 1983); on a :class:`ReplicateDesign` the replicate variance of the
        coefficients refitted with every replicate weight (all replicates fitted at once,
        by vectorised IRLS).  Quasi families: the dispersion does not enter the
        design-based variance, so binomial and Poisson responses need not be counts.

        Parameters
        ----------
        formula
            A Wilkinson formula in formulaic syntax, e.g. ``"api00 ~ ell + meals + stype"``;
            categorical columns get treatment contrasts and terms are named as formulaic
            names them (``Intercept``, ``stype[T.H]``).  Quote column names that are not
            Python identifiers with backticks.
        family
            ``"gaussian"`` (identity link), ``"quasibinomial"`` (logit; response in
            [0, 1]) or ``"quasipoisson"`` (log; response >= 0), as R's families.
        na
            ``"raise"``: a missing value in a model variable (in the design) is an error;
            ``"omit"``: fit on the complete rows, keeping the full design for the variance
            (R's ``na.action = na.omit``).
        level
            Confidence level of ``ci_low``/``ci_high`` (Student t with ``df``, as R's
            ``confint`` on an svyglm).

        Returns
        -------
        Estimate
            One row per coefficient: ``term, estimate, se, t, p, df, ci_low, ci_high``, with
            ``df`` = design degrees of freedom + 1 - number of coefficients (as R's
            ``df.residual``) used for ``p`` (two-sided Student t) and the interval; the
            coefficients' covariance is :attr:`Estimate.vcov` (for :func:`contrast`).

        Raises
        ------
        DesignError
            A singular design matrix (naming the aliased terms), a response outside the
            family's range, IRLS that does not converge; on the Dask backend, a family
            other than ``"gaussian"`` (compute the model columns to memory first).

        Notes
        -----
        On the Dask backend ``family="gaussian"`` runs from sufficient statistics: one
        reduction for :math:`X^\\top W X` and :math:`X^\\top W y` (with every replicate's,
        on a replicate design), and on a linearization design one more for the design
        covariance of the score totals; categorical terms get the levels present in the
        design.  On a :class:`ReplicateDesign` the result carries every replicate's
        coefficients (:attr:`EstimateInfo.replicates`), so :func:`contrast` of an
        expression of coefficients uses the replicate variance.

        References
        ----------
        Binder, D. A. (1983). *International Statistical Review* 51, 279–292.
        Lumley, T. (2010). *Complex Surveys*, chapter 5.
        """
        from .models import glm

        return glm(self, formula, family, na=na, level=level)

    # ------------------------------------------------------------- calibration
    def poststratify(self, by: str | Sequence[str], population: object) -> Self:
        """Post-stratify to known population counts, as R ``postStratify``.

        Within each post-stratum :math:`c` (a combination of the ``by`` columns) the
        weights are multiplied by :math:`N_c / \\hat N_c`, the population count over the
        weighted sample count, so estimated counts equal the population's.  Variances:
        on a :class:`Design` each estimate's influence values have their post-stratum
        means removed, :math:`z_i - w_i \\sum_{j \\in c} z_j / \\sum_{j \\in c} w_j`, before
        the design variance (R ``svyrecvar``); on a :class:`ReplicateDesign` every
        replicate column is post-stratified with its own weighted counts.

        Parameters
        ----------
        by
            The post-stratum column(s) (no missing values).
        population
            Counts per post-stratum: a DataFrame with the ``by`` columns and one column of
            counts (R's ``data.frame(..., Freq)``), or for one column a dict or Series
            ``{level: count}`` (for several, a Series with a MultiIndex).  Units: the units
            of the weights (e.g. persons).

        Returns
        -------
        Design or ReplicateDesign
            The same design with post-stratified weights (of the same kind).

        Raises
        ------
        DesignError
            A sample level missing from the population table (naming it), a population
            cell with no sampled unit, a subset design (post-stratify the full design, then
            subset), or the Dask backend.

        References
        ----------
        Lumley, T. (2010). *Complex Surveys*, section 7.2.  Holt, D. and Smith, T. M. F.
        (1979). Post stratification. *JRSS A* 142, 33–46.
        """
        from .calibration import poststratify

        return poststratify(self, by, population)  # type: ignore[no-any-return]

    def rake(self, margins: Mapping[Any, object]) -> Self:
        """Rake to known marginal counts (iterative proportional fitting), as R ``rake``.

        Post-stratifies to each margin in turn until every margin's weighted counts equal
        the population's (to 1e-13 of the total; R's default stops when counts move by less
        than one unit).  Variances: on a :class:`Design`, ten sweeps over the margins of
        :math:`z_i \\leftarrow z_i - w_i\\,\\overline{(z/w)}_{m(i)}` (unweighted means of
        :math:`z_j/w_j` within each margin cell, exactly as R ``svyrecvar``); on a
        :class:`ReplicateDesign` every replicate column is raked.

        Parameters
        ----------
        margins
            ``{column: counts}`` (or ``{(col1, col2): counts}`` for a joint margin), counts as
            in :meth:`poststratify`; every margin must sum to the same population total.

        Raises
        ------
        DesignError
            As :meth:`poststratify`; margins with different totals; no convergence.

        References
        ----------
        Deming, W. E. and Stephan, F. F. (1940). *Ann. Math. Statist.* 11, 427–444.
        Lumley, T. (2010). *Complex Surveys*, section 7.3.
        """
        from .calibration import rake

        return rake(self, margins)  # type: ignore[no-any-return]

    def calibrate(
        self, totals: Mapping[str, float] | pd.Series,
        calfun: Literal["linear", "raking", "logit"] = "linear",
        bounds: tuple[float, float] | None = None, *, formula: str | None = None,
    ) -> Self:
        """Calibrate the weights to population totals, as R ``calibrate`` (GREG).

        Finds :math:`g_i = F(x_i^\\top\\lambda)` with :math:`\\sum_i d_i g_i x_i = t_x`
        (Deville and Särndal 1992): ``"linear"`` :math:`F(u) = 1 + u` (the GREG estimator),
        ``"raking"`` :math:`F(u) = e^u`, ``"logit"`` the bounded logistic of Deville,
        Särndal and Sautory (1993); ``bounds=(L, U)`` keeps :math:`L \\le g_i \\le U`
        (linear and raking truncate, logit needs finite bounds).  Newton steps as R's
        ``grake``, to a relative misfit of 1e-12.  Variances: on a :class:`Design` each
        estimate's influence values are replaced by their residuals from the
        :math:`d`-weighted regression on :math:`x` (times :math:`g_i`), before the design
        variance; on a :class:`ReplicateDesign` every replicate column is calibrated to
        the same totals.

        Parameters
        ----------
        totals
            Population totals by calibration term, named as formulaic names model-matrix
            columns: ``{"Intercept": 6194, "stype[T.H]": 755, "stype[T.M]": 1018,
            "api99": 3914069}`` (R's ``(Intercept)`` is accepted).  The calibration
            variables are the columns these names refer to (treatment contrasts), unless
            ``formula`` (e.g. ``"~ stype + api99"``) is given.
        calfun
            ``"linear"``, ``"raking"`` or ``"logit"``.
        bounds
            ``(lower, upper)`` for the g-weights, ``lower < 1 < upper``.

        Raises
        ------
        DesignError
            Totals that do not name exactly the calibration terms; a term no sampled unit
            has; weights that cannot meet the totals within ``bounds`` (naming the total
            and, for replicate designs, the replicate); a subset design; the Dask backend.

        References
        ----------
        Deville, J.-C. and Särndal, C.-E. (1992). *JASA* 87, 376–382.
        Deville, J.-C., Särndal, C.-E. and Sautory, O. (1993). *JASA* 88, 1013–1020.
        Lumley, T. (2010). *Complex Surveys*, section 7.4.
        """
        from .calibration import calibrate

        return calibrate(self, totals, calfun, bounds,  # type: ignore[no-any-return]
                         formula=formula)

    # ------------------------------------------------------- tables and tests
    def table(self, a: str, b: str | None = None, *, total: float | None = None
              ) -> pd.DataFrame:
        """Weighted counts of one or two categorical columns, as R ``svytable``.

        :math:`\\hat N_{jk} = \\sum_i w_i 1\\{a_i = j, b_i = k\\}` for every combination of
        the levels present in the design (zero for empty cells), in R's order (``a``
        varying fastest); ``total`` rescales the counts to sum to it (R ``Ntotal``).
        Units: the units of the weights.  Returns a DataFrame with ``a``, [``b``], ``Freq``.
        On the Dask backend: one reduction over the partitions (totals of the level
        indicators) plus one to list the levels.
        """
        from .tables import table

        return table(self, a, b, total=total)

    def chisq(self, a: str, b: str, statistic: Literal["F", "Chisq"] = "F") -> pd.DataFrame:
        """Rao–Scott test of association of two categorical columns, as R ``svychisq``.

        The Pearson statistic :math:`X^2` of the weighted table rescaled to the sample size
        :math:`n` is corrected with the design effects :math:`\\Delta =
        (C^\\top D^{-1} C / n)^{-1} C^\\top D^{-1} \\hat V D^{-1} C`, where :math:`\\hat V` is
        the design covariance of the estimated cell proportions, :math:`D` their diagonal
        and :math:`C` the interaction contrasts orthogonal to the main effects.
        ``"F"`` (R's default, second-order): :math:`F = X^2/\\mathrm{tr}\\,\\Delta` on
        :math:`d_0 = (\\mathrm{tr}\\,\\Delta)^2/\\mathrm{tr}(\\Delta^2)` and :math:`d_0\\nu`
        degrees of freedom (:math:`\\nu` = design df); ``"Chisq"`` (first-order):
        :math:`X^2/\\bar\\delta` against :math:`\\chi^2_{(r-1)(c-1)}`, reporting :math:`X^2`.

        Returns
        -------
        pandas.DataFrame
            One row: ``test``, ``statistic``, ``df`` (numerator), ``ddf`` (denominator, NaN
            for ``"Chisq"``), ``p``.

        References
        ----------
        Rao, J. N. K. and Scott, A. J. (1984). *Annals of Statistics* 12, 46–60.
        Lumley, T. (2010). *Complex Surveys*, section 3.3.
        """
        from .tables import chisq

        return chisq(self, a, b, statistic)

    def ciprop(
        self, y: str, method: Literal["logit", "beta", "likelihood", "xlogit", "mean"]
        = "logit", *, level: float = 0.95, df: float | None = None,
    ) -> Estimate:
        """Confidence interval for a proportion that stays in [0, 1], as R ``svyciprop``.

        ``y`` is a 0/1 (or boolean) column; :math:`\\hat p` its design-based mean with
        standard error :math:`s`, :math:`t` the Student quantile with ``df`` (default the
        design df).  ``"logit"`` and ``"xlogit"``: :math:`\\mathrm{expit}(\\mathrm{logit}\\,
        \\hat p \\pm t\\, s/(\\hat p(1-\\hat p)))` (R's ``"logit"`` fits
        ``svyglm(y ~ 1, quasibinomial)``, which gives the same interval); ``"beta"``
        (Korn and Graubard 1998): Clopper–Pearson with the effective sample size
        :math:`n^* = \\hat p(1-\\hat p)/s^2\\,(t_{n-1}/t_{df})^2`; ``"mean"``: the Wald
        interval :math:`\\hat p \\pm t s`; ``"likelihood"``: the profile-likelihood
        interval of the intercept of ``svyglm(y ~ 1, quasibinomial)``, the deviance scaled
        by the design-based dispersion and the cut-off by the design effect, profiled and
        interpolated exactly as R's ``confint(..., method = "likelihood")`` (see
        :func:`carecost.survey.tables._likelihood_interval`).  R's ``"asin"`` is not
        provided.  Intervals use Student t with the design df, as R's ``svyciprop``.

        On a :class:`ReplicateDesign`, R survey 4.1.1 returns ``NA`` for
        ``"likelihood"``: its ``summary.svyglm`` dispersion on a replicate design is not
        the variance of the Pearson residuals (about ``n`` times too large), so the profile
        never reaches the cut-off.  carecost uses the replicate design's own
        :meth:`var` of the Pearson residuals, which makes the interval close to the logit
        one (as on linearization designs).  Not on the Dask backend (it needs the rows).

        Returns
        -------
        Estimate
            One row: ``variable, method, estimate, se, ci_low, ci_high, df``.
        """
        from .tables import ciprop

        return ciprop(self, y, method, level=level, df=df)

    def var(self, y: str, *, level: float = 0.95) -> Estimate:
        """Estimated population variance of ``y``, as R ``svyvar``.

        :math:`\\hat S^2 = \\frac{n}{n-1}\\sum_i w_i (y_i - \\hat{\\bar y})^2 / \\sum_i w_i`.
        On a :class:`Design` (R ``svyvar.survey.design``) the standard error is that of the
        mean of :math:`(y_i - \\hat{\\bar y})^2 n/(n-1)` with :math:`\\hat{\\bar y}` held fixed
        and :math:`n` the rows of non-zero weight; on a :class:`ReplicateDesign`
        (``svyvar.svyrep.design``) every replicate recomputes its own mean and
        :math:`n` is the rows in the design.  Units: those of ``y``, squared.  Intervals:
        Student t with the design df (R's ``confint`` on ``svyvar`` output uses the normal
        quantile: ``estimate +/- 1.96 se`` reproduces it).  Runs on the Dask backend from
        reductions over the partitions.
        """
        from .tables import variance

        return variance(self, y, level=level)

    def ttest(self, y: str, by: str, *, level: float = 0.95) -> pd.DataFrame:
        """Design-based t test of a difference in means between two groups (R ``svyttest``).

        The slope of ``svyglm(y ~ group)`` (gaussian): the difference of the second group's
        mean minus the first's (levels in category or sorted order), its design-based
        standard error, :math:`t` = estimate / se on the model's residual degrees of
        freedom (design df - 1), two-sided p-value and interval.

        Returns
        -------
        pandas.DataFrame
            One row: ``variable, by, contrast, estimate, se, t, df, p, ci_low, ci_high``.
        """
        from .tables import ttest

        return ttest(self, y, by, level=level)

    def _quantile_memory(self, spec: Spec, df: float | None) -> Any:
        """Sorted rows, cumulative weights and the indicator means, from the rows in memory."""
        mb = self._memory("quantile")
        ok, nmiss, vals, groups = mb.active(spec)
        self._check_missing(nmiss, spec.na)
        codes = groups.codes
        g = groups.n_groups
        x = np.where(ok, vals[spec.variables[0]], 0.0)
        w = np.where(ok, mb.w, 0.0)
        rows_in = np.flatnonzero((codes >= 0) & (w > 0))
        order = rows_in[np.lexsort((x[rows_in], codes[rows_in]))]
        oc = codes[order]
        start = np.searchsorted(oc, np.arange(g), side="left")
        stop = np.searchsorted(oc, np.arange(g), side="right")
        cw = _group_cumsum(w[order], start, stop)
        # as R svyby(..., svyquantile): each domain's interval uses that domain's degf
        dfs = (self._group_degf(codes, g) if df is None else np.full(g, float(df)))
        counts = np.bincount(codes[codes >= 0], minlength=g)

        def fstat(qhats: list[FloatArray]) -> list[tuple[FloatArray, FloatArray]]:
            res = []
            for qhat in qhats:
                ind = (x <= qhat[np.maximum(codes, 0)]).astype(float)
                ind = np.where(codes >= 0, ind, 0.0)
                values = np.column_stack([ind, np.ones(len(x))])
                plan = layout(spec, groups.table, counts, base_matrix(values, codes, g), codes)
                fhat, fvar, _ = self._variance(
                    Prepared(spec, plan, groups.table, {}, values), full=False)
                res.append((fhat, fvar))
            return res

        cdf = (x[order], cw, start, stop, counts, None)
        return cdf, groups.table, fstat, dfs

    def _quantile_partitions(self, spec: Spec, df: float | None) -> Any:
        """The same from reductions over the partitions (distinct values per domain)."""
        backend = self._backend
        assert isinstance(backend, DaskBackend)
        prep = backend.prepare(spec)
        self._check_missing(prep.nmiss, spec.na)
        y, bys, table = spec.variables[0], list(spec.by), prep.table
        g = len(table)
        vw = backend.value_weights(prep, QUANTILE_DISTINCT_LIMIT)
        oc = vw["code"].to_numpy(dtype=np.intp)
        start = np.searchsorted(oc, np.arange(g), side="left")
        stop = np.searchsorted(oc, np.arange(g), side="right")
        cw = _group_cumsum(vw["w"].to_numpy(dtype=float), start, stop)
        single = np.zeros(g, dtype=bool)
        has = stop > start
        single[has] = vw["rows"].to_numpy()[start[has]] == 1
        dfs = (self._domain_degf(prep) if df is None else np.full(g, float(df)))
        counts = np.asarray(prep.plan.n, dtype=np.int64)

        def fstat(qhats: list[FloatArray]) -> list[tuple[FloatArray, FloatArray]]:
            names = [f"__q{j}_{y}" for j in range(len(qhats))]
            key = pd.MultiIndex.from_frame(table[bys]) if bys else None

            def indicators(f: pd.DataFrame, inset: NDArray[np.bool_]) -> pd.DataFrame:
                code = (key.get_indexer(pd.MultiIndex.from_frame(f[bys])) if key is not None
                        else np.zeros(len(f), dtype=np.intp))
                xv = numeric_values(f[y], y)
                cols = {}
                for name, qhat in zip(names, qhats, strict=True):
                    thr = np.where(code >= 0, qhat[np.maximum(code, 0)] if g else np.nan, np.nan)
                    v = np.where(code >= 0, (xv <= thr).astype(float), 0.0)
                    cols[name] = np.where(np.isnan(xv), np.nan, v)
                return pd.DataFrame(cols, index=f.index)

            meta = pd.DataFrame({n: pd.Series(dtype=float) for n in names})
            d2 = self.derive(indicators, meta)
            p2 = d2._prepare("mean", names, bys, "omit")
            theta, var, _ = d2._variance(p2, full=False)
            k = len(names)
            return [(theta[j::k], var[j::k]) for j in range(k)]

        cdf = (vw["x"].to_numpy(dtype=float), cw, start, stop, counts, single)
        return cdf, table, fstat, dfs

    def _domain_degf(self, prep: Prepared) -> FloatArray:
        """Degrees of freedom of each domain's subset design, from partition reductions."""
        raise DesignError(  # pragma: no cover - both designs override it
            "degrees of freedom by domain are not available for this design")

    def degf_note(self) -> str:
        return self._variance_note()


def _group_cumsum(w: FloatArray, starts: NDArray[np.intp], stops: NDArray[np.intp]
                  ) -> FloatArray:
    """Cumulative sums of ``w`` restarting at each group (rows sorted by group).

    Summed group by group in sorted order, as R's ``cumsum`` in ``survey:::qs``
    (a global cumulative sum minus offsets would differ in the last bits and
    break exact ties).
    """
    out = np.empty_like(w)
    for lo, hi in zip(starts, stops, strict=True):  # one vectorised cumsum per group
        out[lo:hi] = np.cumsum(w[lo:hi])
    return out


def _weighted_quantile(
    ox: FloatArray, cw: FloatArray, start: NDArray[np.intp], stop: NDArray[np.intp],
    p: FloatArray, single: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """Smallest sorted value whose cumulative weight share is >= p, per group.

    A cumulative share within 1e-12 (relative) of ``p`` counts as equal to it, so
    that ties (e.g. the median of an even number of equal weights) are decided as
    in exact arithmetic, as R's ``qrule_math`` does.

    ``ox``/``cw`` are sorted rows and their cumulative weights (``single`` is ``None``), or
    sorted distinct values and their cumulative weights with ``single`` saying, per group,
    whether the smallest value is a single row: R's rule "below the first row's share take
    the second row" then takes the second value only when the first value is one row.
    """
    g = len(start)
    out = np.full(g, np.nan)
    for j in range(g):  # one binary search per group, not per row
        if stop[j] <= start[j] or not np.isfinite(p[j]):
            continue
        seg = cw[start[j]:stop[j]]
        tot = seg[-1]
        target = p[j] * tot
        eps = 1e-12 * tot
        pos = int(np.searchsorted(seg, target + eps, side="right"))  # cw <= target (+eps)
        if pos > 0 and abs(seg[pos - 1] - target) <= eps:
            idx = pos - 1
        elif pos == 0:  # R's qs(): no cw <= target -> position 1, then qup
            second = single is None or bool(single[j])
            idx = min(1, len(seg) - 1) if second else 0
        else:
            idx = min(pos, len(seg) - 1)
        out[j] = ox[start[j] + idx]
    return out


def replicate_columns(data: Any, replicates: str | Sequence[str]) -> list[str]:
    """Resolve replicate weight columns (of anything with ``.columns``) given as a list or a
    regular expression."""
    if isinstance(replicates, str):
        pat = re.compile(replicates)
        cols = [c for c in data.columns if isinstance(c, str) and pat.search(c)]
        if not cols:
            raise DesignError(
                f"no column matches the replicate pattern {replicates!r}; columns start with "
                f"{list(data.columns[:12])}"
            )
        return cols
    cols = list(replicates)
    check_columns(data, cols, "replicates")
    return cols
