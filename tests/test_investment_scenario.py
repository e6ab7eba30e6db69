"""carecost.investment scenarios: validation on load, hand-computed results, properties,
Monte Carlo, sensitivity, sector comparison and plots (synthetic data only)."""

from __future__ import annotations

import dataclasses
import textwrap

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecost.investment import (
    InvestmentInputError,
    IOModel,
    ParameterRange,
    closed_leontief_inverse,
    compare_sectors,
    country_parameters,
    example_io_model,
    example_scenario,
    load_scenario,
    monte_carlo,
    plot_comparison,
    plot_cost_path,
    plot_jobs,
    plot_net_funding,
    plot_tornado,
    scenario_from_dict,
    sensitivity,
    simulate,
)

matplotlib.use("Agg")

TINY_A = np.array([[0.1, 0.2], [0.3, 0.1]])


def tiny_model() -> IOModel:
    return IOModel.from_coefficients(
        TINY_A,
        sectors=["S1", "S2"],
        output=[100.0, 50.0],
        employment=[0.01, 0.02],  # jobs per currency unit (money_unit = 1)
        compensation=[0.3, 0.5],
        consumption_shares=[0.6, 0.4],
        female_share=[0.3, 0.8],
        currency="XCU",
    )


def hand_dict(pop_file: str, **service_overrides) -> dict:
    svc = {
        "name": "cc",
        "kind": "childcare",
        "ages": [0, 2],
        "current_coverage": 0.2,
        "target_coverage": 0.6,
        "persons_per_staff": 5,
        "service_hours_per_week": 40,
        "staff_hours_per_week": 40,
        "non_care_staff_ratio": 0.5,
        "wage": 20000.0,
        "non_care_wage_relative_to_average": 0.5,
        "non_staff_cost_share": 0.2,
        "current_staff": 0,
        "current_spending_pct_gdp": 0.1,
        "women_share": 0.9,
        "non_care_women_share": 0.5,
        "sector": "S2",
    }
    svc.update(service_overrides)
    return {
        "meta": {"name": "hand", "country": "example", "base_year": 2025, "target_year": 2027},
        "macro": {
            "gdp": 1e9,
            "gdp_growth": 0.0,
            "average_wage": 30000.0,
            "real_wage_growth": 0.0,
            "working_age_women": 1e5,
            "working_age_men": 1e5,
            "employed_women": 5e4,
            "employed_men": 6e4,
        },
        "fiscal": {
            "income_tax_rate": 0.10,
            "employee_contribution_rate": 0.05,
            "employer_contribution_rate": 0.20,
            "indirect_tax_rate": 0.10,
            "propensity_to_consume": 0.8,
            "share_from_unemployment": 0.5,
            "unemployment_benefit": 1000.0,
        },
        "induced": {"method": "none"},
        "comparison": {"sector": "S1"},
        "population": {"file": pop_file},
        "services": [svc],
    }


@pytest.fixture(scope="module")
def pop_file(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("pop") / "pop.csv"
    rows = [(y, a, 1000) for y in range(2025, 2028) for a in range(0, 3)]
    pd.DataFrame(rows, columns=["year", "age", "population"]).to_csv(path, index=False)
    return str(path)


@pytest.fixture(scope="module")
def hand(pop_file):
    return scenario_from_dict(hand_dict(pop_file))


# ------------------------------------------------------------------ example data
def test_example_scenario_and_provenance():
    scn = example_scenario()
    assert scn.country == "example" and "synthetic" in scn.provenance["label"]
    params = country_parameters("example")
    assert {"gdp", "average_wage", "income_tax_rate"} <= set(params["key"])
    assert params[["source", "table", "licence"]].ne("").all().all()
    assert params["year"].notna().all()
    res = simulate(scn)
    s = res.summary.set_index("year")
    assert s.loc[2025, "gross_cost"] == 0 and s.loc[2025, "jobs_total"] == 0
    assert (s["gross_cost"].diff().iloc[1:] > 0).all()
    assert res.report().year == 2035
    assert set(res.jobs["type"]) == {"direct_care", "direct_other", "indirect", "induced"}
    # sector detail adds up to the totals
    by_type = res.jobs_by_sector.groupby(["year", "type"])["jobs"].sum().unstack()
    np.testing.assert_allclose(by_type["indirect"].to_numpy(), s["jobs_indirect"].to_numpy())
    np.testing.assert_allclose(by_type["induced"].to_numpy(), s["jobs_induced"].to_numpy())
    tidy = res.tidy()
    assert list(tidy.columns) == ["year", "measure", "value"]


def test_load_scenario_from_file(tmp_path, pop_file):
    text = textwrap.dedent(f"""
        [meta]
        name = "file"
        country = "example"
        base_year = 2025
        target_year = 2027
        phase_in = [0.0, 0.3, 1.0]
        [population]
        file = "{pop_file}"
        [[services]]
        name = "cc"
        ages = [0, 2]
        current_coverage = 0.1
        target_coverage = 0.5
        persons_per_staff = 4
        wage_relative_to_average = 0.7
        women_share = 0.9
        sector = "CAR"
        non_staff_cost_share = 0.1
    """)
    path = tmp_path / "s.toml"
    path.write_text(text)
    scn = load_scenario(path)
    assert scn.phase_in == (0.0, 0.3, 1.0)
    res = simulate(scn)
    np.testing.assert_allclose(res.by_service["newly_covered"], [0, 0.3 * 0.4 * 3000, 0.4 * 3000])


# ------------------------------------------------------------------ validation
@pytest.mark.parametrize(
    ("override", "message"),
    [
        (
            {"current_coverage": -0.1},
            r"services\.cc\.current_coverage = -0\.1 is outside the allowed range \[0, 1\]",
        ),
        (
            {"target_coverage": 0.1},
            r"services\.cc\.target_coverage = 0\.1 is below current_coverage = 0\.2; "
            r"allowed range \[0\.2, 1\]",
        ),
        (
            {"persons_per_staff": 0},
            r"services\.cc\.persons_per_staff = 0 is outside the allowed range \(0, inf\]",
        ),
        (
            {"non_staff_cost_share": 1.0},
            r"services\.cc\.non_staff_cost_share = 1\.0 is outside the allowed range \[0, 1\)",
        ),
        (
            {"wage_relative_to_average": 0.8},
            r"give exactly one of wage_relative_to_average or wage",
        ),
        (
            {"non_staff_inputs": {"S1": 0.5, "S2": 0.4}},
            r"services\.cc\.non_staff_inputs sums to 0\.9; the shares must sum to 1",
        ),
        ({"ages": [3, 1]}, r"services\.cc\.ages\[1\] = 1 is outside the allowed range \[3, 120\]"),
        ({"ages": [0, 5]}, r"population\.file lacks some single years of age 0–5"),
        ({"women_share": 1.5}, r"services\.cc\.women_share = 1\.5 is outside"),
    ],
)
def test_bad_service_inputs(pop_file, override, message):
    with pytest.raises(InvestmentInputError, match=message):
        scenario_from_dict(hand_dict(pop_file, **override))


def test_bad_scenario_inputs(pop_file, tmp_path):
    d = hand_dict(pop_file)
    d["meta"]["end_year"] = 2028
    with pytest.raises(InvestmentInputError, match=r"population\.file lacks years \[2028\]"):
        scenario_from_dict(d)
    d = hand_dict(pop_file)
    d["meta"]["phase_in"] = [0.0, 0.5, 0.9]
    with pytest.raises(
        InvestmentInputError, match=r"meta\.phase_in\[2\] \(target year 2027\) = 0\.9"
    ):
        scenario_from_dict(d)
    d["meta"]["phase_in"] = [0.0, 1.0]
    with pytest.raises(
        InvestmentInputError, match=r"meta\.phase_in has 2 values; allowed exactly 3"
    ):
        scenario_from_dict(d)
    d["meta"]["phase_in"] = [0.0, 0.6, 0.5]
    with pytest.raises(InvestmentInputError, match="non-decreasing"):
        scenario_from_dict(d)
    d = hand_dict(pop_file)
    d["meta"]["target_year"] = 2025
    with pytest.raises(InvestmentInputError, match=r"meta\.target_year = 2025 is outside"):
        scenario_from_dict(d)
    d = hand_dict(pop_file)
    d["induced"] = {"method": "keynes"}
    with pytest.raises(InvestmentInputError, match=r"induced\.method = 'keynes'; allowed"):
        scenario_from_dict(d)
    d = hand_dict(pop_file)
    d["macro"]["employed_women"] = 2e5
    with pytest.raises(
        InvestmentInputError, match=r"macro\.employed_women = 200000; allowed range"
    ):
        scenario_from_dict(d)
    d = hand_dict(pop_file)
    del d["services"][0]["persons_per_staff"]
    with pytest.raises(InvestmentInputError, match=r"services\.cc\.persons_per_staff is missing"):
        scenario_from_dict(d)
    d = hand_dict(pop_file)
    d["meta"]["country"] = "atlantis"
    with pytest.raises(InvestmentInputError, match=r"country = 'atlantis' has no dataset"):
        scenario_from_dict(d)
    bad = tmp_path / "bad.toml"
    bad.write_text("[meta\nname=")
    with pytest.raises(InvestmentInputError, match="not valid TOML"):
        load_scenario(bad)


def test_unknown_sector_named(hand):
    model = IOModel.from_coefficients(TINY_A, sectors=["A", "B"])
    with pytest.raises(InvestmentInputError, match=r"sector = 'S2' is not in the model"):
        simulate(hand, model)


# ------------------------------------------------------------------ hand-computed
def test_hand_computed_small_scenario(hand):
    model = tiny_model()
    res = simulate(hand, model)
    s = res.summary.set_index("year").loc[2027]
    new = 0.4 * 3000  # (0.6 - 0.2) x 3 ages x 1000 children
    care, other = new / 5, new / 5 * 0.5  # 240, 120
    wages = care * 20000 + other * 15000  # 6.6 million
    gross = wages * 1.2 / 0.8  # employer contributions, non-staff share 0.2
    nonstaff = gross * 0.2
    assert s["newly_covered"] == pytest.approx(new)
    assert s["jobs_direct_care"] == pytest.approx(240)
    assert s["jobs_direct_other"] == pytest.approx(120)
    assert s["gross_cost"] == pytest.approx(gross)
    assert s["gross_cost_pct_gdp"] == pytest.approx(100 * gross / 1e9)
    assert s["current_spending"] == pytest.approx(0.001 * 1e9)
    # indirect: non-staff spending with S2's input structure d = A[:, 1] / sum
    d = TINY_A[:, 1] / TINY_A[:, 1].sum()
    lo = np.linalg.inv(np.eye(2) - TINY_A)
    e, w, g = np.array([0.01, 0.02]), np.array([0.3, 0.5]), np.array([0.3, 0.8])
    ind = e @ lo @ d * nonstaff
    assert s["jobs_indirect"] == pytest.approx(ind)
    assert s["jobs_induced"] == 0
    assert s["jobs_women"] == pytest.approx(0.9 * 240 + 0.5 * 120 + (e * g) @ lo @ d * nonstaff)
    comp_ind = w @ lo @ d * nonstaff
    net = 0.85 / 1.2
    y = 0.85 * wages + net * comp_ind
    returns = 0.35 * wages + comp_ind * (1 - net) + 0.1 * 0.8 * y + 0.5 * (360 + ind) * 1000
    assert s["fiscal_returns"] == pytest.approx(returns)
    assert s["net_funding"] == pytest.approx(gross - returns)
    assert s["net_funding_pct_gross"] == pytest.approx(100 * (gross - returns) / gross)
    assert s["women_emp_rate_change_pp"] == pytest.approx(100 * s["jobs_women"] / 1e5)
    assert s["gender_gap_pp"] == pytest.approx(10 + s["gender_gap_change_pp"])
    # half way in 2026 (linear phase-in)
    assert res.summary.set_index("year").loc[2026, "jobs_direct"] == pytest.approx(180)


def test_type_ii_equals_closed_leontief_inverse(hand):
    """The closed-form induced effect equals Miller and Blair's closed model (eq. 2.25)."""
    model = tiny_model()
    scn = dataclasses.replace(hand, induced="type_ii")
    s = simulate(scn, model).summary.set_index("year").loc[2027]
    tau, r, m = 0.15, 0.2, 0.8
    h = model.compensation * (1 - tau) / (1 + r)
    lbar = closed_leontief_inverse(model.A, h, m * model.consumption_shares)
    wages = 6.6e6
    nonstaff = wages * 1.2 / 0.8 * 0.2
    d = TINY_A[:, 1] / TINY_A[:, 1].sum()
    # exogenous injections: non-staff purchases into sectors, direct disposable wages to households
    inj = np.append(d * nonstaff, (1 - tau) * wages)
    x = lbar @ inj
    jobs_io = model.employment @ x[:2]  # indirect + induced
    assert s["jobs_indirect"] + s["jobs_induced"] == pytest.approx(jobs_io, rel=1e-10)
    # total household disposable income is the household row of the closed model
    consumption = s["tax_consumption"] / 0.1
    assert consumption == pytest.approx(m * x[2], rel=1e-10)


def test_multiplier_method(hand):
    scn = dataclasses.replace(hand, induced="multiplier", consumption_multiplier=1.5)
    s = simulate(scn, tiny_model()).summary.set_index("year").loc[2027]
    assert s["jobs_induced"] == pytest.approx(0.5 * (s["jobs_direct"] + s["jobs_indirect"]))


def test_wage_floor_and_upgrade_cost(pop_file):
    scn = scenario_from_dict(
        hand_dict(
            pop_file,
            wage=None,
            wage_relative_to_average=0.5,
            wage_floor_relative_to_average=0.8,
            current_staff=100,
        )
    )
    bs = simulate(scn, tiny_model()).by_service.set_index("year")
    assert bs.loc[2027, "care_wage"] == pytest.approx(24000)
    # pay rise for 100 existing workers from 15,000 to 24,000, with employer contributions
    assert bs.loc[2027, "wage_upgrade_cost"] == pytest.approx(100 * 9000 * 1.2)
    assert bs.loc[2026, "wage_upgrade_cost"] == pytest.approx(0.5 * 100 * 9000 * 1.2)


# ------------------------------------------------------------------ properties
def _with(scn, **kw):
    return dataclasses.replace(scn, services=(dataclasses.replace(scn.services[0], **kw),))


@settings(max_examples=30, deadline=None)
@given(gap=st.floats(0.0, 0.8), lam=st.floats(0.0, 1.0))
def test_costs_and_direct_jobs_linear_in_gap(hand, gap, lam):
    model = tiny_model()
    full = simulate(_with(hand, target_coverage=0.2 + gap), model).summary
    part = simulate(_with(hand, target_coverage=0.2 + lam * gap), model).summary
    for col in ("gross_cost", "jobs_direct", "jobs_indirect", "newly_covered"):
        np.testing.assert_allclose(part[col], lam * full[col], rtol=1e-9, atol=1e-6)


@settings(max_examples=20, deadline=None)
@given(cov=st.floats(0.0, 1.0), method=st.sampled_from(["none", "type_ii", "multiplier"]))
def test_zero_gap_zero_cost_and_jobs(hand, cov, method):
    scn = dataclasses.replace(
        _with(hand, current_coverage=cov, target_coverage=cov),
        induced=method,
        consumption_multiplier=1.4,
    )
    s = simulate(scn, tiny_model()).summary
    for col in ("gross_cost", "jobs_total", "jobs_women", "fiscal_returns", "net_funding"):
        np.testing.assert_allclose(s[col], 0.0, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(
    t1=st.floats(0.2, 1.0),
    t2=st.floats(0.2, 1.0),
    method=st.sampled_from(["none", "type_ii", "multiplier"]),
)
def test_jobs_increase_with_coverage(hand, t1, t2, method):
    lo_t, hi_t = sorted((t1, t2))
    scn = dataclasses.replace(hand, induced=method, consumption_multiplier=1.3)
    lo = simulate(_with(scn, target_coverage=lo_t), tiny_model()).summary
    hi = simulate(_with(scn, target_coverage=hi_t), tiny_model()).summary
    assert (hi["jobs_total"] >= lo["jobs_total"] - 1e-9).all()
    assert (hi["gross_cost"] >= lo["gross_cost"] - 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(
    tax=st.floats(0.0, 0.5),
    ee=st.floats(0.0, 0.3),
    er=st.floats(0.0, 0.5),
    vat=st.floats(0.0, 0.3),
    m=st.floats(0.0, 0.95),
    u=st.floats(0.0, 1.0),
    method=st.sampled_from(["none", "type_ii", "multiplier"]),
)
def test_net_never_exceeds_gross(hand, tax, ee, er, vat, m, u, method):
    fiscal = dataclasses.replace(
        hand.fiscal,
        income_tax_rate=tax,
        employee_contribution_rate=ee,
        employer_contribution_rate=er,
        indirect_tax_rate=vat,
        propensity_to_consume=m,
        share_from_unemployment=u,
    )
    scn = dataclasses.replace(hand, fiscal=fiscal, induced=method, consumption_multiplier=1.2)
    s = simulate(scn, tiny_model()).summary
    assert (s["net_funding"] <= s["gross_cost"] + 1e-9).all()
    assert (s["fiscal_returns"] >= 0).all()


# ------------------------------------------------------------------ uncertainty
RANGES = [
    ParameterRange("services.childcare_0_2.persons_per_staff", 3, 6, dist="triangular"),
    ParameterRange("services.ltc_80_plus.target_coverage", 0.5, 0.8),
    ParameterRange("fiscal.propensity_to_consume", 0.7, 0.95),
    ParameterRange("macro.real_wage_growth", 0.0, 0.02),
]


def test_monte_carlo_seeded_and_ordered():
    scn = example_scenario()
    a = monte_carlo(scn, RANGES, n_draws=300, seed=7)
    b = monte_carlo(scn, RANGES, n_draws=300, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert list(a.columns[:6]) == ["year", "measure", "estimate", "mean", "ci_low", "ci_high"]
    ok = a.dropna(subset=["estimate"])
    assert (ok["ci_low"] <= ok["estimate"] + 1e-9).all()
    assert (ok["estimate"] <= ok["ci_high"] + 1e-9).all()
    tgt = a[(a.year == 2035) & (a.measure == "gross_cost")].iloc[0]
    assert tgt["ci_high"] > tgt["ci_low"]
    assert a.attrs["draws"].shape == (300, 4)


def test_monte_carlo_degenerate_ranges_equal_deterministic():
    scn = example_scenario()
    det = simulate(scn).summary.set_index("year")
    fixed = [
        ParameterRange("services.childcare_0_2.persons_per_staff", 4, 4),
        ParameterRange("fiscal.income_tax_rate", 0.12, 0.12),
    ]
    mc = monte_carlo(scn, fixed, n_draws=5, measures=["net_funding", "jobs_total"])
    for meas in ("net_funding", "jobs_total"):
        got = mc[mc.measure == meas].set_index("year")
        np.testing.assert_allclose(got["estimate"], det[meas], rtol=1e-12)
        np.testing.assert_allclose(got["ci_high"], det[meas], rtol=1e-12)


def test_monte_carlo_bad_inputs():
    scn = example_scenario()
    with pytest.raises(InvestmentInputError, match=r"services\.childcare_0_2\.target_coverage low"):
        monte_carlo(scn, [ParameterRange("services.childcare_0_2.target_coverage", 0.1, 0.6)])
    with pytest.raises(InvestmentInputError, match=r"fiscal\.income_tax_rate high = 1\.5"):
        monte_carlo(scn, [ParameterRange("fiscal.income_tax_rate", 0.1, 1.5)])
    with pytest.raises(InvestmentInputError, match="different values"):
        monte_carlo(scn, [ParameterRange("services.*.non_staff_cost_share", 0.1, 0.3)])
    with pytest.raises(InvestmentInputError, match="not recognised"):
        monte_carlo(scn, [ParameterRange("macro.nonsense.x", 0, 1)])
    with pytest.raises(InvestmentInputError, match=r"level = 1\.5"):
        monte_carlo(scn, RANGES, level=1.5)


def test_sensitivity_table():
    scn = example_scenario()
    det = simulate(scn).summary.set_index("year").loc[2035, "net_funding"]
    tab = sensitivity(scn, RANGES, measure="net_funding")
    assert tab["result_base"].iloc[0] == pytest.approx(det, rel=1e-12)
    assert (tab["swing"].diff().iloc[1:] <= 0).all()
    row = tab.set_index("parameter").loc["services.childcare_0_2.persons_per_staff"]
    assert row["result_high"] < row["result_base"] < row["result_low"]  # fewer staff, less cost


# ------------------------------------------------------------------ comparison and plots
def test_compare_sectors_example():
    res = simulate(example_scenario())
    comp = compare_sectors(res)
    assert list(comp["case"]) == ["care (scenario)", "care (IO)", "comparison (CON)"]
    assert comp["spending"].nunique() == 1
    cmp = comp.set_index("case")
    assert cmp.loc["care (IO)", "women_share"] > cmp.loc["comparison (CON)", "women_share"]
    m = example_io_model()
    f = float(comp["spending"].iloc[0]) / m.money_unit
    j = m.index_of("CON")
    assert cmp.loc["comparison (CON)", "jobs_direct"] == pytest.approx(m.employment[j] * f)
    with pytest.raises(InvestmentInputError, match=r"year = 1999 not simulated"):
        compare_sectors(res, year=1999)


def test_compare_sectors_type_ii_matches_multipliers(hand):
    model = tiny_model()
    scn = dataclasses.replace(hand, induced="type_ii")
    comp = compare_sectors(simulate(scn, model), "S1").set_index("case")
    f = comp.loc["comparison (S1)", "spending"]
    mm = model.multipliers(
        labour_tax_rate=0.15, employer_contribution_rate=0.2, propensity_to_consume=0.8
    )
    assert comp.loc["comparison (S1)", "jobs_total"] == pytest.approx(
        f * mm.loc["S1", "employment_multiplier_type_ii"], rel=1e-10
    )


def test_plots_smoke():
    import matplotlib.pyplot as plt

    scn = example_scenario()
    res = simulate(scn)
    mc = monte_carlo(scn, RANGES, n_draws=50, measures=["gross_cost_pct_gdp"])
    fig, axes = plt.subplots(2, 3)
    plot_cost_path(res, intervals=mc, ax=axes[0, 0])
    plot_jobs(res, ax=axes[0, 1])
    plot_net_funding(res, ax=axes[0, 2])
    plot_comparison(compare_sectors(res), ax=axes[1, 0])
    plot_tornado(sensitivity(scn, RANGES), ax=axes[1, 1])
    plot_cost_path(res, pct_gdp=False, ax=axes[1, 2])
    assert axes[0, 1].get_title().startswith("Jobs created")
    plt.close(fig)
