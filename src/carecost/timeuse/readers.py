"""Readers for harmonised diary files: MTUS episode files and HETUS slot diaries.

- :func:`read_mtus`: Multinational Time Use Study (CTUR) / IPUMS-MTUS harmonised
  episode files (one row per episode; ``main`` and ``sec`` coded in the 69 MTUS main
  activities; ``day`` 1 = Sunday ... 7 = Saturday; missing codes -7/-8/-9), as CSV,
  Parquet or Stata (labelled values are read as codes).
- :func:`read_hetus`: HETUS-style wide diaries (one row per diary day, one column per
  10-minute slot, 144 slots, for the main and optionally the secondary activity,
  coded in the HETUS 2008 activity coding list).

Both build long episode tables and go through :func:`carecost.timeuse.from_episodes`
with ``diary=``, ``day_type=`` and ``secondary=``, so each person's minutes per day
are the weekday/weekend-weighted mean of their diaries (5/7 and 2/7 by default).

References
----------
Fisher, K., Gershuny, J. et al. (2020). *Multinational Time Use Study User Guide*,
Release 7.0, Centre for Time Use Research.  Eurostat (2009). *Harmonised European
Time Use Surveys - 2008 Guidelines*, KS-RA-08-014-EN.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .io import read_table
from .survey import DIARY_MINUTES, DiaryPolicy, TimeUseError, TimeUseSurvey, from_episodes

MTUS_MISSING = (-7, -8, -9)
MTUS_WEEKEND = (1, 7)
"""MTUS ``day``: 1 = Sunday, 2 = Monday, ..., 7 = Saturday."""
HETUS_WEEKEND = (6, 7)
"""HETUS ``DIADAY``: 1 = Monday ... 7 = Sunday."""


def _frame(data: pd.DataFrame | str | Path) -> pd.DataFrame:
    return data if isinstance(data, pd.DataFrame) else read_table(data)


def _require(df: pd.DataFrame, cols: Sequence[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise TimeUseError(f"{what}: columns {missing} not found (columns: "
                           f"{list(df.columns)[:15]})")


def _person_table(rows: pd.DataFrame, pid: str, cols: Sequence[str], what: str) -> pd.DataFrame:
    """One row per person from a file with one row per episode or diary; ``cols`` must be
    constant within a person (an error names the first that is not)."""
    g = rows.groupby(pid, sort=False)
    for c in cols:
        varying = g[c].nunique(dropna=False) > 1
        if varying.any():
            raise TimeUseError(
                f"{what}: {c!r} differs between the rows of {int(varying.sum())} persons (first "
                f"ids: {varying[varying].index[:3].tolist()}); give persons= with one row per "
                f"person (e.g. the individual weight)")
    return g[list(cols)].first().reset_index()


def _joined_id(df: pd.DataFrame, cols: Sequence[str]) -> pd.Series:
    """The columns that identify a person joined as text (11.0 and 11 give the same id)."""
    parts = []
    for c in cols:
        v = df[c]
        if pd.api.types.is_float_dtype(v.dtype) and (v.dropna() == np.round(v.dropna())).all():
            v = v.astype("Int64")
        parts.append(v.astype(str))
    return pd.concat(parts, axis=1).agg("-".join, axis=1)


WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Keys of ``day_weights`` that weight diaries by day of the week (instead of weekday/weekend)."""


def _day_type(day: pd.Series, weekend: Sequence[int], what: str,
              day_weights: dict[str, float] | None = None, monday: int = 1) -> np.ndarray:
    """``"weekday"``/``"weekend"`` per row, or the day name (``"mon"`` ... ``"sun"``) when
    ``day_weights`` is keyed by day names; ``monday`` is the code of Monday (MTUS 2, HETUS 1)."""
    d = pd.to_numeric(day, errors="coerce")
    bad = d.isna() | ~d.isin(range(1, 8))
    if bad.any():
        raise TimeUseError(f"{what}: {int(bad.sum())} rows have a day of the week outside 1-7 "
                           f"(first: {day[bad].head(3).tolist()}; missing codes are not allowed)")
    if day_weights is not None and set(day_weights) <= set(WEEKDAY_NAMES):
        names = np.array(WEEKDAY_NAMES)
        return names[((d.to_numpy(dtype=int) - monday) % 7)]
    return np.where(d.isin(list(weekend)), "weekend", "weekday")


def read_mtus(
    episodes: pd.DataFrame | str | Path,
    persons: pd.DataFrame | None = None,
    *,
    person: Sequence[str] = ("country", "survey", "hldid", "persid"),
    diary: str = "diary",
    day: str = "day",
    main: str = "main",
    sec: str | None = "sec",
    duration: str = "time",
    weights: str = "propwt",
    covariates: Sequence[str] = ("sex", "age"),
    day_weights: dict[str, float] | None = None,
    diary_policy: DiaryPolicy = "report",
) -> TimeUseSurvey:
    """Read an MTUS harmonised episode file (several diaries per person).

    Parameters
    ----------
    episodes
        A DataFrame or a file (CSV, Parquet, Stata; labelled Stata values
        are read as their codes).
    persons
        Optional person table with the columns of ``person`` and
        ``weights``; default: built from the episodes (``weights`` and
        ``covariates`` must then be constant within a person).
    person
        Columns that together identify a person (joined into ``person_id``).
    diary, day
        Diary number and day of the week (1 = Sunday ... 7 = Saturday;
        Saturdays and Sundays are weekend days).
    main, sec
        Main and secondary activity (MTUS 69 main activities); secondary
        -7 means none; -8/-9 (missing) are read as none and counted in
        ``report.missing_secondary``.  A missing main activity is an error.
    duration
        Episode length in minutes.
    covariates
        Person columns kept (MTUS ``sex``: 1 = man, 2 = woman, recoded to
        ``"male"``/``"female"``; -7/-8/-9 become missing).
    day_weights
        As :func:`~carecost.timeuse.from_episodes` (default weekday 5/7,
        weekend 2/7); keyed by day names (``{"mon": 1, ..., "sun": 1}``, a
        subset of ``"mon"`` ... ``"sun"``) the diaries are weighted by day of
        the week, so a person may have diaries of two different weekdays.
    """
    ep = _frame(episodes).copy()
    ep.columns = [str(c).lower() for c in ep.columns]
    person, diary, day, main = [c.lower() for c in person], diary.lower(), day.lower(), main.lower()
    sec = sec.lower() if sec else None
    duration, weights = duration.lower(), weights.lower()
    covariates = [c.lower() for c in covariates]
    _require(ep, [*person, diary, day, main, duration, *([sec] if sec else [])], "MTUS episodes")
    m = pd.to_numeric(ep[main], errors="coerce")
    text = m.isna() & ep[main].notna()
    if text.any():
        raise TimeUseError(
            f"MTUS episodes: {int(text.sum())} main activities are not numeric codes (first: "
            f"{ep.loc[text, main].astype(str).head(3).tolist()}); value labels instead of codes? "
            "read Stata/SPSS files with carecost.timeuse.read_table(path) (labels=False)")
    missing_main = m.isna() | m.isin(MTUS_MISSING)
    if missing_main.any():
        raise TimeUseError(f"MTUS episodes: {int(missing_main.sum())} episodes have a missing "
                           f"main activity ({main!r} empty or -7/-8/-9); MTUS codes unrecorded "
                           "time as 69 (no recorded activity)")
    ep["person_id"] = _joined_id(ep, person)
    ep["day_type"] = _day_type(ep[day], MTUS_WEEKEND, "MTUS episodes", day_weights, monday=2)
    for c in covariates:
        if c in ep.columns:
            ep[c] = pd.to_numeric(ep[c], errors="coerce").where(lambda v: ~v.isin(MTUS_MISSING))
    if persons is None:
        _require(ep, [weights], "MTUS episodes")
        keep = [weights, *[c for c in covariates if c in ep.columns]]
        per = _person_table(ep, "person_id", keep, "MTUS episodes")
    else:
        per = persons.copy()
        per.columns = [str(c).lower() for c in per.columns]
        _require(per, [*person, weights], "MTUS persons")
        per["person_id"] = _joined_id(per, person)
    if "sex" in per.columns:
        per["sex"] = per["sex"].map({1: "male", 2: "female"})
    return from_episodes(
        ep, per, id="person_id", code=main, duration=duration, weights=weights,
        code_system="mtus69", diary=diary, day_type="day_type", day_weights=day_weights,
        secondary=sec, diary_policy=diary_policy, source="MTUS harmonised episode file",
    )


def _slot_columns(df: pd.DataFrame, spec: str | Sequence[str], what: str) -> list[str]:
    if isinstance(spec, str):
        pat = re.compile(rf"^{re.escape(spec)}_?(\d+)$", re.IGNORECASE)
        found = sorted(((int(mt.group(1)), c) for c in df.columns
                        if (mt := pat.match(str(c)))), key=lambda t: t[0])
        cols = [c for _, c in found]
        if not cols:
            raise TimeUseError(f"HETUS diaries: no {what} slot columns named {spec}1, "
                               f"{spec}2, ...")
        nums = [n for n, _ in found]
        if nums != list(range(nums[0], nums[0] + len(nums))):
            raise TimeUseError(f"HETUS diaries: {what} slot columns are not consecutive "
                               f"({spec}{nums[0]}..{spec}{nums[-1]}, {len(nums)} columns)")
        return cols
    cols = list(spec)
    _require(df, cols, "HETUS diaries")
    return cols


def read_hetus(
    diaries: pd.DataFrame | str | Path,
    persons: pd.DataFrame | None = None,
    *,
    id: str = "PID",
    diary: str = "DIARY",
    day: str = "DIADAY",
    main: str | Sequence[str] = "MACT",
    secondary: str | Sequence[str] | None = None,
    weights: str = "WGHT",
    covariates: Sequence[str] = ("SEX", "AGE"),
    slot_minutes: int = 10,
    day_weights: dict[str, float] | None = None,
    diary_policy: DiaryPolicy = "error",
) -> TimeUseSurvey:
    """Read HETUS wide diaries: one row per diary day, one column per time slot.

    Parameters
    ----------
    diaries
        A DataFrame or a file.  One row per (person, diary day).
    persons
        Optional person table (``id``, ``weights``, covariates); default:
        built from the diaries (then ``weights`` and ``covariates`` must be
        constant within a person).
    id, diary, day
        Person id, diary number, day of the week (1 = Monday ... 7 =
        Sunday; Saturday and Sunday are weekend days).
    main, secondary
        The slot columns of the main (and secondary) activity: a prefix
        (``"MACT"`` finds MACT1 ... MACT144, in slot order) or the list of
        columns (e.g. named by clock time, "04:00", "04:10", ...).  Codes are
        HETUS 2008 ACL (3 digits); a secondary slot that is empty or 0 has
        no secondary activity.
    weights, covariates
        Person weight and person columns kept (HETUS ``SEX`` 1 = male,
        2 = female is copied to ``sex`` as ``"male"``/``"female"``, ``AGE``
        to ``age``).
    slot_minutes
        Length of a slot (10 in HETUS: 144 slots make the day).  The number
        of main slots times ``slot_minutes`` must be 1,440.
    day_weights
        As :func:`read_mtus`: weekday/weekend (default 5/7 and 2/7) or by day
        name (``"mon"`` ... ``"sun"``; HETUS ``DIADAY`` 1 = Monday).
    diary_policy
        As :func:`~carecost.timeuse.from_episodes` (default ``"error"``: a
        slot diary that leaves slots empty is not a complete day).

    Raises
    ------
    TimeUseError
        Slots that do not make 24 hours, empty main-activity slots (counted
        per diary), and every error of :func:`~carecost.timeuse.from_episodes`.
    """
    df = _frame(diaries)
    _require(df, [id, diary, day], "HETUS diaries")
    mcols = _slot_columns(df, main, "main-activity")
    if len(mcols) * slot_minutes != DIARY_MINUTES:
        raise TimeUseError(f"HETUS diaries: {len(mcols)} slots of {slot_minutes} minutes make "
                           f"{len(mcols) * slot_minutes} minutes, not 1,440")
    scols = _slot_columns(df, secondary, "secondary-activity") if secondary is not None else []
    if scols and len(scols) != len(mcols):
        raise TimeUseError(f"HETUS diaries: {len(mcols)} main but {len(scols)} secondary slots")
    empty = df[mcols].isna()
    if empty.to_numpy().any():
        rows = np.flatnonzero(empty.any(axis=1).to_numpy())
        first = df.iloc[rows[:3]][[id, diary]].to_numpy().tolist()
        raise TimeUseError(
            f"HETUS diaries: {len(rows)} diaries have empty main-activity slots "
            f"({int(empty.sum().sum())} slots; first (id, diary): {first}); a diary must code "
            "every slot (HETUS codes unspecified time as 99x)")
    k = len(mcols)
    ep = pd.DataFrame({
        "pid": np.repeat(df[id].to_numpy(), k),
        "diary": np.repeat(df[diary].to_numpy(), k),
        "day_type": np.repeat(_day_type(df[day], HETUS_WEEKEND, "HETUS diaries", day_weights,
                                        monday=1), k),
        "code": df[mcols].to_numpy().ravel(),
        "dur": float(slot_minutes),
    })
    if scols:
        ep["sec"] = df[scols].to_numpy().ravel()
    keep = [c for c in (weights, *covariates) if c in df.columns]
    if persons is None:
        _require(df, [weights], "HETUS diaries")
        per = _person_table(df, id, keep, "HETUS diaries")
    else:
        per = persons.copy()
    if "SEX" in per.columns and "sex" not in per.columns:
        per["sex"] = per["SEX"].map({1: "male", 2: "female"})  # HETUS SEX: 1 male, 2 female
    if "AGE" in per.columns and "age" not in per.columns:
        per["age"] = per["AGE"]
    return from_episodes(
        ep, per.rename(columns={id: "pid"}), id="pid", code="code", duration="dur",
        weights=weights, code_system="hetus2008", diary="diary", day_type="day_type",
        day_weights=day_weights, secondary="sec" if scols else None, diary_policy=diary_policy,
        source="HETUS slot diaries",
    )
