"""Time-use diaries larger than memory: classify and aggregate episodes with Dask.

Episodes are classified partition by partition (each partition's codes are
mapped with the crosswalk and summed per person), then summed per person
across partitions with a Dask ``groupby(id).sum()``.  A person's episodes may
therefore be split across partitions: the per-person totals are correct
either way (tested).  The person table is joined lazily; the resulting
design is a :class:`~carecost.survey.ReplicateDesign` or
:class:`~carecost.survey.Design` on the Dask backend, so every estimate is a
reduction over partitions and no rows are collected.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray

from carecost.survey import Design, ReplicateDesign, SurveyDesign

from .classification import ClassificationError, Crosswalk, _code_str, bls_table1_crosswalk
from .codes import resolve
from .survey import DIARY_MINUTES, DiaryReport, TimeUseError, TimeUseSurvey, _icatus_minutes

ICATUS_COLUMNS = [f"icatus_{k}" for k in range(1, 10)] + ["icatus_unclassified"]


def _classify_partition(pdf: pd.DataFrame, id_col: str, code: str, duration: str,
                        cw: Crosswalk, icatus: bool) -> pd.DataFrame:
    """Minutes per person of a partition in each crosswalk target and ICATUS division.

    The crosswalk and the ICATUS mapping depend on the code only, and a partition has
    millions of episodes but a few hundred distinct codes at most: the codes are factorized,
    the minutes summed per (person, distinct code) -- a sparse persons x codes matrix -- and
    that matrix is multiplied by the membership of each distinct code.  Whole-minute
    durations give exactly the sums of the episode-by-episode path
    (:func:`_classify_episodes`), which runs instead when a code is missing or not a valid
    code (it raises the error naming the rows).
    """
    fast = _classify_by_code(pdf, id_col, code, duration, cw, icatus)
    return fast if fast is not None else _classify_episodes(pdf, id_col, code, duration, cw,
                                                            icatus)


def _distinct_codes(pdf: pd.DataFrame, code: str, cw: Crosswalk
                    ) -> tuple[NDArray[np.intp], Any, pd.DataFrame, NDArray[np.intp]] | None:
    """Factorized codes, their distinct values, the crosswalk membership and the row of
    each distinct value in it; None when a code is missing or invalid."""
    ccodes, uniq = pd.factorize(pdf[code], sort=False)
    if (ccodes < 0).any():
        return None
    try:
        text = _code_str(pd.Series(np.asarray(uniq)), cw.code_width)
        mem = cw.membership(pd.Series(np.asarray(uniq)))
    except ClassificationError:
        return None
    pos = mem.index.get_indexer(pd.Index(text))
    return np.asarray(ccodes, dtype=np.intp), uniq, mem, pos


def _classify_by_code(pdf: pd.DataFrame, id_col: str, code: str, duration: str,
                      cw: Crosswalk, icatus: bool) -> pd.DataFrame | None:
    found = _distinct_codes(pdf, code, cw)
    if found is None:
        return None
    ccodes, uniq, mem, pos = found
    ids = pd.Index(pd.unique(pdf[id_col]), name=id_col)
    pidx = ids.get_indexer(pd.Index(pdf[id_col]))
    minutes = pdf[duration].to_numpy(dtype=float)
    n_codes = len(uniq)
    per_code = sp.csr_matrix((minutes, (pidx, ccodes)), shape=(len(ids), n_codes))
    member = mem.to_numpy(dtype=float)[pos]  # distinct codes x targets
    columns: dict[str, Any] = {}
    cats = np.asarray(per_code @ member)
    for j, t in enumerate(mem.columns):
        columns[t] = cats[:, j]
    if icatus:
        try:
            ic = resolve("atus", icatus=True).icatus(pd.Series(np.asarray(uniq)))
        except ClassificationError:
            return None
        major = pd.Series(ic, dtype=object).str[0].fillna("unclassified").to_numpy(dtype=object)
        division = np.zeros((n_codes, len(ICATUS_COLUMNS)))
        for k, col in enumerate(ICATUS_COLUMNS):
            division[:, k] = major == col.removeprefix("icatus_")
        ic_min = np.asarray(per_code @ division)
        for k, col in enumerate(ICATUS_COLUMNS):
            columns[col] = ic_min[:, k]
    columns["diary_minutes"] = np.bincount(pidx, weights=minutes, minlength=len(ids))
    if icatus:
        columns["unpaid_care_work"] = columns["icatus_3"] + columns["icatus_4"]
    out = pd.DataFrame(columns, index=ids)
    return out.reset_index()


def _classify_episodes(pdf: pd.DataFrame, id_col: str, code: str, duration: str,
                       cw: Crosswalk, icatus: bool) -> pd.DataFrame:
    """:func:`_classify_partition` episode by episode (the reference path)."""
    ids = pd.Index(pd.unique(pdf[id_col]), name=id_col)
    minutes = pdf[duration].to_numpy(dtype=float)
    work = pd.DataFrame({"id": pdf[id_col].to_numpy(), "code": pdf[code].to_numpy(),
                         "dur": minutes})
    cats = cw.aggregate(work, id_col="id", code_col="code", minutes_col="dur", ids=ids)
    parts = [cats]
    if icatus:
        ic = _icatus_minutes(work["code"], minutes, work["id"].to_numpy(), ids)
        parts.append(ic.reindex(columns=ICATUS_COLUMNS, fill_value=0.0))
    total = work.groupby("id")["dur"].sum().reindex(ids).rename("diary_minutes")
    extra = [total.to_frame()]
    if icatus:
        extra.append((parts[-1]["icatus_3"] + parts[-1]["icatus_4"]).rename("unpaid_care_work")
                     .to_frame())
    out = pd.concat([*parts, *extra], axis=1)
    out.index.name = id_col
    return out.reset_index()


def _unmapped_partition(pdf: pd.DataFrame, code: str, duration: str, cw: Crosswalk
                        ) -> pd.DataFrame:
    """Codes of a partition outside the crosswalk, with their rows and minutes (counted per
    distinct code; episode by episode when a code is missing or invalid)."""
    found = _distinct_codes(pdf, code, cw)
    if found is None:
        out = cw.unmapped(pdf[code], pdf[duration].to_numpy(dtype=float))
        return out.astype({"rows": "int64", "minutes": float})
    ccodes, uniq, mem, pos = found
    minutes = pdf[duration].to_numpy(dtype=float)
    outside = ~np.asarray(mem.to_numpy().any(axis=1), dtype=bool)[pos]
    rows = np.bincount(ccodes, minlength=len(uniq))
    mins = np.bincount(ccodes, weights=minutes, minlength=len(uniq))
    text = np.asarray(mem.index[pos], dtype=object)
    t = pd.DataFrame({"code": text[outside], "rows": rows[outside].astype("int64"),
                      "minutes": mins[outside]})
    return (t.groupby("code", as_index=False)[["rows", "minutes"]].sum()
            .astype({"rows": "int64", "minutes": float}))


def _merge_partition(persons: pd.DataFrame, minutes: pd.DataFrame, id_col: str) -> pd.DataFrame:
    orphan = ~minutes[id_col].isin(persons[id_col])
    if orphan.any():
        raise TimeUseError(f"aligned partitions: {int(orphan.sum())} diary ids are not in the "
                           "matching person partition")
    return persons.merge(minutes, on=id_col, how="left")


def from_episodes_dask(
    episodes: Any,
    persons: Any,
    *,
    id: str = "id",
    code: str = "code",
    duration: str = "duration",
    weights: str = "weight",
    replicates: str | Sequence[str] | None = None,
    method: str = "sdr",
    strata: str | None = None,
    psu: str | None = None,
    crosswalk: Crosswalk | None = None,
    icatus: bool = True,
    aligned: bool = False,
    write_to: str | os.PathLike[str] | None = None,
    source: str = "Dask episode table",
) -> TimeUseSurvey:
    """Build a time-use survey from Dask episode and person tables.

    Parameters
    ----------
    episodes, persons
        ``dask.dataframe.DataFrame`` objects (e.g. ``dd.read_parquet``).  Persons
        may be split across episode partitions.
    id, code, duration, weights, replicates, method, strata, psu, crosswalk, icatus
        As :func:`carecost.timeuse.from_episodes`.  The codes must be ATUS lexicon codes
        (``code_system="atus"``); other code systems, ``diary=`` and ``secondary=`` are
        available in memory only (:func:`carecost.timeuse.from_episodes`).
    aligned
        ``False`` (default): a person's episodes may be anywhere; per-person
        minutes are summed across partitions and joined to the person table
        (a shuffle).  ``True``: partition ``i`` of ``episodes`` holds all the
        episodes of the persons in partition ``i`` of ``persons`` (as when
        both are written person block by person block); no shuffle, and an
        episode whose person is not in the matching partition is an error.
    write_to
        A directory: write the person table with its minutes there as Parquet (one file per
        partition, ``to_parquet(write_index=False)``) in the same pass as the checks, and
        read the returned survey from it.  The episodes and persons are then read and
        classified once, instead of once for the checks and once more for every later use
        of the lazy table (such as writing it).  When a check fails the files written so
        far are left in place; the error is raised after the pass.

    Returns
    -------
    TimeUseSurvey
        ``persons`` is a lazy Dask DataFrame and ``design`` a Dask design;
        ``report`` counts diaries that do not sum to 1,440 minutes (computed
        with one reduction).

    Raises
    ------
    TimeUseError
        Missing or negative durations, missing or non-positive weights,
        episodes whose person is missing, persons without episodes (each
        counted with a Dask reduction).  Codes outside the crosswalk are
        reported (``report.unmapped_codes``) with a warning.
    """
    cw = crosswalk or bls_table1_crosswalk()
    for c in (id, code, duration):
        if c not in episodes.columns:
            raise TimeUseError(f"episode table: column {c!r} not found")
    if id not in persons.columns or weights not in persons.columns:
        raise TimeUseError(f"person table needs columns {id!r} and {weights!r}")
    meta_cols = [*cw.targets, *(ICATUS_COLUMNS if icatus else []), "diary_minutes",
                 *(["unpaid_care_work"] if icatus else [])]
    meta = pd.DataFrame({id: pd.Series(dtype=episodes[id].dtype),
                         **{c: pd.Series(dtype=float) for c in meta_cols}})
    per_part = episodes.map_partitions(_classify_partition, id, code, duration, cw, icatus,
                                       meta=meta)
    import dask
    import dask.dataframe as dd

    if aligned:
        if episodes.npartitions != persons.npartitions:
            raise TimeUseError(
                f"aligned=True needs as many episode partitions ({episodes.npartitions}) as "
                f"person partitions ({persons.npartitions})"
            )
        per_person = None
        # zip the partitions as materialised (not as lazily re-planned reads, whose partition
        # boundaries can differ between column projections)
        ep_parts = per_part.to_delayed()
        pe_parts = persons.to_delayed()
        if len(ep_parts) != len(pe_parts):
            raise TimeUseError(f"aligned=True: {len(ep_parts)} episode partitions but "
                               f"{len(pe_parts)} person partitions")
        merged = dd.from_delayed(
            [dask.delayed(_merge_partition)(a, b, id) for a, b in zip(pe_parts, ep_parts,
                                                                        strict=True)],
            meta=persons._meta.merge(meta, on=id, how="left"), verify_meta=False)
    else:
        per_person = per_part.groupby(id).sum()  # persons split across partitions added here
        merged = persons.merge(per_person, left_on=id, right_index=True, how="left")
    del per_person

    unmapped_parts = episodes.map_partitions(
        _unmapped_partition, code, duration, cw,
        meta=pd.DataFrame({"code": pd.Series(dtype=str), "rows": pd.Series(dtype="int64"),
                           "minutes": pd.Series(dtype=float)}))
    w = persons[weights]
    checks = (
        episodes[duration].isna().sum(), (w.isna() | ~(w > 0)).sum(), unmapped_parts,
        (episodes[duration] < 0).sum(),
        per_part[id].nunique() if aligned else episodes[id].nunique(),
        merged["diary_minutes"].count(),
        merged.shape[0], (merged["diary_minutes"] < DIARY_MINUTES).sum(),
        (merged["diary_minutes"] > DIARY_MINUTES).sum(),
        (merged["diary_minutes"] == DIARY_MINUTES).sum(), merged["diary_minutes"].min(),
        merged["diary_minutes"].mean(),
    )
    if write_to is not None:  # one pass: the writer and the checks share the partitions
        writer = merged.to_parquet(write_to, write_index=False, compute=False)
        *results, _ = dask.compute(*checks, writer)
    else:
        results = list(dask.compute(*checks))
    (n_nan, n_badw, unmapped, n_neg, n_ids, n_matched, n_persons, n_short, n_long, n_full, dmin,
     dmean) = results
    if n_nan:
        raise TimeUseError(f"episode table: {int(n_nan)} missing durations in {duration!r}")
    if n_badw:
        raise TimeUseError(f"person table: {int(n_badw)} missing or non-positive weights in "
                           f"{weights!r}")
    if n_neg:
        raise TimeUseError(f"episode table: {int(n_neg)} negative durations")
    unmapped = (unmapped.groupby("code", as_index=False)[["rows", "minutes"]].sum()
                .sort_values("code").reset_index(drop=True))
    if len(unmapped):
        warnings.warn(
            f"{len(unmapped)} activity codes are outside the crosswalk "
            f"({unmapped['minutes'].sum():,.0f} minutes, first: "
            f"{unmapped['code'].head(5).tolist()}); see report.unmapped_codes", stacklevel=2)
    if n_ids != n_matched:
        raise TimeUseError(f"{int(n_ids - n_matched)} diary ids are not in the person table")
    if n_matched != n_persons:
        raise TimeUseError(f"{int(n_persons - n_matched)} persons have no diary episodes")
    report = DiaryReport(persons=int(n_persons), complete=int(n_full), short=int(n_short),
                         long=int(n_long), min_minutes=float(dmin), mean_minutes=float(dmean),
                         unmapped_codes=unmapped)
    if write_to is not None:
        merged = dd.read_parquet(write_to)
    design: SurveyDesign
    if replicates is not None:
        design = ReplicateDesign(merged, weights, replicates, method=method)  # type: ignore[arg-type]
    else:
        design = Design(merged, weights=weights, strata=strata, psu=psu)
    cols = tuple(c for c in meta_cols if c != "diary_minutes")
    return TimeUseSurvey(persons=merged, design=design, variance=design.degf_note(),
                         report=report, source=source, activity_columns=tuple(cols),
                         code_system="atus")
