"""Code systems are explicit: ICATUS 2016 (SDG 5.4.1) only through the declared system's crosswalk.

Before issue 18, MTUS- or HETUS-coded diaries went through the ATUS-to-ICATUS crosswalk and gave
``unpaid_care_work = 0`` for every diary (SDG 5.4.1 = 0%) with no error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecost.errors import CarecostInputError
from carecost.paths import shared_data_dir
from carecost.timeuse import (
    ClassificationError,
    Crosswalk,
    from_episodes,
    icatus2016,
    icatus_crosswalk,
    sdg_541,
)

ICATUS_CODES = set(icatus2016()["code"])


def _persons(n: int) -> pd.DataFrame:
    return pd.DataFrame({"id": range(1, n + 1), "sex": ["female", "male"] * (n // 2) + [
        "female"] * (n % 2), "w": 1.0})


def _twice(ep: pd.DataFrame) -> pd.DataFrame:
    """The same diary for persons 1 and 2 (a design needs two respondents)."""
    return pd.concat([ep.assign(id=1), ep.assign(id=2)], ignore_index=True)


def _mtus_day() -> pd.DataFrame:
    """Two MTUS diaries: 8 h sleep (2), 2 h cooking (18), 1 h child care (28), rest TV (59)."""
    rows = []
    for pid, (cook, child) in ((1, (120, 60)), (2, (30, 0))):
        rows += [(pid, 2, 480), (pid, 18, cook), (pid, 28, child),
                 (pid, 59, 1440 - 480 - cook - child)]
    return pd.DataFrame(rows, columns=["id", "main", "dur"])


def test_mtus_codes_declared_as_atus_are_an_error_not_zero_percent() -> None:
    ep = _mtus_day()
    with pytest.raises(ClassificationError, match="do not look like code_system='atus'") as e:
        from_episodes(ep, _persons(2), code="main", duration="dur", weights="w")
    assert "mtus69" in str(e.value) and "Crosswalk.from_csv" in str(e.value)
    assert isinstance(e.value, CarecostInputError)


def test_mtus_codes_through_the_mtus_crosswalk() -> None:
    s = from_episodes(_mtus_day(), _persons(2), code="main", duration="dur", weights="w",
                      code_system="mtus69")
    p = s.persons.set_index("id")
    assert s.code_system == "mtus69"
    assert p["icatus_3"].tolist() == [120.0, 30.0]
    assert p["icatus_4"].tolist() == [60.0, 0.0]
    assert p["unpaid_care_work"].tolist() == [180.0, 30.0]
    assert p["icatus_9"].tolist() == [480.0, 480.0]
    assert "Household activities" not in p.columns  # the BLS rows are for ATUS codes only
    res = sdg_541(s, population=None).set_index("sex")
    assert res.loc["female", "estimate"] == pytest.approx(100 * 180 / 1440)


def test_hetus_codes() -> None:
    persons = _persons(2)
    # 011 sleep (as the integer 11), 311 food preparation, 381 childcare, 342 tending animals
    ep = _twice(pd.DataFrame({"act": [11, 311, 381, 342, 821], "dur": [500, 100, 50, 30, 760]}))
    s = from_episodes(ep, persons, code="act", duration="dur", weights="w",
                      code_system="hetus2008")
    p = s.persons.iloc[0]
    assert (p["icatus_9"], p["icatus_3"], p["icatus_4"], p["icatus_2"]) == (500, 100, 50, 30)
    with pytest.raises(ClassificationError, match="do not look like code_system='atus'"):
        from_episodes(ep, persons, code="act", duration="dur", weights="w")
    with pytest.raises(ClassificationError,
                       match=r"more than 2 digits .* for code_system='mtus69'"):
        from_episodes(ep, persons, code="act", duration="dur", weights="w",
                      code_system="mtus69")


def test_unknown_system_needs_a_crosswalk(tmp_path: Path) -> None:
    ep = _twice(pd.DataFrame({"act": [1, 2], "dur": [1000, 440]}))
    with pytest.raises(ClassificationError, match="supply a crosswalk from your codes to ICATUS"):
        from_episodes(ep, _persons(2), code="act", duration="dur", weights="w",
                      code_system="enut_mexico")
    f = tmp_path / "mine.csv"
    f.write_text("prefix,icatus\n1,91\n2,31\n")
    cw = Crosswalk.from_csv(f, target="icatus", include=None, kind="recode", code_width=1)
    s = from_episodes(ep, _persons(2), code="act", duration="dur", weights="w",
                      code_system=cw)
    assert s.persons["unpaid_care_work"].tolist() == [440.0, 440.0]
    assert s.code_system == "mine"
    # a category crosswalk only, no ICATUS: accepted with icatus=False
    cats = Crosswalk.from_csv(f, target="icatus", include=None, name="cats", code_width=1)
    s2 = from_episodes(ep, _persons(2), code="act", duration="dur", weights="w",
                       code_system="enut_mexico", icatus=False, crosswalk=cats)
    assert "unpaid_care_work" not in s2.persons.columns and s2.persons["31"].tolist() == [440, 440]
    bad = tmp_path / "bad.csv"
    bad.write_text("prefix,icatus\n1,sleep\n")
    with pytest.raises(ClassificationError, match="targets must be ICATUS 2016 codes"):
        from_episodes(ep, _persons(2), code="act", duration="dur", weights="w",
                      code_system=Crosswalk.from_csv(bad, target="icatus", include=None,
                                                     kind="recode", code_width=1))
    with pytest.raises(ClassificationError, match="kind='recode'"):
        from_episodes(ep, _persons(2), code="act", duration="dur", weights="w",
                      code_system=Crosswalk.from_csv(f, target="icatus", include=None))


def test_icatus_coded_diaries() -> None:
    ep = _twice(pd.DataFrame({"act": ["911", "31", "4", "412", "84"],
                              "dur": [480, 100, 20, 40, 800]}))
    s = from_episodes(ep, _persons(2), code="act", duration="dur", weights="w",
                      code_system="icatus2016")
    assert s.persons["unpaid_care_work"].tolist() == [160.0, 160.0]
    with pytest.raises(ClassificationError, match="do not look like code_system='icatus2016'"):
        from_episodes(ep.assign(act=["0911", "00", "99", "10", "84"] * 2), _persons(2), code="act",
                      duration="dur", weights="w", code_system="icatus2016")


def test_a_few_unknown_codes_are_reported_not_fatal() -> None:
    ep = _mtus_day()
    ep.loc[3, "main"] = 99  # one TV episode miscoded
    with pytest.warns(UserWarning, match="1 activity codes are outside"):
        s = from_episodes(ep, _persons(2), code="main", duration="dur", weights="w",
                          code_system="mtus69")
    assert s.report.unmapped_codes.to_dict("records") == [
        {"code": "99", "rows": 1, "minutes": 780.0}]
    assert s.persons["icatus_unclassified"].tolist() == [780.0, 0.0]


@pytest.mark.parametrize("system", ["atus", "mtus69", "hetus2008"])
def test_shipped_crosswalk_targets_are_icatus_codes(system: str) -> None:
    rules = icatus_crosswalk(system).rules
    targets = set(rules.loc[rules["target"] != "", "target"])
    assert targets <= ICATUS_CODES, targets - ICATUS_CODES
    assert not rules["prefix"].duplicated().any()


def test_mtus_crosswalk_covers_the_69_main_activities() -> None:
    rules = icatus_crosswalk("mtus69").rules
    assert sorted(rules["prefix"].astype(int)) == list(range(1, 70))
    rec = icatus_crosswalk("mtus69").recode(pd.Series(range(1, 70)))
    major = rec.str[0].to_numpy()
    # MTUS domestic work (18-24, 26, 27, 46, 47, 67) and care (28-32, 66): SDG 5.4.1
    unpaid = {18, 19, 20, 21, 22, 23, 24, 26, 27, 28, 29, 30, 31, 32, 46, 47, 66, 67}
    got = {c for c, m in zip(range(1, 70), major, strict=True) if m in ("3", "4")}
    assert got == unpaid


def test_hetus_crosswalk_matches_the_eurostat_acl_aggregates() -> None:
    """Every ACL code Eurostat tabulates under AC3 (household and family care) is unpaid domestic
    or care work except tending domestic animals (AC342, own-use production of goods); no code
    outside AC3 and travel is."""
    path = shared_data_dir() / "hetus" / "acl00_codes.parquet"
    if not path.exists():
        pytest.skip(f"{path} not available")
    acl = pd.read_parquet(path)
    leaf = acl["acl00"].str.fullmatch(r"AC\d{2,3}") & acl["used_in_tus_00age"]
    codes = acl.loc[leaf, "acl00"].str[2:]
    cw = icatus_crosswalk("hetus2008")
    three = codes.str.pad(3, side="right", fillchar="0")  # AC35 -> 350 (a code under 35)
    rec = cw.recode(three)
    major = pd.Series(rec.to_numpy(), index=codes.to_numpy()).str[0]
    in_ac3 = major[major.index.str.startswith("3")]
    assert set(in_ac3.drop("342")) <= {"3", "4"} and in_ac3["342"] == "2"
    assert major[[c for c in major.index if c.startswith("38")]].eq("4").all()
    other = [c for c in major.index if c[0] not in "39"]
    assert not major[other].isin(["3", "4"]).any()
    # travel for shopping is travel for domestic work (ICATUS 38), transporting a child is care (44)
    assert (major["936"], major["938"], major["913"]) == ("3", "4", "1")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(1, 69), st.integers(0, 90)),
                min_size=1, max_size=30))
def test_minutes_conserved_through_mtus_icatus(eps) -> None:
    ep = pd.DataFrame(eps, columns=["id", "main", "dur"])
    ep = pd.concat([ep, pd.DataFrame({"id": [4, 5], "main": [2, 2], "dur": [1440, 1440]})])
    persons = _persons(5)[lambda f: f["id"].isin(ep["id"])]
    s = from_episodes(ep, persons, code="main", duration="dur", weights="w",
                      code_system="mtus69", diary_policy="keep")
    ic = [c for c in s.persons.columns if c.startswith("icatus_")]
    np.testing.assert_allclose(s.persons[ic].sum(axis=1), s.persons["diary_minutes"])
