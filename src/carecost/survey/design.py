"""Taylor-linearization designs: strata, multistage clusters, finite population corrections."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ._backend import DaskBackend, DaskStage, MemoryBackend, Prepared, is_dask_frame, require_dask
from ._base import (
    DesignError,
    SurveyDesign,
    WeightsUnit,
    as_list,
    check_columns,
    check_weights,
    check_weights_unit,
    numeric_column,
)
from ._engine import FloatArray, IntArray, evaluate, jacobian

LonelyPSU = Literal["fail", "remove", "certainty", "adjust", "average"]
_LONELY = ("fail", "remove", "certainty", "adjust", "average")


@dataclass(frozen=True)
class _Stage:
    """Variance pieces of one sampling stage (constant for a design)."""

    units: IntArray | None  # row -> unit code (None: each row is its own unit)
    n_units: int
    unit_stratum: IntArray  # unit -> stratum code
    coef: FloatArray  # a_h per stratum
    centred: FloatArray  # 1 when the stratum is centred at its mean, 0 (lonely, adjust) if not
    ok: NDArray[np.bool_]  # the stratum has a variance (False: lonely under "average")
    parent: IntArray  # stratum -> unit of the previous stage (0 at the first stage)
    row_stratum: IntArray  # row -> stratum at this stage


def stratum_coefficients(
    n_h: FloatArray, f: FloatArray, lonely_psu: str, label: Any = None, stage: int = 1,
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """Variance coefficients of each stratum of one stage, as R ``survey:::onestrat``.

    Parameters
    ----------
    n_h
        Sampled units per stratum.
    f
        Finite population correction :math:`(N_h - n_h)/N_h` per stratum (1 without fpc).
    lonely_psu
        The design's ``lonely_psu`` option.
    label, stage
        ``label(i)`` names stratum ``i`` in the error for ``lonely_psu="fail"``, at
        sampling stage ``stage``.

    Returns
    -------
    coef
        :math:`a_h = f_h n_h/(n_h-1)` (0 for a census stratum, and for a lonely one
        under ``"remove"``, ``"certainty"`` and ``"average"``).
    centred
        1 when the stratum is centred at its mean, 0 for a lonely stratum under ``"adjust"``.
    ok
        False for a lonely stratum under ``"average"`` (its variance is replaced by the
        average of the others).
    """
    census = f < 1e-7
    lonely = (n_h == 1) & ~census
    if np.any(lonely) and lonely_psu == "fail":
        i = int(np.flatnonzero(lonely)[0])
        where = label(i) if label is not None else f"number {i}"
        raise DesignError(
            f"stratum {where} has only one PSU at stage {stage}; choose lonely_psu='adjust', "
            "'average', 'certainty' or 'remove' to say how to estimate its variance"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(n_h > 1, f * n_h / (n_h - 1), f)
    centred = np.ones(len(n_h))
    ok = np.ones(len(n_h), dtype=bool)
    if lonely_psu in ("remove", "certainty"):
        a = np.where(lonely, 0.0, a)
    elif lonely_psu == "adjust":
        centred = np.where(lonely, 0.0, 1.0)
    elif lonely_psu == "average":
        a = np.where(lonely, 0.0, a)
        ok = ~lonely
    return np.where(census, 0.0, a), centred, ok


def _codes(frame: pd.DataFrame) -> IntArray:
    """Integer codes of the distinct rows of ``frame`` (first-appearance order)."""
    codes = frame.groupby(list(frame.columns), sort=False, dropna=False).ngroup()
    return np.asarray(codes.to_numpy(), dtype=np.intp)


class Design(SurveyDesign):
    """A probability-sample design for Taylor-linearization variance estimation.

    The Python counterpart of R ``survey::svydesign`` (Lumley 2004, 2010).
    Variances of every estimator are computed from the influence values of
    the estimate aggregated to sampling units, stratum by stratum:

    .. math::
        \\hat V = \\sum_h (1 - f_h) \\frac{n_h}{n_h - 1}
                 \\sum_{i \\in h} (z_{hi} - \\bar z_h)(z_{hi} - \\bar z_h)^\\top

    (with replacement when no ``fpc`` is given, :math:`f_h = 0`).  With an
    ``fpc`` at every stage, later stages add their within-unit variance
    multiplied by the earlier stages' sampling fractions, as R's
    ``svyrecvar`` (Särndal, Swensson and Wretman 1992, result 4.3.1).

    Parameters
    ----------
    data
        One row per sampled unit (e.g. person).
    weights
        Column of sampling weights (inverse inclusion probabilities; persons
        represented).  May be omitted when ``fpc`` is given at every stage;
        then the weights are the product over stages of :math:`N/n`, as R.
    strata
        Stratum column (or one per stage).  ``None``: unstratified.
    psu
        Cluster column, or a list with one column per stage
        (R ``ids=~psu+ssu``).  ``None``: each row is its own PSU.
        Later-stage ids are nested in earlier ones automatically.
    fpc
        Finite population correction column(s), one per stage: population
        sizes (all > 1) or sampling fractions (all <= 1), constant within
        stratum.
    nest
        Make PSU ids unique within strata (R ``nest=TRUE``); otherwise a PSU
        id found in two strata is an error.
    lonely_psu
        What to do with a stratum that has a single PSU (R option
        ``survey.lonely.psu``): ``"fail"`` (default, an error naming the
        stratum), ``"remove"`` or ``"certainty"`` (contributes zero),
        ``"adjust"`` (centred at zero instead of the stratum mean, as R; for means
        and ratios zero is the grand mean of the influence values),
        ``"average"`` (replaced by the average of the other strata).

    References
    ----------
    Lumley, T. (2004). Analysis of complex survey samples. *Journal of
    Statistical Software* 9(1), 1–19.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley.
    Särndal, C.-E., Swensson, B. and Wretman, J. (1992). *Model Assisted
    Survey Sampling*. Springer.

    Examples
    --------
    >>> d = Design(df, weights="pw", strata="stype", fpc="fpc")  # doctest: +SKIP
    >>> d.mean("api00", by="awards")  # doctest: +SKIP
    """

    def __init__(
        self,
        data: pd.DataFrame,
        weights: str | None = None,
        strata: str | Sequence[str] | None = None,
        psu: str | Sequence[str] | None = None,
        fpc: str | Sequence[str] | None = None,
        nest: bool = False,
        lonely_psu: LonelyPSU = "fail",
        *,
        weights_unit: WeightsUnit | None = None,
    ) -> None:
        self._weights_unit = check_weights_unit(weights_unit)
        if lonely_psu not in _LONELY:
            raise DesignError(f"lonely_psu must be one of {_LONELY}; got {lonely_psu!r}")
        if is_dask_frame(data):
            self._init_dask(data, weights, strata, psu, fpc, nest, lonely_psu)
            return
        if not isinstance(data, pd.DataFrame):
            raise DesignError(f"data must be a pandas DataFrame or a Dask DataFrame, got "
                              f"{type(data).__name__}")
        if len(data) == 0:
            raise DesignError("data has no rows")
        data = data.reset_index(drop=True)
        ids = as_list(psu)
        strs = as_list(strata)
        fpcs = as_list(fpc)
        check_columns(data, ids, "psu")
        check_columns(data, strs, "strata")
        check_columns(data, fpcs, "fpc")
        for cols, what in ((ids, "psu"), (strs, "strata"), (fpcs, "fpc")):
            for c in cols:
                nmiss = int(data[c].isna().sum())
                if nmiss:
                    raise DesignError(f"{what} column {c!r} has {nmiss} missing value(s)")
        n = len(data)
        n_stages = max(len(ids), 1)
        if fpcs and len(fpcs) != n_stages:
            raise DesignError(
                f"fpc has {len(fpcs)} column(s) but the design has {n_stages} stage(s) of "
                "clusters; give one fpc column per stage"
            )
        if len(strs) > n_stages:
            raise DesignError(f"{len(strs)} strata columns for {n_stages} stage(s)")
        # ----- ids per stage, nested (R svydesign.default) -----
        id_frames: list[pd.DataFrame] = []
        for i in range(n_stages):
            if ids:
                frame = data[ids[: i + 1]].copy()
            else:
                frame = pd.DataFrame({"__row__": np.arange(n)})
            if nest and strs:
                for j, s in enumerate(strs[: min(i + 1, len(strs))]):
                    frame[f"__stratum{j}__"] = data[s].to_numpy()
            id_frames.append(frame)
        unit_codes = [_codes(f) for f in id_frames]
        if strs:
            strat_codes0 = [_codes(data[[strs[min(i, len(strs) - 1)]]]) for i in range(n_stages)]
        else:
            strat_codes0 = [np.zeros(n, dtype=np.intp) for _ in range(n_stages)]
        if strs and not nest:
            per_psu = pd.Series(strat_codes0[0]).groupby(unit_codes[0]).nunique()
            if (per_psu > 1).any():
                raise DesignError(
                    "clusters are not nested in strata at the first stage (a PSU id appears "
                    "in more than one stratum); pass nest=True if PSU ids restart in each stratum"
                )
        if len(pd.unique(unit_codes[0])) == 1 and not (nest and strs):
            raise DesignError("the design has only one primary sampling unit")
        # stratum at stage i > 1 = interaction(stage-i strata, unit at stage i-1)
        strat_codes = [strat_codes0[0]]
        for i in range(1, n_stages):
            strat_codes.append(
                _codes(pd.DataFrame({"s": strat_codes0[i], "u": unit_codes[i - 1]}))
            )
        # ----- sample and population sizes per stage -----
        sampsize: list[FloatArray] = []
        for i in range(n_stages):
            cnt = pd.Series(unit_codes[i]).groupby(strat_codes[i]).nunique()
            sampsize.append(np.asarray(cnt.to_numpy(), dtype=np.float64)[strat_codes[i]])
        popsize: list[FloatArray] | None = None
        if fpcs:
            vals = np.column_stack([numeric_column(data, c) for c in fpcs])
            if np.any(vals <= 0):
                raise DesignError("fpc values must be positive (population sizes or fractions)")
            is_pop = bool(np.any(vals > 1))
            if is_pop and not np.all(vals >= 1):
                raise DesignError(
                    "fpc mixes population sizes (> 1) and sampling fractions (< 1); give all "
                    "stages the same kind"
                )
            popsize = []
            for i in range(n_stages):
                pop = vals[:, i] if is_pop else sampsize[i] / vals[:, i]
                if np.any(pop < sampsize[i] - 1e-9 * sampsize[i]):
                    bad = int(np.argmax(pop < sampsize[i]))
                    raise DesignError(
                        f"fpc implies more than 100% sampling at stage {i + 1} (row {bad}: "
                        f"population {pop[bad]:g}, sample {sampsize[i][bad]:g})"
                    )
                nvals = pd.Series(pop).groupby(strat_codes[i]).nunique()
                if (nvals > 1).any():
                    raise DesignError(
                        f"fpc column {fpcs[i]!r} varies within a stratum at stage {i + 1}; it "
                        "must be constant within each stratum"
                    )
                popsize.append(pop)
        # ----- weights -----
        if weights is not None:
            check_columns(data, [weights], "weights")
            w = numeric_column(data, weights)
            check_weights(w, weights)
        elif popsize is not None:
            w = np.prod(np.column_stack([p / s for p, s in zip(popsize, sampsize, strict=True)]),
                        axis=1)
        else:
            warnings.warn(
                "no weights or fpc given: assuming equal probability (weight 1 for every row)",
                stacklevel=2,
            )
            w = np.ones(n)
        self._backend = MemoryBackend(data, np.ascontiguousarray(w, dtype=float),
                                      np.ones(n, dtype=bool))
        self._dask_stage: DaskStage | None = None
        self._weights_col = weights
        self._ids = ids
        self._strata_cols = strs
        self._fpc_cols = fpcs
        self._nest = nest
        self._lonely = lonely_psu
        self._has_strata = bool(strs)
        self._unit_codes = unit_codes
        self._strat_codes = strat_codes
        self._sampsize = sampsize
        self._popsize = popsize
        self._stages = self._build_stages(n_stages, ids)

    # ------------------------------------------------------------ structure
    def _build_stages(self, n_stages: int, ids: list[str]) -> list[_Stage]:
        """Per-stage coefficients, mirroring R ``onestrat``/``onestage``/``multistage``."""
        use = n_stages if self._popsize is not None else 1
        stages: list[_Stage] = []
        mult_row = np.ones(len(self._data))  # product of earlier sampling fractions
        for i in range(use):
            ucode = self._unit_codes[i]
            scode = self._strat_codes[i]
            n_units = int(ucode.max()) + 1
            first = np.unique(ucode, return_index=True)[1]
            unit_stratum_raw = scode[first]
            strat_ids, unit_stratum = np.unique(unit_stratum_raw, return_inverse=True)
            n_strata = len(strat_ids)
            srow = np.unique(unit_stratum, return_index=True)[1]
            # stratum-level quantities taken from a representative row
            rep_rows = first[srow]
            n_h = self._sampsize[i][rep_rows]
            if self._popsize is not None:
                big_n = self._popsize[i][rep_rows]
                f = np.where(np.isinf(big_n), 1.0, (big_n - n_h) / big_n)
            else:
                f = np.ones(n_strata)
            mult = mult_row[rep_rows]
            a, centred, ok = stratum_coefficients(
                n_h, f, self._lonely, lambda j, i=i, rr=rep_rows: self._stratum_label(i, rr[j]),
                stage=i + 1)
            # R onestage averages (sum over strata x nstrat / nokstrat) within each parent
            # unit, counting only the strata with rows in the domain being estimated: that
            # depends on the estimate, so it is applied with the variance (average_within_parents)
            if i == 0:
                parent = np.zeros(n_strata, dtype=np.intp)
            else:
                parent = np.asarray(self._unit_codes[i - 1][rep_rows], dtype=np.intp)
            stages.append(_Stage(
                units=None if (not ids and i == 0) else ucode,
                n_units=n_units,
                unit_stratum=unit_stratum.astype(np.intp),
                coef=a * mult,
                centred=centred,
                ok=ok,
                parent=parent,
                row_stratum=np.asarray(unit_stratum[ucode], dtype=np.intp),
            ))
            if self._popsize is not None and i + 1 < use:
                frac = self._sampsize[i] / self._popsize[i]
                mult_row = mult_row * frac
        return stages

    def _stratum_label(self, stage: int, row: int) -> str:
        if self._strata_cols:
            col = self._strata_cols[min(stage, len(self._strata_cols) - 1)]
            lab = f"{col}={self._data[col].iloc[row]}"
        else:
            lab = "(unstratified)"
        if stage > 0 and self._ids:
            lab += f" within {self._ids[stage - 1]}={self._data[self._ids[stage - 1]].iloc[row]}"
        return lab

    def _init_dask(self, data: Any, weights_: str | None, strata_: str | Sequence[str] | None,
                   psu_: str | Sequence[str] | None, fpc_: str | Sequence[str] | None,
                   nest: bool, lonely_psu: LonelyPSU) -> None:
        """One-stage structure of a design on a Dask DataFrame (the PSU list is collected once)."""
        require_dask()
        if weights_ is None:
            raise DesignError("a Design on a Dask DataFrame needs weights= (a column name)")

        def one(name: str, c: str | Sequence[str] | None) -> str | None:
            if c is not None and not isinstance(c, str):
                raise DesignError(
                    f"the Dask backend fits a one-stage design: {name} must be one column name, "
                    f"got {c!r}; for a multistage design (psu=[...], fpc=[...]) use an in-memory "
                    "pandas DataFrame")
            return c

        weights = str(one("weights", weights_))
        strata, psu, fpc = one("strata", strata_), one("psu", psu_), one("fpc", fpc_)
        if lonely_psu == "average":
            raise DesignError(
                "lonely_psu='average' on the Dask backend: 'average' depends on the strata each "
                "domain reaches, which needs the rows in memory; use 'fail', 'remove', "
                "'certainty' or 'adjust', or an in-memory pandas DataFrame")
        check_columns(data, [c for c in (weights, strata, psu, fpc) if c is not None], "Design")
        keys = [k for k in (strata, psu) if k is not None]
        cols = keys + ([fpc] if fpc else [])
        info = (data[cols].drop_duplicates().compute().reset_index(drop=True) if cols
                else pd.DataFrame())
        for c in cols:
            if info[c].isna().any():
                raise DesignError(f"column {c!r} has missing values")
        sidx = pd.Index(sorted(info[strata].unique())) if strata else pd.Index([0])
        units: pd.DataFrame | None = None
        unit_keys: list[str] = []
        unit_stratum = np.empty(0, dtype=np.intp)
        if psu is not None:
            unit_keys = [strata, psu] if (strata and nest) else [psu]
            units = info[[*dict.fromkeys(unit_keys + ([strata] if strata else []))]]
            units = units.drop_duplicates().reset_index(drop=True)
            if strata and not nest and units[psu].duplicated().any():
                raise DesignError(
                    "clusters are not nested in strata at the first stage (a PSU id appears "
                    "in more than one stratum); pass nest=True if PSU ids restart in each stratum")
            if len(units) == 1:
                raise DesignError("the design has only one primary sampling unit")
            unit_stratum = (sidx.get_indexer(pd.Index(units[strata])) if strata
                            else np.zeros(len(units), dtype=np.intp))
            n_h = np.bincount(unit_stratum, minlength=len(sidx)).astype(float)
        elif strata:
            n_h = data[strata].value_counts().compute().reindex(sidx).to_numpy(dtype=float)
        else:
            n_h = np.array([float(data[weights].count().compute())])
        f = np.ones(len(sidx))
        if fpc:
            per = (info.groupby(strata)[fpc].nunique() if strata
                   else pd.Series([info[fpc].nunique()]))
            if bool((per > 1).any()):
                raise DesignError(f"fpc column {fpc!r} varies within a stratum at stage 1; it "
                                  "must be constant within each stratum")
            vals = (info.groupby(strata)[fpc].first().reindex(sidx).to_numpy(dtype=float)
                    if strata else np.array([float(info[fpc].iloc[0])]))
            if np.any(vals <= 0):
                raise DesignError("fpc values must be positive (population sizes or fractions)")
            is_pop = bool(np.any(vals > 1))
            if is_pop and not np.all(vals >= 1):
                raise DesignError("fpc mixes population sizes (> 1) and sampling fractions "
                                  "(< 1); give all stages the same kind")
            pop = vals if is_pop else n_h / vals
            if np.any(pop < n_h):
                raise DesignError("fpc implies more than 100% sampling at stage 1")
            f = (pop - n_h) / pop
        coef, centred, _ = stratum_coefficients(
            n_h, f, lonely_psu, lambda j: f"{strata}={sidx[j]}" if strata else "(unstratified)")
        self._backend = DaskBackend(data, weights)
        self._dask_stage = DaskStage(strata=strata, strata_index=sidx, units=units,
                                     unit_keys=unit_keys, unit_stratum=unit_stratum,
                                     coef=coef, centred=centred)
        self._stages = []
        self._weights_col = weights
        self._ids = [psu] if psu else []
        self._strata_cols = [strata] if strata else []
        self._fpc_cols = [fpc] if fpc else []
        self._nest = nest
        self._lonely = lonely_psu
        self._has_strata = bool(strata)
        self._popsize = None
        self._fpc_dask = fpc is not None

    # -------------------------------------------------------------- interface
    def __repr__(self) -> str:
        if self._dask_stage is not None:
            return (f"Design(Dask, weights={self._weights_col!r}, strata={self._strata_cols}, "
                    f"psu={self._ids}, fpc={self._fpc_cols}, one stage, "
                    f"lonely_psu={self._lonely!r})")
        kind = f"{len(self._stages)}-stage" if self._popsize is not None else "ultimate-cluster"
        return (
            f"Design(n={len(self)}, weights={self._weights_col!r}, strata={self._strata_cols}, "
            f"psu={self._ids}, fpc={self._fpc_cols}, {kind}, lonely_psu={self._lonely!r})"
        )

    def degf(self) -> float:
        """Number of PSUs minus number of strata among rows in the (sub)design (R ``degf``)."""
        if self._dask_stage is not None:
            assert isinstance(self._backend, DaskBackend)
            return self._backend.psus_minus_strata(self._dask_stage)
        inset = self._mask & (self._w != 0)
        psus = np.count_nonzero(np.bincount(self._unit_codes[0][inset]))
        strata = np.count_nonzero(np.bincount(self._strat_codes[0][inset]))
        return float(psus - strata)

    def _group_degf(self, codes: NDArray[np.intp], n_groups: int) -> FloatArray:
        """PSUs minus strata among each domain's rows with non-zero weight."""
        inset = (codes >= 0) & self._mask & (self._w != 0)
        c = codes[inset].astype(np.int64)
        psu = self._unit_codes[0][inset].astype(np.int64)
        st = self._strat_codes[0][inset].astype(np.int64)
        n_psu = np.bincount(np.unique(c * (psu.max(initial=0) + 1) + psu)
                            // (psu.max(initial=0) + 1), minlength=n_groups)
        n_st = np.bincount(np.unique(c * (st.max(initial=0) + 1) + st)
                           // (st.max(initial=0) + 1), minlength=n_groups)
        return np.asarray(n_psu - n_st, dtype=float)

    def _domain_degf(self, prep: Prepared) -> FloatArray:
        assert isinstance(self._backend, DaskBackend) and self._dask_stage is not None
        return self._backend.domain_psus_minus_strata(prep, self._dask_stage)

    def _variance_note(self) -> str:
        if self._dask_stage is not None:
            kind = "with finite population correction" if self._fpc_dask else "with-replacement"
            return f"Taylor linearization, {kind}; Dask backend"
        if self._popsize is not None:
            return "Taylor linearization, multistage with finite population corrections"
        return "Taylor linearization, with-replacement (ultimate cluster) approximation"

    _METHOD = "linearization"
    _SRS_NONZERO_ONLY = True

    def _variance(
        self, prep: Prepared, full: bool
    ) -> tuple[FloatArray, FloatArray, FloatArray | None]:
        plan = prep.plan
        totals = self._backend.totals(prep, self._dask_stage).reshape(-1, 1)
        theta = evaluate(plan, totals)[:, 0]
        jac = jacobian(plan, totals[:, 0], theta)
        stages = [self._dask_stage] if self._dask_stage is not None else self._stages
        total_var = self._backend.linearization_variance(prep, jac, stages, full,
                                                         self._lonely == "average")
        if full:
            return theta, np.diag(total_var).copy(), total_var
        return theta, total_var, None

    # ------------------------------------------------------------ replicates
    def to_replicates(
        self,
        method: Literal["jk1", "jkn", "brr", "fay", "bootstrap"] = "jkn",
        *,
        replicates: int = 200,
        seed: int | None = None,
        mse: bool = True,
        rho: float = 0.5,
    ) -> ReplicateDesign:
        """Convert to replicate weights, as R ``as.svrepdesign``.

        Parameters
        ----------
        method
            ``"jk1"``: delete-one-PSU jackknife for unstratified designs,
            scale :math:`(1-f)(n-1)/n`.  ``"jkn"``: stratified jackknife,
            one replicate per PSU, ``rscales`` :math:`(1-f_h)(n_h-1)/n_h`
            (single-PSU strata follow ``lonely_psu``).  ``"bootstrap"``:
            Rao–Wu rescaling bootstrap (R's ``type="subbootstrap"``, not R's
            ``"bootstrap"``) with :math:`n_h - 1` PSUs drawn with replacement
            per stratum, with the Rao–Wu–Yue factor
            :math:`\\lambda_h=\\sqrt{1-f_h}` when an fpc is given; scale
            :math:`1/(R-1)`.  ``"brr"``: balanced repeated replication (McCarthy 1969)
            for two PSUs per stratum, as R ``as.svrepdesign(type="BRR")``: one replicate
            per column of R's Hadamard matrix (:func:`carecost.survey.hadamard.hadamard`)
            for the number of pairs, the PSU of each pair it selects weighted 2, the other
            0; scale :math:`1/R`.  A stratum with more than two PSUs (an even number) is
            split into pairs in order of appearance, as R's ``large="split"``; a stratum
            with one PSU is an error (R's ``small="fail"``).  ``"fay"``: the same with
            factors :math:`2-\\rho` and :math:`\\rho` (Fay 1989, Judkins 1990), scale
            :math:`1/(R(1-\\rho)^2)`.  BRR and Fay drop the fpc, as R does (with a warning).
        replicates
            Number of bootstrap replicates.
        seed
            Seed for the bootstrap (numpy ``default_rng``).
        mse
            Centre variances on the full-sample estimate (carecost's default; R's
            ``as.svrepdesign`` uses ``getOption("survey.replicates.mse")``, ``FALSE``
            unless set, i.e. centres on the mean of the replicates; pass ``mse=False`` to
            reproduce R's standard errors).
        rho
            Fay coefficient for ``method="fay"`` (:math:`0 < \\rho < 1`; R
            ``fay.rho``).  Not used by the other methods.

        Only the first-stage PSUs, strata and fpc are used (later-stage fpcs
        are dropped, as R does).

        Raises
        ------
        DesignError
            An unknown method; ``"jk1"`` on a stratified design or ``"jkn"``, ``"brr"``,
            ``"fay"`` on an unstratified one; a stratum with one PSU (or an odd number above
            two) for BRR/Fay; a replicate-weight matrix above 2e8 cells.

        References
        ----------
        Fay, R. E. (1989). Theory and application of replicate weighting for variance
        calculations. *Proceedings of the Section on Survey Research Methods*, ASA, 212–217.
        Judkins, D. R. (1990). Fay's method for variance estimation. *Journal of Official
        Statistics* 6, 223–239.
        McCarthy, P. J. (1969). Pseudo-replication: half samples. *Review of the
        International Statistical Institute* 37, 239–264.

        References
        ----------
        Rao, J. N. K. and Wu, C. F. J. (1988). Resampling inference with
        complex survey data. *JASA* 83, 231–241.
        Rao, J. N. K., Wu, C. F. J. and Yue, K. (1992). Some recent work on
        resampling methods for complex surveys. *Survey Methodology* 18, 209–217.
        """
        self._memory("to_replicates")
        psu = self._unit_codes[0]
        strat = self._strat_codes[0]
        n_psu = int(psu.max()) + 1
        if method in ("brr", "fay"):
            return self._brr(method, rho, mse)
        n_rep = n_psu if method in ("jk1", "jkn") else replicates
        if len(self._data) * n_rep > 2 * 10**8:
            raise DesignError(
                f"{method} replicate weights for {len(self._data):,} rows x {n_rep:,} "
                f"replicates would need {len(self._data) * n_rep * 8 / 2**30:.1f} GiB; use fewer "
                "replicates (bootstrap) or the linearization design itself")
        first = np.unique(psu, return_index=True)[1]
        psu_stratum = strat[first]
        n_h = self._sampsize[0][first]
        if self._popsize is not None:
            big_n = self._popsize[0][first]
            fcorr = (big_n - n_h) / big_n
        else:
            fcorr = np.ones(n_psu)
        if method == "jk1":
            if self._has_strata:
                raise DesignError("jk1 is for unstratified designs; use method='jkn'")
            factors = np.full((n_psu, n_psu), n_psu / (n_psu - 1))
            np.fill_diagonal(factors, 0.0)
            scale = float(fcorr[0] * (n_psu - 1) / n_psu)
            rscales = np.ones(n_psu)
            kind = "jk1"
        elif method == "jkn":
            if not self._has_strata:
                raise DesignError("jkn is for stratified designs; use method='jk1' or 'bootstrap'")
            order = np.lexsort((np.arange(n_psu), psu_stratum))
            keep = n_h[order] > 1
            lonely = ~keep
            if np.any(lonely) and self._lonely == "fail":
                raise DesignError(
                    "a stratum has only one PSU; set lonely_psu on the Design to choose how the "
                    "jackknife treats it"
                )
            reps = order[keep]
            same = psu_stratum[:, None] == psu_stratum[reps][None, :]
            nh = n_h[reps]
            factors = np.where(same, (nh / (nh - 1))[None, :], 1.0)
            factors[reps, np.arange(len(reps))] = 0.0
            rscales = fcorr[reps] * (nh - 1) / nh
            scale = 1.0
            if self._lonely == "average" and np.any(lonely):
                scale = n_psu / len(reps)
            if self._lonely == "adjust" and np.any(lonely):
                # as R jknweights: a replicate per lonely stratum that drops it and
                # reweights every other PSU by H/(H-1), with rscale (H-1)/H
                n_strata = len(np.unique(psu_stratum))
                lone = np.unique(psu_stratum[order[lonely]])
                extra = np.where(psu_stratum[:, None] == lone[None, :], 0.0,
                                 n_strata / (n_strata - 1))
                factors = np.concatenate([factors, extra], axis=1)
                rscales = np.concatenate([rscales, np.full(len(lone),
                                                           (n_strata - 1) / n_strata)])
            kind = "jkn"
        elif method == "bootstrap":
            rng = np.random.default_rng(seed)
            factors = np.ones((n_psu, replicates))
            strata_ids = np.unique(psu_stratum)
            for s in strata_ids:  # loop over strata, each vectorised over replicates
                members = np.flatnonzero(psu_stratum == s)
                nh_s = len(members)
                if nh_s < 2:
                    continue
                draws = rng.multinomial(nh_s - 1, np.full(nh_s, 1.0 / nh_s), size=replicates).T
                lam = np.sqrt(fcorr[members][0])
                factors[members] = 1 - lam + lam * nh_s / (nh_s - 1) * draws
            scale = 1.0 / (replicates - 1)
            rscales = np.ones(replicates)
            kind = "bootstrap"
        else:
            raise DesignError(f"method must be 'jk1', 'jkn', 'brr', 'fay' or 'bootstrap'; got "
                              f"{method!r}")
        repw = self._w[:, None] * factors[psu]
        return ReplicateDesign._from_arrays(
            self._data, self._w, repw, method=kind, scale=scale, rscales=rscales, mse=mse,
            mask=self._mask, weights_unit=self._weights_unit,
        )


    def _brr(self, method: str, rho: float, mse: bool) -> ReplicateDesign:
        """BRR or Fay replicate weights, as R ``brrweights`` (see :meth:`to_replicates`)."""
        from .hadamard import hadamard

        if method == "fay" and not 0 < rho < 1:
            raise DesignError(f"method='fay' needs 0 < rho < 1; got {rho!r}")
        fay = rho if method == "fay" else 0.0
        if not self._has_strata:
            raise DesignError(f"{method} needs a stratified design (two PSUs per stratum); "
                              "use method='jk1' or 'bootstrap'")
        psu = self._unit_codes[0]
        first = np.unique(psu, return_index=True)[1]  # first row of each PSU, in order
        labels = self._data[self._strata_cols[0]].to_numpy()[first].astype(str)
        strata = sorted(set(labels.tolist()))
        sizes = {h: int((labels == h).sum()) for h in strata}
        small = [h for h in strata if sizes[h] < 2]
        if small:
            raise DesignError(
                f"{method}: stratum {self._strata_cols[0]}={small[0]} has one PSU; BRR needs "
                "two per stratum (merge or pair strata first, as R's small='fail')")
        odd = [h for h in strata if sizes[h] > 2 and sizes[h] % 2]
        if odd:
            raise DesignError(
                f"{method}: stratum {self._strata_cols[0]}={odd[0]} has {sizes[odd[0]]} PSUs; "
                "BRR splits a large stratum into pairs, which needs an even number")
        if self._popsize is not None:
            warnings.warn("finite population correction dropped in the conversion to "
                          f"{method} replicates (as R)", stacklevel=3)
        half = np.zeros(len(first), dtype=np.int64)  # 0 / 1: which PSU of its pair
        pair = np.zeros(len(first), dtype=np.int64)  # pair number (1-based, R's order)
        upto = 0
        # R: strata with more than two PSUs first (split), then those with exactly two
        for group in ([h for h in strata if sizes[h] > 2], [h for h in strata if sizes[h] == 2]):
            for h in group:
                members = np.flatnonzero(labels == h)  # in order of first appearance
                k = len(members)
                half[members] = np.arange(k) % 2
                pair[members] = upto + 1 + np.arange(k) // 2
                upto += k // 2
        hmat = hadamard(upto)
        sel = hmat[pair, :]  # H[1 + pair, i] (0-based row = pair), PSUs x replicates
        # R's sampler: column 1 of the weights is (half == 1), column 2 is (half == 0);
        # H entry 0 picks column 1
        w1 = (half == 1).astype(float)[:, None]
        w2 = 1.0 - w1
        wa = np.where(sel == 0, w1, w2)
        wb = np.where(sel == 0, w2, w1)
        factors = wa * (2 - fay) + wb * fay
        n_rep = factors.shape[1]
        if len(self._data) * n_rep > 2 * 10**8:
            raise DesignError(f"{method} replicate weights for {len(self._data):,} rows x "
                              f"{n_rep:,} replicates are too large")
        repw = self._w[:, None] * factors[psu]
        # built as "other" with the BRR/Fay scale (the constructor fixes those scales from
        # the method itself), then labelled with its method
        out = ReplicateDesign._from_arrays(
            self._data, self._w, repw, method="other",
            scale=1.0 / (n_rep * (1 - fay) ** 2), rscales=np.ones(n_rep), mse=mse,
            mask=self._mask, weights_unit=self._weights_unit,
        )
        out._method = method
        out._rho = fay if method == "fay" else None
        return out


from .replicate import ReplicateDesign  # noqa: E402  (circular: replicate designs are returned)
