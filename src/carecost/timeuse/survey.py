"""Person-level time-use surveys built from diaries (episodes) or person summaries.

Both entry points validate at the edge and lose nothing: every problem is an
error or an entry in the :class:`DiaryReport`, never a silent drop, rescale or
zero-fill.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from carecost.errors import CarecostInputError
from carecost.survey import Design, ReplicateDesign, SurveyDesign

from .classification import Crosswalk, bls_table1_crosswalk
from .codes import CodeSystem, resolve

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
    partial_weeks
        With several diaries per person (``diary=`` and ``day_type=``): the
        persons who lack a diary of some day type, whose average day is
        the weighted mean of the days they have (``None`` otherwise).
    missing_secondary, missing_secondary_minutes
        With ``secondary=``: episodes (and their minutes) whose secondary
        activity is a *missing* code (-8, -9: not known whether there was
        one), counted as no secondary activity (``None`` without
        ``secondary=``).  ``-7``, ``0`` and empty cells mean "none" and are
        not counted.
    """

    persons: int
    complete: int
    short: int
    long: int
    min_minutes: float
    mean_minutes: float
    unmapped_codes: pd.DataFrame = field(repr=False)
    partial_weeks: int | None = None
    missing_secondary: int | None = None
    missing_secondary_minutes: float | None = None

    def summary(self) -> str:
        text = (
            f"{self.persons} diaries: {self.complete} sum to 1,440 minutes, {self.short} fewer "
            f"(minimum {self.min_minutes:.0f}, mean {self.mean_minutes:.1f}), {self.long} more; "
            f"{len(self.unmapped_codes)} activity codes outside the crosswalk"
        )
        if self.missing_secondary:
            text += (f"; {self.missing_secondary} episodes ({self.missing_secondary_minutes:,.0f}"
                     " minutes) with a missing secondary-activity code")
        return text


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
    code_system
        The activity classification of the diary codes (``"atus"``,
        ``"mtus69"``, ``"hetus2008"``, ``"icatus2016"``, a user crosswalk's
        name), ``None`` when not stated (person-level tables).
    """

    persons: pd.DataFrame
    design: SurveyDesign
    variance: str
    report: DiaryReport
    source: str
    activity_columns: tuple[str, ...]
    weights_unit: str = None  # type: ignore[assignment]  # set in __post_init__
    code_system: str | None = None

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
                    person_index: pd.Index, system: CodeSystem | None = None) -> pd.DataFrame:
    """Minutes per person in each ICATUS 2016 major division (and unclassified)."""
    ic = (system or resolve("atus", icatus=True)).icatus(codes)
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


DAY_WEIGHTS: dict[str, float] = {"weekday": 5.0 / 7.0, "weekend": 2.0 / 7.0}
"""Default weights of a weekday and a weekend diary in a person's average day."""
SECONDARY_NONE = (-7, -8, -9)
"""Secondary-activity codes read as "no secondary activity" (MTUS: -7 not applicable, -8 and
-9 missing); empty cells and 0 (HETUS: blank or 0 if none) mean the same."""
SECONDARY_MISSING = (-8, -9)
"""Of those, the codes that mean "not known" (MTUS missing values): counted in
``DiaryReport.missing_secondary`` and warned about, since they may hide secondary childcare."""
CHILDCARE_DIVISION = "41"
"""ICATUS 2016 division 41, childcare and instruction (of household and family children)."""


def _diary_units(ep: pd.DataFrame, id: str, diary: str | None, day_type: str | None,
                 day_weights: dict[str, float] | None) -> tuple[np.ndarray, pd.DataFrame]:
    """Diary of each episode (codes 0..k-1) and a table of diaries: person id, day type, weight.

    Without ``diary`` every person has one diary.
    """
    if diary is None:
        codes, uniq = pd.factorize(ep[id], sort=False)
        units = pd.DataFrame({"person": np.asarray(uniq), "weight": 1.0})
        return codes, units
    if diary not in ep.columns:
        raise TimeUseError(f"episode table: diary column {diary!r} not found")
    if ep[diary].isna().any():
        raise TimeUseError(f"episode table: {int(ep[diary].isna().sum())} episodes have no "
                           f"diary number in {diary!r}")
    key = pd.MultiIndex.from_arrays([ep[id].to_numpy(), ep[diary].to_numpy()])
    codes, uniq = pd.factorize(key, sort=False)
    units = pd.DataFrame({"person": uniq.get_level_values(0), "diary": uniq.get_level_values(1)})
    per_person = units.groupby("person", sort=False).size()
    several = per_person[per_person > 1]
    if day_type is None:
        if len(several):
            raise TimeUseError(
                f"{len(several)} persons have several diaries (first ids: "
                f"{several.index[:3].tolist()}); pass day_type= (a column saying 'weekday' or "
                f"'weekend', or the keys of day_weights=) so that each person's days are weighted "
                f"into an average day")
        units["weight"] = 1.0
        return codes, units
    if day_type not in ep.columns:
        raise TimeUseError(f"episode table: day_type column {day_type!r} not found")
    weights = dict(DAY_WEIGHTS if day_weights is None else day_weights)
    for k, v in weights.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0:
            raise TimeUseError(f"day_weights[{k!r}] must be a positive number; got {v!r}")
    dt = ep[day_type].astype(str).str.strip()
    if day_weights is None:
        dt = dt.str.lower()
    per_unit = pd.DataFrame({"u": codes, "dt": dt.to_numpy()}).groupby("u")["dt"]
    mixed = per_unit.nunique() > 1
    if mixed.any():
        bad = units.loc[mixed[mixed].index[:3], ["person", "diary"]].to_numpy().tolist()
        raise TimeUseError(f"{int(mixed.sum())} diaries have episodes of different day types in "
                           f"{day_type!r} (first (id, diary): {bad})")
    units["day_type"] = per_unit.first().sort_index().to_numpy()
    unknown = sorted(set(units["day_type"]) - set(weights))
    if unknown:
        raise TimeUseError(f"day_type values {unknown[:5]} have no weight; day_weights= has "
                           f"{sorted(weights)}")
    dup = units.duplicated(["person", "day_type"], keep=False)
    if dup.any():
        first = units.loc[dup, ["person", "diary", "day_type"]].head(4).to_numpy().tolist()
        raise TimeUseError(
            f"{int(units.loc[dup, 'person'].nunique())} persons have two diaries of the same day "
            f"type (first (id, diary, day type): {first}); each diary must be a different day "
            f"type (give day_weights= by day of week if the survey kept several weekdays)")
    units["weight"] = units["day_type"].map(weights).astype(float)
    return codes, units


def _secondary_minutes(sec: pd.Series, primary_ic: np.ndarray, minutes: np.ndarray,
                       system: CodeSystem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per episode: minutes of secondary childcare (primary not childcare), of any childcare,
    and whether the secondary code is a missing code (-8/-9)."""
    s = pd.Series(sec).reset_index(drop=True)
    num = pd.to_numeric(s, errors="coerce")
    missing = num.isin(SECONDARY_MISSING).to_numpy()
    text = s.astype(str).str.strip()
    none = s.isna() | num.isin([*SECONDARY_NONE, 0]) | text.isin(["", "nan", "None"])
    has = ~none.to_numpy()
    sec_ic = np.full(len(s), None, dtype=object)
    if has.any():
        codes = num[has].astype("int64") if num[has].notna().all() else s[has]
        system.check(codes, minutes[has])
        sec_ic[has] = system.icatus(codes)
    prim_cc = (pd.Series(primary_ic, dtype=object).str.startswith(CHILDCARE_DIVISION)
               .fillna(False).to_numpy(dtype=bool))
    sec_cc = (pd.Series(sec_ic, dtype=object).str.startswith(CHILDCARE_DIVISION)
              .fillna(False).to_numpy(dtype=bool))
    return (np.where(sec_cc & ~prim_cc, minutes, 0.0), np.where(sec_cc | prim_cc, minutes, 0.0),
            missing)


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
    code_system: str | Crosswalk = "atus",
    diary: str | None = None,
    day_type: str | None = None,
    day_weights: dict[str, float] | None = None,
    secondary: str | None = None,
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
        rows when ``code_system="atus"``, none otherwise).  Codes outside it
        are reported, not dropped: their minutes stay in ``diary_minutes``.
    icatus
        Also classify to ICATUS 2016 major divisions (``icatus_1`` ...
        ``icatus_9``, ``unpaid_care_work``) through the crosswalk of
        ``code_system``.
    code_system
        The classification the codes are in: ``"atus"`` (ATUS lexicon,
        default), ``"mtus69"`` (MTUS 69 main activities), ``"hetus2008"``
        (HETUS 2008 ACL), ``"icatus2016"``, or a :class:`Crosswalk` from
        your codes to ICATUS 2016 codes (``kind="recode"``).  Another name
        is accepted only with ``icatus=False``.  When most minutes or most
        distinct codes are not codes of the declared system, reading stops
        (:class:`~carecost.timeuse.ClassificationError`): the codes are of
        another system.
    diary
        Column numbering the diary days of a person (MTUS ``diary``, HETUS
        ``DIARY``).  Each diary is validated on its own (1,440 minutes), and
        the person's minutes per day are the ``day_weights``-weighted mean of
        their diaries (a person with only some day types is averaged over
        the days they have; counted in ``report.partial_weeks``).  Without
        ``diary=``, a person whose episodes add up to 2,880 minutes or more
        is an error (several days read as one).
    day_type
        Episode column with the type of day of each diary: ``"weekday"`` or
        ``"weekend"`` (any case), or the keys of ``day_weights``.  Needed
        when a person has several diaries; two diaries of one person with
        the same day type are an error.
    day_weights
        Weight of each day type in the average day; default weekday 5/7,
        weekend 2/7.  A survey's own day weights (e.g. by day of week
        ``{"mon": 1, ..., "sun": 1}``) are given here, keyed by the values
        of ``day_type``.
    secondary
        Episode column with the secondary (simultaneous) activity code, in
        the same code system; ``-7``, ``-8``, ``-9``, ``0`` and empty cells
        mean none.  Adds ``secondary_childcare`` (minutes with childcare,
        ICATUS 41, as the secondary but not the primary activity) and
        ``any_childcare`` (minutes with childcare as primary or secondary
        activity, each minute once), as BLS and HETUS publish them.
    diary_policy
        Diaries that do not sum to 1,440 minutes: ``"error"``, ``"report"``
        (a warning and the report; default) or ``"keep"`` (report only).

    Raises
    ------
    TimeUseError
        Negative or missing durations, overlapping episodes, duplicate person
        ids, persons without a diary, diaries without a person, missing or
        non-positive weights, several days per person without ``diary=``,
        two diaries of one person and day type.
    """
    for col in [id, code] + [c for c in (duration, start, end, secondary) if c]:
        if col not in episodes.columns:
            raise TimeUseError(f"episode table: column {col!r} not found "
                               f"(columns: {list(episodes.columns)[:12]})")
    _validate_persons(persons, id, weights)
    ep = episodes.reset_index(drop=True)
    unit_of, units = _diary_units(ep, id, diary, day_type, day_weights)
    if start and end:
        s = pd.to_numeric(ep[start], errors="coerce")
        e = pd.to_numeric(ep[end], errors="coerce")
        if s.isna().any() or e.isna().any():
            raise TimeUseError(f"episode table: {int((s.isna() | e.isna()).sum())} episodes have "
                               "missing or non-numeric start/end times")
        dur = (e - s) % DIARY_MINUTES
        dur = dur.where(~((dur == 0) & (e != s)), DIARY_MINUTES)
        order = np.lexsort((s.to_numpy(), unit_of))
        sid = unit_of[order]
        ss, ee = s.to_numpy()[order], (s + dur).to_numpy()[order]
        same = sid[1:] == sid[:-1]
        overlap = same & (ss[1:] < ee[:-1])
        if overlap.any():
            first = units["person"].to_numpy()[sid[1:][overlap][:3]].tolist()
            raise TimeUseError(f"episode table: {int(overlap.sum())} episodes overlap the "
                               f"previous episode of the same diary (ids {first})")
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
    unit_index = pd.RangeIndex(len(units))
    unit_total = pd.Series(np.bincount(unit_of, weights=minutes, minlength=len(units)),
                           index=unit_index)
    if diary is None:
        several = unit_total >= 2 * DIARY_MINUTES
        if several.any():
            ids = units.loc[several, "person"].head(3).tolist()
            raise TimeUseError(
                f"{int(several.sum())} persons have 2,880 or more minutes of episodes (first "
                f"ids: {ids}; most: {unit_total.max():,.0f}): a diary day has 1,440, so these "
                f"are several diary days under one id; pass diary= (the column numbering each "
                f"person's diaries) and day_type=")
    system = resolve(code_system, icatus=icatus)
    cw = crosswalk or (bls_table1_crosswalk() if system.name == "atus" else None)
    work = pd.DataFrame({"id": unit_of, "code": ep[code].to_numpy(), "dur": minutes})
    checkable = system.crosswalk is not None or system.maps_to_icatus
    unknown = system.check(work["code"], minutes) if checkable else None
    if cw is not None:
        cats = cw.aggregate(work, id_col="id", code_col="code", minutes_col="dur",
                            ids=unit_index)
        unmapped = cw.unmapped(work["code"], minutes)
    else:
        cats = pd.DataFrame(index=unit_index)
        unmapped = unknown if unknown is not None else pd.DataFrame(
            columns=["code", "rows", "minutes"])
    report = _diary_report(unit_total, unmapped, diary_policy)
    per_unit = [cats]
    cols = list(cats.columns)
    if icatus:
        ic = _icatus_minutes(work["code"], minutes, unit_of, unit_index, system)
        ic["unpaid_care_work"] = ic["icatus_3"] + ic["icatus_4"]
        per_unit.append(ic)
        cols += [*sorted(c for c in ic.columns if c != "unpaid_care_work"), "unpaid_care_work"]
    if secondary is not None:
        if not system.maps_to_icatus:
            raise TimeUseError("secondary= needs a code system that maps to ICATUS 2016 "
                               "(childcare is ICATUS 41)")
        sec_cc, any_cc, sec_missing = _secondary_minutes(
            ep[secondary], system.icatus(work["code"]), minutes, system)
        report = dataclasses.replace(report, missing_secondary=int(sec_missing.sum()),
                                     missing_secondary_minutes=float(minutes[sec_missing].sum()))
        if sec_missing.any() and diary_policy != "keep":
            warnings.warn(
                f"{int(sec_missing.sum())} episodes ({minutes[sec_missing].sum():,.0f} minutes) "
                f"have a missing secondary-activity code ({list(SECONDARY_MISSING)} in "
                f"{secondary!r}); they count as no secondary activity, so secondary childcare "
                "may be understated (see report.missing_secondary)", stacklevel=2)
        per_unit.append(pd.DataFrame({
            "secondary_childcare": np.bincount(unit_of, weights=sec_cc, minlength=len(units)),
            "any_childcare": np.bincount(unit_of, weights=any_cc, minlength=len(units))},
            index=unit_index))
        cols += ["secondary_childcare", "any_childcare"]
    table = pd.concat([*per_unit, unit_total.rename("diary_minutes")], axis=1)
    clash = [c for c in table.columns if c in persons.columns]
    if clash:
        raise TimeUseError(f"person table already has columns named like activity categories "
                           f"{clash[:5]}; rename them before reading the diary")
    w = units["weight"].to_numpy()
    weighted = table.mul(w, axis=0)
    weighted["__w"] = w
    sums = weighted.groupby(units["person"].to_numpy(), sort=False).sum()
    per_person = sums.drop(columns="__w").div(sums["__w"], axis=0).reindex(person_ids)
    if diary is not None and day_type is not None:
        kinds = units.groupby("person")["day_type"].nunique()
        partial = int((kinds < len(dict(DAY_WEIGHTS if day_weights is None else day_weights)))
                      .sum())
        report = dataclasses.replace(report, partial_weeks=partial)
    out = persons.set_index(id, drop=False).join(per_person).reset_index(drop=True)
    design, note = make_design(out, weights=weights, strata=strata, psu=psu, fpc=fpc,
                               replicates=replicates, method=method)
    return TimeUseSurvey(persons=out, design=design, variance=note, report=report,
                         source=source, activity_columns=tuple(cols), code_system=system.name)


Units = Literal["minutes_per_day", "hours_per_day", "hours_per_week", "minutes_per_week"]
TO_MINUTES_PER_DAY: dict[str, float] = {
    "minutes_per_day": 1.0, "hours_per_day": 60.0, "hours_per_week": 60.0 / 7.0,
    "minutes_per_week": 1.0 / 7.0,
}
FIT_TOLERANCE = 1e-6
"""Minutes by which a person's converted total may exceed 1,440 (floating-point rounding only)."""


def from_persons(
    persons: pd.DataFrame,
    *,
    activities: Sequence[str] | dict[str, str],
    units: Units,
    id: str = "id",
    weights: str = "weight",
    strata: str | None = None,
    psu: str | None = None,
    fpc: str | None = None,
    replicates: str | Sequence[str] | None = None,
    method: str = "sdr",
    unpaid_care: Sequence[str] | None = None,
    domestic: Sequence[str] | None = None,
    care: Sequence[str] | None = None,
    diary_policy: DiaryPolicy = "keep",
    source: str = "person table",
) -> TimeUseSurvey:
    """Build a :class:`TimeUseSurvey` from person-level time per activity group.

    For stylised surveys (questions such as "how many hours did you spend
    cooking last week?", e.g. the ENUT of Chile and Mexico) and for person
    summaries of diaries.  Every activity column is converted to minutes
    per (average) day.

    Parameters
    ----------
    persons
        One row per respondent.
    activities
        Activity columns, or a mapping ``{column: new_name}``.  Missing values
        are an error (no zero-fill).
    units
        The unit of **all** activity columns: ``"minutes_per_day"``,
        ``"hours_per_day"``, ``"hours_per_week"`` (divided by 7 and x 60) or
        ``"minutes_per_week"`` (divided by 7).  Required: a week of hours
        read as minutes per day fits in a day (168 < 1,440), so no check on
        the data could catch the wrong unit (it gives an SDG 5.4.1 share
        8.6 times too small).
    unpaid_care
        Columns (after renaming) whose sum is unpaid domestic and care work
        (the SDG 5.4.1 numerator), stored as ``unpaid_care_work``.
    domestic, care
        Alternatively, the unpaid domestic-service columns (ICATUS 3) and
        the unpaid caregiving columns (ICATUS 4), stored as ``icatus_3`` and
        ``icatus_4`` with ``unpaid_care_work`` their sum (the SDG database
        publishes the two separately and together).
    diary_policy
        As :func:`from_episodes`; the diary total is the sum of the given
        activity columns (a partial list of activities is normal here, so the
        default is ``"keep"``).

    Raises
    ------
    TimeUseError
        An unknown unit; missing, non-numeric or negative values; a person
        whose activities add up to more than 24 hours a day once converted
        (the message names the rows and their totals).
    """
    if units not in TO_MINUTES_PER_DAY:
        raise TimeUseError(f"units must be one of {sorted(TO_MINUTES_PER_DAY)}; got {units!r}")
    _validate_persons(persons, id, weights)
    mapping = dict(activities) if isinstance(activities, dict) else {a: a for a in activities}
    missing = [c for c in mapping if c not in persons.columns]
    if missing:
        raise TimeUseError(f"person table: activity columns {missing} not found")
    out = persons.rename(columns=mapping).reset_index(drop=True)
    cols = list(mapping.values())
    factor = TO_MINUTES_PER_DAY[units]
    for c in cols:
        v = pd.to_numeric(out[c], errors="coerce")
        if v.isna().any():
            raise TimeUseError(f"person table: {int(v.isna().sum())} missing or non-numeric "
                               f"values in activity column {c!r}")
        if (v < 0).any():
            raise TimeUseError(f"person table: {int((v < 0).sum())} negative values in {c!r}")
        out[c] = v.astype(float) * factor
    total = out[cols].sum(axis=1)
    over = total > DIARY_MINUTES + FIT_TOLERANCE
    if over.any():
        rows = np.flatnonzero(over.to_numpy())
        shown = ", ".join(f"{out[id].iloc[r]!r} ({total.iloc[r] / factor:,.1f} "
                          f"{units.replace('_', ' ')} = {total.iloc[r]:,.0f} min/day)"
                          for r in rows[:5])
        raise TimeUseError(
            f"{len(rows)} persons' activities add up to more than 24 hours a day with "
            f"units={units!r} (ids: {shown}); check the unit, or the columns (an activity "
            f"listed twice, a total column among the activities)")
    groups = {"domestic": domestic, "care": care, "unpaid_care": unpaid_care}
    for name, g in groups.items():
        bad = [c for c in (g or []) if c not in cols]
        if bad:
            raise TimeUseError(f"{name} columns {bad} are not activity columns {cols}")
    if unpaid_care and (domestic or care):
        raise TimeUseError("give unpaid_care= or domestic=/care=, not both")
    sums = {}
    if domestic or care:
        sums["icatus_3"] = out[list(domestic or [])].sum(axis=1)
        sums["icatus_4"] = out[list(care or [])].sum(axis=1)
        sums["unpaid_care_work"] = sums["icatus_3"] + sums["icatus_4"]
    elif unpaid_care:
        sums["unpaid_care_work"] = out[list(unpaid_care)].sum(axis=1)
    clash = [c for c in sums if c in cols]
    if clash:
        raise TimeUseError(f"activity columns may not be named {clash}; rename them")
    for k, v in sums.items():
        out[k] = v
    cols += list(sums)
    out["diary_minutes"] = total
    report = _diary_report(total, pd.DataFrame(columns=["code", "rows", "minutes"]), diary_policy)
    design, note = make_design(out, weights=weights, strata=strata, psu=psu, fpc=fpc,
                               replicates=replicates, method=method)
    return TimeUseSurvey(persons=out, design=design, variance=note, report=report,
                         source=source, activity_columns=tuple(cols))
