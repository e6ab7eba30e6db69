"""Person-level time-use surveys built from diaries (episodes) or person summaries.

Both entry points validate at the edge and lose nothing: every problem is an
error or an entry in the :class:`DiaryReport`, never a silent drop, rescale or
zero-fill.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from carecost.errors import CarecostInputError
from carecost.survey import Design, ReplicateDesign, SurveyDesign

from .classification import Crosswalk, bls_table1_crosswalk, icatus_crosswalk

DIARY_MINUTES = 1440
DiaryPolicy = Literal["error", "report", "keep"]


class TimeUseError(CarecostInputError):
    """Time-use input that cannot be used as given."""


@dataclass(frozen=True)
class DiaryReport:
    """What validation found in the diaries (nothing is dropped or rescaled).

    Attributes
    ----------
    persons, complete, short, long
        Diaries in all, summing to exactly 1,440 minutes, fewer, more.
    min_minutes, mean_minutes
        Smallest and mean diary total (minutes).
    unmapped_codes
        Activity codes outside the crosswalk, with rows and minutes.
    """

    persons: int
    complete: int
    short: int
    long: int
    min_minutes: float
    mean_minutes: float
    unmapped_codes: pd.DataFrame = field(repr=False)

    def summary(self) -> str:
        return (
            f"{self.persons} diaries: {self.complete} sum to 1,440 minutes, {self.short} fewer "
            f"(minimum {self.min_minutes:.0f}, mean {self.mean_minutes:.1f}), {self.long} more; "
            f"{len(self.unmapped_codes)} activity codes outside the crosswalk"
        )


@dataclass(frozen=True)
class TimeUseSurvey:
    """A person-level time-use table with its sample design.

    Attributes
    ----------
    persons
        One row per respondent: covariates, ``diary_minutes`` and minutes per
        day for each activity category (crosswalk targets, e.g. BLS Table 1
        rows; ICATUS 2016 major divisions ``icatus_1`` ... ``icatus_9``;
        ``unpaid_care_work`` = ICATUS 3 + 4, the SDG 5.4.1 numerator).
    design
        The survey design over ``persons`` (same row order).
    variance
        How standard errors are computed (stated in results).
    report
        Diary validation.
    source
        Where the data came from.
    activity_columns
        The minute columns.
    weights_unit
        ``"persons"`` when the weights sum to the population, ``"person_days"``
        when they sum to population x days in the reference period (ATUS final
        weights TUFNWGTP: a year of diaries sums to about 365 x the
        population aged 15+).  Default: the design's
        :attr:`~carecost.survey.SurveyDesign.weights_unit`, else ``"persons"``.  The
        survey's unit is stamped on :attr:`design`, so it travels with every
        ``design.subset(...)`` and result.
    """

    persons: pd.DataFrame
    design: SurveyDesign
    variance: str
    report: DiaryReport
    source: str
    activity_columns: tuple[str, ...]
    weights_unit: str = None  # type: ignore[assignment]  # set in __post_init__

    def __post_init__(self) -> None:
        unit = self.weights_unit
        if unit is None:
            unit = self.design.weights_unit or "persons"
        if unit not in ("persons", "person_days"):
            raise TimeUseError(f"weights_unit must be 'persons' or 'person_days'; got {unit!r}")
        object.__setattr__(self, "weights_unit", unit)
        if self.design.weights_unit != unit:
            object.__setattr__(self, "design", self.design.with_weights_unit(unit))  # type: ignore[arg-type]


def make_design(
    persons: pd.DataFrame, *, weights: str, strata: str | None = None, psu: str | None = None,
    fpc: str | None = None, replicates: str | Sequence[str] | None = None,
    method: str = "sdr", mse: bool = True, **replicate_kw: object,
) -> tuple[SurveyDesign, str]:
    """The design for a person table and a sentence saying how variances are estimated."""
    if replicates is not None:
        d = ReplicateDesign(persons, weights, replicates, method=method,  # type: ignore[arg-type]
                            mse=mse, **replicate_kw)  # type: ignore[arg-type]
        return d, d.degf_note()
    d2 = Design(persons, weights=weights, strata=strata, psu=psu, fpc=fpc)
    if strata is None and psu is None:
        note = (f"weights-only design on {weights}: respondents treated as independent "
                "with-replacement draws (no strata, clusters or replicate weights given)")
    else:
        note = d2.degf_note()
    return d2, note


def _validate_persons(persons: pd.DataFrame, id_col: str, weights: str) -> None:
    if id_col not in persons.columns:
        raise TimeUseError(f"person table: id column {id_col!r} not found")
    dup = persons[id_col].duplicated()
    if dup.any():
        raise TimeUseError(
            f"person table: {int(dup.sum())} duplicate ids in {id_col!r} "
            f"(first: {persons.loc[dup, id_col].head(3).tolist()})"
        )
    if weights not in persons.columns:
        raise TimeUseError(f"person table: weight column {weights!r} not found")
    w = pd.to_numeric(persons[weights], errors="coerce")
    bad = w.isna() | (w <= 0)
    if bad.any():
        raise TimeUseError(
            f"person table: {int(bad.sum())} missing or non-positive weights in {weights!r} "
            f"(first ids: {persons.loc[bad, id_col].head(3).tolist()})"
        )


def _diary_report(total: pd.Series, unmapped: pd.DataFrame, policy: DiaryPolicy) -> DiaryReport:
    rep = DiaryReport(
        persons=len(total),
        complete=int((total == DIARY_MINUTES).sum()),
        short=int((total < DIARY_MINUTES).sum()),
        long=int((total > DIARY_MINUTES).sum()),
        min_minutes=float(total.min()) if len(total) else float("nan"),
        mean_minutes=float(total.mean()) if len(total) else float("nan"),
        unmapped_codes=unmapped,
    )
    if len(unmapped) and policy != "keep":
        minutes = float(unmapped["minutes"].sum()) if "minutes" in unmapped else float("nan")
        warnings.warn(
            f"{len(unmapped)} activity codes are outside the crosswalk ({minutes:,.0f} minutes, "
            f"first: {unmapped['code'].head(5).tolist()}); their minutes count in "
            "diary_minutes but in no category (see report.unmapped_codes)", stacklevel=3)
    off = rep.short + rep.long
    if off and policy == "error":
        raise TimeUseError(
            f"{off} diaries do not sum to 1,440 minutes ({rep.short} fewer, {rep.long} more; "
            f"minimum {rep.min_minutes:.0f}); pass diary_policy='report' or 'keep' to use them"
        )
    if off and policy == "report":
        warnings.warn(rep.summary(), stacklevel=3)
    return rep


def _icatus_minutes(codes: pd.Series, minutes: np.ndarray, ids: np.ndarray,
                    person_index: pd.Index) -> pd.DataFrame:
    """Minutes per person in each ICATUS 2016 major division (and unclassified)."""
    ic = icatus_crosswalk().recode(codes).to_numpy()
    major = pd.Series(ic, dtype=object).str[0].fillna("unclassified").to_numpy()
    labels, mcode = np.unique(major.astype(str), return_inverse=True)
    pidx = person_index.get_indexer(pd.Index(ids))
    out = {}
    for j, lab in enumerate(labels):  # ten divisions at most, vectorised over rows
        sel = mcode.ravel() == j
        out[f"icatus_{lab}"] = np.bincount(pidx[sel], weights=minutes[sel],
                                           minlength=len(person_index))
    frame = pd.DataFrame(out, index=person_index)
    for k in range(1, 10):
        if f"icatus_{k}" not in frame.columns:
            frame[f"icatus_{k}"] = 0.0
    return frame.astype(float)


def from_episodes(
    episodes: pd.DataFrame,
    persons: pd.DataFrame,
    *,
    id: str = "id",
    code: str = "code",
    duration: str | None = "duration",
    start: str | None = None,
    end: str | None = None,
    weights: str = "weight",
    strata: str | None = None,
    psu: str | None = None,
    fpc: str | None = None,
    replicates: str | Sequence[str] | None = None,
    method: str = "sdr",
    crosswalk: Crosswalk | None = None,
    icatus: bool = True,
    diary_policy: DiaryPolicy = "report",
    source: str = "episode table",
) -> TimeUseSurvey:
    """Build a :class:`TimeUseSurvey` from a diary (one row per episode) and a person table.

    Parameters
    ----------
    episodes
        One row per episode: person id, activity code and either a
        ``duration`` (minutes) or ``start``/``end`` (minutes from the start of
        the diary day; an end before its start wraps past midnight).
    persons
        One row per respondent with the design columns and covariates.
    id, code, duration, start, end
        Column names (mapping arguments).
    weights, strata, psu, fpc, replicates, method
        Design columns; ``replicates`` (list or regex) gives a
        :class:`~carecost.survey.ReplicateDesign` (``method`` as there).
    crosswalk
        Activity codes to categories (default: ATUS lexicon to BLS Table 1
        rows).  Codes outside it are reported, not dropped: their minutes
        stay in ``diary_minutes``.
    icatus
        Also classify to ICATUS 2016 major divisions with the shipped
        ATUS-to-ICATUS crosswalk (ATUS lexicon codes only).
    diary_policy
        Diaries that do not sum to 1,440 minutes: ``"error"``, ``"report"``
        (a warning and the report; default) or ``"keep"`` (report only).

    Raises
    ------
    TimeUseError
        Negative or missing durations, overlapping episodes, duplicate person
        ids, persons without a diary, diaries without a person, missing or
        non-positive weights.
    """
    for col in [id, code] + [c for c in (duration, start, end) if c]:
        if col not in episodes.columns:
            raise TimeUseError(f"episode table: column {col!r} not found "
                               f"(columns: {list(episodes.columns)[:12]})")
    _validate_persons(persons, id, weights)
    ep = episodes
    if start and end:
        s = pd.to_numeric(ep[start], errors="coerce")
        e = pd.to_numeric(ep[end], errors="coerce")
        if s.isna().any() or e.isna().any():
            raise TimeUseError(f"episode table: {int((s.isna() | e.isna()).sum())} episodes have "
                               "missing or non-numeric start/end times")
        dur = (e - s) % DIARY_MINUTES
        dur = dur.where(~((dur == 0) & (e != s)), DIARY_MINUTES)
        order = np.lexsort((s.to_numpy(), ep[id].to_numpy()))
        sid = ep[id].to_numpy()[order]
        ss, ee = s.to_numpy()[order], (s + dur).to_numpy()[order]
        same = sid[1:] == sid[:-1]
        overlap = same & (ss[1:] < ee[:-1])
        if overlap.any():
            first = sid[1:][overlap][:3].tolist()
            raise TimeUseError(f"episode table: {int(overlap.sum())} episodes overlap the "
                               f"previous episode of the same person (ids {first})")
        minutes = dur.to_numpy(dtype=float)
    elif duration:
        dser = pd.to_numeric(ep[duration], errors="coerce")
        if dser.isna().any():
            raise TimeUseError(f"episode table: {int(dser.isna().sum())} missing or non-numeric "
                               f"durations in {duration!r}")
        minutes = dser.to_numpy(dtype=float)
    else:
        raise TimeUseError("give either duration= or both start= and end=")
    if (minutes < 0).any():
        bad = ep.loc[minutes < 0, id].head(3).tolist()
        raise TimeUseError(f"episode table: {int((minutes < 0).sum())} negative durations "
                           f"(ids {bad})")
    person_ids = pd.Index(persons[id])
    orphan = ~ep[id].isin(person_ids)
    if orphan.any():
        raise TimeUseError(f"{int(orphan.sum())} episodes belong to ids not in the person table "
                           f"(first: {ep.loc[orphan, id].head(3).tolist()})")
    nodiary = ~person_ids.isin(ep[id])
    if nodiary.any():
        raise TimeUseError(f"{int(nodiary.sum())} persons have no diary episodes "
                           f"(first: {person_ids[nodiary][:3].tolist()})")
    cw = crosswalk or bls_table1_crosswalk()
    work = pd.DataFrame({"id": ep[id].to_numpy(), "code": ep[code].to_numpy(), "dur": minutes})
    cats = cw.aggregate(work, id_col="id", code_col="code", minutes_col="dur", ids=person_ids)
    total = work.groupby("id")["dur"].sum().reindex(person_ids)
    report = _diary_report(total, cw.unmapped(work["code"], minutes), diary_policy)
    clash = [c for c in cats.columns if c in persons.columns]
    if clash:
        raise TimeUseError(f"person table already has columns named like activity categories "
                           f"{clash[:5]}; rename them before reading the diary")
    out = persons.set_index(id, drop=False).join(cats)
    cols = list(cats.columns)
    extra = {"diary_minutes": total.to_numpy(dtype=float)}
    if icatus:
        ic = _icatus_minutes(work["code"], minutes, work["id"].to_numpy(), person_ids)
        out = out.join(ic)
        extra["unpaid_care_work"] = (out["icatus_3"] + out["icatus_4"]).to_numpy()
        cols += [*sorted(ic.columns), "unpaid_care_work"]
    out = pd.concat([out, pd.DataFrame(extra, index=out.index)], axis=1)
    out = out.reset_index(drop=True)
    design, note = make_design(out, weights=weights, strata=strata, psu=psu, fpc=fpc,
                               replicates=replicates, method=method)
    return TimeUseSurvey(persons=out, design=design, variance=note, report=report,
                         source=source, activity_columns=tuple(cols))


def from_persons(
    persons: pd.DataFrame,
    *,
    activities: Sequence[str] | dict[str, str],
    id: str = "id",
    weights: str = "weight",
    strata: str | None = None,
    psu: str | None = None,
    fpc: str | None = None,
    replicates: str | Sequence[str] | None = None,
    method: str = "sdr",
    unpaid_care: Sequence[str] | None = None,
    diary_policy: DiaryPolicy = "keep",
    source: str = "person table",
) -> TimeUseSurvey:
    """Build a :class:`TimeUseSurvey` from person-level minutes per activity group.

    Parameters
    ----------
    persons
        One row per respondent.
    activities
        Minute columns, or a mapping ``{column: new_name}``.  Missing values
        are an error (no zero-fill).
    unpaid_care
        Columns (after renaming) whose sum is unpaid domestic and care work
        (the SDG 5.4.1 numerator), stored as ``unpaid_care_work``.
    diary_policy
        As :func:`from_episodes`; the diary total is the sum of the given
        activity columns (a partial list of activities is normal here, so the
        default is ``"keep"``).
    """
    _validate_persons(persons, id, weights)
    mapping = dict(activities) if isinstance(activities, dict) else {a: a for a in activities}
    missing = [c for c in mapping if c not in persons.columns]
    if missing:
        raise TimeUseError(f"person table: activity columns {missing} not found")
    out = persons.rename(columns=mapping).reset_index(drop=True)
    cols = list(mapping.values())
    for c in cols:
        v = pd.to_numeric(out[c], errors="coerce")
        if v.isna().any():
            raise TimeUseError(f"person table: {int(v.isna().sum())} missing or non-numeric "
                               f"values in activity column {c!r}")
        if (v < 0).any():
            raise TimeUseError(f"person table: {int((v < 0).sum())} negative minutes in {c!r}")
        out[c] = v.astype(float)
    if unpaid_care:
        bad = [c for c in unpaid_care if c not in cols]
        if bad:
            raise TimeUseError(f"unpaid_care columns {bad} are not activity columns {cols}")
        out["unpaid_care_work"] = out[list(unpaid_care)].sum(axis=1)
        cols.append("unpaid_care_work")
    total = out[list(mapping.values())].sum(axis=1)
    out["diary_minutes"] = total
    report = _diary_report(total, pd.DataFrame(columns=["code", "rows", "minutes"]), diary_policy)
    design, note = make_design(out, weights=weights, strata=strata, psu=psu, fpc=fpc,
                               replicates=replicates, method=method)
    return TimeUseSurvey(persons=out, design=design, variance=note, report=report,
                         source=source, activity_columns=tuple(cols))
