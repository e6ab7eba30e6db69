"""Hypothesis properties of carecost.valuation.

* the value is linear in the wage;
* the value is additive over activity groups;
* means (value per capita) do not change when all weights are scaled;
* specialist equals generalist when all occupation wages are equal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from carecost.survey import Design
from carecost.valuation import (
    ActivityMap,
    Generalist,
    Hybrid,
    Specialist,
    WageTable,
    value_unpaid_work,
)

FULL = "gross_plus_employer"  # the toy wages are stated as full labour cost, the basis replacement
# cost values at (issue 13 item 6), so no conversion is needed

AMAP = ActivityMap.from_records([
    {"group": "a", "columns": "ma", "occupation": "oa"},
    {"group": "b", "columns": "mb", "occupation": "ob"},
    {"group": "c", "columns": ["mc1", "mc2"], "occupation": "oc", "market_substitute": False},
])

minutes = st.floats(min_value=0, max_value=600, allow_nan=False)
wage = st.floats(min_value=0.5, max_value=200, allow_nan=False)


@st.composite
def surveys(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(min_value=2, max_value=12))
    cols = {c: draw(st.lists(minutes, min_size=n, max_size=n))
            for c in ("ma", "mb", "mc1", "mc2")}
    cols["w"] = draw(st.lists(st.floats(min_value=0.1, max_value=1e4), min_size=n, max_size=n))
    return pd.DataFrame(cols)


def _total(df: pd.DataFrame, method: object, groups: bool = False) -> pd.DataFrame:
    v = value_unpaid_work(Design(df, weights="w"), AMAP, method, year=2016,  # type: ignore[arg-type]
                          currency="USD", days=365, weights="persons")
    return v.total(groups=groups)


@settings(max_examples=40, deadline=None)
@given(df=surveys(), w=wage, k=st.floats(min_value=0.01, max_value=100))
def test_linear_in_wage(df: pd.DataFrame, w: float, k: float) -> None:
    t1 = _total(df, Generalist(w, "USD", 2016, FULL))
    tk = _total(df, Generalist(w * k, "USD", 2016, FULL))
    np.testing.assert_allclose(tk["estimate"], k * t1["estimate"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(tk["se"], k * t1["se"], rtol=1e-9, atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(df=surveys(), wa=wage, wb=wage, wc=wage, wg=wage)
def test_additive_over_groups(df: pd.DataFrame, wa: float, wb: float, wc: float,
                              wg: float) -> None:
    wt = WageTable.from_mapping({"oa": wa, "ob": wb, "oc": wc}, currency="USD", year=2016,
                                basis=FULL)
    for m in (Specialist(wt), Hybrid(wt, Generalist(wg, "USD", 2016, FULL))):
        res = _total(df, m, groups=True).set_index("group")["estimate"]
        assert np.isclose(res[["a", "b", "c"]].sum(), res["total"], rtol=1e-9, atol=1e-6)
        # a group of two columns is valued as their sum
        one = AMAP.subset(["c"])
        v = value_unpaid_work(Design(df, weights="w"), one, m, year=2016, currency="USD",
                              days=365, weights="persons")
        assert np.isclose(v.total(groups=False)["estimate"].iloc[0], res["c"], rtol=1e-9,
                          atol=1e-6)


@settings(max_examples=40, deadline=None)
@given(df=surveys(), w=wage, scale=st.floats(min_value=1e-3, max_value=1e3))
def test_means_unchanged_when_weights_scaled(df: pd.DataFrame, w: float, scale: float) -> None:
    m = Generalist(w, "USD", 2016, FULL)
    v1 = value_unpaid_work(Design(df, weights="w"), AMAP, m, year=2016, currency="USD",
                           weights="persons")
    v2 = value_unpaid_work(Design(df.assign(w=df["w"] * scale), weights="w"), AMAP, m,
                           year=2016, currency="USD", weights="persons")
    p1, p2 = v1.per_capita(groups=True), v2.per_capita(groups=True)
    np.testing.assert_allclose(p2["estimate"], p1["estimate"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(p2["se"], p1["se"], rtol=1e-7, atol=1e-7)


@settings(max_examples=40, deadline=None)
@given(df=surveys(), w=wage)
def test_specialist_equals_generalist_when_wages_equal(df: pd.DataFrame, w: float) -> None:
    wt = WageTable.from_mapping({"oa": w, "ob": w, "oc": w}, currency="USD", year=2016, basis=FULL)
    spec = _total(df, Specialist(wt), groups=True)
    gen = _total(df, Generalist(w, "USD", 2016, FULL), groups=True)
    np.testing.assert_allclose(spec["estimate"], gen["estimate"], rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(spec["se"], gen["se"], rtol=1e-9, atol=1e-9)
