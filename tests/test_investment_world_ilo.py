"""carecost's world figures next to the ILO's 2035 headline figures (issue 16, the comparison).

Nothing here asserts that carecost is close to the ILO: the presets are not tuned to its
numbers.  The tests check that the ILO's published figures are typed as published, that every
carecost figure is computed (finite, positive) for the all-countries run, and that each gap
is stated with its basis and likely cause.  The gaps themselves are printed (``pytest -s``)
and tabulated in docs/world-investment.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from carecost import countries
from carecost.investment import InvestmentInputError
from carecost.investment.world import (
    ILO_2022_HEADLINE,
    coverage,
    ilo_comparison,
    simulate_many,
)


@pytest.fixture(scope="module")
def world() -> Any:
    return simulate_many("all", "ilo-2035")


def test_the_ilo_figures_are_typed_as_published() -> None:
    got = {line: (current, additional) for line, _u, current, additional in ILO_2022_HEADLINE}
    assert got == {
        "leave_and_breastfeeding": (None, 0.3), "childcare": (0.3, 1.5), "ltc": (0.6, 2.5),
        "package": (None, 4.2), "jobs_total": (None, 299.0),
        "jobs_direct_childcare": (None, 96.0), "jobs_direct_ltc": (None, 136.0),
        "jobs_indirect": (None, 67.0)}


def test_every_line_is_computed_and_its_gap_stated(world: Any) -> None:
    comp = ilo_comparison(world)
    assert list(comp["line"]) == [x[0] for x in ILO_2022_HEADLINE]
    assert np.isfinite(comp["carecost"].to_numpy(float)).all()
    assert (comp["carecost"] > 0).all()
    np.testing.assert_allclose(comp["difference"], comp["carecost"] - comp["ilo_compared"])
    np.testing.assert_allclose(comp["ratio"], comp["carecost"] / comp["ilo_compared"])
    # services: whole-system cost against the ILO's current + additional spending
    c = comp.set_index("line")
    assert c.at["childcare", "ilo_compared"] == pytest.approx(1.8)
    assert c.at["ltc", "ilo_compared"] == pytest.approx(3.1)
    assert (comp["likely_cause"].str.len() > 40).all() and (comp["basis"].str.len() > 20).all()
    assert comp.attrs["countries"] == len(world.countries)
    print("\ncarecost (all countries with inputs) vs ILO 2022, 2035:")
    for _, r in comp.iterrows():
        print(f"  {r['line']:<26} carecost {r['carecost']:9.2f}  ILO {r['ilo_compared']:7.2f}"
              f"  gap {r['difference']:+9.2f} {r['unit']}")


def test_regions_and_unknown_names(world: Any) -> None:
    africa = ilo_comparison(world, "Africa").set_index("line")
    agg = world.aggregates.set_index("name").loc["Africa"]
    assert africa.at["ltc", "carecost"] == pytest.approx(agg["ltc_cost_pct_gdp"])
    assert africa.at["jobs_total", "carecost"] == pytest.approx(agg["jobs_total"] / 1e6)
    with pytest.raises(InvestmentInputError, match="'Atlantis' is not an aggregate"):
        ilo_comparison(world, "Atlantis")


def test_coverage_of_the_world_total(world: Any) -> None:
    cov = coverage(world).set_index("name")
    w = cov.loc["World"]
    assert w["countries_in_database"] == 235
    assert w["countries_simulated"] == len(world.countries)
    assert 0 < w["gdp_share"] < 1 and 0 < w["population_share"] < 1
    assert cov.loc[cov["level"] == "region", "countries_simulated"].sum() == len(world.countries)
    # the World Bank's 2023 GDP in US$ of the countries simulated (not the rows' gdp_usd,
    # which is the reported year's GDP at price-year prices)
    want = sum(countries.indicator(c, "gdp_usd", 2023)["value"] for c in world.countries["iso3"])
    assert w["gdp_usd_simulated"] == pytest.approx(want, rel=1e-12)
    print(f"\nthe {len(world.countries)} countries simulated hold {100 * w['gdp_share']:.0f}% "
          f"of GDP and {100 * w['population_share']:.0f}% of the population (2023)")
