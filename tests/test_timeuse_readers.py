"""read_hetus (wide 10-minute slot diaries) and read_mtus (episode files), and labelled Stata.

The HETUS diaries are synthetic, built so that their weekday/weekend-weighted means equal the
published Eurostat HETUS 2010 figures for Finland (tus_00age, ages TOTAL, time spent, minutes
per day), so the reader is checked against a real reference table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carecost.paths import shared_data_dir
from carecost.timeuse import (
    TimeUseError,
    read_hetus,
    read_mtus,
    read_table,
    sdg_541,
)

HETUS = shared_data_dir() / "hetus" / "tus_00age.parquet"
PER_SEX = 10


def _published(country: str = "FI") -> dict[str, dict[str, int]]:
    if not HETUS.exists():
        pytest.skip(f"{HETUS} not available (Eurostat HETUS aggregates)")
    h = pd.read_parquet(HETUS)
    h = h[(h["TIME_PERIOD"] == 2010) & (h["geo"] == country) & (h["unit"] == "TIME_SP")
          & (h["age"] == "TOTAL")]
    v = h.set_index(["sex", "acl00"])["value_minutes"]
    return {s: {c: int(v[(s, c)]) for c in ("AC3", "AC38A", "AC38B", "AC342", "AC938")}
            for s in ("F", "M")}


def _split(total: int, i: int, shift: int) -> int:
    """Minutes (a multiple of 10) for person i so that PER_SEX persons average ``total``."""
    base, r = 10 * (total // 10), total % 10
    return base + 10 * (((i + shift) % PER_SEX) < r)


def _slot_diaries(pub: dict[str, dict[str, int]]) -> pd.DataFrame:
    rows = []
    for sx, (sex_code, first) in {"F": (2, 1), "M": (1, 101)}.items():
        p = pub[sx]
        other = p["AC3"] - p["AC38A"] - p["AC38B"] - p["AC342"]  # household care -> 311
        for i in range(PER_SEX):
            for diary, day, shift in ((1, 3, 0), (2, 7, 3)):  # a Wednesday and a Sunday
                mins = {311: _split(other, i, shift), 381: _split(p["AC38A"], i, shift + 1),
                        382: _split(p["AC38B"], i, shift + 2), 938: _split(p["AC938"], i, shift)}
                slots = [c for c, m in mins.items() for _ in range(m // 10)]
                slots += [11] * (144 - len(slots))  # sleep fills the day
                sec = [381 if c == 311 and k % 2 == 0 else 0 for k, c in enumerate(slots)]
                rows.append({"PID": first + i, "DIARY": diary, "DIADAY": day, "SEX": sex_code,
                             "AGE": 30 + i, "WGHT": 1.0,
                             **{f"MACT{k + 1}": c for k, c in enumerate(slots)},
                             **{f"SACT{k + 1}": c for k, c in enumerate(sec)}})
    return pd.DataFrame(rows)


def test_hetus_slot_diaries_reproduce_the_published_finnish_figures() -> None:
    pub = _published("FI")
    s = read_hetus(_slot_diaries(pub), secondary="SACT")
    assert s.code_system == "hetus2008" and s.report.persons == 4 * PER_SEX
    means = s.persons.groupby("sex")[["icatus_3", "icatus_4", "unpaid_care_work",
                                      "diary_minutes"]].mean()
    for sx, name in (("F", "female"), ("M", "male")):
        p = pub[sx]
        # ICATUS 4 = childcare (AC38A + AC38B) + transporting a child (AC938)
        assert means.loc[name, "icatus_4"] == pytest.approx(p["AC38A"] + p["AC38B"] + p["AC938"])
        # SDG 5.4.1 numerator = AC3 without tending domestic animals (AC342) + AC938
        assert means.loc[name, "unpaid_care_work"] == pytest.approx(
            p["AC3"] - p["AC342"] + p["AC938"])
        assert means.loc[name, "diary_minutes"] == pytest.approx(1440)
    res = sdg_541(s).set_index("sex")
    assert res.loc["female", "estimate"] == pytest.approx(100 * (212 + 3) / 1440)
    assert (means.loc["female", "unpaid_care_work"], means.loc["male", "unpaid_care_work"]) == (
        pytest.approx(215), pytest.approx(139))
    # secondary childcare: every other household-care slot (311) has childcare as secondary
    assert (s.persons["any_childcare"] >= s.persons["secondary_childcare"]).all()
    assert s.persons["secondary_childcare"].gt(0).all()


def test_hetus_slot_columns_by_clock_time_and_bad_diaries() -> None:
    pub = {"F": {"AC3": 100, "AC38A": 20, "AC38B": 0, "AC342": 0, "AC938": 0},
           "M": {"AC3": 50, "AC38A": 0, "AC38B": 0, "AC342": 0, "AC938": 0}}
    df = _slot_diaries(pub).drop(columns=[f"SACT{k}" for k in range(1, 145)])
    clock = [f"{(4 + k // 6) % 24:02d}:{10 * (k % 6):02d}" for k in range(144)]
    by_clock = df.rename(columns={f"MACT{k + 1}": clock[k] for k in range(144)})
    a = read_hetus(by_clock, main=clock)
    b = read_hetus(df)
    pd.testing.assert_frame_equal(a.persons, b.persons)
    with pytest.raises(TimeUseError, match="143 slots of 10 minutes make 1430 minutes"):
        read_hetus(df.drop(columns="MACT144"))
    with pytest.raises(TimeUseError, match="not consecutive"):
        read_hetus(df.drop(columns="MACT7"))
    holes = df.copy()
    holes.loc[0, "MACT5"] = np.nan
    with pytest.raises(TimeUseError, match=r"1 diaries have empty main-activity slots"):
        read_hetus(holes)
    two_sundays = df.assign(DIADAY=7)
    with pytest.raises(TimeUseError, match="two diaries of the same day type"):
        read_hetus(two_sundays)
    varying = df.assign(WGHT=np.arange(len(df), dtype=float) + 1)
    with pytest.raises(TimeUseError, match="'WGHT' differs between the rows"):
        read_hetus(varying)


# ------------------------------------------------------------------ MTUS
def _mtus_episodes() -> pd.DataFrame:
    rows = []
    for pid, sex in ((1, 2), (2, 1)):
        for diary, day in ((1, 2), (2, 1)):  # a Monday and a Sunday (MTUS day 1 = Sunday)
            cook = 60 if diary == 1 else 130
            for main, sec, mins in ((2, -7, 480), (18, 28 if sex == 2 else -8, cook),
                                    (59, -9, 960 - cook)):
                rows.append({"country": 37, "survey": 2005, "hldid": 10 + pid, "persid": 1,
                             "diary": diary, "day": day, "sex": sex, "age": 40,
                             "propwt": 1.0, "main": main, "sec": sec, "time": mins})
    return pd.DataFrame(rows)


def test_read_mtus_weighs_weekday_and_sunday() -> None:
    with pytest.warns(UserWarning, match="6 episodes .* missing secondary-activity code"):
        s = read_mtus(_mtus_episodes())
    assert s.report.missing_secondary == 6  # -8 and -9 of the fixture (-7 = none: not counted)
    p = s.persons.set_index("sex")
    assert p.loc["female", "icatus_3"] == pytest.approx((5 * 60 + 2 * 130) / 7)
    assert p.loc["female", "secondary_childcare"] == pytest.approx((5 * 60 + 2 * 130) / 7)
    assert p.loc["male", "secondary_childcare"] == 0
    assert s.code_system == "mtus69"
    bad = _mtus_episodes()
    bad.loc[1, "main"] = -8
    with pytest.raises(TimeUseError, match="1 episodes have a missing main activity"):
        read_mtus(bad)


def test_labelled_stata_keeps_codes(tmp_path: Path) -> None:
    """Before issue 18, read_table replaced codes by labels ("food preparation, cooking") and
    the classification failed; codes are now kept and the labels are in attrs."""
    pyreadstat = pytest.importorskip("pyreadstat")
    ep = _mtus_episodes()
    labels = {2: "sleep and naps", 18: "food preparation, cooking", 59: "watch TV, video, DVD"}
    f = tmp_path / "mtus.dta"
    pyreadstat.write_dta(ep, str(f), variable_value_labels={"main": labels,
                                                             "sex": {1: "man", 2: "woman"}})
    got = read_table(f)
    assert sorted(got["main"].unique()) == [2, 18, 59]
    assert got.attrs["value_labels"]["main"][18] == "food preparation, cooking"
    as_labels = read_table(f, labels=True)
    assert "food preparation, cooking" in set(as_labels["main"].astype(str))
    s = read_mtus(f, diary_policy="keep")
    pd.testing.assert_frame_equal(s.persons, read_mtus(ep, diary_policy="keep").persons,
                                  check_dtype=False)
    with pytest.raises(TimeUseError, match="value labels instead of codes"):
        read_mtus(as_labels.assign(sex=ep["sex"]))
