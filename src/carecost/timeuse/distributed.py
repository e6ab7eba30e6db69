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

import warnings
from collections.abc import Sequence
from typing import Any

import pandas as pd

from carecost.survey import Design, ReplicateDesign, SurveyDesign

from .classification import Crosswalk, bls_table1_crosswalk
from .survey import DIARY_MINUTES, DiaryReport, TimeUseError, TimeUseSurvey, _icatus_minutes

ICATUS_COLUMNS = [f"icatus_{k}" for k in range(1, 10)] + ["icatus_unclassified"]


def _classify_partition(pdf: pd.DataFrame, id_col: str, code: str, duration: str,
                        cw: Crosswalk, icatus: bool) -> pd.DataFrame:
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
    out = cw.unmapped(pdf[code], pdf[duration].to_numpy(dtype=float))
    return out.astype({"rows": "int64", "minutes": float})


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
    (n_nan, n_badw, unmapped, n_neg, n_ids, n_matched, n_persons, n_short, n_long, n_full, dmin,
     dmean) = dask.compute(
        episodes[duration].isna().sum(), (w.isna() | ~(w > 0)).sum(), unmapped_parts,
        (episodes[duration] < 0).sum(),
        per_part[id].nunique() if aligned else episodes[id].nunique(),
        merged["diary_minutes"].count(),
        merged.shape[0], (merged["diary_minutes"] < DIARY_MINUTES).sum(),
        (merged["diary_minutes"] > DIARY_MINUTES).sum(),
        (merged["diary_minutes"] == DIARY_MINUTES).sum(), merged["diary_minutes"].min(),
        merged["diary_minutes"].mean(),
    )
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
    design: SurveyDesign
    if replicates is not None:
        design = ReplicateDesign(merged, weights, replicates, method=method)  # type: ignore[arg-type]
    else:
        design = Design(merged, weights=weights, strata=strata, psu=psu)
    cols = tuple(c for c in meta_cols if c != "diary_minutes")
    return TimeUseSurvey(persons=merged, design=design, variance=design.degf_note(),
                         report=report, source=source, activity_columns=tuple(cols),
                         code_system="atus")
