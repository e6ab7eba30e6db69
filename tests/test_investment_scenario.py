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
            # 10 (was 1000): tiny_model() pays 25-30 XCU of compensation per job, and since the
            # fix of issue 13 item 4 (household income net of the benefit lost) a benefit above
            # the earnings per job is refused
            "unemployment_benefit": 10.0,
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
    assert set(res.jobs["type"]) == {
        "direct_care", "direct_other", "indirect", "induced", "capital"
    }
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
            # upper end 1000 since the one field specification (investment/fields.py, issue 13
            # item 18 / issue 14 item 3): it was only in the HTTP schema before
            r"services\.cc\.persons_per_staff = 0 is outside the allowed range \(0, 1000\]",
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
    # issue 15: meta.country is a data-set name or an ISO3 code of the country database, so
    # the message names both (with the database's closest codes)
    with pytest.raises(InvestmentInputError,
                       match=r"meta\.country = 'atlantis' is neither a country data set "
                             r"\(\['example'\]\) nor a country of the database"):
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
    # issue 13 item 4: household income is net of the benefit lost (0.5 x 10 per new job)
    y = 0.85 * wages + net * comp_ind - 0.5 * (360 + ind) * 10
    returns = 0.35 * wages + comp_ind * (1 - net) + 0.1 * 0.8 * y + 0.5 * (360 + ind) * 10
    assert s["fiscal_returns"] == pytest.approx(returns)
    assert s["net_funding"] == pytest.approx(gross - returns)
    assert s["net_funding_pct_gross"] == pytest.approx(100 * (gross - returns) / gross)
    assert s["women_emp_rate_change_pp"] == pytest.approx(100 * s["jobs_women"] / 1e5)
    assert s["gender_gap_pp"] == pytest.approx(10 + s["gender_gap_change_pp"])
    # half way in 2026 (linear phase-in)
    assert res.summary.set_index("year").loc[2026, "jobs_direct"] == pytest.approx(180)


def test_type_ii_equals_closed_leontief_inverse(hand):
    """The closed-form induced effect equals Miller and Blair's closed model (eq. 2.25), with
    household consumption coefficients (1 - v) m c: of consumption m y at purchasers' prices,
    indirect taxes v m y go to the government and only (1 - v) m y is demand for producers."""
    model = tiny_model()
    scn = dataclasses.replace(hand, induced="type_ii")
    s = simulate(scn, model).summary.set_index("year").loc[2027]
    tau, r, m, v = 0.15, 0.2, 0.8, 0.1
    # issue 13 item 4: household income per unit of output net of the benefit lost (u b e)
    h = model.compensation * (1 - tau) / (1 + r) - 0.5 * 10 * model.employment
    lbar = closed_leontief_inverse(model.A, h, (1 - v) * m * model.consumption_shares)
    wages = 6.6e6
    nonstaff = wages * 1.2 / 0.8 * 0.2
    d = TINY_A[:, 1] / TINY_A[:, 1].sum()
    # exogenous injections: non-staff purchases into sectors, direct disposable wages to households
    inj = np.append(d * nonstaff, (1 - tau) * wages - 0.5 * 10 * 360)
    x = lbar @ inj
    jobs_io = model.employment @ x[:2]  # indirect + induced
    assert s["jobs_indirect"] + s["jobs_induced"] == pytest.approx(jobs_io, rel=1e-10)
    # total household disposable income is the household row of the closed model; indirect
    # taxes are v x consumption at purchasers' prices
    consumption = s["tax_consumption"] / v
    assert consumption == pytest.approx(m * x[2], rel=1e-10)


def test_indirect_taxes_are_not_demand_for_producers(hand):
    """I4: induced jobs come from (1 - v) m y only; before the fix the whole of m y (taxes
    included) entered the Leontief demand, so v did not change induced jobs at all."""
    model = tiny_model()
    scn = dataclasses.replace(hand, induced="type_ii")
    runs = {}
    for v in (0.0, 0.2):
        fis = dataclasses.replace(scn.fiscal, indirect_tax_rate=v)
        runs[v] = simulate(dataclasses.replace(scn, fiscal=fis), model).summary.iloc[-1]
    assert runs[0.2]["jobs_induced"] < runs[0.0]["jobs_induced"]
    # hand check for v = 0.2: y from the consumption tax, induced jobs = e'Lc (1 - v) m y
    s, m, v = runs[0.2], 0.8, 0.2
    y = s["tax_consumption"] / (v * m)
    elc = model.employment @ model.L @ model.consumption_shares
    assert s["jobs_induced"] == pytest.approx(elc * (1 - v) * m * y, rel=1e-12)
    # and y solves y = y0 + net w'Lc (1 - v) m y
    net = 0.85 / 1.2
    wlc = model.compensation @ model.L @ model.consumption_shares
    # issue 13 item 4: net of the benefit lost, u b = 0.5 x 10 per new job
    y0 = (s["tax_direct_labour"] + s["tax_indirect_labour"]) / (1 - net) * net - 5 * (
        s["jobs_direct"] + s["jobs_indirect"]
    )
    theta = (net * wlc - 5 * elc) * (1 - v) * m
    assert y == pytest.approx(y0 / (1 - theta), rel=1e-12)


def test_multiplier_method(hand):
    scn = dataclasses.replace(hand, induced="multiplier", consumption_multiplier=1.5)
    s = simulate(scn, tiny_model()).summary.set_index("year").loc[2027]
    # issue 13 item 4: the multiplier applies to the net gain, share y0 / (net x earnings)
    jobs1 = s["jobs_direct"] + s["jobs_indirect"]
    gross0 = (s["tax_direct_labour"] + s["tax_indirect_labour"]) / (1 - 0.85 / 1.2) * 0.85 / 1.2
    share = (gross0 - 5 * jobs1) / gross0
    assert s["jobs_induced"] == pytest.approx(0.5 * jobs1 * share)


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


def test_zero_gap_with_wage_floor_costs_the_pay_rise(pop_file):
    """Zero gap, two cases.  Without existing staff (or without a binding floor) a zero gap
    costs nothing; with a floor above the current wage and existing staff it costs the pay
    rise of those staff (plus its induced jobs and returns), and costs are affine in the gap:
    G(lam) = U + lam (G(1) - U), not linear."""
    model = tiny_model()
    floor = {"wage": None, "wage_relative_to_average": 0.5, "wage_floor_relative_to_average": 0.8}
    cases = {}
    for staff in (0, 100):
        d = hand_dict(
            pop_file, current_staff=staff, current_coverage=0.4, target_coverage=0.4, **floor
        )
        d["induced"] = {"method": "type_ii"}
        cases[staff] = simulate(scenario_from_dict(d), model).summary.set_index("year")
    none = cases[0].loc[2027]
    for col in ("gross_cost", "jobs_direct", "jobs_indirect", "jobs_total", "fiscal_returns"):
        assert none[col] == pytest.approx(0.0, abs=1e-9)
    rise = cases[100].loc[2027]
    # 100 staff from 0.5 to 0.8 x 30,000 = +9,000 a year each, with 20% employer contributions
    assert rise["gross_cost"] == pytest.approx(100 * 9000 * 1.2)
    assert rise["jobs_direct"] == 0 and rise["jobs_indirect"] == 0
    assert rise["jobs_induced"] > 0 and rise["tax_direct_labour"] == pytest.approx(
        0.35 * 100 * 9000
    )
    # affine in the gap: half the gap costs U + (G(1) - U) / 2, not G(1) / 2
    gaps = {}
    for tgt in (0.4, 0.5, 0.6):
        d = hand_dict(
            pop_file, current_staff=100, current_coverage=0.4, target_coverage=tgt, **floor
        )
        gaps[tgt] = simulate(scenario_from_dict(d), model).summary.iloc[-1]["gross_cost"]
    upgrade = gaps[0.4]
    assert gaps[0.5] - upgrade == pytest.approx((gaps[0.6] - upgrade) / 2, rel=1e-12)
    assert gaps[0.5] != pytest.approx(gaps[0.6] / 2, rel=1e-3)


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


@pytest.mark.parametrize(
    "rate", ["income_tax_rate", "employer_contribution_rate", "indirect_tax_rate"]
)
def test_net_exceeds_gross_only_with_negative_rates_which_validation_rejects(hand, pop_file, rate):
    """The property above needs non-negative rates: forced negative (bypassing validation)
    the net requirement exceeds the gross cost; the loader and ParameterRange reject them."""
    fiscal = dataclasses.replace(
        hand.fiscal,
        employee_contribution_rate=0.0,
        share_from_unemployment=0.0,
        **{"income_tax_rate": 0.0, "employer_contribution_rate": 0.0, "indirect_tax_rate": 0.0},
    )
    fiscal = dataclasses.replace(fiscal, **{rate: -0.3})
    s = simulate(dataclasses.replace(hand, fiscal=fiscal), tiny_model()).summary.iloc[-1]
    assert s["net_funding"] > s["gross_cost"] > 0
    d = hand_dict(pop_file)
    d["fiscal"][rate] = -0.3
    with pytest.raises(InvestmentInputError, match=rf"fiscal\.{rate} = -0\.3 is outside"):
        scenario_from_dict(d)
    scn = example_scenario()
    with pytest.raises(InvestmentInputError, match=rf"fiscal\.{rate} low = -0\.3 is outside"):
        monte_carlo(scn, [ParameterRange(f"fiscal.{rate}", -0.3, 0.1)], draws=2)


# ------------------------------------------------------------------ uncertainty
RANGES = [
    ParameterRange("services.childcare_0_2.persons_per_staff", 3, 6, dist="triangular"),
    ParameterRange("services.ltc_80_plus.target_coverage", 0.5, 0.8),
    ParameterRange("fiscal.propensity_to_consume", 0.7, 0.95),
    ParameterRange("macro.real_wage_growth", 0.0, 0.02),
]


def test_monte_carlo_seeded_and_ordered():
    scn = example_scenario()
    a = monte_carlo(scn, RANGES, draws=300, seed=7)
    b = monte_carlo(scn, RANGES, draws=300, seed=7)
    c = monte_carlo(scn, RANGES, draws=300, seed=8)
    # same seed: identical draws and results; another seed: other draws and other results
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a.attrs["draws"], b.attrs["draws"])
    assert not np.any(a.attrs["draws"].to_numpy() == c.attrs["draws"].to_numpy())
    # issue 14 item 4: the one Monte Carlo schema of carecost.uncertainty (was year, measure,
    # estimate = median, mean, ci_low, ci_high, level, n_draws)
    assert list(a.columns) == ["measure", "year", "point", "mean", "median", "sd", "ci_low",
                               "ci_high", "level", "draws"]
    tgt_a = a[(a.year == 2035) & (a.measure == "gross_cost")].iloc[0]
    tgt_c = c[(c.year == 2035) & (c.measure == "gross_cost")].iloc[0]
    assert tgt_a["ci_low"] != tgt_c["ci_low"]
    assert tgt_a["ci_high"] > tgt_a["ci_low"]
    # draws stay in their ranges
    draws = a.attrs["draws"]
    assert draws.shape == (300, 4)
    for pr in RANGES:
        assert draws[pr.path].between(pr.low, pr.high).all()


def test_monte_carlo_interval_shrinks_with_narrower_range():
    scn = example_scenario()
    wide = [ParameterRange("services.childcare_0_2.persons_per_staff", 3, 6)]
    narrow = [ParameterRange("services.childcare_0_2.persons_per_staff", 3.9, 4.1)]
    width = {}
    for name, rng in (("wide", wide), ("narrow", narrow)):
        mc = monte_carlo(scn, rng, draws=400, seed=1, measures=["gross_cost"])
        row = mc[mc.year == 2035].iloc[0]
        width[name] = row["ci_high"] - row["ci_low"]
    assert 0 < width["narrow"] < width["wide"] / 5


def test_monte_carlo_percentiles_of_one_uniform_parameter():
    """Hand-checkable: newly covered persons in the target year are linear in the target
    coverage, (t - c0) N, so with t ~ U(a, b) the p-quantile is (a + p (b - a) - c0) N."""
    scn = example_scenario()
    a, b, level = 0.5, 0.8, 0.9
    pr = ParameterRange("services.ltc_80_plus.target_coverage", a, b)
    mc = monte_carlo(scn, [pr], draws=20_000, seed=3, level=level, measures=["newly_covered"])
    row = mc[mc.year == 2035].iloc[0]
    det = simulate(scn).by_service.set_index(["year", "service"])
    others = det.loc[2035]["newly_covered"].drop("ltc_80_plus").sum()
    svc = det.loc[(2035, "ltc_80_plus")]
    need = svc["need_population"]
    c0 = scn.service("ltc_80_plus").current_coverage

    def q(p: float) -> float:
        return others + (a + p * (b - a) - c0) * need

    # 20,000 draws: the sample quantile's standard error is below 0.2% of (b - a) N
    tol = 0.005 * (b - a) * need
    assert row["ci_low"] == pytest.approx(q((1 - level) / 2), abs=tol)
    assert row["median"] == pytest.approx(q(0.5), abs=tol)  # issue 14: "estimate" -> "median"
    assert row["point"] == pytest.approx(q((scn.service("ltc_80_plus").target_coverage - a)
                                           / (b - a)), rel=1e-12)  # the scenario's own value
    assert row["ci_high"] == pytest.approx(q((1 + level) / 2), abs=tol)
    assert row["mean"] == pytest.approx(q(0.5), abs=tol)


def test_monte_carlo_degenerate_ranges_equal_deterministic():
    scn = example_scenario()
    det = simulate(scn).summary.set_index("year")
    fixed = [
        ParameterRange("services.childcare_0_2.persons_per_staff", 4, 4),
        ParameterRange("fiscal.income_tax_rate", 0.12, 0.12),
    ]
    mc = monte_carlo(scn, fixed, draws=5, measures=["net_funding", "jobs_total"])
    for meas in ("net_funding", "jobs_total"):
        got = mc[mc.measure == meas].set_index("year")
        np.testing.assert_allclose(got["median"], det[meas], rtol=1e-12)
        np.testing.assert_allclose(got["point"], det[meas], rtol=1e-12)
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
    # issue 14 item 4: the one tornado schema (result_low/base/high -> value_low/base/high)
    assert tab["base"].iloc[0] == pytest.approx(det, rel=1e-12)
    assert (tab["swing"].diff().iloc[1:] <= 0).all()
    row = tab.set_index("parameter").loc["services.childcare_0_2.persons_per_staff"]
    assert row["value_high"] < row["base"] < row["value_low"]  # fewer staff, less cost
    assert (row["low_input"], row["base_input"], row["high_input"]) == (
        3, scn.service("childcare_0_2").persons_per_staff, 6)
    assert (tab["measure"] == "net_funding").all() and (tab["year"] == 2035).all()


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
        labour_tax_rate=0.15,
        employer_contribution_rate=0.2,
        propensity_to_consume=0.8,
        indirect_tax_rate=0.1,
        lost_benefit_per_person=0.5 * 10,  # issue 13 item 4: net of the benefit lost
    )
    assert comp.loc["comparison (S1)", "jobs_total"] == pytest.approx(
        f * mm.loc["S1", "employment_multiplier_type_ii"], rel=1e-10
    )


def test_plots_smoke():
    import matplotlib.pyplot as plt

    scn = example_scenario()
    res = simulate(scn)
    mc = monte_carlo(scn, RANGES, draws=50, measures=["gross_cost_pct_gdp"])
    fig, axes = plt.subplots(2, 3)
    plot_cost_path(res, intervals=mc, ax=axes[0, 0])
    plot_jobs(res, ax=axes[0, 1])
    plot_net_funding(res, ax=axes[0, 2])
    plot_comparison(compare_sectors(res), ax=axes[1, 0])
    plot_tornado(sensitivity(scn, RANGES), ax=axes[1, 1])
    plot_cost_path(res, pct_gdp=False, ax=axes[1, 2])
    assert axes[0, 1].get_title().startswith("Jobs created")
    plt.close(fig)


# ------------------------------------------------------------------ review fixes
def test_monte_carlo_rejects_current_coverage_above_target():
    """I1: independent draws of current and target coverage must never give a negative gap."""
    scn = example_scenario()
    # target 0.50 fixed, current drawn up to 0.6: some draws would have current > target
    with pytest.raises(
        InvestmentInputError,
        # issue 14 item 3: the message of the one constraint (fields.JOINT), at the range ends
        match=r"services\.childcare_0_2\.target_coverage = 0\.5 is below current_coverage "
        r"high = 0\.6 at the ends of the Monte Carlo ranges \(some draws would break it\); "
        r"allowed range \[0\.6, 1\] \(a negative coverage gap\)",
    ):
        monte_carlo(
            scn, [ParameterRange("services.childcare_0_2.current_coverage", 0.1, 0.6)], draws=50
        )
    # both ranged and overlapping: target low 0.25 < current high 0.3
    with pytest.raises(
        InvestmentInputError,
        # issue 14 item 3: the one message of the constraint in fields.JOINT (same numbers)
        match=r"services\.childcare_0_2\.target_coverage low = 0\.25 is below "
        r"current_coverage high = 0\.3 at the ends of the Monte Carlo ranges",
    ):
        monte_carlo(
            scn,
            [
                ParameterRange("services.childcare_0_2.current_coverage", 0.1, 0.3),
                ParameterRange("services.childcare_0_2.target_coverage", 0.25, 0.6),
            ],
            draws=50,
        )
    # services.* applies to every service: preschool's target is 0.95, childcare's 0.5
    with pytest.raises(InvestmentInputError, match=r"services\.\*\.target_coverage low = 0\.52"):
        monte_carlo(
            dataclasses.replace(
                scn,
                services=tuple(dataclasses.replace(s, target_coverage=0.95) for s in scn.services),
            ),
            [ParameterRange("services.*.target_coverage", 0.52, 0.96)],
            draws=5,
        )
    # non-overlapping ranges are fine and give non-negative gaps in every draw
    ok = monte_carlo(
        scn,
        [
            ParameterRange("services.childcare_0_2.current_coverage", 0.1, 0.3),
            ParameterRange("services.childcare_0_2.target_coverage", 0.3, 0.6),
        ],
        draws=200,
        measures=["newly_covered", "gross_cost", "jobs_total"],
    )
    assert (ok[["median", "ci_low", "ci_high"]] >= -1e-9).all().all()


def test_sensitivity_rejects_current_coverage_above_target():
    scn = example_scenario()
    with pytest.raises(
        InvestmentInputError,
        match=r"services\.childcare_0_2\.target_coverage = 0\.5 is below "
        r"current_coverage = 0\.6 in sensitivity run "
        r"services\.childcare_0_2\.current_coverage = 0\.6 \(high\)",
    ):
        sensitivity(scn, [ParameterRange("services.childcare_0_2.current_coverage", 0.1, 0.6)])


def test_draws_are_checked_jointly_in_the_core():
    """The last line of defence names the parameter and the draw (issue 14 item 3: the
    engine is ``_evaluate``, composing carecost.investment.steps)."""
    from carecost.investment.model import _evaluate

    scn = example_scenario()
    cur = np.array([[0.1], [0.2], [0.55]])
    with pytest.raises(
        InvestmentInputError,
        match=r"services\.childcare_0_2\.target_coverage = 0\.5 is below "
        r"current_coverage = 0\.55 in draw 2",
    ):
        _evaluate(scn, example_io_model(), {"services.childcare_0_2.current_coverage": cur})
    with pytest.raises(
        InvestmentInputError,
        match=r"fiscal\.share_from_unemployment = 0\.9 exceeds "
        r"macro\.share_from_non_employment = 0\.5 in draw 1",
    ):
        _evaluate(
            scn,
            example_io_model(),
            {
                "fiscal.share_from_unemployment": np.array([[0.2], [0.9]]),
                "macro.share_from_non_employment": np.array([[0.5], [0.5]]),
            },
        )


def test_other_staff_need_a_wage(pop_file):
    """I2: other staff (non_care_staff_ratio > 0) without their wage were costed at 0."""
    d = hand_dict(pop_file)
    del d["services"][0]["non_care_wage_relative_to_average"]
    with pytest.raises(
        InvestmentInputError,
        match=r"services\.cc\.non_care_wage_relative_to_average = None but "
        r"services\.cc\.non_care_staff_ratio = 0\.5 > 0.*allowed range \(0, 10\]",
    ):
        scenario_from_dict(d)
    with pytest.raises(
        InvestmentInputError, match=r"services\.cc\.non_care_wage_relative_to_average = 0\b"
    ):
        scenario_from_dict(hand_dict(pop_file, non_care_wage_relative_to_average=0))
    # no other staff: no wage needed
    d = hand_dict(pop_file, non_care_staff_ratio=0)
    del d["services"][0]["non_care_wage_relative_to_average"]
    assert scenario_from_dict(d).services[0].non_care_wage_relative_to_average == 0
    # Monte Carlo cannot switch other staff on without a wage either
    scn = scenario_from_dict(d)
    with pytest.raises(
        InvestmentInputError,
        # issue 14 item 3: the message of the constraint in fields.JOINT, on the range ends
        match=r"services\.cc\.non_care_wage_relative_to_average = 0 but "
        r"services\.cc\.non_care_staff_ratio high = 0\.5 > 0 at the ends of the Monte Carlo "
        r"ranges",
    ):
        monte_carlo(
            scn, [ParameterRange("services.cc.non_care_staff_ratio", 0.0, 0.5)], model=tiny_model()
        )


def _pop_csv(tmp_path, rows) -> str:
    path = tmp_path / "pop_bad.csv"
    pd.DataFrame(rows, columns=["year", "age", "population"]).to_csv(path, index=False)
    return str(path)


def test_population_missing_values_are_not_zero(tmp_path):
    """I3: a missing population cell was read as 0 (pivot_table with sum)."""
    rows = [(y, a, 1000.0) for y in range(2025, 2028) for a in range(3)]
    rows[4] = (2026, 1, np.nan)  # file line 6
    with pytest.raises(
        InvestmentInputError,
        match=r"population is missing or not a number in line 6 \(year 2026(\.0)?, age 1",
    ):
        scenario_from_dict(hand_dict(_pop_csv(tmp_path, rows)))
    rows[4] = (2026, 1, "n/a")
    with pytest.raises(InvestmentInputError, match=r"population is missing or not a number"):
        scenario_from_dict(hand_dict(_pop_csv(tmp_path, rows)))


def test_population_duplicates_are_not_summed(tmp_path, pop_file):
    """I3: a duplicated (year, age) row was silently added to the first."""
    rows = [(y, a, 1000) for y in range(2025, 2028) for a in range(3)]
    rows.append((2027, 2, 1000))  # file lines 10 and 11
    with pytest.raises(
        InvestmentInputError,
        match=r"\(year, age\) occurs more than once in line 10 \(year 2027, age 2\); "
        r"line 11 \(year 2027, age 2\)",
    ):
        scenario_from_dict(hand_dict(_pop_csv(tmp_path, rows)))
    # a Scenario whose table was replaced after loading is checked too
    scn = scenario_from_dict(hand_dict(pop_file))
    dup = pd.concat([scn.population, scn.population.iloc[[0]]], ignore_index=True)
    with pytest.raises(
        InvestmentInputError, match=r"more than one row for \(year, age\) \[\(2025, 0\)\]"
    ):
        scn.__class__.need_population(dataclasses.replace(scn, population=dup), scn.services[0])
    gap = scn.population.drop(index=3)
    with pytest.raises(
        InvestmentInputError, match=r"population is missing for \(year, age\) \[\(2026, 0\)\]"
    ):
        simulate(dataclasses.replace(scn, population=gap), tiny_model())


def test_compare_sectors_splits_care_spending_by_service_sector(pop_file):
    """I5: with services in two sectors, 'care (IO)' spends each service's gross cost in its
    own sector (before: everything went to the first service's sector)."""
    d = hand_dict(pop_file)
    second = dict(d["services"][0], name="cc2", sector="S1", persons_per_staff=10)
    d["services"].append(second)
    d["comparison"] = {"sector": "S2"}
    scn = scenario_from_dict(d)
    model = tiny_model()
    res = simulate(scn, model)
    comp = compare_sectors(res).set_index("case")
    bs = res.by_service[res.by_service.year == 2027].set_index("service")["gross_cost"]
    f = np.array([bs["cc2"], bs["cc"]])  # S1, S2
    e = model.employment
    assert comp.loc["care (IO)", "sector"] == "S1/S2"
    assert comp.loc["care (IO)", "spending"] == pytest.approx(f.sum())
    assert comp.loc["care (IO)", "jobs_direct"] == pytest.approx(e @ f)
    assert comp.loc["care (IO)", "jobs_indirect"] == pytest.approx(e @ model.L @ f - e @ f)
    assert comp.attrs["care_demand_by_sector"] == pytest.approx({"S1": f[0], "S2": f[1]})
    # the comparison sector gets the whole spending
    assert comp.loc["comparison (S2)", "jobs_direct"] == pytest.approx(e[1] * f.sum())


@pytest.mark.parametrize("method", ["none", "type_ii", "multiplier"])
def test_compare_sectors_uses_the_simulation_household_round(hand, method):
    """One implementation of induced effects and fiscal returns: hand-compute the comparison
    row's returns from first-round compensation w'L f with the simulation's equations."""
    model = tiny_model()
    scn = dataclasses.replace(hand, induced=method, consumption_multiplier=1.3)
    res = simulate(scn, model)
    row = compare_sectors(res, "S1").set_index("case").loc["comparison (S1)"]
    f = np.array([row["spending"], 0.0])
    e, w, L, c = model.employment, model.compensation, model.L, model.consumption_shares
    tau, r, m, v, u, b = 0.15, 0.2, 0.8, 0.1, 0.5, 10.0
    net = (1 - tau) / (1 + r)
    comp1, jobs1 = w @ L @ f, e @ L @ f
    y0 = net * comp1 - u * b * jobs1  # issue 13 item 4: net of the benefit lost
    if method == "type_ii":
        y = y0 / (1 - (1 - v) * m * (net * (w @ L @ c) - u * b * (e @ L @ c)))
        induced = (e @ L @ c) * (1 - v) * m * y
        induced_comp = (w @ L @ c) * (1 - v) * m * y
    elif method == "multiplier":
        induced = 0.3 * jobs1 * y0 / (net * comp1)
        induced_comp = induced * 30000 * (1 + r)
        y = y0 + net * induced_comp - u * b * induced
    else:
        induced, induced_comp, y = 0.0, 0.0, y0
    returns = (comp1 + induced_comp) * (1 - net) + v * m * y + u * (jobs1 + induced) * b
    assert row["jobs_induced"] == pytest.approx(induced, rel=1e-12, abs=1e-12)
    assert row["fiscal_returns"] == pytest.approx(returns, rel=1e-12)


def test_employment_rates_use_share_from_non_employment(pop_file):
    """Employment rises by share_from_non_employment x new jobs (default 1); it must be at
    least share_from_unemployment."""
    model = tiny_model()
    base = simulate(scenario_from_dict(hand_dict(pop_file)), model).summary.iloc[-1]
    d = hand_dict(pop_file)
    d["macro"]["share_from_non_employment"] = 0.6
    half = simulate(scenario_from_dict(d), model).summary.iloc[-1]
    for col in ("women_emp_rate_change_pp", "men_emp_rate_change_pp", "gender_gap_change_pp"):
        assert half[col] == pytest.approx(0.6 * base[col], rel=1e-12)
    assert half["women_emp_rate_change_pp"] == pytest.approx(
        100 * 0.6 * half["jobs_women"] / 1e5, rel=1e-12
    )
    assert half["jobs_total"] == base["jobs_total"]  # jobs themselves do not change
    d["macro"]["share_from_non_employment"] = 0.4  # below share_from_unemployment = 0.5
    with pytest.raises(
        InvestmentInputError,
        match=r"fiscal\.share_from_unemployment = 0\.5 exceeds "
        r"macro\.share_from_non_employment = 0\.4; allowed range \[0, 0\.4\]",
    ):
        scenario_from_dict(d)
    d["macro"]["share_from_non_employment"] = 1.2
    with pytest.raises(InvestmentInputError, match=r"macro\.share_from_non_employment = 1\.2"):
        scenario_from_dict(d)


def test_newly_covered_in_year_is_the_increment(hand, tmp_path):
    model = tiny_model()
    res = simulate(hand, model)
    s = res.summary.set_index("year")
    # 0.4 x 3,000 reached linearly over two years: 600 more each year
    np.testing.assert_allclose(s["newly_covered_in_year"], [0, 600, 600])
    np.testing.assert_allclose(s["newly_covered_in_year"].cumsum(), s["newly_covered"])
    assert "newly_covered_in_year" in res.by_service.columns
    # after the target year a shrinking population gives a negative increment
    rows = [(y, a, 1000 if y <= 2027 else 900) for y in range(2025, 2029) for a in range(3)]
    d = hand_dict(_pop_csv(tmp_path, rows))
    d["meta"]["end_year"] = 2028
    s2 = simulate(scenario_from_dict(d), model).summary.set_index("year")
    assert s2.loc[2028, "newly_covered_in_year"] == pytest.approx(0.4 * 2700 - 0.4 * 3000)


# ------------------------------------------------------------------ annual weeks, replaced spending
def test_weeks_per_year_scale_staff_and_cost(pop_file):
    """Staff FTE = persons / ratio x (service hours x service weeks) / (staff hours x staff
    weeks): a service used 48 weeks a year whose staff work 44 weeks needs 48/44 as many
    workers as with 52/52 (the default), and costs scale with the staff."""
    base = simulate(scenario_from_dict(hand_dict(pop_file)), tiny_model()).summary
    weeks = simulate(
        scenario_from_dict(
            hand_dict(pop_file, service_weeks_per_year=48, staff_weeks_per_year=44)
        ),
        tiny_model(),
    ).summary
    b, w = base.set_index("year").loc[2027], weeks.set_index("year").loc[2027]
    # by hand: 1200 newly covered children / 5 x 40*48 / (40*44) = 261.818...
    assert w["jobs_direct_care"] == pytest.approx(1200 / 5 * 48 / 44)
    assert w["jobs_direct"] == pytest.approx(b["jobs_direct"] * 48 / 44)
    assert w["gross_cost"] == pytest.approx(b["gross_cost"] * 48 / 44)
    assert w["jobs_indirect"] == pytest.approx(b["jobs_indirect"] * 48 / 44)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"service_weeks_per_year": 0}, "service_weeks_per_year = 0"),
        ({"staff_weeks_per_year": 60}, "staff_weeks_per_year = 60"),
        ({"replaced_spending_pct_gdp": 0.2}, "exceeds services.cc.current_spending_pct_gdp"),
        ({"replaced_spending_pct_gdp": -0.01}, "replaced_spending_pct_gdp = -0.01"),
    ],
)
def test_bad_weeks_and_replaced_spending(pop_file, override, message):
    with pytest.raises(InvestmentInputError, match=message.replace("(", r"\(")):
        scenario_from_dict(hand_dict(pop_file, **override))


def test_replaced_spending_nets_against_gross_cost(pop_file):
    """Spending that the new provision replaces is saved along the phase-in path and counted
    against the gross cost: net = gross - returns - replaced; total spending after the
    reform = current + gross - replaced (De Henau 2022, Table 5 convention)."""
    plain = simulate(scenario_from_dict(hand_dict(pop_file)), tiny_model()).summary
    repl = simulate(
        scenario_from_dict(hand_dict(pop_file, replaced_spending_pct_gdp=0.06)), tiny_model()
    )
    s, p = repl.summary.set_index("year"), plain.set_index("year")
    phase = {2025: 0.0, 2026: 0.5, 2027: 1.0}
    for year, ph in phase.items():
        saved = 0.0006 * 1e9 * ph
        assert s.loc[year, "replaced_spending"] == pytest.approx(saved)
        assert s.loc[year, "gross_cost"] == pytest.approx(p.loc[year, "gross_cost"])
        assert s.loc[year, "fiscal_returns"] == pytest.approx(p.loc[year, "fiscal_returns"])
        assert s.loc[year, "net_funding"] == pytest.approx(p.loc[year, "net_funding"] - saved)
        assert s.loc[year, "total_spending"] == pytest.approx(
            p.loc[year, "total_spending"] - saved
        )
    fiscal = repl.fiscal[repl.fiscal["year"] == 2027].set_index("component")["value"]
    assert fiscal.sum() == pytest.approx(s.loc[2027, "gross_cost"] - s.loc[2027, "net_funding"])
    assert "spending it replaces saves" in repl.report().summary()


def test_monte_carlo_checks_replaced_below_current(pop_file):
    scn = scenario_from_dict(hand_dict(pop_file, replaced_spending_pct_gdp=0.05))
    with pytest.raises(InvestmentInputError, match="replaced_spending_pct_gdp"):
        monte_carlo(
            scn,
            [ParameterRange("services.cc.replaced_spending_pct_gdp", 0.05, 0.15)],
            draws=50,
            seed=1,
            model=tiny_model(),
        )


# ------------------------------------------------------------------ capital costs, present value
def test_capital_cost_of_new_places_hand_computed(pop_file):
    """Places are built as newly covered persons rise (linear phase-in: 600 in 2026, 600 in
    2027); each costs kappa once; the capital spending is final demand for the capital sector,
    whose direct and indirect jobs are e'L u K."""
    base = simulate(scenario_from_dict(hand_dict(pop_file)), tiny_model())
    res = simulate(
        scenario_from_dict(
            hand_dict(pop_file, capital_cost_per_place=5000.0, capital_sector="S1")
        ),
        tiny_model(),
    )
    s, b = res.summary.set_index("year"), base.summary.set_index("year")
    lo = np.linalg.inv(np.eye(2) - TINY_A)
    e = np.array([0.01, 0.02])
    for year, built in ((2025, 0.0), (2026, 600.0), (2027, 600.0)):
        cap = 5000.0 * built
        assert s.loc[year, "capital_cost"] == pytest.approx(cap)
        assert s.loc[year, "gross_cost"] == pytest.approx(b.loc[year, "gross_cost"] + cap)
        assert s.loc[year, "jobs_capital"] == pytest.approx((e @ lo)[0] * cap)
        assert s.loc[year, "jobs_total"] == pytest.approx(
            b.loc[year, "jobs_total"] + (e @ lo)[0] * cap
        )
        # recurrent staff are unchanged
        assert s.loc[year, "jobs_direct"] == pytest.approx(b.loc[year, "jobs_direct"])
    caps = res.jobs_by_sector.query("type == 'capital' and year == 2027")
    assert caps["jobs"].sum() == pytest.approx(s.loc[2027, "jobs_capital"])
    by = res.by_service.set_index("year")
    assert by.loc[2027, "places_built"] == pytest.approx(600)
    # the comparison sends capital spending to the capital sector, not the care sector
    cmp = compare_sectors(res, year=2027)
    assert cmp.attrs["care_demand_by_sector"]["S1"] == pytest.approx(3e6)


def test_places_are_built_once_when_the_population_dips(tmp_path):
    """Covered persons 300, 240, 330 beyond base: places are built for 300, then none, then
    30 more (the running maximum), never for places left empty by a smaller cohort."""
    rows = [(2025, a, 1000) for a in range(3)]
    rows += [(2026, a, 1000) for a in range(3)]
    rows += [(2027, a, 800) for a in range(3)]
    rows += [(2028, a, 1100) for a in range(3)]
    path = tmp_path / "pop.csv"
    pd.DataFrame(rows, columns=["year", "age", "population"]).to_csv(path, index=False)
    d = hand_dict(str(path), capital_cost_per_place=1.0, capital_sector="S1")
    d["meta"].update({"target_year": 2026, "end_year": 2028})
    res = simulate(scenario_from_dict(d), tiny_model()).summary.set_index("year")
    new = res["newly_covered"].to_numpy()
    np.testing.assert_allclose(new, [0, 1200, 960, 1320])
    np.testing.assert_allclose(res["capital_cost"].to_numpy(), [0, 1200, 0, 120])


def test_capital_needs_a_sector(pop_file):
    with pytest.raises(InvestmentInputError, match="capital_sector is missing"):
        scenario_from_dict(hand_dict(pop_file, capital_cost_per_place=100.0))
    scn = scenario_from_dict(
        hand_dict(pop_file, capital_cost_per_place=100.0, capital_sector="NOPE")
    )
    with pytest.raises(InvestmentInputError, match="NOPE"):
        simulate(scn, tiny_model())


@settings(max_examples=25, deadline=None)
@given(gap=st.floats(0.0, 0.8), lam=st.floats(0.0, 1.0))
def test_capital_cost_linear_in_gap(pop_file, gap, lam):
    def run(g):
        d = hand_dict(
            pop_file,
            current_coverage=0.1,
            target_coverage=0.1 + g,
            capital_cost_per_place=2500.0,
            capital_sector="S1",
        )
        return simulate(scenario_from_dict(d), tiny_model()).summary

    full, part = run(gap), run(lam * gap)
    for m in ("capital_cost", "jobs_capital", "gross_cost", "jobs_direct"):
        np.testing.assert_allclose(part[m], lam * full[m], rtol=1e-9, atol=1e-6)


def test_present_value(pop_file):
    res = simulate(
        scenario_from_dict(hand_dict(pop_file, capital_cost_per_place=10.0, capital_sector="S1")),
        tiny_model(),
    )
    pv = res.present_value(0.05).set_index("measure")
    g = res.summary.set_index("year")["gross_cost"]
    assert pv.loc["gross_cost", "total"] == pytest.approx(g.sum())
    assert pv.loc["gross_cost", "present_value"] == pytest.approx(
        g[2025] + g[2026] / 1.05 + g[2027] / 1.05**2
    )
    assert (res.present_value(0.0)["present_value"] == res.present_value(0.0)["total"]).all()
    for bad in (-0.01, 1.0, float("nan")):
        with pytest.raises(InvestmentInputError, match="discount_rate"):
            res.present_value(bad)
    with pytest.raises(InvestmentInputError, match="not money measures"):
        res.present_value(0.03, measures=["nope"])


# ------------------------------------------------------------------ parents' employment
def test_parents_employment_hand_computed(pop_file):
    """mu = 0.25 more employed parents per newly covered child, 80% mothers, earning 0.5 x the
    average wage: 300 parents in 2027 (1,200 newly covered); their compensation is taxed like
    other earnings; employment rates rise by the parents, not scaled by the job-changer share;
    jobs created by the spending are unchanged (induced method 'none')."""
    d = hand_dict(
        pop_file,
        parent_employment_per_person=0.25,
        parent_women_share=0.8,
        parent_earnings_relative_to_average=0.5,
    )
    d["macro"]["share_from_non_employment"] = 0.6
    d["fiscal"]["share_from_unemployment"] = 0.5
    res = simulate(scenario_from_dict(d), tiny_model())
    d0 = hand_dict(pop_file)
    d0["macro"]["share_from_non_employment"] = 0.6
    d0["fiscal"]["share_from_unemployment"] = 0.5
    base = simulate(scenario_from_dict(d0), tiny_model())
    s, b = res.summary.set_index("year").loc[2027], base.summary.set_index("year").loc[2027]
    assert s["parents_employed"] == pytest.approx(300)
    assert s["parents_employed_women"] == pytest.approx(240)
    comp = 300 * 0.5 * 30000 * 1.2
    tax = comp * (1 - 0.85 / 1.2)  # (tau + r) x gross earnings
    assert s["tax_parents_labour"] == pytest.approx(tax)
    assert tax == pytest.approx(0.35 * 300 * 0.5 * 30000)
    # consumption taxes on the parents' spending: v m (1 - tau) x gross earnings
    extra_vat = 0.1 * 0.8 * 0.85 * 300 * 0.5 * 30000
    assert s["fiscal_returns"] == pytest.approx(b["fiscal_returns"] + tax + extra_vat)
    assert s["jobs_total"] == pytest.approx(b["jobs_total"])
    assert s["women_emp_rate_change_pp"] == pytest.approx(
        b["women_emp_rate_change_pp"] + 100 * 240 / 1e5
    )
    assert s["men_emp_rate_change_pp"] == pytest.approx(
        b["men_emp_rate_change_pp"] + 100 * 60 / 1e5
    )
    assert s["net_funding"] == pytest.approx(b["net_funding"] - tax - extra_vat)
    assert res.by_service.set_index("year").loc[2027, "parents_employed"] == pytest.approx(300)


def test_parents_need_earnings(pop_file):
    with pytest.raises(InvestmentInputError, match="parent_earnings_relative_to_average"):
        scenario_from_dict(hand_dict(pop_file, parent_employment_per_person=0.1))
    with pytest.raises(InvestmentInputError, match="parent_employment_per_person = 3"):
        scenario_from_dict(
            hand_dict(
                pop_file, parent_employment_per_person=3, parent_earnings_relative_to_average=1
            )
        )


@settings(max_examples=25, deadline=None)
@given(mu=st.floats(0.0, 1.0), lam=st.floats(0.0, 1.0))
def test_parents_effects_linear_and_net_below_gross(pop_file, mu, lam):
    def run(m):
        d = hand_dict(
            pop_file, parent_employment_per_person=m, parent_earnings_relative_to_average=0.7
        )
        d["induced"] = {"method": "type_ii"}
        return simulate(scenario_from_dict(d), tiny_model()).summary

    full, part = run(mu), run(lam * mu)
    np.testing.assert_allclose(
        part["parents_employed"], lam * full["parents_employed"], rtol=1e-9, atol=1e-9
    )
    np.testing.assert_allclose(
        part["tax_parents_labour"], lam * full["tax_parents_labour"], rtol=1e-9, atol=1e-6
    )
    assert (full["net_funding"] <= full["gross_cost"] + 1e-9).all()
    assert (full["women_emp_rate_change_pp"] >= part["women_emp_rate_change_pp"] - 1e-12).all()


# ------------------------------------------------------------------ review fixes
def test_capital_in_the_base_year_when_phase_in_starts_above_zero(pop_file):
    d = hand_dict(pop_file, capital_cost_per_place=1.0, capital_sector="S1")
    d["meta"]["phase_in"] = [0.5, 0.75, 1.0]
    s = simulate(scenario_from_dict(d), tiny_model()).summary.set_index("year")
    np.testing.assert_allclose(s["newly_covered"], [600, 900, 1200])
    np.testing.assert_allclose(s["capital_cost"], [600, 300, 300])
    assert s["capital_cost"].sum() == pytest.approx(s["newly_covered"].max())


def test_capital_cost_ranged_without_a_sector_is_refused(pop_file):
    scn = scenario_from_dict(hand_dict(pop_file))
    # issue 14 item 3: the one message of the constraint in fields.JOINT (same numbers)
    with pytest.raises(InvestmentInputError,
                       match=r"services\.cc\.capital_sector is missing but "
                       r"services\.\*\.capital_cost_per_place high = 100 > 0 at the ends"):
        monte_carlo(scn, [ParameterRange("services.*.capital_cost_per_place", 0, 100)],
                    draws=5, model=tiny_model())
    with pytest.raises(InvestmentInputError,
                       match=r"services\.cc\.capital_sector is missing but "
                       r"services\.cc\.capital_cost_per_place = 100 > 0 in sensitivity run"):
        sensitivity(scn, [ParameterRange("services.cc.capital_cost_per_place", 0, 100)],
                    measure="jobs_capital", model=tiny_model())


@pytest.mark.parametrize("seed", [0, 5])
def test_replaced_and_current_spending_ranges_checked_before_drawing(pop_file, seed):
    scn = scenario_from_dict(hand_dict(pop_file, replaced_spending_pct_gdp=0.08))
    with pytest.raises(
        InvestmentInputError,
        # issue 14 item 3: the one message of the constraint in fields.JOINT (same numbers)
        match=r"services\.cc\.replaced_spending_pct_gdp = 0\.08 exceeds "
        r"services\.cc\.current_spending_pct_gdp low = 0\.06 at the ends",
    ):
        monte_carlo(scn, [ParameterRange("services.cc.current_spending_pct_gdp", 0.06, 0.1)],
                    draws=2, seed=seed, model=tiny_model())


def test_multiplier_method_counts_the_parents_spending(pop_file):
    def run(mu):
        d = hand_dict(pop_file, parent_employment_per_person=mu,
                      parent_earnings_relative_to_average=0.5)
        d["induced"] = {"method": "multiplier", "consumption_multiplier": 1.5}
        return simulate(scenario_from_dict(d), tiny_model()).summary.set_index("year").loc[2027]

    a, b = run(0.0), run(0.25)
    # issue 13 item 4: (k - 1) x (jobs + parents) x net-gain share y0 / (net x earnings); the
    # parents (300) lose no benefit, the jobs lose u b = 0.5 x 10 each
    net = 0.85 / 1.2
    jobs1 = b["jobs_direct"] + b["jobs_indirect"]
    gross0 = net * (b["tax_direct_labour"] + b["tax_indirect_labour"]
                    + b["tax_parents_labour"]) / (1 - net)
    share = (gross0 - 5 * jobs1) / gross0
    assert b["jobs_induced"] == pytest.approx(0.5 * (jobs1 + 300) * share)
    assert b["jobs_induced"] > a["jobs_induced"]


def test_compare_sectors_scenario_row_is_demand_side_and_adds_up(pop_file):
    d = hand_dict(pop_file, capital_cost_per_place=2000.0, capital_sector="S1",
                  parent_employment_per_person=0.3, parent_earnings_relative_to_average=0.6)
    d["induced"] = {"method": "type_ii"}
    res = simulate(scenario_from_dict(d), tiny_model())
    d2 = hand_dict(pop_file, capital_cost_per_place=2000.0, capital_sector="S1")
    d2["induced"] = {"method": "type_ii"}
    no_parents = simulate(scenario_from_dict(d2), tiny_model()).summary.set_index("year")
    row = compare_sectors(res, year=2027).set_index("case").loc["care (scenario)"]
    parts = row[["jobs_direct", "jobs_indirect", "jobs_induced", "jobs_capital"]].sum()
    assert parts == pytest.approx(row["jobs_total"])
    assert row["jobs_total"] == pytest.approx(no_parents.loc[2027, "jobs_total"])
    assert row["fiscal_returns"] == pytest.approx(no_parents.loc[2027, "fiscal_returns"])
    assert res.summary.set_index("year").loc[2027, "jobs_total"] > row["jobs_total"]


def test_unknown_capital_sector_names_the_key(pop_file):
    scn = scenario_from_dict(hand_dict(pop_file, capital_cost_per_place=1.0,
                                       capital_sector="CNO"))
    with pytest.raises(InvestmentInputError, match=r"services\.cc\.capital_sector: sector = 'CNO'"):
        simulate(scn, tiny_model())


def test_present_value_only_money(pop_file):
    res = simulate(scenario_from_dict(hand_dict(pop_file)), tiny_model())
    for bad in ("year", "gross_cost_pct_gdp", "jobs_total"):
        with pytest.raises(InvestmentInputError, match="not money measures"):
            res.present_value(0.03, measures=[bad])


# ------------------------------------------------------------------ staff grades
def test_staff_grades_give_the_weighted_wage_and_women_share(pop_file):
    """Half graduate teachers at 1.2 x the average wage (80% women), half assistants at 0.7
    (96% women): the same result as one grade at 0.95 x the average wage and 88% women."""
    grades = [
        {"name": "graduate teacher", "share": 0.5, "wage_relative_to_average": 1.2,
         "women_share": 0.8},
        {"name": "assistant", "share": 0.5, "wage_relative_to_average": 0.7,
         "women_share": 0.96},
    ]
    d = hand_dict(pop_file, staff_grades=grades)
    del d["services"][0]["wage"], d["services"][0]["women_share"]
    scn = scenario_from_dict(d)
    svc = scn.services[0]
    assert svc.wage_relative_to_average == pytest.approx(0.95)
    assert svc.women_share == pytest.approx(0.88)
    assert svc.staff_grades[0].name == "graduate teacher"
    one = hand_dict(pop_file, wage_relative_to_average=0.95, women_share=0.88)
    del one["services"][0]["wage"]
    a = simulate(scn, tiny_model()).summary
    b = simulate(scenario_from_dict(one), tiny_model()).summary
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize(
    ("grades", "extra", "message"),
    [
        ([{"share": 0.5, "wage_relative_to_average": 1.0}], {}, "shares sum to 0.5"),
        ([{"share": 1.0}], {}, "exactly one of wage_relative_to_average or wage"),
        ([{"share": 0.5, "wage_relative_to_average": 1.0},
          {"share": 0.5, "wage": 20000.0}], {}, "mix wage_relative_to_average and wage"),
        # one message format for unknown keys in every table since issue 13 item 1
        ([{"share": 1.0, "wage_relative_to_average": 1.0, "pay": 3}], {},
         r"services\.cc\.staff_grades\[0\]: unknown key 'pay'"),
        ([{"share": 1.0, "wage_relative_to_average": 1.0}],
         {"wage_floor_relative_to_average": 0.8}, "with services.cc.staff_grades"),
        ([{"share": 1.0, "wage_relative_to_average": -1.0}], {}, "wage_relative_to_average = -1"),
        ("teachers", {}, "allowed a non-empty list"),
        ([{"share": 0.4, "wage_relative_to_average": 1.0},
          {"share": 0.5999, "wage_relative_to_average": 1.0}], {}, "sum to 0.9999; allowed"),
        ([{"name": "a", "share": 0.5, "wage_relative_to_average": 1.0},
          {"name": "a", "share": 0.5, "wage_relative_to_average": 1.0}], {}, "repeats"),
        ([{"name": ["x"], "share": 1.0, "wage_relative_to_average": 1.0}], {},
         "allowed a non-empty text"),
        ([{"share": 1.0, "wage_relative_to_average": 1.0, "women_share": 0.9}],
         {"women_share": 0.5}, "differs from the share-weighted women's share"),
    ],
)
def test_bad_staff_grades(pop_file, grades, extra, message):
    d = hand_dict(pop_file, staff_grades=grades)
    del d["services"][0]["wage"]
    d["services"][0].update(extra)
    with pytest.raises(InvestmentInputError, match=message):
        scenario_from_dict(d)


def test_staff_grades_accept_a_matching_women_share_and_tiny_rounding(pop_file):
    grades = [{"share": 0.3333333, "wage_relative_to_average": 1.2, "women_share": 0.9},
              {"share": 0.6666667, "wage_relative_to_average": 0.8, "women_share": 0.9}]
    d = hand_dict(pop_file, staff_grades=grades, women_share=0.9)
    del d["services"][0]["wage"]
    svc = scenario_from_dict(d).services[0]
    assert [g.name for g in svc.staff_grades] == ["grade 1", "grade 2"]
    # the grades are a cache key: equal inputs hash and compare equal, different ones do not
    again = scenario_from_dict(d).services[0]
    assert again.staff_grades == svc.staff_grades
    assert hash(again.staff_grades) == hash(svc.staff_grades)
    d["services"][0]["staff_grades"][0]["wage_relative_to_average"] = 1.3
    other = scenario_from_dict(d).services[0]
    assert other.staff_grades != svc.staff_grades
    assert hash(other.staff_grades) != hash(svc.staff_grades)
    cache = {svc.staff_grades: "first", other.staff_grades: "second"}
    assert cache[again.staff_grades] == "first" and len(cache) == 2
    assert svc.women_share == pytest.approx(0.9)


def test_present_value_accepts_one_measure_name(pop_file):
    res = simulate(scenario_from_dict(hand_dict(pop_file)), tiny_model())
    pv = res.present_value(0.0, "gross_cost")
    assert list(pv["measure"]) == ["gross_cost"]


def test_extended_example_uses_every_optional_input():
    scn = example_scenario("extended")
    res = simulate(scn)
    s = res.summary.set_index("year").loc[scn.target_year]
    for m in ("capital_cost", "jobs_capital", "replaced_spending", "parents_employed",
              "tax_parents_labour", "tax_capital_labour"):
        assert s[m] > 0, m
    cc = scn.service("childcare_0_2")
    assert cc.wage_relative_to_average == pytest.approx(0.3 * 1.05 + 0.7 * 0.72)
    assert cc.women_share == pytest.approx(0.3 * 0.93 + 0.7 * 0.96)
    assert (cc.service_weeks_per_year, cc.staff_weeks_per_year) == (48, 44)
    fiscal = res.fiscal[res.fiscal["year"] == scn.target_year]["value"].sum()
    assert fiscal == pytest.approx(s["gross_cost"] - s["net_funding"])
    with pytest.raises(InvestmentInputError, match="variant = 'nope'"):
        example_scenario("nope")
