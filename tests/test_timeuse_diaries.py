"""Several diaries per person (MTUS, HETUS: a weekday and a weekend day) and secondary activities.

Before issue 18, a person-level id over two diary days summed to 2,880 minutes silently, and a
secondary activity column could not be used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecost.timeuse import TimeUseError, from_episodes, sdg_541

PERSONS = pd.DataFrame({"id": [1, 2], "sex": ["female", "male"], "w": [1.0, 3.0]})


def _day(pid: int, diary: int, day: str, cook: int, child: int) -> pd.DataFrame:
    """An MTUS diary: sleep (2), cooking (18), physical child care (28), TV (59)."""
    return pd.DataFrame({"id": pid, "diary": diary, "day": day, "main": [2, 18, 28, 59],
                         "dur": [480, cook, child, 960 - cook - child]})


def _two_days() -> pd.DataFrame:
    return pd.concat([_day(1, 1, "weekday", 60, 60), _day(1, 2, "weekend", 120, 200),
                      _day(2, 1, "Weekday", 0, 0), _day(2, 2, "WEEKEND", 70, 0)],
                     ignore_index=True)


def _read(ep: pd.DataFrame, **kw) -> pd.DataFrame:
    args = {"code": "main", "duration": "dur", "weights": "w", "code_system": "mtus69",
            "diary": "diary", "day_type": "day"} | kw
    return from_episodes(ep, PERSONS, **args)


def test_weekday_and_weekend_are_weighted_5_7_and_2_7() -> None:
    s = _read(_two_days())
    p = s.persons.set_index("id")
    assert p.loc[1, "icatus_4"] == pytest.approx((5 * 60 + 2 * 200) / 7)
    assert p.loc[1, "icatus_3"] == pytest.approx((5 * 60 + 2 * 120) / 7)
    assert p.loc[2, "unpaid_care_work"] == pytest.approx(2 * 70 / 7)
    assert p["diary_minutes"].tolist() == [1440.0, 1440.0]  # an average day, not 2,880
    assert s.report.persons == 4 and s.report.complete == 4 and s.report.partial_weeks == 0
    est = sdg_541(s, population=None).set_index("sex")["estimate"]
    assert est["female"] == pytest.approx(100 * (5 * 120 + 2 * 320) / 7 / 1440)


def test_the_surveys_own_day_weights() -> None:
    ep = _two_days().assign(day=lambda f: np.where(f["diary"] == 1, "mon", "sun"))
    s = _read(ep, day_weights={"mon": 1.0, "sun": 1.0})
    assert s.persons.set_index("id").loc[1, "icatus_4"] == pytest.approx((60 + 200) / 2)
    with pytest.raises(TimeUseError, match=r"day_type values \['sun'\] have no weight"):
        _read(ep, day_weights={"mon": 1.0})
    with pytest.raises(TimeUseError, match="must be a positive number"):
        _read(ep, day_weights={"mon": 1.0, "sun": 0})


def test_two_diaries_of_the_same_day_type_are_an_error() -> None:
    ep = _two_days()
    ep.loc[ep["id"].eq(1) & ep["diary"].eq(2), "day"] = "weekday"
    with pytest.raises(TimeUseError, match=r"1 persons have two diaries of the same day type"):
        _read(ep)


def test_several_days_under_one_id_without_diary_is_an_error() -> None:
    with pytest.raises(TimeUseError, match=r"2,880 or more minutes.*pass diary="):
        from_episodes(_two_days(), PERSONS, code="main", duration="dur", weights="w",
                      code_system="mtus69")
    with pytest.raises(TimeUseError, match=r"several diaries .* pass day_type="):
        _read(_two_days(), day_type=None)


def test_one_day_type_only_is_counted_and_averaged_over_the_days_there_are() -> None:
    ep = _two_days()
    ep = ep[~(ep["id"].eq(2) & ep["diary"].eq(2))]
    s = _read(ep)
    assert s.report.partial_weeks == 1
    assert s.persons.set_index("id").loc[2, "unpaid_care_work"] == 0.0


def test_each_diary_is_validated_on_its_own() -> None:
    ep = _two_days()
    ep.loc[(ep["id"] == 1) & (ep["diary"] == 2) & (ep["main"] == 59), "dur"] -= 100
    with pytest.warns(UserWarning, match="1 fewer"):
        s = _read(ep)
    assert s.report.short == 1 and s.report.min_minutes == 1340
    assert s.persons.set_index("id").loc[1, "diary_minutes"] == pytest.approx(1440 - 200 / 7)
    mixed = _two_days()
    mixed.loc[0, "day"] = "weekend"
    with pytest.raises(TimeUseError, match="1 diaries have episodes of different day types"):
        _read(mixed)


def test_start_and_end_times_restart_in_each_diary() -> None:
    ep = _two_days()
    ep["start"] = ep.groupby(["id", "diary"])["dur"].cumsum() - ep["dur"]
    ep["end"] = ep["start"] + ep["dur"]
    a = _read(ep, duration=None, start="start", end="end")
    b = _read(ep)
    pd.testing.assert_frame_equal(a.persons, b.persons)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), min_size=2, max_size=2),
       st.floats(0.1, 10), st.floats(0.1, 10))
def test_person_average_is_the_weighted_mean_of_the_days(days, wd, we) -> None:
    (c1, k1), (c2, k2) = days
    ep = pd.concat([_day(1, 1, "weekday", c1, k1), _day(1, 2, "weekend", c2, k2),
                    _day(2, 1, "weekday", 0, 0)], ignore_index=True)
    s = _read(ep, day_weights={"weekday": wd, "weekend": we}, diary_policy="keep")
    got = s.persons.set_index("id").loc[1, "unpaid_care_work"]
    assert got == pytest.approx((wd * (c1 + k1) + we * (c2 + k2)) / (wd + we))


# ------------------------------------------------------------------ secondary activities
def test_secondary_childcare_and_any_childcare() -> None:
    # person 1: cooking 60 with child care as secondary, child care 60 with child care as
    # secondary (not counted twice), TV 300 with -7 (none); person 2: TV with -8, sleep with -9
    ep = pd.concat([_day(1, 1, "weekday", 60, 60), _day(2, 1, "weekday", 0, 0)],
                   ignore_index=True)
    ep["sec"] = [-7, 28, 30, -7, -9, -7, -7, -8]
    # -8/-9 (missing: not known whether there was a secondary activity) are counted, not silent
    with pytest.warns(UserWarning, match=r"2 episodes \(1,440 minutes\) have a missing "
                                         r"secondary-activity code"):
        s = _read(ep, secondary="sec")
    assert (s.report.missing_secondary, s.report.missing_secondary_minutes) == (2, 1440.0)
    assert "2 episodes (1,440 minutes) with a missing secondary" in s.report.summary()
    p = s.persons.set_index("id")
    assert p.loc[1, "secondary_childcare"] == pytest.approx(60.0)
    assert p.loc[1, "any_childcare"] == pytest.approx(120.0)
    assert p.loc[2, ["secondary_childcare", "any_childcare"]].tolist() == [0.0, 0.0]
    # primary activities only (official 5.4.1)
    assert p.loc[1, "unpaid_care_work"] == pytest.approx(120.0)
    res = sdg_541(s, secondary_childcare="secondary_childcare", population=None).set_index("sex")
    assert res.loc["female", "estimate"] == pytest.approx(100 * 180 / 1440)
    # HETUS style: 0 or blank for none
    ep2 = ep.assign(sec=[0, 28, 30, np.nan, 0, 0, 0, 0])
    s2 = _read(ep2, secondary="sec")
    assert s2.report.missing_secondary == 0
    assert _read(ep).report.missing_secondary is None  # no secondary= given
    p2 = s2.persons.set_index("id")
    assert p2.loc[1, "secondary_childcare"] == pytest.approx(60.0)


def test_secondary_codes_of_another_system_are_an_error() -> None:
    from carecost.timeuse import ClassificationError

    ep = pd.concat([_day(1, 1, "weekday", 60, 60), _day(2, 1, "weekday", 0, 0)],
                   ignore_index=True)
    ep["sec"] = [381, 381, 381, 381, 381, 381, 381, 381]  # HETUS codes in an MTUS file
    with pytest.raises(ClassificationError, match="code_system='mtus69'"):
        _read(ep, secondary="sec")
    with pytest.raises(TimeUseError, match="column 'nope' not found"):
        _read(ep, secondary="nope")
