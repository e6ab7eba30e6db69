"""Calibrated weights: post-stratification, raking and generalised regression calibration.

Each method returns a new design whose weights :math:`w_i = g_i d_i` reproduce known
population counts or totals, and whose variances account for the calibration, as R
``survey``'s ``postStratify``, ``rake`` and ``calibrate`` (Lumley 2010, chapter 7):

* a linearization :class:`~carecost.survey.Design` keeps the sampling design and replaces
  every estimate's influence values :math:`z_i` by their residuals from the calibration
  model before the design variance is computed (R ``svyrecvar`` with ``postStrata``):
  post-stratum means removed for :func:`poststratify`, ten sweeps over the margins for
  :func:`rake`, and the residuals of the weighted regression on the calibration variables
  for :func:`calibrate` (Deville and Särndal 1992);
* a :class:`~carecost.survey.ReplicateDesign` calibrates every replicate weight column to
  the same population values (all columns at once), so the replicate variance includes
  the calibration.

References
----------
Deville, J.-C. and Särndal, C.-E. (1992). Calibration estimators in survey sampling.
*JASA* 87, 376–382.
Deville, J.-C., Särndal, C.-E. and Sautory, O. (1993). Generalized raking procedures in
survey sampling. *JASA* 88, 1013–1020.
Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*, chapter 7. Wiley.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import scipy.linalg
import scipy.sparse as sp
from numpy.typing import NDArray

from ._backend import MemoryBackend, Prepared
from ._engine import FloatArray, IntArray, indicator
from ._errors import DesignError

if TYPE_CHECKING:
    from ._base import SurveyDesign

CalFun = Literal["linear", "raking", "logit"]
CALFUNS = ("linear", "raking", "logit")
RAKE_MAXIT = 1000
"""Most sweeps over the margins in :func:`rake`."""
RAKE_TOL = 1e-13
"""Raking stops when every margin's weighted counts match the population to this (relative)."""
CAL_MAXIT = 50
"""Most Newton steps in :func:`calibrate` (as R's default ``maxit``)."""
CAL_TOL = 1e-12
"""Calibration stops when every misfit is below this times 1 + |total| (R: ``epsilon``)."""
RAKE_VARIANCE_SWEEPS = 10
"""Sweeps over the margins when removing raking margins from influence values (as R)."""


# ============================================================================ adjustments
@dataclass(frozen=True)
class _PostStrata:
    """Remove post-stratum means: :math:`z_i - w_i \\sum_{j\\in c} z_j d_j/w_j / \\sum_c d_j`."""

    codes: IntArray
    weights: FloatArray  # after post-stratification
    old: FloatArray  # before

    def apply(self, x: FloatArray) -> FloatArray:
        n_cells = int(self.codes.max()) + 1
        psw = np.where((self.weights == 0) & (self.old == 0), 1.0, self.weights)
        num = np.zeros((n_cells, x.shape[1]))
        np.add.at(num, self.codes, x * (self.old / psw)[:, None])
        den = np.bincount(self.codes, weights=self.old, minlength=n_cells)
        return x - (num / den[:, None])[self.codes] * psw[:, None]


@dataclass(frozen=True)
class _Raking:
    """Ten sweeps of :math:`z_i - w_i\\,\\mathrm{mean}_{j \\in m(i)}(z_j/w_j)` over the margins
    (unweighted means within each margin cell, as R ``svyrecvar``)."""

    margins: tuple[IntArray, ...]
    weights: FloatArray

    def apply(self, x: FloatArray) -> FloatArray:
        psw = np.where(self.weights == 0, 1.0, self.weights)[:, None]
        for _ in range(RAKE_VARIANCE_SWEEPS):
            for codes in self.margins:
                n_cells = int(codes.max()) + 1
                u = x / psw
                sums = np.zeros((n_cells, x.shape[1]))
                np.add.at(sums, codes, u)
                counts = np.bincount(codes, minlength=n_cells).astype(float)
                x = x - psw * (sums / counts[:, None])[codes]
        return x


@dataclass(frozen=True)
class _Regression:
    """Residuals from the calibration regression: :math:`z = e(z/a) a` with :math:`a_i =
    g_i\\sqrt{d_i}` and :math:`e` the residual projection off :math:`\\sqrt{d_i} x_i`."""

    q: FloatArray  # orthonormal basis of the columns of sqrt(d) X (rank columns)
    a: FloatArray

    def apply(self, x: FloatArray) -> FloatArray:
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.where(self.a[:, None] != 0, x / self.a[:, None], 0.0)
        return (y - self.q @ (self.q.T @ y)) * self.a[:, None]


Adjustment = _PostStrata | _Raking | _Regression


class CalibratedBackend(MemoryBackend):
    """In-memory rows with calibrated weights; influence values are adjusted for the
    calibration before the design variance (R ``svyrecvar`` with ``postStrata``)."""

    def __init__(self, data: pd.DataFrame, w: FloatArray, mask: NDArray[np.bool_],
                 adjustments: tuple[Adjustment, ...]) -> None:
        super().__init__(data, w, mask)
        self.adjustments = adjustments

    def influence_values(self, prep: Prepared, jac: sp.csc_matrix) -> sp.csr_matrix:
        """The design's influence values adjusted for each calibration step."""
        x = np.asarray(super().influence_values(prep, jac).toarray(), dtype=float)
        for adj in self.adjustments:
            x = adj.apply(x)
        return sp.csr_matrix(x)


# ============================================================================ inputs
def _full_memory(design: SurveyDesign, what: str) -> MemoryBackend:
    mb = design._memory(what)
    if not mb.mask.all():
        raise DesignError(
            f"{what}: this design is a subset ({int((~mb.mask).sum())} rows outside it); "
            "calibrate the full design, then take the subset (as the population values "
            "describe the whole population)")
    return mb


def _cells(data: pd.DataFrame, by: list[str], what: str) -> tuple[IntArray, pd.DataFrame]:
    """Cell code of every row and the table of cells (sorted) of the ``by`` columns."""
    from ._base import check_columns

    check_columns(data, by, what)
    for b in by:
        k = int(data[b].isna().sum())
        if k:
            raise DesignError(f"{what}: column {b!r} has {k} missing value(s); every row "
                              "needs a cell")
    grouped = data.groupby(by, sort=True, observed=True)
    codes = np.asarray(grouped.ngroup().to_numpy(), dtype=np.intp)
    keys = grouped.size().index
    table = keys.to_frame(index=False) if isinstance(keys, pd.MultiIndex) \
        else pd.DataFrame({by[0]: keys})
    table.columns = by
    return codes, table


def _population_table(by: list[str], population: object, what: str) -> pd.DataFrame:
    """The population counts as a DataFrame: the ``by`` columns and ``Freq``."""
    if isinstance(population, pd.DataFrame):
        missing = [b for b in by if b not in population.columns]
        others = [c for c in population.columns if c not in by]
        if missing or len(others) != 1:
            raise DesignError(
                f"{what}: the population table needs the column(s) {by} and exactly one "
                f"column of counts; it has {list(population.columns)}")
        out = population[by].copy()
        out["Freq"] = pd.to_numeric(population[others[0]], errors="coerce").to_numpy()
    elif isinstance(population, (pd.Series, Mapping)):
        s = population if isinstance(population, pd.Series) else pd.Series(dict(population))
        if len(by) > 1:
            if not isinstance(s.index, pd.MultiIndex) or s.index.nlevels != len(by):
                raise DesignError(f"{what}: for {len(by)} columns {by} give the population as "
                                  "a DataFrame or a Series with a MultiIndex of as many levels")
            out = s.index.to_frame(index=False)
            out.columns = by
        else:
            out = pd.DataFrame({by[0]: list(s.index)})
        out["Freq"] = pd.to_numeric(pd.Series(s.to_numpy()), errors="coerce").to_numpy()
    else:
        raise DesignError(f"{what}: population must be a DataFrame, Series or dict of counts; "
                          f"got {type(population).__name__}")
    freq = out["Freq"].to_numpy(dtype=float)
    if not np.all(np.isfinite(freq)) or np.any(freq < 0):
        raise DesignError(f"{what}: population counts must be finite and non-negative")
    if out.duplicated(by).any():
        dup = out.loc[out.duplicated(by), by].iloc[0].to_dict()
        raise DesignError(f"{what}: the population table lists the cell {dup} twice")
    return out


def _label(table: pd.DataFrame, i: int, by: list[str]) -> str:
    return ", ".join(f"{b}={table[b].iloc[i]!r}" for b in by)


def _match_cells(data: pd.DataFrame, w: FloatArray, by: list[str], population: object,
                 what: str) -> tuple[IntArray, FloatArray]:
    """Row cell codes and the population count of each sample cell.

    Errors: a sample cell (with positive weight) absent from the population table, or a
    population cell with a positive count and no sampled unit.
    """
    codes, table = _cells(data, by, what)
    pop = _population_table(by, population, what)
    sample_total = np.bincount(codes, weights=w, minlength=len(table))
    idx = pd.MultiIndex.from_frame(pop[by]).get_indexer(pd.MultiIndex.from_frame(table))
    for i in np.flatnonzero((idx < 0) & (sample_total > 0)):
        raise DesignError(
            f"{what}: level {_label(table, int(i), by)} is in the sample but missing from "
            f"the population table (its levels: "
            f"{[tuple(r) for r in pop[by].itertuples(index=False)][:12]}); add its count")
    found = pd.MultiIndex.from_frame(table).get_indexer(pd.MultiIndex.from_frame(pop[by]))
    freq = pop["Freq"].to_numpy(dtype=float)
    for j in np.flatnonzero(freq > 0):
        if found[j] < 0 or sample_total[found[j]] <= 0:
            raise DesignError(
                f"{what}: population cell {_label(pop, int(j), by)} (count {freq[j]:g}) has no "
                "sampled unit with positive weight; merge it with a neighbouring cell")
    counts = np.where(idx >= 0, freq[np.maximum(idx, 0)], 0.0)
    return codes, counts


def _column_factors(codes: IntArray, counts: FloatArray, weights: FloatArray,
                    what: str) -> FloatArray:
    """Per cell and weight column: population count / weighted sample count (0/0 -> 1)."""
    tot = np.asarray(indicator(codes, len(counts)) @ weights, dtype=float)
    if tot.ndim == 1:
        tot = tot[:, None]
    bad = (tot <= 0) & (counts[:, None] > 0)
    if bad.any():
        c, r = (int(v[0]) for v in np.nonzero(bad))
        raise DesignError(f"{what}: weight column {r} (0: the full sample, then the replicates) "
                          f"gives cell {c} zero weight, so it cannot be post-stratified")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(tot > 0, counts[:, None] / tot, 1.0), dtype=float)


# ============================================================================ designs
def _new_design(design: SurveyDesign, w: FloatArray, repw: FloatArray | None,
                adjustment: Adjustment | None) -> Any:
    """A copy of ``design`` with new weights (and, in memory, one more adjustment)."""
    from .replicate import ReplicateDesign

    mb = design._memory("calibration")
    new = copy.copy(design)
    if isinstance(design, ReplicateDesign):
        new._backend = MemoryBackend(mb.data, w, mb.mask.copy(), np.ascontiguousarray(repw))
        new._df_cache = {}  # type: ignore[attr-defined]
        return new
    old = mb.adjustments if isinstance(mb, CalibratedBackend) else ()
    adds = (adjustment,) if adjustment is not None else ()
    new._backend = CalibratedBackend(mb.data, w, mb.mask.copy(), (*old, *adds))
    return new


def _weight_columns(design: SurveyDesign, mb: MemoryBackend) -> FloatArray:
    """``[w, W]``: the full-sample weights and (replicate designs) every replicate column."""
    from .replicate import ReplicateDesign

    if isinstance(design, ReplicateDesign):
        assert mb.repw is not None
        return np.column_stack([mb.w, mb.repw])
    return mb.w[:, None].copy()


def poststratify(design: SurveyDesign, by: str | Sequence[str], population: object) -> Any:
    """Post-stratified design; see :meth:`carecost.survey.SurveyDesign.poststratify`."""
    from ._base import as_list

    what = "poststratify"
    mb = _full_memory(design, what)
    bys = as_list(by)
    codes, counts = _match_cells(mb.data, mb.w, bys, population, what)
    cols = _weight_columns(design, mb)
    new = cols * _column_factors(codes, counts, cols, what)[codes]
    adj = _PostStrata(codes, new[:, 0].copy(), mb.w.copy())
    return _new_design(design, new[:, 0].copy(), new[:, 1:] if cols.shape[1] > 1 else None,
                       adj)


def rake(design: SurveyDesign, margins: Mapping[Any, object]) -> Any:
    """Raked design; see :meth:`carecost.survey.SurveyDesign.rake`."""
    what = "rake"
    mb = _full_memory(design, what)
    if not isinstance(margins, Mapping) or len(margins) < 1:
        raise DesignError("rake: margins must be a dict {column (or tuple of columns): "
                          "population counts}")
    parsed: list[tuple[str, IntArray, FloatArray]] = []
    for key, pop in margins.items():
        bys = [key] if isinstance(key, str) else list(key)
        codes, counts = _match_cells(mb.data, mb.w, bys, pop, what)
        parsed.append(("+".join(bys), codes, counts))
    sums = {name: float(c.sum()) for name, _, c in parsed}
    first = next(iter(sums.values()))
    if any(abs(v - first) > 1e-9 * max(abs(first), 1.0) for v in sums.values()):
        raise DesignError(f"rake: the margins' population counts have different totals {sums};"
                          " they must describe the same population")
    cols = _weight_columns(design, mb)
    misfit = np.inf
    for _ in range(RAKE_MAXIT):
        for name, codes, counts in parsed:
            cols = cols * _column_factors(codes, counts, cols, f"rake (margin {name})")[codes]
        misfit = 0.0
        worst = ""
        for name, codes, counts in parsed:
            tot = np.asarray(indicator(codes, len(counts)) @ cols)
            m = float(np.max(np.abs(tot - counts[:, None])) / max(first, 1.0))
            if m > misfit:
                misfit, worst = m, name
        if misfit < RAKE_TOL:
            break
    else:
        raise DesignError(f"rake: the weights did not converge in {RAKE_MAXIT} sweeps (margin "
                          f"{worst!r} still off by {misfit:.3g} of the total); check that the "
                          "margins are consistent (e.g. no empty cell combination forced "
                          "positive)")
    adj = _Raking(tuple(c for _, c, _ in parsed), cols[:, 0].copy())
    return _new_design(design, cols[:, 0].copy(), cols[:, 1:] if cols.shape[1] > 1 else None,
                       adj)


# ----------------------------------------------------------------- calibration functions
def _calfun(calfun: str, lower: float, upper: float
            ) -> tuple[Callable[[FloatArray], FloatArray], Callable[[FloatArray], FloatArray]]:
    """:math:`F(u) - 1` and :math:`F'(u)` of R's ``cal.linear``, ``cal.raking``, ``cal.logit``."""
    if calfun == "linear":
        return (lambda u: np.clip(u + 1, lower, upper) - 1,
                lambda u: ((u < upper - 1) & (u > lower - 1)).astype(float))
    if calfun == "raking":
        def rk(u: FloatArray) -> FloatArray:
            with np.errstate(over="ignore"):
                return np.asarray(np.clip(np.exp(u), lower, upper) - 1)

        def drk(u: FloatArray) -> FloatArray:
            with np.errstate(over="ignore"):
                e = np.exp(u)
            return np.asarray(np.where((e < upper) & (e > lower), e, 0.0))
        return rk, drk
    a = (upper - lower) / ((upper - 1) * (1 - lower))

    def fm1(u: FloatArray) -> FloatArray:
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(a * u)
            out = (lower * (upper - 1) + upper * (1 - lower) * e) / (upper - 1 + (1 - lower) * e)
        return np.asarray(np.where(np.isinf(e), upper, out) - 1)

    def df(u: FloatArray) -> FloatArray:
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(a * u)
            out = (upper - lower) ** 2 * e / (upper - 1 + (1 - lower) * e) ** 2
        return np.asarray(np.where(np.isfinite(out), out, 0.0))
    return fm1, df


def calibration_g(mm: FloatArray, weights: FloatArray, totals: FloatArray, calfun: str,
                  bounds: tuple[float, float], terms: list[str]) -> FloatArray:
    """g-weights of every weight column at once (``n x m``), by Newton steps as R ``grake``.

    Solves :math:`\\sum_i d_{ir} F(x_i^\\top\\lambda_r) x_i = t_x` for each column ``r`` of
    ``weights``: :math:`\\lambda_r \\leftarrow \\lambda_r + T_r^{+}(t_x - \\sum_i d_{ir} g_{ir}
    x_i)` with :math:`T_r = \\sum_i d_{ir} F'(x_i^\\top\\lambda_r) x_i x_i^\\top` (Moore–Penrose
    inverse, as R's ``MASS::ginv``), halving a step that makes a weight non-finite.  As R,
    a column whose population/sample ratios all exceed 20 is first rescaled by their mean
    (the bounds then apply to the rescaled weights).
    """
    q = mm.shape[1]
    m = weights.shape[1]
    sample = mm.T @ weights  # q x m
    with np.errstate(divide="ignore", invalid="ignore"):
        scales = totals[:, None] / sample
    rescale = np.where(np.nanmin(scales, axis=0) > 20, np.nanmean(scales, axis=0), 1.0)
    ww = weights * rescale[None, :]
    fm1, dfun = _calfun(calfun, *bounds)
    lam = np.zeros((q, m))
    iu, ju = np.triu_indices(q)
    pairs = mm[:, iu] * mm[:, ju]
    worst = np.inf
    for _ in range(CAL_MAXIT):
        u = mm @ lam
        gram = pairs.T @ (ww * dfun(u))
        tmat = np.empty((m, q, q))
        tmat[:, iu, ju] = gram.T
        tmat[:, ju, iu] = gram.T
        misfit = totals[:, None] - mm.T @ (ww * (1 + fm1(u)))
        step = np.einsum("rij,jr->ir", np.linalg.pinv(tmat, rcond=256 * np.finfo(float).eps,
                                                      hermitian=True), misfit)
        new = lam + step
        for _h in range(CAL_MAXIT):  # step halving, as R: while a weight is not finite
            g = 1 + fm1(mm @ new)
            bad = ~np.all(np.isfinite(g), axis=0)
            if not bad.any():
                break
            step[:, bad] /= 2
            new[:, bad] = lam[:, bad] + step[:, bad]
        lam = new
        g = 1 + fm1(mm @ lam)
        rel = np.abs(totals[:, None] - mm.T @ (ww * g)) / (1 + np.abs(totals))[:, None]
        worst = float(rel.max())
        if worst < CAL_TOL:
            return np.asarray(g * rescale[None, :])
    rel_t = rel.max(axis=1)
    j = int(np.argmax(rel_t))
    col = int(np.argmax(rel[j]))
    where = "the full sample" if col == 0 else f"replicate {col}"
    raise DesignError(
        f"calibrate: the weights of {where} cannot meet the totals within bounds {bounds} "
        f"(calfun={calfun!r}): after {CAL_MAXIT} steps the total of {terms[j]!r} is still off "
        f"by {rel_t[j]:.3g} relative; widen the bounds or check the totals")


def _calibration_matrix(data: pd.DataFrame, totals: Mapping[str, float] | pd.Series,
                        formula: str | None) -> tuple[FloatArray, list[str], FloatArray]:
    """Model matrix of the calibration variables, its term names and the totals (aligned)."""
    import formulaic

    tot = pd.Series(dict(totals)) if not isinstance(totals, pd.Series) else totals
    if tot.empty:
        raise DesignError("calibrate: totals is empty")
    names = [str(k) for k in tot.index]
    if formula is None:
        base = []
        for k in names:
            if k in ("Intercept", "(Intercept)", "1"):
                continue
            v = k.split("[", 1)[0]
            if v not in base:
                base.append(v)
        quoted = [f"`{v}`" if not v.isidentifier() else v for v in base]
        has_int = any(k in ("Intercept", "(Intercept)", "1") for k in names)
        formula = "~ " + ("1" if has_int else "0") + "".join(f" + {v}" for v in quoted)
    try:
        mm = formulaic.model_matrix(formula, data, na_action="raise")
    except Exception as err:  # formulaic raises many types; report the formula with it
        raise DesignError(f"calibrate: cannot build the calibration variables {formula!r}: "
                          f"{err}") from err
    cols = [str(c) for c in mm.columns]
    key = {("Intercept" if k in ("(Intercept)", "1") else k): k for k in names}
    missing = [c for c in cols if c not in key]
    extra = [k for k in key if k not in cols]
    if missing or extra:
        raise DesignError(
            f"calibrate: the totals must name every calibration term of {formula!r}, "
            f"{cols}; missing {missing}, not terms {extra}")
    values = np.array([float(tot[key[c]]) for c in cols])
    if not np.all(np.isfinite(values)):
        raise DesignError("calibrate: totals must be finite numbers")
    return np.asarray(mm, dtype=float), cols, values


def calibrate(design: SurveyDesign, totals: Mapping[str, float] | pd.Series,
              calfun: CalFun = "linear", bounds: tuple[float, float] | None = None, *,
              formula: str | None = None) -> Any:
    """Calibrated design; see :meth:`carecost.survey.SurveyDesign.calibrate`."""
    what = "calibrate"
    if calfun not in CALFUNS:
        raise DesignError(f"calibrate: calfun must be one of {CALFUNS}; got {calfun!r}")
    lo, hi = (-np.inf, np.inf) if bounds is None else (float(bounds[0]), float(bounds[1]))
    if not lo < 1 < hi:
        raise DesignError(f"calibrate: bounds must satisfy lower < 1 < upper; got {bounds}")
    if calfun == "logit" and not (np.isfinite(lo) and np.isfinite(hi)):
        raise DesignError("calibrate: calfun='logit' needs finite bounds, e.g. (0.5, 2)")
    mb = _full_memory(design, what)
    mm, terms, values = _calibration_matrix(mb.data, totals, formula)
    sample = mm.T @ mb.w
    zero = sample == 0
    for j in np.flatnonzero(zero & (values != 0)):
        raise DesignError(f"calibrate: no sampled unit with positive weight has the term "
                          f"{terms[j]!r}, so its total {values[j]:g} cannot be met")
    keep = ~zero  # as R: a term with zero sample and population total is dropped
    mm, values, terms = mm[:, keep], values[keep], [t for t, k in zip(terms, keep, strict=True)
                                                     if k]
    cols = _weight_columns(design, mb)
    g = calibration_g(mm, cols, values, calfun, (lo, hi), terms)
    new = cols * g
    sq = np.sqrt(mb.w)
    qmat, rmat, _ = scipy.linalg.qr(mm * sq[:, None], mode="economic", pivoting=True)
    diag = np.abs(np.diag(rmat))
    rank = int((diag > 1e-7 * diag.max()).sum()) if diag.size else 0
    adj = _Regression(np.ascontiguousarray(qmat[:, :rank]), g[:, 0] * sq)
    return _new_design(design, new[:, 0].copy(), new[:, 1:] if cols.shape[1] > 1 else None,
                       adj)
