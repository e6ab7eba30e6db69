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
    benchmark_total,
    monte_carlo,
    plot_tornado,
    tornado,
    value_unpaid_work,
    wage_keys,
)

FULL = "gross_plus_employer"  # the toy wages are stated as full labour cost, the basis replacement
# cost values at (issue 13 item 6), so no conversion is needed


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
    wt = WageTable.from_mapping({"cook": 12.0, "cleaner": 10.0}, currency="USD", year=2016,
                                basis=FULL)
    d = Design(df, weights="w")
    return d, am, wt


def test_monte_carlo_is_seeded_and_degenerate_draws_give_the_point(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Specialist(wt), year=2016, currency="USD", weights="persons")
    a = monte_carlo(v, wages={"cook": Uniform(10, 14)}, draws=500, seed=7)
    b = monte_carlo(v, wages={"cook": Uniform(10, 14)}, draws=500, seed=7)
    np.testing.assert_array_equal(a.draws, b.draws)
    fixed = monte_carlo(v, wages={"cook": Uniform(12, 12)}, sampling=False, draws=50)
    tot = fixed.summary.set_index("group").loc["total"]
    assert tot["mean"] == pytest.approx(tot["point"])
    assert tot["sd"] == pytest.approx(0.0, abs=1e-6)


def test_monte_carlo_sampling_matches_survey_se(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Specialist(wt), year=2016, currency="USD", weights="persons")
    mc = monte_carlo(v, draws=20_000, seed=1)
    se = float(v.total(groups=False)["se"].iloc[0])
    tot = mc.summary.set_index("group").loc["total"]
    assert tot["sd"] == pytest.approx(se, rel=0.05)


def test_monte_carlo_wage_factor_scales(val) -> None:
    d, am, _ = val
    v = value_unpaid_work(d, am, Generalist(10.0, "USD", 2016, FULL), year=2016, currency="USD",
                          weights="persons")
    mc = monte_carlo(v, wage_factor=Uniform(0.7, 0.9), sampling=False, draws=4000, seed=2)
    tot = mc.summary.set_index("group").loc["total"]
    # factor mean 0.8, bounds 0.7 and 0.9 (percentile interval lies inside them)
    assert tot["mean"] == pytest.approx(0.8 * tot["point"], rel=0.01)
    assert 0.7 * tot["point"] <= tot["ci_low"] < tot["ci_high"] <= 0.9 * tot["point"]


def test_monte_carlo_errors(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Hybrid(wt, Generalist(8.0, "USD", 2016, FULL)), year=2016,
                          currency="USD", weights="persons")
    assert wage_keys(v).tolist() == ["cook", "generalist"]
    with pytest.raises(ValuationError, match="which value no group"):
        monte_carlo(v, wages={"cleaner": Uniform(9, 11)})
    with pytest.raises(ValuationError, match="zero or negative"):
        monte_carlo(v, wages={"cook": Normal(1.0, 5.0)}, draws=2000)
    oc = value_unpaid_work(d, am, OpportunityCost("own", "USD", 2016, "net"), year=2016,
                           currency="USD", weights="persons")
    with pytest.raises(ValuationError, match="own wage"):
        monte_carlo(oc, wages={"generalist": Uniform(9, 11)})


def test_tornado_by_hand(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Hybrid(wt, Generalist(8.0, "USD", 2016, FULL)), year=2016,
                          currency="USD", weights="persons")
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
    # the base input is each distribution's central value (midpoint, mode, factor midpoint)
    assert row.loc["wage: cook", "base_input"] == 12.0
    assert row.loc["wage: generalist", "base_input"] == 8.0
    assert row.loc["wage factor", "base_input"] == pytest.approx(1.0)
    assert (t["measure"] == "annual_value").all()
    # issue 14 item 4: the one plot_tornado draws two bars per row (base to the value at the
    # low input, base to the value at the high input; before: one bar per row from min to max)
    ax = plot_tornado(t, scale=1e3, scale_word="thousands")
    assert len(ax.patches) == 2 * len(t)
    widths = [p.get_width() for p in ax.patches]
    rev = t.iloc[::-1]
    np.testing.assert_allclose(widths[:len(t)], (rev["value_low"] - rev["base"]) / 1e3)
    np.testing.assert_allclose(widths[len(t):], (rev["value_high"] - rev["base"]) / 1e3)
    assert ax.get_xlabel() == "annual value (thousands USD per year)"


def test_tornado_refuses_unbounded_support(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Specialist(wt), year=2016, currency="USD", weights="persons")
    # before: level=1 with a Normal gave value_low = -inf and value_high = +inf
    with pytest.raises(ValuationError, match=r"Normal\(mean=12\.0, sd=1\.0\).*infinite"):
        tornado(v, wages={"cook": Normal(12.0, 1.0)}, level=1.0, include_sampling=False)
    # before: level=1 used the support for the wages but +/-1.96 SE (95%) for sampling
    with pytest.raises(ValuationError, match="sampling error is normal"):
        tornado(v, wages={"cook": Uniform(10, 14)}, level=1.0)


def test_tornado_rows_span_the_same_probability(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Specialist(wt), year=2016, currency="USD", weights="persons")
    t = tornado(v, wages={"cook": Normal(12.0, 1.0)}, hours_factor=Uniform(0.9, 1.1),
                level=0.9).set_index("parameter")
    z = 1.6448536269514722  # 95% quantile of N(0, 1): 5%-95% is a 90% central range
    assert t.loc["wage: cook", "high_input"] == pytest.approx(12.0 + z)
    assert t.loc["hours factor", "low_input"] == pytest.approx(0.9 + 0.05 * 0.2)
    assert t.loc["sampling error", "high_input"] == pytest.approx(z)
    se = float(v.total(groups=False)["se"].iloc[0])
    assert t.loc["sampling error", "value_high"] - t.loc["sampling error", "base"] == \
        pytest.approx(z * se)
    assert t["range"].str.startswith("5%-95% quantiles").all()
    assert "every row spans the 5%-95% quantiles" in t.attrs["note"]


def test_tied_wage_keys_move_together(val) -> None:
    d, am, _ = val
    # cook and cleaner wages are one estimate (same cell): 12 for both
    wt = WageTable.from_mapping({"cook": 12.0, "cleaner": 12.0}, currency="USD", year=2016,
                                basis=FULL)
    v = value_unpaid_work(d, am, Specialist(wt), year=2016, currency="USD", weights="persons")
    groups = v.total().set_index("group")["estimate"]
    t = tornado(v, wages={"cook": Uniform(9, 15)}, tie={"cleaner": "cook"}, level=1.0,
                include_sampling=False)
    row = t.set_index("parameter").loc["wage: cook (tied: cleaner)"]
    # both groups x 15/12 at the high end
    assert row["value_high"] == pytest.approx(groups["total"] * 15 / 12)
    mc = monte_carlo(v, wages={"cook": Uniform(9, 15)}, tie={"cleaner": "cook"},
                     sampling=False, draws=2000, seed=3)
    # every draw scales both groups by the same ratio: total / point = cooking / its point
    ratio = mc.draws[:, 0] / groups["cooking"]
    np.testing.assert_allclose(mc.draws[:, 1] / groups["cleaning"], ratio)
    np.testing.assert_allclose(mc.draws[:, 2] / groups["total"], ratio)
    with pytest.raises(ValuationError, match="give 'cook' a distribution"):
        monte_carlo(v, tie={"cleaner": "cook"})
    with pytest.raises(ValuationError, match="also has its own distribution"):
        tornado(v, wages={"cook": Uniform(9, 15), "cleaner": Uniform(9, 15)},
                tie={"cleaner": "cook"})
    with pytest.raises(ValuationError, match="values no group"):
        monte_carlo(v, wages={"cook": Uniform(9, 15)}, tie={"driver": "cook"})


def test_monte_carlo_and_tornado_state_the_wage_basis(val) -> None:
    """Issue 13 item 6: every valuation result carries its wage basis in words."""
    d, am, wt = val
    v = value_unpaid_work(d, am, Specialist(wt), year=2016, currency="USD", weights="persons")
    assert v.wage_basis == "gross wage plus employer social contributions (full labour cost)"
    mc = monte_carlo(v, wages={"cook": Uniform(10, 14)}, draws=100, seed=1)
    assert mc.wage_basis == v.wage_basis
    assert (mc.summary["wage_basis"] == v.wage_basis).all()
    t = tornado(v, wages={"cook": Uniform(10, 14)})
    assert (t["wage_basis"] == v.wage_basis).all() and t.attrs["wage_basis"] == v.wage_basis
    gross = value_unpaid_work(d, am, Specialist(wt.to_basis("gross", employer_rate=0.2)),
                              year=2016, currency="USD", weights="persons", basis="gross")
    assert "not the replacement cost, specialist basis" in \
        monte_carlo(gross, draws=10, seed=1).wage_basis


# ------------------------------------------------- issue 14 item 5: benchmarked totals
def test_benchmark_total_is_the_mean_times_days_times_population(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Specialist(wt), year=2016, currency="USD", weights="persons")
    pop = 5_000.0
    bt = benchmark_total(v, pop)
    pc = v.per_capita(groups=True)  # weighted mean of the daily value x days
    assert list(bt["group"]) == ["cooking", "cleaning", "total"]
    np.testing.assert_allclose(bt["estimate"], pc["estimate"] * pop, rtol=1e-13)
    np.testing.assert_allclose(bt["se"], pc["se"] * pop, rtol=1e-13)
    assert (bt["unit"] == "USD per year").all()
    assert (benchmark_total(v, pop, of="hours")["unit"] == "hours per year").all()
    # weights that sum to the population: the survey-weighted total's estimate
    wsum = float(d.data["w"].sum())
    np.testing.assert_allclose(benchmark_total(v, wsum)["estimate"], v.total()["estimate"],
                               rtol=1e-12)
    # the same whatever the scale of the weights (unlike the survey-weighted total)
    d7 = Design(d.data.assign(w=7 * d.data["w"]), weights="w")
    v7 = value_unpaid_work(d7, am, Specialist(wt), year=2016, currency="USD", weights="persons")
    np.testing.assert_allclose(benchmark_total(v7, pop)[["estimate", "se"]],
                               bt[["estimate", "se"]], rtol=1e-12)
    # the covariance of the groups travels with the table (the means' x (days x pop)^2)
    cov = bt.vcov
    assert cov is not None
    np.testing.assert_allclose(np.sqrt(np.diag(cov)), bt["se"], rtol=1e-12)


@pytest.mark.parametrize("pop", [0, -1.0, float("nan"), True, "many"])
def test_benchmark_total_refuses_a_bad_population(val, pop) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Specialist(wt), year=2016, currency="USD", weights="persons")
    with pytest.raises(ValuationError, match=r"population = .*allowed a positive number"):
        benchmark_total(v, pop)
    with pytest.raises(ValuationError, match=r"monte_carlo: population = "):
        monte_carlo(v, draws=10, population=pop)


def test_monte_carlo_and_tornado_benchmarked_to_a_population(val) -> None:
    d, am, wt = val
    v = value_unpaid_work(d, am, Specialist(wt), year=2016, currency="USD", weights="persons")
    pop = 5_000.0
    bt = benchmark_total(v, pop).set_index("group")
    mc = monte_carlo(v, draws=20_000, seed=4, population=pop)
    tot = mc.summary.set_index("group").loc["total"]
    assert tot["point"] == pytest.approx(bt.at["total", "estimate"], rel=1e-12)
    assert tot["sd"] == pytest.approx(bt.at["total", "se"], rel=0.05)  # sampling only
    fixed = monte_carlo(v, wage_factor=Uniform(0.9, 0.9), sampling=False, draws=20,
                        population=pop)
    np.testing.assert_allclose(fixed.draws[:, -1], 0.9 * bt.at["total", "estimate"],
                               rtol=1e-12)
    t = tornado(v, wages={"cook": Uniform(10, 14)}, population=pop).set_index("parameter")
    assert t["base"].iloc[0] == pytest.approx(bt.at["total", "estimate"], rel=1e-12)
    se = t.loc["sampling error", "value_high"] - t.loc["sampling error", "base"]
    assert se == pytest.approx(1.6448536269514722 * bt.at["total", "se"], rel=1e-9)


def test_value_brief_takes_its_interval_from_the_valuation_monte_carlo(monkeypatch) -> None:
    """The brief assembles: with a population its wage-uncertainty interval is
    carecost.valuation.monte_carlo(population=...) (before: draws re-made in the brief)."""
    import carecost.briefs.value as bv
    from carecost.briefs import DatasetRegistry

    reg = DatasetRegistry.default()
    spec = reg.spec("example")
    assert spec.valuation is not None and spec.valuation.population is not None
    calls = []

    def spy(*args, **kwargs):
        out = monte_carlo(*args, **kwargs)
        calls.append((kwargs, out))
        return out

    monkeypatch.setattr(bv, "monte_carlo", spy)
    b = bv.value_brief(reg.survey("example"), spec, methods=["hybrid"], draws=300, seed=2)
    assert len(calls) == 1
    kwargs, mc = calls[0]
    assert kwargs["population"] == spec.valuation.population
    assert (kwargs["draws"], kwargs["seed"], kwargs["level"]) == (300, 2, 0.95)
    tot = mc.summary.set_index(["measure", "group"]).loc[("annual_value", "total")]
    q = b.quantity("value.hybrid.annual_value.with_wage_uncertainty")
    assert (q.estimate, q.ci_low, q.ci_high) == (tot["point"], tot["ci_low"], tot["ci_high"])
