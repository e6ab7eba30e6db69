"""The household round of carecost.investment: household income is the net gain.

Issue 13, item 4 ("benefits counted twice"): people hired from unemployment bring their net
wage as new household income, but they lose their unemployment benefit, which the model also
books as a government saving.  Before the fix the induced round spent the whole net wage, so
the benefit was counted twice (once as a fiscal return, once as household spending power).
After the fix the induced round (Type II closure and the consumption-multiplier method) uses
the net gain ``net wage - share_from_unemployment x benefit`` per job; the benefit saving
stays a fiscal return.
"""

from __future__ import annotations

import numpy as np
import pytest

from carecost.investment import InvestmentInputError, IOModel, example_scenario, simulate, steps

A = np.array([[0.1, 0.2], [0.3, 0.1]])
E = np.array([2e-5, 4e-5])  # one job per 50,000 and 25,000 XCU of output
W = np.array([0.3, 0.5])  # compensation per XCU of output
C = np.array([0.6, 0.4])  # household consumption shares

FISCAL = {
    "fiscal.income_tax_rate": 0.1,
    "fiscal.employee_contribution_rate": 0.1,
    "fiscal.employer_contribution_rate": 0.25,
    "fiscal.propensity_to_consume": 0.8,
    "fiscal.indirect_tax_rate": 0.1,
    "fiscal.share_from_unemployment": 0.25,
    "fiscal.unemployment_benefit": 4000.0,
}


def _model() -> IOModel:
    return IOModel.from_coefficients(
        A,
        sectors=["S1", "S2"],
        output=[1e6, 1e6],
        employment=E,
        compensation=W,
        consumption_shares=C,
        female_share=[0.5, 0.5],
    )


def _round(method: str, **over: float) -> dict:
    """The household round and fiscal returns steps (issue 14 item 3: the same public step
    functions as simulate and the Monte Carlo), for 40 first-round jobs."""
    vals = {k.split(".")[1]: np.full((1, 1), v) for k, v in {**FISCAL, **over}.items()}
    one = np.ones((1, 1))
    rates = {k: vals[k] for k in ("income_tax_rate", "employee_contribution_rate",
                                  "employer_contribution_rate")}
    benefit = steps.lost_benefit(vals["share_from_unemployment"],
                                 vals["unemployment_benefit"], one)
    hh = steps.household_round(
        1_000_000.0 * one, 40.0 * one, 40.0 * one, 20_000.0 * one, benefit, _model(),
        method=method, propensity_to_consume=vals["propensity_to_consume"],
        indirect_tax_rate=vals["indirect_tax_rate"], consumption_multiplier=1.5, **rates,
    )
    fiscal = steps.fiscal_returns(
        1_000_000.0 * one, hh.induced_compensation, hh.consumption, benefit,
        40.0 * one + hh.persons_induced, indirect_tax_rate=vals["indirect_tax_rate"], **rates,
    )
    return {**vars(hh), **vars(fiscal)}


def test_type_ii_spends_the_net_gain_only():
    """Hand-computed: 40 new jobs paying 1,000,000 XCU of compensation (employer
    contributions included), a quarter of them taken by people losing a 4,000 XCU benefit."""
    hh = _round("type_ii")
    net = 0.8 / 1.25  # (1 - 0.1 - 0.1) / (1 + 0.25)
    y0 = net * 1e6 - 0.25 * 4000 * 40  # 640,000 - 40,000 = 600,000
    assert y0 == pytest.approx(600_000.0)
    lo = np.linalg.inv(np.eye(2) - A)
    h = net * W - 0.25 * 4000 * E  # household net gain per unit of output
    theta = 0.9 * 0.8 * (h @ lo @ C)
    y = y0 / (1 - theta)
    # before the fix: y = 640,000 / (1 - 0.9 x 0.8 x net w'Lc), i.e. about 7% more
    assert float(hh["disposable_income"][0, 0]) == pytest.approx(y, rel=1e-12)
    prod = 0.9 * 0.8 * y
    assert float(hh["jobs_induced"][0, 0]) == pytest.approx(E @ lo @ C * prod, rel=1e-12)
    assert float(hh["tax_consumption"][0, 0]) == pytest.approx(0.1 * 0.8 * y, rel=1e-12)
    # the benefit saving is still a fiscal return, on all new jobs (first round + induced)
    total = 40 + E @ lo @ C * prod
    assert float(hh["benefit_savings"][0, 0]) == pytest.approx(0.25 * 4000 * total, rel=1e-12)
    # the closed form equals Miller and Blair's closed Leontief inverse with h = net w - u b e
    abar = np.zeros((3, 3))
    abar[:2, :2], abar[:2, 2], abar[2, :2] = A, 0.9 * 0.8 * C, h
    lbar = np.linalg.inv(np.eye(3) - abar)
    assert float(hh["disposable_income"][0, 0]) == pytest.approx(lbar[2, 2] * y0, rel=1e-12)


def test_without_benefit_the_household_round_is_unchanged():
    with_b = _round("type_ii")
    without = _round("type_ii", **{"fiscal.share_from_unemployment": 0.0})
    net = 0.8 / 1.25
    lo = np.linalg.inv(np.eye(2) - A)
    y = net * 1e6 / (1 - 0.72 * net * (W @ lo @ C))
    assert float(without["disposable_income"][0, 0]) == pytest.approx(y, rel=1e-12)
    assert float(without["benefit_savings"][0, 0]) == 0.0
    assert with_b["jobs_induced"][0, 0] < without["jobs_induced"][0, 0]


def test_multiplier_method_scales_with_the_net_gain():
    hh = _round("multiplier")
    net = 0.8 / 1.25
    share = (net * 1e6 - 0.25 * 4000 * 40) / (net * 1e6)  # 600,000 / 640,000
    induced = 0.5 * 40 * share  # (k - 1) x first-round jobs x net gain share = 18.75
    assert float(hh["jobs_induced"][0, 0]) == pytest.approx(induced, rel=1e-12)
    assert induced == pytest.approx(18.75)
    induced_comp = induced * 20_000 * 1.25
    y = net * 1e6 - 0.25 * 4000 * 40 + net * induced_comp - 0.25 * 4000 * induced
    assert float(hh["disposable_income"][0, 0]) == pytest.approx(y, rel=1e-12)
    assert float(hh["benefit_savings"][0, 0]) == pytest.approx(1000 * (40 + induced))


def test_benefit_above_earnings_is_refused():
    with pytest.raises(
        InvestmentInputError,
        match=r"fiscal\.share_from_unemployment x fiscal\.unemployment_benefit = 25,000 per "
        r"person taking a new job \(in draw 0\) exceeds the disposable earnings per person, "
        r"16,000",
    ):
        _round("type_ii", **{"fiscal.unemployment_benefit": 100_000.0})


def test_example_scenario_identity():
    """In the simulation: disposable income (from the consumption tax) solves
    y = (net x first-round compensation - u b_t x first-round jobs) / (1 - theta)."""
    scn = example_scenario()
    res = simulate(scn)
    s = res.summary.set_index("year").loc[scn.target_year]
    f = scn.fiscal
    net = (1 - f.income_tax_rate - f.employee_contribution_rate) / (
        1 + f.employer_contribution_rate
    )
    m, v, u = f.propensity_to_consume, f.indirect_tax_rate, f.share_from_unemployment
    b_t = f.unemployment_benefit * (1 + scn.macro.real_wage_growth) ** (
        scn.target_year - scn.base_year
    )
    comp1 = sum(
        s[k] for k in ("tax_direct_labour", "tax_indirect_labour", "tax_capital_labour",
                       "tax_parents_labour")
    ) / (1 - net)
    jobs1 = s["jobs_direct"] + s["jobs_indirect"] + s["jobs_capital"]
    model = res.model
    unit = model.money_unit
    elc = model.employment @ model.L @ model.consumption_shares
    wlc = model.compensation @ model.L @ model.consumption_shares
    theta = (1 - v) * m * (net * wlc - u * b_t * elc / unit)
    y = (net * comp1 - u * b_t * jobs1) / (1 - theta)
    assert s["tax_consumption"] / (v * m) == pytest.approx(y, rel=1e-10)
    assert s["benefit_savings"] == pytest.approx(u * b_t * s["jobs_total"], rel=1e-12)
