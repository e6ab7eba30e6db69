"""carecost.timeuse on the real ATUS 2003–2016 microdata in ../shared/data/atus_0316.

Published figures are in ``carecost/timeuse/data/bls_table1_published.csv`` and
``bls_tu_series_daytype_published.csv`` with their sources (SOURCES.md): BLS,
The Economics Daily, 27 June 2013 (ATUS 2012, same estimates as Table 1 of
USDL-13-1178); BLS LABSTAT "TU" series 2008–2016 by day type; and partial
2003/2004/2006 figures.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from carecost.paths import shared_data_dir
from carecost.timeuse import bls_table1, gender_gap, read_atus, weekend_or_holiday

ROOT = Path(__file__).resolve().parents[1]
SHARED = shared_data_dir([Path(__file__).parent]) or ROOT.parent / "shared" / "data"
ATUS = SHARED / "atus_0316"
DATA = resources.files("carecost.timeuse") / "data"

pytestmark = [
    pytest.mark.realdata,
    pytest.mark.skipif(not (ATUS / "atusact.parquet").exists(),
                       reason=f"real ATUS data not found at {ATUS} (set CARECOST_SHARED_DATA)"),
]

# Not reproducible on the abridged file: the R package dropped data codes 50xxxx, which BLS
# counts in "Other activities, not elsewhere classified" (see SOURCES.md).
NOT_REPRODUCIBLE = {"Other activities, not elsewhere classified"}


@pytest.fixture(scope="module")
def atus():
    return read_atus(ATUS)


def _decimals(x: str) -> int:
    return len(x.split(".")[1]) if "." in x else 0


def _tolerance(published: str) -> float:
    """Half a unit in the last published digit; one-decimal figures were rounded by BLS from
    two-decimal ones (3.747 -> 3.75 -> 3.8), so they also get the first rounding's 0.005."""
    d = _decimals(published)
    return 0.5 * 10**-d + (0.005 if d == 1 else 0.0) + 1e-9


def test_diary_report_states_short_diaries(atus) -> None:
    r = atus.report
    assert r.persons == 181_335
    assert r.long == 0
    assert r.short > 0 and r.min_minutes == 55
    assert abs(r.mean_minutes - 1428) < 1
    assert r.unmapped_codes.empty


def test_table1_major_rows_partition_the_diary(atus) -> None:
    from carecost.timeuse import bls_table1_rows

    rows = bls_table1_rows()
    majors = rows.loc[rows["parent"] == "", "activity"].tolist()
    total = atus.persons[majors].sum(axis=1).to_numpy()
    np.testing.assert_array_equal(total, atus.persons["diary_minutes"].to_numpy())
    icat = atus.persons[[f"icatus_{k}" for k in range(1, 10)]].sum(axis=1)
    uncl = atus.persons["icatus_unclassified"]
    np.testing.assert_allclose((icat + uncl).to_numpy(), atus.persons["diary_minutes"].to_numpy())


@pytest.mark.parametrize("year", [2003, 2004, 2006, 2012])
def test_bls_table1_reproduces_published_figures(atus, year: int) -> None:
    pub = pd.read_csv(DATA / "bls_table1_published.csv", dtype=str)
    pub = pub[(pub["year"] == str(year)) & ~pub["row"].isin(NOT_REPRODUCIBLE)]
    rows = [r for r in pub["row"].unique() if r in atus.persons.columns]
    assert rows, f"no published rows to check for {year}"
    got = bls_table1(atus, year, rows=rows).set_index(["activity", "sex"])
    checked = 0
    failures = []
    for _, p in pub[pub["row"].isin(rows)].iterrows():
        for col in ("hours_per_day", "pct_engaged", "hours_engaged"):
            if not isinstance(p[col], str) or p[col] == "":
                continue
            value = got.loc[(p["row"], p["sex"]), col]
            tol = _tolerance(p[col])
            if abs(value - float(p[col])) > tol:
                failures.append((p["row"], p["sex"], col, p[col], round(value, 4)))
            checked += 1
    assert checked > 0
    if year in (2003, 2004):
        # Secondary quotations of the 2003/2004 releases (press and trade press; SOURCES.md).
        # Most reproduce to the digit; the rest differ by at most 0.05 h / 1 point, which we
        # attribute to quoting or to the later reweighting of those years in the multi-year
        # file -- unresolved without the original release tables.
        for row, sex, col, pub_value, value in failures:
            limit = 1.0 if col == "pct_engaged" else 0.05
            assert abs(value - float(pub_value)) <= limit, (row, sex, col, pub_value, value)
    else:
        assert not failures, failures


# Series titles that are not "<Table 1 row>" or "<Table 1 row> (note)": a BLS typo.
TITLE_TO_ROW = {"Caring for and helpig household children under 18":
                "Caring for and helping household children"}


def _series_row(title: str, rows: set[str]) -> str:
    if title in TITLE_TO_ROW:
        return TITLE_TO_ROW[title]
    if title in rows:  # "Volunteering (organizational and civic activities)" is a row name
        return title
    return title.split(" (")[0]  # "Household activities (includes travel)"


def test_bls_series_by_day_type_2008_2016(atus) -> None:
    """All 29 BLS LABSTAT series x 2008-2016 x weekday / weekend-holiday (522 values).

    The values are BLS's two-decimal figures (the transcription dropped trailing zeros), so
    the tolerance is half a unit in the second decimal.  "Other activities, n.e.c." (18 values)
    cannot be reproduced on the abridged file (data codes 50xxxx were dropped).
    """
    from carecost.timeuse import bls_table1_rows

    pub = pd.read_csv(DATA / "bls_tu_series_daytype_published.csv", dtype={"hours_per_day": str})
    rows = set(bls_table1_rows()["activity"])
    pub["row"] = [_series_row(t, rows) for t in pub["series_title"]]
    assert pub["row"].isin(rows).all(), sorted(set(pub["row"]) - rows)
    assert pub["series_title"].nunique() == 29 and len(pub) == 522
    pub = pub[~pub["row"].isin(NOT_REPRODUCIBLE)]
    weekend = weekend_or_holiday(atus.persons)
    fails, checked = [], 0
    for (year, day_type), grp in pub.groupby(["year", "day_type"]):
        days = weekend if day_type == "weekend_holiday" else ~weekend
        got = bls_table1(atus, int(year), rows=sorted(set(grp["row"])), days=days)
        got = got[got["sex"] == "total"].set_index("activity")
        for _, p in grp.iterrows():
            value = got.loc[p["row"], "hours_per_day"]
            checked += 1
            if abs(value - float(p["hours_per_day"])) > 0.005 + 1e-9:
                fails.append((year, day_type, p["row"], p["hours_per_day"], round(value, 4)))
    assert checked == 504
    assert not fails, fails[:10]


def test_gender_gap_on_atus_2016(atus) -> None:
    d = atus.design.subset((atus.persons["tuyear"] == 2016).to_numpy())
    g = gender_gap(d, "unpaid_care_work").set_index("statistic")
    assert g.loc["gap", "estimate"] == pytest.approx(
        g.loc["women", "estimate"] - g.loc["men", "estimate"], rel=1e-12
    )
    # women do more unpaid domestic and care work than men in the U.S. (BLS ATUS)
    assert g.loc["gap", "ci_low"] > 0
    assert 0.5 < g.loc["women_share", "estimate"] < 0.75
    ratio = d.subset((d.data["sex"] == "female").to_numpy()).mean("unpaid_care_work")
    assert ratio["estimate"].iloc[0] == pytest.approx(g.loc["women", "estimate"], rel=1e-12)


def test_atus_weights_are_person_days(atus) -> None:
    from carecost.timeuse import time_use_indicators

    assert atus.weights_unit == "person_days"
    d = atus.design.subset((atus.persons["year"] == 2016).to_numpy())
    # 2016 weights sum to about 365 days x 258.5 million persons aged 15+
    assert d.weights.sum() / 365 == pytest.approx(258.5e6, rel=0.01)
    t = time_use_indicators(atus, "unpaid_care_work", by="year").set_index(["year", "indicator"])
    p16 = atus.persons[atus.persons["year"] == 2016]
    annual = (p16["wt"] * p16["unpaid_care_work"]).sum() / 60  # person-days x hours per day
    assert t.loc[(2016, "annual_hours"), "estimate"] == pytest.approx(annual, rel=1e-9)
    # about 280 billion hours a year of unpaid domestic and care work by people aged 15+
    assert 2.0e11 < t.loc[(2016, "annual_hours"), "estimate"] < 4.0e11
    assert t.loc[(2016, "total_hours_per_day"), "estimate"] == pytest.approx(annual / 365,
                                                                           rel=1e-9)
