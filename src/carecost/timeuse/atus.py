"""Reading American Time Use Survey (U.S. BLS) microdata, in both forms it comes in.

- The official BLS multi-year files, as BLS distributes them: comma-separated
  ``.dat`` files with a header row (activity file ``atusact_*.dat``: one row
  per episode, TUCASEID, TUACTIVITY_N, TRCODEP, TUACTDUR24, ...; respondent
  file ``atusresp_*.dat`` with TUFNWGTP; replicate weights ``atuswgts_*.dat``
  with TUFNWGTP001-TUFNWGTP160; the ATUS-CPS file ``atuscps_*.dat`` with
  PESEX, PRTAGE, ...), in a directory or inside their zip archives.  With the
  replicate weights the design is a successive-difference
  :class:`~carecost.survey.ReplicateDesign` (160 replicates, scale 4/160,
  centred on the full-sample estimate), as the ATUS User's Guide prescribes.
- The abridged per-person-per-activity form of the R package ``atus``
  (Gramieri and Wang 2018) as Parquet: no replicate weights, so a
  weights-only design whose approximation is stated in every result.

Reference: U.S. Bureau of Labor Statistics, *American Time Use Survey User's
Guide: Understanding ATUS 2003 to 2023*, chapters 3 (data files) and 7
(weights and variance estimation).
"""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .classification import Crosswalk
from .io import read_errors, read_table
from .survey import DiaryPolicy, TimeUseError, TimeUseSurvey, from_episodes

ABRIDGED_FILES = ("atusact.parquet", "atusresp.parquet", "atuscps.parquet")
DIARY_MINUTES = 1440
OFFICIAL_STEMS = {
    "act": ("atusact",),
    "resp": ("atusresp",),
    "cps": ("atuscps",),
    "wgts": ("atuswgts", "atusrepwgt"),
    "rost": ("atusrost",),
}
REPLICATES = r"^TUFNWGTP\d{3}$"


def _read_abridged(path: Path, *, crosswalk: Crosswalk | None = None,
                   diary_policy: DiaryPolicy = "keep") -> TimeUseSurvey:
    """Read the abridged (R package ``atus``) Parquet form.

    The file dropped activity code 50 ("unable to code"), so diaries can sum
    to less than 1,440 minutes: counted in ``report``, never rescaled.
    """
    act = read_table(path / "atusact.parquet")
    resp = read_table(path / "atusresp.parquet")
    cps = read_table(path / "atuscps.parquet")
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
    persons = persons.drop(columns="_merge")
    persons["sex"] = persons["sex"].astype(str)
    persons["year"] = persons["tuyear"]
    persons["age_group"] = age_groups(persons["age"])
    young = persons["hh_child_youngest_age"]
    has_child = persons["hh_child"].astype(str) == "yes"
    persons["household_children"] = household_children(has_child, young)
    persons["youngest_child"] = np.where(
        ~has_child, "none", np.where(young < 6, "0-5", np.where(young < 13, "6-12", "13-17")))
    persons["employed"] = persons["labor_status"].astype(str).str.startswith("employed")
    ptft = persons["ptft"].astype(str)
    persons["employment"] = np.where(
        ~persons["employed"], "not employed",
        np.where(ptft == "FT", "employed full time",
                 np.where(ptft == "PT", "employed part time", "employed, hours unknown")))
    survey = from_episodes(
        act, persons, id="tucaseid", code="tiercode", duration="dur", weights="wt",
        crosswalk=crosswalk, diary_policy=diary_policy,
        source=(f"ATUS 2003-2016 (abridged by the R package atus) from {path} (age: the "
                "ATUS-CPS age of the package's atuscps table, PRTAGE, 2-5 months before the "
                "diary day; BLS tabulates the diary-day age TEAGE, not in this file)"),
    )
    note = (
        "weights-only design on TUFNWGTP (the abridged file has no replicate weights): "
        "respondents treated as independent with-replacement draws, which ignores ATUS's "
        "stratification and clustering"
    )
    return TimeUseSurvey(persons=survey.persons,
                         design=survey.design.with_weights_unit("person_days"), variance=note,
                         report=survey.report, source=survey.source,
                         activity_columns=survey.activity_columns, weights_unit="person_days",
                         code_system=survey.code_system)


AGE_GROUPS = ("15-24", "25-34", "35-44", "45-54", "55-64", "65+")
HOUSEHOLD_CHILDREN = ("under 6", "6-17", "none")
"""Presence and age of the youngest household child (under 18) as in BLS ATUS Tables 8 and 9:
youngest under 6, youngest 6 to 17, no household children under 18."""


def household_children(has_child: pd.Series | np.ndarray, youngest_age: pd.Series | np.ndarray
                       ) -> np.ndarray:
    """BLS groups of the youngest household child: ``"under 6"``, ``"6-17"`` or ``"none"``.

    Parameters
    ----------
    has_child
        True where the respondent lives with a household child under 18 (ATUS TRHHCHILD).
    youngest_age
        Age in years of the youngest household child under 18 (ATUS TRYHHCHILD; ignored
        where ``has_child`` is false).

    Raises
    ------
    TimeUseError
        A respondent with household children whose youngest child's age is missing or
        outside 0-17.
    """
    has = np.asarray(has_child, dtype=bool)
    age = pd.to_numeric(pd.Series(np.asarray(youngest_age)), errors="coerce").to_numpy()
    bad = has & ~((age >= 0) & (age < 18))
    if bad.any():
        raise TimeUseError(f"{int(bad.sum())} respondents with household children have no age "
                           "of the youngest child in 0-17")
    return np.where(~has, "none", np.where(age < 6, "under 6", "6-17"))


def age_groups(age: pd.Series) -> np.ndarray:
    """The age groups of BLS ATUS tables (15-24, 25-34, ..., 55-64, 65+)."""
    a = pd.to_numeric(age, errors="coerce")
    if a.isna().any():
        raise TimeUseError(f"age has {int(a.isna().sum())} missing or non-numeric values")
    cut = pd.cut(a, [14, 24, 34, 44, 54, 64, np.inf], labels=list(AGE_GROUPS))
    if cut.isna().any():
        raise TimeUseError(f"{int(cut.isna().sum())} respondents are younger than 15")
    return np.asarray(cut.astype(str))


def _find_official(path: Path) -> dict[str, tuple[Path, str | None]]:
    """Locate the official files: ``{kind: (file, member-in-zip or None)}``."""
    found: dict[str, tuple[Path, str | None]] = {}
    with read_errors(path, "folder"):
        entries = sorted(path.iterdir())
    for kind, stems in OFFICIAL_STEMS.items():
        pat = re.compile(rf"^({'|'.join(stems)})[_-]?\d*\.dat$", re.IGNORECASE)
        zpat = re.compile(rf"^({'|'.join(stems)})[_-]?\d*\.zip$", re.IGNORECASE)
        for f in entries:
            if pat.match(f.name):
                found[kind] = (f, None)
                break
        if kind in found:
            continue
        for f in entries:
            if zpat.match(f.name):
                with read_errors(f, "zip"), zipfile.ZipFile(f) as zf:
                    members = [m for m in zf.namelist() if pat.match(Path(m).name)]
                if not members:
                    raise TimeUseError(f"{f}: zip archive holds no {stems[0]}*.dat file")
                found[kind] = (f, members[0])
                break
    return found


def _read_dat(entry: tuple[Path, str | None], usecols: list[str] | None = None) -> pd.DataFrame:
    f, member = entry
    if member is None:
        return read_table(f, columns=usecols)
    with (read_errors(f, "csv", member=member), zipfile.ZipFile(f) as zf,
          zf.open(member) as fh):
        return pd.read_csv(io.BytesIO(fh.read()), usecols=usecols)


def _require(df: pd.DataFrame, cols: list[str], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise TimeUseError(f"{what}: columns {missing} not found; is this a BLS ATUS file?")


def _diary_day_age(persons: pd.DataFrame, files: dict[str, tuple[Path, str | None]]
                   ) -> tuple[pd.Series, str]:
    """The respondent's age on the diary day (TEAGE) where a file has it, else PRTAGE.

    BLS tabulates ATUS by TEAGE, the edited age at the ATUS interview (in the roster file
    ``atusrost``, line 1, and in some respondent extracts); PRTAGE is the age at the last CPS
    interview, 2-5 months earlier, which moves respondents across age-group boundaries.
    """
    if "TEAGE" in persons.columns:
        age = pd.to_numeric(persons["TEAGE"], errors="coerce")
        where = "respondent file"
    elif "rost" in files:
        rost = _read_dat(files["rost"])
        _require(rost, ["TUCASEID", "TULINENO", "TEAGE"], files["rost"][0].name)
        line1 = rost[rost["TULINENO"] == 1]
        if line1["TUCASEID"].duplicated().any():
            raise TimeUseError(f"{files['rost'][0].name}: several line-1 records per TUCASEID")
        age = persons["TUCASEID"].map(line1.set_index("TUCASEID")["TEAGE"])
        where = files["rost"][0].name
    else:
        return persons["PRTAGE"], ("age: PRTAGE, the CPS age 2-5 months before the diary day; "
                                   "add atusrost for TEAGE")
    if age.isna().any():
        raise TimeUseError(f"{int(age.isna().sum())} respondents have no TEAGE in {where}")
    return age, f"age: TEAGE (diary day) from {where}"


def _read_official(
    path: Path, files: dict[str, tuple[Path, str | None]], *, crosswalk: Crosswalk | None,
    diary_policy: DiaryPolicy,
) -> TimeUseSurvey:
    missing = [k for k in ("act", "resp", "cps") if k not in files]
    if missing:
        names = {k: OFFICIAL_STEMS[k][0] for k in missing}
        raise TimeUseError(f"{path}: official ATUS files not found: {sorted(names.values())} "
                           "(.dat or .zip)")
    act = _read_dat(files["act"])
    _require(act, ["TUCASEID", "TUACTIVITY_N", "TRCODEP", "TUACTDUR24"], files["act"][0].name)
    resp = _read_dat(files["resp"])
    _require(resp, ["TUCASEID", "TUFNWGTP"], files["resp"][0].name)
    cps = _read_dat(files["cps"])
    _require(cps, ["TUCASEID", "TULINENO", "PESEX", "PRTAGE"], files["cps"][0].name)
    dup = act.duplicated(["TUCASEID", "TUACTIVITY_N"])
    if dup.any():
        raise TimeUseError(f"activity file: {int(dup.sum())} duplicate (TUCASEID, TUACTIVITY_N)")
    resp_cps = cps[cps["TULINENO"] == 1][["TUCASEID", "PESEX", "PRTAGE"] + [
        c for c in ("GEREG", "GTMETSTA", "PTDTRACE") if c in cps.columns]]
    persons = resp.merge(resp_cps, on="TUCASEID", how="left", validate="1:1", indicator=True)
    nocps = persons["_merge"] != "both"
    if nocps.any():
        raise TimeUseError(f"{int(nocps.sum())} respondents have no ATUS-CPS record for line 1")
    persons = persons.drop(columns="_merge")
    sex = persons["PESEX"].map({1: "male", 2: "female"})
    if sex.isna().any():
        raise TimeUseError(f"PESEX has values other than 1 and 2: "
                           f"{sorted(persons.loc[sex.isna(), 'PESEX'].unique())[:5]}")
    persons["sex"] = sex
    persons["age"], age_note = _diary_day_age(persons, files)
    persons["age_group"] = age_groups(persons["age"])
    if "TUYEAR" in persons.columns:
        persons["year"] = persons["TUYEAR"]
    if "TUDIARYDAY" in persons.columns:
        persons["weekend_or_holiday"] = persons["TUDIARYDAY"].isin([1, 7]) | (
            persons.get("TRHOLIDAY", 0) == 1)
    if "GTMETSTA" in persons.columns:
        persons["urban"] = persons["GTMETSTA"].map({1: "urban", 2: "rural", 3: "not identified"})
    if "TRCHILDNUM" in persons.columns and "TRYHHCHILD" in persons.columns:
        persons["household_children"] = household_children(
            persons["TRCHILDNUM"] > 0, persons["TRYHHCHILD"])
    if "TELFS" in persons.columns:
        employed = persons["TELFS"].isin([1, 2])
        ftpt = persons["TRDPFTPT"] if "TRDPFTPT" in persons.columns else pd.Series(
            -1, index=persons.index)
        persons["employed"] = employed
        persons["employment"] = np.where(
            ~employed, "not employed",
            np.where(ftpt == 1, "employed full time",
                     np.where(ftpt == 2, "employed part time", "employed, hours unknown")))
    if "TRTCC" in persons.columns:
        persons["secondary_childcare"] = persons["TRTCC"].clip(lower=0).astype(float)
    persons = persons.copy()
    replicates = None
    if "wgts" in files:
        w = _read_dat(files["wgts"])
        rep_cols = [c for c in w.columns if re.match(REPLICATES, c)]
        if len(rep_cols) != 160:
            raise TimeUseError(f"{files['wgts'][0].name}: expected 160 replicate weights "
                               f"TUFNWGTP001-160, found {len(rep_cols)}")
        if w["TUCASEID"].duplicated().any():
            raise TimeUseError(f"{files['wgts'][0].name}: duplicate TUCASEID values")
        norep = ~persons["TUCASEID"].isin(w["TUCASEID"])
        if norep.any():
            raise TimeUseError(f"{int(norep.sum())} respondents have no replicate weights")
        reps = w.set_index("TUCASEID").loc[persons["TUCASEID"], rep_cols].reset_index(drop=True)
        persons = pd.concat([persons.reset_index(drop=True), reps], axis=1)
        replicates = rep_cols
    ep = pd.DataFrame({"TUCASEID": act["TUCASEID"], "code": act["TRCODEP"],
                       "dur": act["TUACTDUR24"]})
    survey = from_episodes(
        ep, persons, id="TUCASEID", code="code", duration="dur", weights="TUFNWGTP",
        replicates=replicates, method="sdr", crosswalk=crosswalk, diary_policy=diary_policy,
        source=f"ATUS official files in {path} ({age_note})",
    )
    return dataclasses.replace(survey, weights_unit="person_days")


def read_atus(
    path: str | Path, *, crosswalk: Crosswalk | None = None, diary_policy: DiaryPolicy = "keep",
) -> TimeUseSurvey:
    """Read ATUS microdata, official BLS files or the abridged Parquet form.

    Parameters
    ----------
    path
        A directory holding either the official BLS files (``atusact_*.dat``,
        ``atusresp_*.dat``, ``atuscps_*.dat`` and, for SDR standard errors,
        ``atuswgts_*.dat``; each may be inside its ``.zip``), or the abridged
        ``atusact.parquet``, ``atusresp.parquet``, ``atuscps.parquet``.
    crosswalk
        ATUS lexicon to categories; default: BLS Table 1 rows.
    diary_policy
        Diaries that do not sum to 1,440 minutes: ``"error"``, ``"report"``
        (warn) or ``"keep"`` (default; counted in ``survey.report``).

    Returns
    -------
    TimeUseSurvey
        Minutes per day per respondent by activity and the design: a
        160-replicate SDR :class:`~carecost.survey.ReplicateDesign` when the
        replicate weights are present, otherwise a weights-only
        :class:`~carecost.survey.Design` (stated in ``survey.variance``).
    """
    p = Path(path)
    if not p.is_dir():
        raise TimeUseError(f"{p}: not a directory")
    if all((p / f).exists() for f in ABRIDGED_FILES):
        return _read_abridged(p, crosswalk=crosswalk, diary_policy=diary_policy)
    files = _find_official(p)
    if files:
        return _read_official(p, files, crosswalk=crosswalk, diary_policy=diary_policy)
    raise TimeUseError(
        f"{p}: no ATUS files found; expected the official BLS files (atusact_*.dat, "
        f"atusresp_*.dat, atuscps_*.dat, optionally atuswgts_*.dat, or their .zip archives) "
        f"or the abridged Parquet files ({', '.join(ABRIDGED_FILES)})"
    )


def weekend_or_holiday(persons: pd.DataFrame) -> np.ndarray:
    """True for diaries on a Saturday, Sunday or holiday (BLS "weekends and holidays").

    The abridged file gives the diary date (``tuyear``, ``diary_mo``, ``diary_day`` =
    day of the month) and a ``holiday`` flag.
    """
    date = pd.to_datetime(pd.DataFrame({"year": persons["tuyear"], "month": persons["diary_mo"],
                                        "day": persons["diary_day"]}))
    hol = persons["holiday"].astype(str).to_numpy() == "yes"
    return np.asarray((date.dt.day_of_week >= 5).to_numpy() | hol)
