"""Published country results of the care-investment family, reproduced from published inputs.

Study reproduced (issue #6): De Henau, J. (2022), "Simulating employment and fiscal effects of
public investment in high-quality universal childcare in the UK", *International Journal of
Child Care and Education Policy* 16:3, doi:10.1186/s40723-022-00096-y, **Table 5** (UK, 2018),
https://ijccep.springeropen.com/articles/10.1186/s40723-022-00096-y/tables/5, typed in
``src/carecost/investment/data/published/dehenau2022_uk_table5.toml``.

* Inputs (printed): gross annual cost (GBP million and % of GDP), direct, indirect and other
  tax revenue, lower spending on cash benefits and current ECEC subsidies, for 4 scenarios
  (take-up 71% / 85% x current / teacher pay).
* Results reproduced: net funding gap (GBP million), % self-funding, net gap in % of GDP, and the
  abstract's "net annual funding requirement of between 28 and 39% of the gross investment".

Tolerances are the publication's precision, nothing more:

* net gap: the table prints six GBP-million-rounded terms, so a recomputed net may differ from
  the printed one by up to 6 x 0.5 = GBP 3 million; we also require the interval of the
  recomputed net (from the rounding of the six terms) to contain the printed net.  Measured:
  scenario 1 differs by GBP 1 million (7,338 vs 7,339), the others by 0.
* % self-funding and the abstract's range: printed to 1 point, so ``round()`` must agree.
* net gap in % of GDP: printed to 0.1 point.  The paper gives no GDP; the GDP interval allowed by
  the four (gross cost, % of GDP) pairs is intersected (GBP 2,125.9-2,174.2 bn) and the net gap
  over it must fall inside the printed value's rounding interval.

Second check, same family: UK Women's Budget Group (2017) briefing (reference year 2014),
``wbg2017_uk_childcare_briefing.toml``: net need = gross x (1 - recouped share) within the
printed rounding; the page does not pair the shares with the pay scenarios, and exactly one
pairing is consistent.

Only the fiscal netting step (gross cost - fiscal returns) is reproduced: the coverage, staffing,
cost and job steps of these studies need inputs (ratios, pay, take-up by age, input-output
tables) that are not in any retrievable text; see ``data/published/SOURCES.md``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from carecost.investment import InvestmentInputError, example_scenario, simulate
from carecost.investment.model import SUMMARY_MEASURES
from carecost.investment.published import (
    DEHENAU_RETURNS,
    DEHENAU_TO_CARECOST,
    STUDIES,
    Interval,
    carecost_convention,
    dehenau2022_table5,
    published_study,
    reproduce_dehenau2022,
    reproduce_wbg2017,
    rounded,
)


@pytest.fixture(scope="module")
def dh() -> pd.DataFrame:
    return reproduce_dehenau2022()


# ------------------------------------------------------------------------- provenance
@pytest.mark.parametrize("name", STUDIES)
def test_every_study_file_cites_its_source(name: str) -> None:
    src = published_study(name)["source"]
    for key in ("citation", "url", "table", "year", "reference_year", "currency", "rounding"):
        assert src.get(key), f"{name}: source.{key} missing"
    assert src["url"].startswith(("http://", "https://"))


def test_unknown_study_is_refused() -> None:
    with pytest.raises(InvestmentInputError, match="allowed"):
        published_study("ituc2016")


def test_table5_as_typed() -> None:
    t = dehenau2022_table5()
    assert list(t["scenario"]) == [1, 2, 3, 4]
    assert list(t["average_take_up_pct"]) == [71, 71, 85, 85]
    assert list(t["pay_level"]) == ["current", "teacher", "current", "teacher"]
    # the same current subsidies in every scenario (GBP 4,461 million), as printed
    assert t["current_ecec_subsidies"].nunique() == 1


# ------------------------------------------------------------- De Henau (2022), Table 5
def test_net_funding_gap_reproduced_within_printed_rounding(dh: pd.DataFrame) -> None:
    assert (dh["net_diff"].abs() <= dh["net_tolerance"]).all(), dh
    assert ((dh["net_lo"] <= dh["net_published"]) & (dh["net_published"] <= dh["net_hi"])).all()
    # measured differences (GBP million): the table's own rounding in scenario 1 only
    np.testing.assert_array_equal(dh["net_diff"].to_numpy(), [-1.0, 0.0, 0.0, 0.0])


def test_self_funding_share_reproduced(dh: pd.DataFrame) -> None:
    np.testing.assert_array_equal(
        np.round(dh["self_funding_pct"]).to_numpy(), dh["self_funding_published"].to_numpy()
    )
    # the same from the printed net gap
    share = 100.0 * (1.0 - dh["net_published"] / dh["gross_annual_cost"])
    np.testing.assert_array_equal(np.round(share), dh["self_funding_published"])


def test_abstract_range_of_net_funding_share(dh: pd.DataFrame) -> None:
    ab = published_study("dehenau2022_uk_table5")["abstract"]
    net_share = 100.0 - dh["self_funding_pct"]
    assert round(net_share.min()) == ab["net_funding_pct_gross_min"]  # 27.6 -> 28
    assert round(net_share.max()) == ab["net_funding_pct_gross_max"]  # 39.1 -> 39


def test_net_gap_in_pct_of_gdp_reproduced(dh: pd.DataFrame) -> None:
    step = published_study("dehenau2022_uk_table5")["source"]["rounding"]["pct_gdp"]
    for _, r in dh.iterrows():
        printed = rounded(r["net_pct_gdp_published"], step)
        assert printed.lo <= r["net_pct_gdp_lo"] and r["net_pct_gdp_hi"] <= printed.hi, r
    # one GDP is consistent with all four printed (gross, % of GDP) pairs: GBP 2.13-2.17 tn
    assert dh["gdp_lo"].iloc[0] == pytest.approx(2_125_880.0)
    assert dh["gdp_hi"].iloc[0] == pytest.approx(2_174_189.19, abs=0.01)


def test_carecost_convention_same_net_different_share(dh: pd.DataFrame) -> None:
    """carecost's gross_cost is additional spending and its returns hold no replaced spending:
    moving the GBP 4,461 million of current subsidies from returns to gross keeps the net gap
    and raises its share of gross (scenario 1: 27.6% -> 33.2%)."""
    np.testing.assert_array_equal(dh["cc_net_funding"], dh["net_funding_gap"])
    np.testing.assert_allclose(dh["cc_gross_cost"], dh["gross_annual_cost"] - 4461.0)
    assert (dh["cc_net_funding_pct_gross"] > 100.0 - dh["self_funding_pct"]).all()
    assert dh["cc_net_funding_pct_gross"].iloc[0] == pytest.approx(33.1841, abs=1e-4)
    with pytest.raises(InvestmentInputError, match="not among the returns"):
        carecost_convention(1.0, {"a": 0.5}, replaced=("b",))


def test_carecost_measures_named_in_the_mapping_exist() -> None:
    assert set(DEHENAU_RETURNS) <= set(DEHENAU_TO_CARECOST)
    for names in DEHENAU_TO_CARECOST.values():
        assert set(names) <= set(SUMMARY_MEASURES), names


def test_carecost_model_nets_the_same_way() -> None:
    """The identity the reproduction relies on holds in carecost's simulate():
    net_funding = gross_cost - fiscal_returns; share and % of GDP from the same net."""
    s = simulate(example_scenario()).summary
    np.testing.assert_allclose(s["net_funding"], s["gross_cost"] - s["fiscal_returns"], rtol=1e-12)
    pos = s["gross_cost"] > 0
    np.testing.assert_allclose(
        s.loc[pos, "net_funding_pct_gross"],
        100.0 * s.loc[pos, "net_funding"] / s.loc[pos, "gross_cost"],
        rtol=1e-12,
    )
    np.testing.assert_allclose(s["net_funding_pct_gdp"], 100.0 * s["net_funding"] / s["gdp"])


# ---------------------------------------------------------- Women's Budget Group (2017)
def test_wbg2017_net_need_pairs_with_one_scenario_each() -> None:
    w = reproduce_wbg2017()
    ok = w[w["consistent"]]
    assert sorted(zip(ok["scenario"], ok["recoup_pct"], ok["net_published"], strict=True)) == [
        ("current_pay", 95.0, 1.7),
        ("teacher_pay", 89.0, 6.1),
    ]


def test_wbg2017_gdp_consistent_across_scenarios() -> None:
    w = reproduce_wbg2017().drop_duplicates("scenario")
    a, b = (Interval(r.gdp_lo, r.gdp_hi) for r in w.itertuples())
    common = a.intersect(b)
    assert common is not None  # GBP 1,757-1,914 bn
    assert common.lo == pytest.approx(1756.76, abs=0.01)
    assert common.hi == pytest.approx(1914.29, abs=0.01)


# ------------------------------------------------------------------ interval helpers
def test_interval_arithmetic() -> None:
    a, b = Interval(1.0, 2.0), Interval(3.0, 5.0)
    assert (a + b) == Interval(4.0, 7.0)
    assert (b - a) == Interval(1.0, 4.0)
    assert (a * b) == Interval(3.0, 10.0)
    assert (b / a) == Interval(1.5, 5.0)
    assert (1.5 in a) and (2.5 not in a) and ("x" not in a)
    assert a.intersect(b) is None and not a.overlaps(b)
    r = rounded(0.3, 0.1)
    assert (r.lo, r.hi) == (pytest.approx(0.25), pytest.approx(0.35))
    with pytest.raises(InvestmentInputError):
        Interval(2.0, 1.0)
    with pytest.raises(InvestmentInputError):
        b / Interval(-1.0, 1.0)
    with pytest.raises(InvestmentInputError):
        rounded(1.0, -0.1)
