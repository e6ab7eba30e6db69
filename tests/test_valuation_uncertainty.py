"""Monte Carlo and tornado sensitivity of valuations."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from carecost.survey import Design
from carecost.valuation import (
    ActivityMap,
    Generalist,
    Hybrid,
    Normal,
    OpportunityCost,
    Specialist,
    Triangular,
    Uniform,
    ValuationError,
    WageTable,
    monte_carlo,
    plot_tornado,
    tornado,
    value_unpaid_work,
    wage_keys,
)


@pytest.fixture
def val():
    rng = np.random.default_rng(3)
    n = 200
    df = pd.DataFrame({"cook": rng.uniform(0, 120, n), "clean": rng.uniform(0, 90, n),
                       "w": rng.uniform(1, 3, n), "own": rng.uniform(8, 30, n)})
    am = ActivityMap.from_records([
        {"group": "cooking", "columns": "cook", "occupation": "cook"},
        {"group": "cleaning", "columns": "clean", "occupation": "cleaner",
         "market_substitute": False}])
    wt = WageTable.from_mapping({"cook": 12.0, "cleaner": 10.0}, currency="USD", year=2016)
    d = Design(df, weights="w")
    return d, am, wt


def test_monte_carlo_is_seeded_and_degenerate_draws_give_the_point(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Specialist(wt), year=2016, currency="USD")
    a = monte_carlo(v, wages={"cook": Uniform(10, 14)}, draws=500, seed=7)
    b = monte_carlo(v, wages={"cook": Uniform(10, 14)}, draws=500, seed=7)
    np.testing.assert_array_equal(a.draws, b.draws)
    fixed = monte_carlo(v, wages={"cook": Uniform(12, 12)}, sampling=False, draws=50)
    tot = fixed.summary.set_index("group").loc["total"]
    assert tot["mean"] == pytest.approx(tot["point"])
    assert tot["sd"] == pytest.approx(0.0, abs=1e-6)


def test_monte_carlo_sampling_matches_survey_se(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Specialist(wt), year=2016, currency="USD")
    mc = monte_carlo(v, draws=20_000, seed=1)
    se = float(v.total(groups=False)["se"].iloc[0])
    tot = mc.summary.set_index("group").loc["total"]
    assert tot["sd"] == pytest.approx(se, rel=0.05)


def test_monte_carlo_wage_factor_scales(val) -> None:
    d, am, _ = val
    v = value_unpaid_work(d, am, Generalist(10.0, "USD", 2016), year=2016, currency="USD")
    mc = monte_carlo(v, wage_factor=Uniform(0.7, 0.9), sampling=False, draws=4000, seed=2)
    tot = mc.summary.set_index("group").loc["total"]
    # factor mean 0.8, bounds 0.7 and 0.9 (percentile interval lies inside them)
    assert tot["mean"] == pytest.approx(0.8 * tot["point"], rel=0.01)
    assert 0.7 * tot["point"] <= tot["ci_low"] < tot["ci_high"] <= 0.9 * tot["point"]


def test_monte_carlo_errors(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Hybrid(wt, Generalist(8.0, "USD", 2016)), year=2016,
                          currency="USD")
    assert wage_keys(v).tolist() == ["cook", "generalist"]
    with pytest.raises(ValuationError, match="which value no group"):
        monte_carlo(v, wages={"cleaner": Uniform(9, 11)})
    with pytest.raises(ValuationError, match="zero or negative"):
        monte_carlo(v, wages={"cook": Normal(1.0, 5.0)}, draws=2000)
    oc = value_unpaid_work(d, am, OpportunityCost("own", "USD", 2016), year=2016,
                           currency="USD")
    with pytest.raises(ValuationError, match="own wage"):
        monte_carlo(oc, wages={"generalist": Uniform(9, 11)})


def test_tornado_by_hand(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Hybrid(wt, Generalist(8.0, "USD", 2016)), year=2016,
                          currency="USD")
    groups = v.total().set_index("group")["estimate"]
    t = tornado(v, wages={"cook": Uniform(10, 14), "generalist": Triangular(6, 8, 12)},
                wage_factor=Uniform(0.9, 1.1), level=1.0, include_sampling=False)
    row = t.set_index("parameter")
    # base: cook at 12 (midpoint), generalist at 8 (mode), factor 1
    assert row["base"].iloc[0] == pytest.approx(groups["total"])
    # cook at 14: cooking value x 14/12
    assert row.loc["wage: cook", "value_high"] == pytest.approx(
        groups["cooking"] * 14 / 12 + groups["cleaning"])
    assert row.loc["wage factor", "value_low"] == pytest.approx(0.9 * groups["total"])
    assert list(t["swing"]) == sorted(t["swing"], reverse=True)
    ax = plot_tornado(t)
    assert len(ax.patches) == len(t)
