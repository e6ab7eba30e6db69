"""The one uncertainty toolkit (issue 14 item 4): distributions, draws, summary, tornado."""

from __future__ import annotations

import inspect
import warnings

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carecost.investment as inv
import carecost.valuation as val
from carecost.errors import CarecostInputError
from carecost.investment import InvestmentInputError, ParameterRange, example_scenario
from carecost.uncertainty import (
    SUMMARY_COLUMNS,
    TORNADO_COLUMNS,
    Normal,
    Triangular,
    UncertaintyInputError,
    Uniform,
    check_draws,
    check_level,
    generator,
    normal_draws,
    plot_tornado,
    sample,
    summarise,
    tornado_table,
)


# -------------------------------------------------------------- distributions
@pytest.mark.parametrize(("make", "match"), [
    (lambda: Uniform(2.0, 1.0), r"Uniform\(low=2\.0, high=1\.0\): needs finite low <= high"),
    (lambda: Uniform(0.0, float("inf")), "needs finite low <= high"),
    (lambda: Triangular(0.0, 5.0, 3.0), r"in the order low, mode, high"),
    (lambda: Triangular(1.0, 0.5, 3.0), r"Triangular\(low=1\.0, mode=0\.5, high=3\.0\)"),
    (lambda: Normal(0.0, -1.0), r"Normal\(mean=0\.0, sd=-1\.0\): needs a finite mean"),
    (lambda: Normal(float("nan"), 1.0), "finite mean"),
    (lambda: Uniform("a", 1.0), "needs finite"),  # type: ignore[arg-type]
])
def test_distributions_refuse_bad_parameters(make, match) -> None:
    with pytest.raises(UncertaintyInputError, match=match) as err:
        make()
    assert isinstance(err.value, CarecostInputError) and isinstance(err.value, ValueError)


def test_degenerate_distributions_give_the_value() -> None:
    rng = generator(1)
    np.testing.assert_array_equal(Uniform(3.0, 3.0).sample(rng, 4), np.full(4, 3.0))
    np.testing.assert_array_equal(Triangular(2.0, 2.0, 2.0).sample(rng, 4), np.full(4, 2.0))
    np.testing.assert_array_equal(Normal(5.0, 0.0).sample(rng, 4), np.full(4, 5.0))


def test_triangular_is_low_mode_high_everywhere() -> None:
    """One argument order: Triangular(low, mode, high), numpy's order, and ParameterRange's
    mode only by name (before, ParameterRange(path, low, high, mode) put it last)."""
    t = Triangular(1.0, 2.0, 4.0)
    np.testing.assert_array_equal(t.sample(generator(5), 100),
                                  np.random.default_rng(5).triangular(1.0, 2.0, 4.0, 100))
    assert t.quantile(0.0) == pytest.approx(1.0) and t.quantile(1.0) == pytest.approx(4.0)
    # the mode's quantile: (mode - low) / (high - low) = 1/3
    assert t.quantile(1 / 3) == pytest.approx(2.0)
    pr = ParameterRange("fiscal.income_tax_rate", 0.1, 0.2, mode=0.12, dist="triangular")
    assert pr.distribution(0.15) == Triangular(0.1, 0.12, 0.2)
    assert ParameterRange.of("fiscal.income_tax_rate", Triangular(0.1, 0.12, 0.2)) == pr
    assert ParameterRange.of("fiscal.income_tax_rate", Uniform(0.1, 0.2)) == \
        ParameterRange("fiscal.income_tax_rate", 0.1, 0.2)
    with pytest.raises(TypeError):
        ParameterRange("fiscal.income_tax_rate", 0.1, 0.2, 0.12)  # type: ignore[misc]
    with pytest.raises(InvestmentInputError, match="use a bounded distribution"):
        ParameterRange.of("fiscal.income_tax_rate", Normal(0.12, 0.01))


# --------------------------------------------------------------------- checks
def test_checks_name_the_argument_and_raise_the_callers_error() -> None:
    assert check_draws(10) == 10
    for bad in (1, 2.5, True, "100"):
        with pytest.raises(UncertaintyInputError, match=r"draws = .*allowed a whole number >= 2"):
            check_draws(bad)
    with pytest.raises(InvestmentInputError, match="here: level = 1"):
        check_level(1, where="here", error=InvestmentInputError)
    assert check_level(1, allow_one=True) == 1.0
    with pytest.raises(val.ValuationError, match=r"level = 0 is outside the allowed range"):
        check_level(0, error=val.ValuationError)
    with pytest.raises(UncertaintyInputError, match="seed = -1"):
        generator(-1)
    assert generator(None).random() != generator(None).random()  # fresh entropy


# ---------------------------------------------------------------------- draws
def test_sample_is_seeded_and_in_mapping_order() -> None:
    dists = {"a": Uniform(0.0, 1.0), "b": Normal(0.0, 1.0)}
    one = sample(dists, 50, generator(3))
    two = sample(dists, 50, generator(3))
    np.testing.assert_array_equal(one["a"], two["a"])
    rng = np.random.default_rng(3)
    np.testing.assert_array_equal(one["a"], rng.uniform(0.0, 1.0, 50))
    np.testing.assert_array_equal(one["b"], rng.normal(0.0, 1.0, 50))
    with pytest.raises(UncertaintyInputError, match="'c': 3 is not a distribution"):
        sample({"c": 3}, 5, generator(0))  # type: ignore[dict-item]


def test_normal_draws_reproduce_a_singular_covariance() -> None:
    # x2 = 2 x1 exactly: rank-1 covariance (Cholesky would fail)
    cov = np.array([[1.0, 2.0], [2.0, 4.0]])
    x = normal_draws(generator(0), np.array([10.0, 20.0]), cov, 40_000)
    assert x.shape == (40_000, 2)
    np.testing.assert_allclose(x[:, 1] - 20.0, 2 * (x[:, 0] - 10.0), atol=1e-9)
    np.testing.assert_allclose(np.cov(x.T), cov, rtol=0.03)
    with pytest.raises(UncertaintyInputError, match="must be 2 x 2"):
        normal_draws(generator(0), np.zeros(2), np.eye(3), 10)


# -------------------------------------------------------------------- summary
def test_summarise_schema_and_values_by_hand() -> None:
    x = np.column_stack([np.arange(1.0, 102.0), np.r_[np.arange(1.0, 101.0), np.nan]])
    s = summarise(x, point=[50.0, 49.0], level=0.9, keys={"measure": ["a", "b"]})
    assert list(s.columns) == ["measure", *SUMMARY_COLUMNS]
    a, b = s.iloc[0], s.iloc[1]
    # 101 values 1..101: mean = median = 51, the 5% and 95% quantiles 6 and 96 (type 7)
    assert (a["mean"], a["median"]) == (51.0, 51.0)
    assert (a["ci_low"], a["ci_high"]) == (pytest.approx(6.0), pytest.approx(96.0))
    assert a["sd"] == pytest.approx(np.std(np.arange(1.0, 102.0), ddof=1))
    # the NaN draw is left out of that result's statistics
    assert b["median"] == 50.5 and b["ci_high"] == pytest.approx(np.quantile(np.arange(1, 101),
                                                                            0.95))
    assert (s["draws"] == 101).all() and (s["level"] == 0.9).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        allnan = summarise(np.full((5, 1), np.nan), point=[np.nan], level=0.9,
                           keys={"measure": ["x"]})
    assert allnan[["mean", "median", "ci_low", "ci_high"]].isna().all().all()
    with pytest.raises(UncertaintyInputError, match="2 results in values"):
        summarise(x, point=[1.0], level=0.9, keys={"measure": ["a", "b"]})


@settings(max_examples=80, deadline=None)
@given(data=st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=60),
       lo=st.floats(0.05, 0.6), hi=st.floats(0.61, 0.99))
def test_percentile_intervals_nest_and_contain_the_median(data, lo, hi) -> None:
    """Invariant: ci_low <= median <= ci_high inside [min, max], and a higher level gives an
    interval that contains the lower level's."""
    x = np.asarray(data)[:, None]
    narrow = summarise(x, point=[0.0], level=lo, keys={"measure": ["m"]}).iloc[0]
    wide = summarise(x, point=[0.0], level=hi, keys={"measure": ["m"]}).iloc[0]
    tol = 1e-9 * max(1.0, float(np.abs(x).max()))
    assert x.min() - tol <= wide["ci_low"] <= narrow["ci_low"] + tol
    assert narrow["ci_low"] <= narrow["median"] + tol <= narrow["ci_high"] + 2 * tol
    assert narrow["ci_high"] <= wide["ci_high"] + tol <= x.max() + 2 * tol


# -------------------------------------------------------------------- tornado
def test_tornado_table_schema_and_order() -> None:
    rows = [{"parameter": "a", "low_input": 1, "base_input": 2, "high_input": 3,
             "value_low": 9.0, "value_high": 11.0, "range": "r"},
            {"parameter": "b", "low_input": 0, "base_input": 1, "high_input": 2,
             "value_low": 14.0, "value_high": 6.0, "range": "r"}]
    t = tornado_table(rows, base=10.0, extra={"measure": "m", "year": 2030})
    assert list(t.columns) == [*TORNADO_COLUMNS, "range", "measure", "year"]
    assert list(t["parameter"]) == ["b", "a"] and list(t["swing"]) == [8.0, 2.0]
    assert (t["base"] == 10.0).all()
    with pytest.raises(UncertaintyInputError, match=r"lacks \['base_input'\]"):
        tornado_table([{k: v for k, v in rows[0].items() if k != "base_input"}], base=1.0)
    ax = plot_tornado(t)
    assert ax.get_xlabel() == "m in 2030"
    assert [p.get_width() for p in ax.patches] == [-1.0, 4.0, 1.0, -4.0]
    with pytest.raises(UncertaintyInputError, match="plot_tornado: table needs columns"):
        plot_tornado(t.drop(columns="base"))


# ------------------------------------------------------- both domains, one toolkit
def test_one_plot_tornado_and_one_set_of_distributions() -> None:
    import carecost.uncertainty as unc

    assert val.plot_tornado is inv.plot_tornado is unc.plot_tornado
    assert val.Uniform is unc.Uniform and val.Triangular is unc.Triangular
    assert val.Normal is unc.Normal


def test_both_monte_carlos_take_the_same_argument_names() -> None:
    for fn in (val.monte_carlo, inv.monte_carlo):
        params = inspect.signature(fn).parameters
        assert {"draws", "level", "seed"} <= set(params), fn.__module__
        assert all(params[k].kind is inspect.Parameter.KEYWORD_ONLY
                   for k in ("draws", "level", "seed"))
    # the defaults each domain needs, stated in the docstrings
    assert inspect.signature(val.monte_carlo).parameters["draws"].default == 10_000
    assert inspect.signature(inv.monte_carlo).parameters["draws"].default == 1000
    assert inspect.signature(inv.monte_carlo).parameters["level"].default == 0.90


def test_the_old_investment_name_n_draws_is_refused_naming_draws() -> None:
    scn = example_scenario()
    ranges = [ParameterRange("fiscal.propensity_to_consume", 0.7, 0.9)]
    with pytest.raises(InvestmentInputError, match=r"n_draws = 50: .*now draws=.*draws=50"):
        inv.monte_carlo(scn, ranges, n_draws=50)  # type: ignore[arg-type]


def test_investment_draws_come_from_the_shared_generator() -> None:
    """Same seed, same distribution, same draws: the investment Monte Carlo draws with
    carecost.uncertainty (the draws of issue 13 are unchanged for a seed)."""
    scn = example_scenario()
    ranges = [ParameterRange("fiscal.propensity_to_consume", 0.7, 0.9),
              ParameterRange("services.childcare_0_2.persons_per_staff", 3.0, 6.0,
                             dist="triangular")]
    mc = inv.monte_carlo(scn, ranges, draws=200, seed=9, measures=["gross_cost"])
    base = scn.service("childcare_0_2").persons_per_staff
    expect = sample({"p": Uniform(0.7, 0.9), "s": Triangular(3.0, base, 6.0)}, 200,
                    generator(9))
    d = mc.attrs["draws"]
    np.testing.assert_array_equal(d["fiscal.propensity_to_consume"], expect["p"])
    np.testing.assert_array_equal(d["services.childcare_0_2.persons_per_staff"], expect["s"])
    assert list(mc.columns) == ["measure", "year", *SUMMARY_COLUMNS]
    assert mc.attrs["seed"] == 9


def test_valuation_summary_has_the_same_schema() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"cook": rng.uniform(0, 100, 80), "w": rng.uniform(1, 2, 80)})
    am = val.ActivityMap.from_records([{"group": "cooking", "columns": "cook",
                                        "occupation": "cook"}])
    wt = val.WageTable.from_mapping({"cook": 12.0}, currency="USD", year=2016,
                                    basis="gross_plus_employer")
    from carecost.survey import Design

    v = val.value_unpaid_work(Design(df, weights="w"), am, val.Specialist(wt), year=2016,
                              currency="USD", weights="persons")
    mc = val.monte_carlo(v, wages={"cook": Uniform(10.0, 14.0)}, draws=100, seed=2)
    assert list(mc.summary.columns) == ["measure", "group", *SUMMARY_COLUMNS, "unit",
                                        "wage_basis"]
    assert mc.settings["seed"] == 2
