"""Bad input (issue 18): codes of an unknown system, diaries of mixed lengths, hours that exceed
a day, a person with two diaries of the same day, missing codes -- each a clear error or a
reported count, never a silent number.  Some cases are also tested where the feature lives
(test_timeuse_codes, _diaries, _readers, _stylised); this file is the catalogue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carecost.timeuse import (
    ClassificationError,
    TimeUseError,
    from_episodes,
    from_persons,
    read_hetus,
    read_mtus,
)


def _mtus(days: list[tuple[int, int, int, list[tuple[int, int, int]]]]) -> pd.DataFrame:
    """MTUS episodes from (person, diary, day, [(main, sec, minutes), ...])."""
    rows = []
    for pid, diary, day, eps in days:
        for main, sec, mins in eps:
            rows.append({"country": 37, "survey": 2005, "hldid": pid, "persid": 1,
                         "diary": diary, "day": day, "sex": 2 - pid % 2, "age": 30 + pid,
                         "propwt": 1.0, "main": main, "sec": sec, "time": mins})
    return pd.DataFrame(rows)


DAY = [(2, -7, 480), (18, -7, 120), (59, -7, 840)]  # sleep, cooking, TV: 1,440 minutes


def test_codes_of_an_unknown_system() -> None:
    ep = pd.DataFrame({"id": [1, 1, 2, 2], "code": [101, 202, 101, 202],
                       "dur": [1000, 440, 1000, 440]})
    persons = pd.DataFrame({"id": [1, 2], "weight": 1.0})
    with pytest.raises(ClassificationError, match="not one carecost ships a crosswalk for"):
        from_episodes(ep, persons, duration="dur", code_system="enut_mexico")
    # codes of one system declared as another: an error, not SDG 5.4.1 = 0%
    mtus = _mtus([(1, 1, 2, DAY), (2, 1, 2, DAY)])
    with pytest.raises(ClassificationError, match="do not look like code_system='hetus2008'"):
        from_episodes(mtus.assign(id=mtus["hldid"]), mtus.drop_duplicates("hldid").assign(
            id=lambda f: f["hldid"], weight=1.0)[["id", "weight"]], code="main",
            duration="time", code_system="hetus2008")


def test_diaries_of_mixed_lengths_are_counted_or_refused() -> None:
    short = [(2, -7, 480), (18, -7, 120), (59, -7, 780)]  # 1,380 minutes
    long = [(2, -7, 480), (18, -7, 120), (59, -7, 900)]   # 1,500 minutes
    ep = _mtus([(1, 1, 2, DAY), (2, 1, 2, short), (3, 1, 2, long)])
    with pytest.warns(UserWarning, match=r"3 diaries: 1 sum to 1,440 minutes, 1 fewer "
                                         r"\(minimum 1380.*1 more"):
        s = read_mtus(ep, sec=None)
    assert (s.report.complete, s.report.short, s.report.long) == (1, 1, 1)
    np.testing.assert_allclose(s.persons["diary_minutes"], [1440, 1380, 1500])  # not rescaled
    with pytest.raises(TimeUseError, match="2 diaries do not sum to 1,440"):
        read_mtus(ep, sec=None, diary_policy="error")
    # HETUS slot diaries: the slot count fixes the length; a short row is an error
    slots = pd.DataFrame([{"PID": 1, "DIARY": 1, "DIADAY": 3, "WGHT": 1.0,
                           **{f"MACT{k}": 11 for k in range(1, 145)}},
                          {"PID": 2, "DIARY": 1, "DIADAY": 3, "WGHT": 1.0,
                           **{f"MACT{k}": 11 for k in range(1, 140)}}])
    with pytest.raises(TimeUseError, match="1 diaries have empty main-activity slots"):
        read_hetus(slots)


def test_hours_that_exceed_a_day() -> None:
    df = pd.DataFrame({"id": [1, 2], "weight": 1.0, "work": [10.0, 9.0],
                       "care": [15.0, 2.0]})
    with pytest.raises(TimeUseError, match=r"1 persons' activities add up to more than 24 hours"):
        from_persons(df, activities=["work", "care"], units="hours_per_day")
    # two days of episodes under one id (no diary=): refused
    ep = _mtus([(1, 1, 2, DAY), (1, 2, 1, DAY), (2, 1, 2, DAY)])
    persons = pd.DataFrame({"id": [1, 2], "weight": 1.0})
    with pytest.raises(TimeUseError, match="1 persons have 2,880 or more minutes"):
        from_episodes(ep.assign(id=ep["hldid"]), persons, code="main", duration="time",
                      code_system="mtus69")


def test_a_person_with_two_diaries_of_the_same_day() -> None:
    two_mondays = _mtus([(1, 1, 2, DAY), (1, 2, 2, DAY), (2, 1, 2, DAY)])
    with pytest.raises(TimeUseError, match="1 persons have two diaries of the same day type"):
        read_mtus(two_mondays)
    # a Monday and a Tuesday are two weekdays: refused with weekday/weekend weights, read with
    # weights by day of the week (a survey that kept two weekdays says how to weight them)
    mon_tue = _mtus([(1, 1, 2, DAY), (1, 2, 3, [(2, -7, 480), (18, -7, 240), (59, -7, 720)]),
                     (2, 1, 2, DAY)])
    with pytest.raises(TimeUseError, match="give day_weights= by day of week"):
        read_mtus(mon_tue)
    week = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 1.0)
    s = read_mtus(mon_tue, day_weights=week)
    p = s.persons.set_index("person_id")
    assert p.loc["37-2005-1-1", "icatus_3"] == pytest.approx((120 + 240) / 2)
    assert s.report.partial_weeks == 2  # nobody has all seven days: counted
    with pytest.raises(TimeUseError, match="1 persons have two diaries of the same day type"):
        read_mtus(two_mondays, day_weights=week)


def test_missing_codes() -> None:
    ep = pd.DataFrame({"id": [1, 1, 2, 2], "code": [10101, np.nan, 10101, 20101],
                       "dur": [1000, 440, 1000, 440]})
    persons = pd.DataFrame({"id": [1, 2], "weight": 1.0})
    with pytest.raises(ClassificationError, match="1 activity codes are missing"):
        from_episodes(ep, persons, duration="dur")
    with pytest.raises(TimeUseError, match="1 missing or non-numeric durations"):
        from_episodes(ep.assign(code=10101, dur=[1000, np.nan, 1000, 440]), persons,
                      duration="dur")
    # MTUS: a missing main activity is an error; a missing secondary code is counted
    bad_main = _mtus([(1, 1, 2, [(2, -7, 480), (-9, -7, 120), (59, -7, 840)]),
                      (2, 1, 2, DAY)])
    with pytest.raises(TimeUseError, match="1 episodes have a missing main activity"):
        read_mtus(bad_main)
    sec = _mtus([(1, 1, 2, [(2, -7, 480), (18, -8, 120), (59, -9, 840)]), (2, 1, 2, DAY)])
    with pytest.warns(UserWarning, match=r"2 episodes \(960 minutes\) have a missing secondary"):
        s = read_mtus(sec)
    assert s.report.missing_secondary == 2
    # a missing day of the week (MTUS -8) is an error too
    with pytest.raises(TimeUseError, match="1 rows have a day of the week outside 1-7"):
        read_mtus(_mtus([(1, 1, 2, DAY), (2, 1, 2, DAY)]).assign(
            day=[2, 2, 2, 2, 2, -8]))
