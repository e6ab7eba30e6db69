"""Reading American Time Use Survey (U.S. BLS) microdata.

This version reads the abridged per-person-per-activity form distributed by
the R package ``atus`` (Gramieri and Wang 2018; files ``atusact``,
``atusresp``, ``atuscps``) as Parquet.  Each respondent's minutes are
classified into BLS Table 1 rows and ICATUS 2016 codes.  The file has no
replicate weights, so the design is weights-only and its standard errors
treat respondents as independent with-replacement draws (stated in every
result); the official BLS files with TUFNWGTP001–160 give SDR standard
errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from carecost.survey import Design, SurveyDesign

from .classification import Crosswalk, bls_table1_crosswalk, icatus_crosswalk

ABRIDGED_FILES = ("atusact.parquet", "atusresp.parquet", "atuscps.parquet")
DIARY_MINUTES = 1440


class TimeUseError(ValueError):
    """Time-use input that cannot be used as given."""


@dataclass(frozen=True)
class DiaryReport:
    """What validation found in the diaries (nothing is dropped or rescaled)."""

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
            f"{len(self.unmapped_codes)} activity codes outside the Table 1 crosswalk"
        )


@dataclass(frozen=True)
class TimeUseSurvey:
    """A person-level time-use table with its sample design.

    Attributes
    ----------
    persons
        One row per respondent: covariates, ``diary_minutes`` (sum of the
        diary) and one column of minutes per day for each activity category
        (BLS Table 1 rows; ICATUS 2016 major divisions as ``icatus_1`` ...
        ``icatus_9``; ``unpaid_care_work`` = ICATUS 3 + 4, the SDG 5.4.1
        numerator).
    design
        The survey design over ``persons``.
    variance
        How standard errors are computed (stated in results).
    report
        Diary validation.
    source
        Where the data came from.
    """

    persons: pd.DataFrame
    design: SurveyDesign
    variance: str
    report: DiaryReport
    source: str
    activity_columns: tuple[str, ...]


def _check_dir(path: Path) -> None:
    missing = [f for f in ABRIDGED_FILES if not (path / f).exists()]
    if missing:
        raise TimeUseError(
            f"{path}: not an ATUS directory: missing {missing}. read_atus reads the abridged "
            f"Parquet form ({', '.join(ABRIDGED_FILES)})"
        )


def read_atus(path: str | Path, *, crosswalk: Crosswalk | None = None) -> TimeUseSurvey:
    """Read ATUS microdata into a :class:`TimeUseSurvey`.

    Parameters
    ----------
    path
        Directory holding ``atusact.parquet``, ``atusresp.parquet`` and
        ``atuscps.parquet`` (the abridged form of the R package ``atus``).
    crosswalk
        ATUS lexicon to Table 1 rows; default: the shipped BLS crosswalk.

    Returns
    -------
    TimeUseSurvey
        Minutes per day per respondent by activity; a weights-only
        :class:`~carecost.survey.Design` on ``wt`` (TUFNWGTP).

    Notes
    -----
    Validation is reported, never repaired: the abridged file dropped
    activity code 50 ("unable to code"), so diaries can sum to less than
    1,440 minutes (``report``); respondents without activity rows, activity
    rows without a respondent, duplicate ids and non-positive weights are
    errors.
    """
    p = Path(path)
    _check_dir(p)
    act = pd.read_parquet(p / "atusact.parquet")
    resp = pd.read_parquet(p / "atusresp.parquet")
    cps = pd.read_parquet(p / "atuscps.parquet")
    for name, df in (("atusresp", resp), ("atuscps", cps)):
        dup = int(df["tucaseid"].duplicated().sum())
        if dup:
            raise TimeUseError(f"{name}: {dup} duplicate tucaseid values")
    persons = resp.merge(cps, on="tucaseid", how="outer", indicator=True, validate="1:1")
    bad = persons["_merge"] != "both"
    if bad.any():
        raise TimeUseError(
            f"{int(bad.sum())} respondents are in only one of atusresp/atuscps "
            f"(first ids: {persons.loc[bad, 'tucaseid'].head(3).tolist()})"
        )
    persons = persons.drop(columns="_merge").set_index("tucaseid")
    orphan = ~act["tucaseid"].isin(persons.index)
    if orphan.any():
        raise TimeUseError(f"{int(orphan.sum())} activity rows have no respondent record")
    if (act["dur"] < 0).any():
        raise TimeUseError(f"{int((act['dur'] < 0).sum())} activity rows have negative minutes")
    nodiary = ~persons.index.isin(act["tucaseid"])
    if nodiary.any():
        raise TimeUseError(f"{int(nodiary.sum())} respondents have no diary rows")
    w = persons["wt"]
    if w.isna().any() or (w <= 0).any():
        raise TimeUseError(
            f"weights (wt): {int(w.isna().sum())} missing and {int((w <= 0).sum())} non-positive"
        )
    cw = crosswalk or bls_table1_crosswalk()
    table1 = cw.aggregate(act, id_col="tucaseid", code_col="tiercode", minutes_col="dur",
                          ids=persons.index)
    icw = icatus_crosswalk()
    ic = icw.recode(act["tiercode"]).to_numpy()
    major = pd.Series(ic).str[0]
    ic_frame = pd.DataFrame({"tucaseid": act["tucaseid"].to_numpy(),
                             "major": major.fillna("unclassified").to_numpy(),
                             "dur": act["dur"].to_numpy()})
    icat = ic_frame.pivot_table(index="tucaseid", columns="major", values="dur", aggfunc="sum",
                                fill_value=0).reindex(persons.index, fill_value=0)
    icat.columns = [f"icatus_{c}" for c in icat.columns]
    for k in range(1, 10):
        if f"icatus_{k}" not in icat.columns:
            icat[f"icatus_{k}"] = 0.0
    diary = act.groupby("tucaseid")["dur"].sum().reindex(persons.index)
    persons = persons.join(table1).join(icat.astype(float))
    persons["unpaid_care_work"] = persons["icatus_3"] + persons["icatus_4"]
    persons["diary_minutes"] = diary.astype(float)
    report = DiaryReport(
        persons=len(persons),
        complete=int((diary == DIARY_MINUTES).sum()),
        short=int((diary < DIARY_MINUTES).sum()),
        long=int((diary > DIARY_MINUTES).sum()),
        min_minutes=float(diary.min()),
        mean_minutes=float(diary.mean()),
        unmapped_codes=cw.unmapped(act["tiercode"], act["dur"].to_numpy()),
    )
    persons = persons.reset_index()
    variance = (
        "weights-only design on TUFNWGTP (the abridged file has no replicate weights): "
        "respondents treated as independent with-replacement draws, which ignores ATUS's "
        "stratification and clustering"
    )
    design = Design(persons, weights="wt")
    cols = (*table1.columns, *sorted(c for c in icat.columns), "unpaid_care_work")
    return TimeUseSurvey(persons=persons, design=design, variance=variance, report=report,
                         source=f"ATUS 2003-2016 (abridged, R package atus) from {p}",
                         activity_columns=tuple(cols))


def weekend_or_holiday(persons: pd.DataFrame) -> np.ndarray:
    """True for diaries on a Saturday, Sunday or holiday (BLS "weekends and holidays").

    The abridged file gives the diary date (``tuyear``, ``diary_mo``, ``diary_day`` =
    day of the month) and a ``holiday`` flag.
    """
    date = pd.to_datetime(pd.DataFrame({"year": persons["tuyear"], "month": persons["diary_mo"],
                                        "day": persons["diary_day"]}))
    hol = persons["holiday"].astype(str).to_numpy() == "yes"
    return np.asarray((date.dt.day_of_week >= 5).to_numpy() | hol)
