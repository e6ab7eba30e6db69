"""Childcare-related leave and paid breastfeeding breaks (issue 16, items 1 and 2).

The costs are checked by hand from births (the population aged 0), employment rates and
earnings by sex; the loader's errors name the key, the value and the allowed range; leave is
a transfer, so the services' numbers, jobs and returns are unchanged by it.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecost import countries
from carecost.investment import InvestmentInputError, scenario_from_dict, simulate, steps
from carecost.investment._countries import CountryDataWarning
from carecost.investment.scenario import DATA, _read_toml

LEAVE = [
    {"kind": "maternity", "weeks": 18, "current_weeks": 12, "replacement_rate": 1.0,
     "current_replacement_rate": 0.67, "current_coverage": 0.5},
    {"kind": "paternity", "weeks": 2, "replacement_rate": 1.0},
    {"kind": "parental", "parent": "father", "weeks": 10, "replacement_rate": 0.8,
     "take_up": 0.5, "ceiling_relative_to_average": 0.5},
]
EARNINGS = {"women_earnings_relative_to_average": 0.85,
            "men_earnings_relative_to_average": 1.1}


def example_raw() -> dict[str, Any]:
    return _read_toml(DATA / "scenarios" / "example_universal_care_2035.toml")


def with_leave(**extra: Any) -> dict[str, Any]:
    raw = example_raw()
    raw["macro"] = dict(EARNINGS)
    raw["leave"] = copy.deepcopy(LEAVE)
    raw["breastfeeding"] = {"minutes_per_day": 60, "months": 6}
    raw.update(extra)
    return raw


def load(raw: dict[str, Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return scenario_from_dict(raw)


# ------------------------------------------------------------------ steps by hand
def test_leave_benefit_by_hand_with_and_without_ceiling() -> None:
    # 18 weeks at 100% of 52,000 a year: 18,000
    assert steps.leave_benefit(52_000.0, 40_000.0, 18.0, 1.0, None) == pytest.approx(18_000.0)
    # ceiling 1 x the average wage of 40,000: 18 x 40,000 / 52
    assert steps.leave_benefit(52_000.0, 40_000.0, 18.0, 1.0, 1.0) == pytest.approx(
        18 * 40_000 / 52)
    # a ceiling above the benefit does not bind
    assert steps.leave_benefit(52_000.0, 40_000.0, 14.0, 2 / 3, 5.0) == pytest.approx(
        14 * 52_000 * 2 / 3 / 52)


def test_leave_cost_by_hand() -> None:
    births = np.array([[1000.0, 1000.0, 1200.0]])
    phase = np.array([[0.0, 0.5, 1.0]])
    cost = steps.leave_cost(births, 0.6, 52_000.0, 52_000.0, phase, weeks=18.0,
                            current_weeks=14.0, replacement_rate=1.0,
                            current_replacement_rate=2 / 3, ceiling_relative_to_average=None,
                            coverage=1.0, current_coverage=0.5, take_up=0.9)
    eligible = births * 0.6
    current = eligible * 0.9 * 0.5 * 14 * 1000.0 * 2 / 3
    target = eligible * 0.9 * 1.0 * 18 * 1000.0
    np.testing.assert_allclose(cost.eligible_parents, eligible)
    np.testing.assert_allclose(cost.current_cost, current)
    np.testing.assert_allclose(cost.target_cost, target)
    np.testing.assert_allclose(cost.additional_cost, (target - current) * phase)
    assert cost.additional_cost[0, 0] == 0.0


def test_breastfeeding_cost_by_hand() -> None:
    # one hour a day of an 8-hour day for 6 months: 1/8 x 1/2 of a year's earnings
    assert steps.breastfeeding_benefit(48_000.0, 60.0, 8.0, 6.0) == pytest.approx(3_000.0)
    cost = steps.breastfeeding_cost(np.array([[2000.0]]), 0.5, 48_000.0, np.array([[1.0]]),
                                    minutes_per_day=60.0, current_minutes_per_day=30.0,
                                    months=6.0, current_months=3.0, hours_per_day=8.0,
                                    coverage=1.0, current_coverage=0.4, take_up=0.8)
    base = 2000 * 0.5 * 0.8
    assert float(cost.current_cost[0, 0]) == pytest.approx(base * 0.4 * 48_000 / 16 / 4)
    assert float(cost.target_cost[0, 0]) == pytest.approx(base * 3_000.0)
    assert float(cost.additional_cost[0, 0]) == pytest.approx(
        base * 3_000.0 - base * 0.4 * 750.0)


@settings(max_examples=80, deadline=None)
@given(weeks=st.floats(0, 156), extra=st.floats(0, 50), rr=st.floats(0, 1),
       rr_gain=st.floats(0, 1), cov=st.floats(0, 1), cov_gain=st.floats(0, 1),
       ceiling=st.one_of(st.none(), st.floats(0.01, 10)), births=st.floats(0, 1e7))
def test_extending_never_costs_less_than_today_and_scales_with_births(
        weeks: float, extra: float, rr: float, rr_gain: float, cov: float, cov_gain: float,
        ceiling: float | None, births: float) -> None:
    kw = dict(weeks=weeks + extra, current_weeks=weeks, replacement_rate=rr + (1 - rr) * rr_gain,
              current_replacement_rate=rr, ceiling_relative_to_average=ceiling,
              coverage=cov + (1 - cov) * cov_gain, current_coverage=cov, take_up=0.7)
    one = steps.leave_cost(np.array([[births]]), 0.55, 40_000.0, 45_000.0,
                           np.array([[1.0]]), **kw)
    two = steps.leave_cost(np.array([[2 * births]]), 0.55, 40_000.0, 45_000.0,
                           np.array([[1.0]]), **kw)
    assert float(one.additional_cost[0, 0]) >= -1e-6 * max(1.0, float(one.target_cost[0, 0]))
    np.testing.assert_allclose(two.additional_cost, 2 * one.additional_cost, rtol=1e-12,
                               atol=1e-9)


# ------------------------------------------------------------------ the scenario end to end
def test_scenario_leave_costs_follow_births_employment_and_earnings() -> None:
    scn = load(with_leave())
    res = simulate(scn)
    m = scn.macro
    i = list(scn.years).index(scn.target_year)
    births = scn.births()[i]
    pop = scn.population
    assert births == float(pop[(pop["year"] == scn.target_year) & (pop["age"] == 0)]
                           ["population"].iloc[0])
    wbar = m.average_wage * (1 + m.real_wage_growth) ** (scn.target_year - scn.base_year)
    mothers = births * m.employed_women / m.working_age_women
    fathers = births * m.employed_men / m.working_age_men
    w_w, w_m = 0.85 * wbar, 1.1 * wbar
    maternity = mothers * (18 * w_w / 52 - 0.5 * 12 * 0.67 * w_w / 52)
    paternity = fathers * 2 * w_m / 52
    parental = fathers * 0.5 * 10 * min(0.8 * w_m, 0.5 * wbar) / 52
    breast = mothers * w_w * (1 / 8) * 0.5
    bl = res.by_leave[res.by_leave["year"] == scn.target_year].set_index("entitlement")
    assert bl.at["maternity", "additional_cost"] == pytest.approx(maternity, rel=1e-12)
    assert bl.at["paternity", "additional_cost"] == pytest.approx(paternity, rel=1e-12)
    assert bl.at["parental_father", "additional_cost"] == pytest.approx(parental, rel=1e-12)
    assert bl.at["breastfeeding", "additional_cost"] == pytest.approx(breast, rel=1e-12)
    s = res.summary.set_index("year").loc[scn.target_year]
    assert s["leave_cost"] == pytest.approx(maternity + paternity + parental, rel=1e-12)
    assert s["breastfeeding_cost"] == pytest.approx(breast, rel=1e-12)
    assert s["leave_cost_pct_gdp"] == pytest.approx(100 * s["leave_cost"] / s["gdp"])
    assert s["package_cost"] == pytest.approx(s["gross_cost"] + s["leave_cost"]
                                              + s["breastfeeding_cost"])
    assert s["package_net_funding"] == pytest.approx(
        s["net_funding"] + s["leave_cost"] + s["breastfeeding_cost"])
    # base year: nothing extended yet
    assert res.summary["leave_cost"].iloc[0] == 0.0


def test_leave_is_a_transfer_services_jobs_and_returns_unchanged() -> None:
    without = simulate(load(example_raw())).summary
    with_ = simulate(load(with_leave())).summary
    for col in ("gross_cost", "jobs_total", "jobs_direct", "jobs_induced", "fiscal_returns",
                "net_funding", "women_emp_rate_change_pp"):
        np.testing.assert_array_equal(with_[col].to_numpy(), without[col].to_numpy(), col)
    assert (without["leave_cost"] == 0).all() and (without["breastfeeding_cost"] == 0).all()
    np.testing.assert_array_equal(without["package_cost"], without["gross_cost"])
    assert with_["leave_cost"].iloc[-1] > 0


def test_cost_by_policy_area() -> None:
    res = simulate(load(with_leave()))
    area = res.by_policy_area().set_index("area")
    s = res.summary.set_index("year").loc[2035]
    assert list(area.index) == ["childcare", "ltc", "leave", "breastfeeding"]
    assert area["additional_cost"].sum() == pytest.approx(s["package_cost"], rel=1e-12)
    assert area.at["leave", "additional_cost_pct_gdp"] == pytest.approx(s["leave_cost_pct_gdp"])
    bs = res.by_service[res.by_service["year"] == 2035].set_index("service")
    assert area.at["childcare", "additional_cost"] == pytest.approx(
        bs.loc[["childcare_0_2", "preschool_3_5"], "gross_cost"].sum())
    with pytest.raises(InvestmentInputError, match=r"year = 1990 not simulated"):
        res.by_policy_area(1990)


def test_sources_name_births_and_every_leave_key() -> None:
    src = load(with_leave()).sources().set_index("input")
    assert src.at["births", "flag"].startswith("proxy")
    assert src.at["leave.maternity.weeks", "origin"] == "scenario"
    assert src.at["leave.maternity.coverage", "origin"] == "default"
    assert src.at["leave.maternity.parent", "value"] == "mother"
    assert src.at["breastfeeding.hours_per_day", "value"] == 8.0
    assert src.at["macro.women_earnings_relative_to_average", "origin"] == "scenario"
    # a scenario without leave has no such rows (its sources are as before)
    plain = load(example_raw()).sources()
    assert not plain["input"].str.startswith(("leave", "breastfeeding", "births")).any()
    assert "macro.women_earnings_relative_to_average" not in set(plain["input"])


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize(("change", "match"), [
    (lambda r: r["leave"][0].update(weeks=10),
     r"leave\.maternity\.weeks = 10 is below current_weeks = 12; allowed range \[12, 156\]"),
    (lambda r: r["leave"][0].update(replacement_rate=0.5),
     r"leave\.maternity\.replacement_rate = 0\.5 is below current_replacement_rate = 0\.67"),
    (lambda r: r["leave"][2].pop("parent"),
     r"leave\[2\]\.parent is missing: parental leave needs parent = 'mother' or 'father'"),
    (lambda r: r["leave"][0].update(parent="father"),
     r"leave\[0\]\.parent = 'father' with kind = 'maternity'"),
    (lambda r: r["leave"][0].update(kind="sick"),
     r"leave\[0\]\.kind = 'sick'; allowed 'maternity', 'paternity', 'parental'"),
    (lambda r: r["leave"][1].update(kind="maternity"),
     r"leave\.maternity: the name 'maternity' repeats an earlier \[\[leave\]\] table"),
    (lambda r: r["leave"][0].update(coverage=60),
     r"leave\.maternity\.coverage = 60 .*did you mean 0\.60\?"),
    (lambda r: r["leave"][0].update(weks=18),
     r"leave\[0\]: unknown key 'weks'; did you mean 'weeks'\?"),
    (lambda r: r["leave"][0].pop("weeks"), r"weeks"),
    (lambda r: r["breastfeeding"].update(current_months=9),
     r"breastfeeding\.months = 6 is below current_months = 9"),
    (lambda r: r["breastfeeding"].pop("minutes_per_day"), r"minutes_per_day"),
    (lambda r: r["macro"].pop("men_earnings_relative_to_average"),
     r"macro\.men_earnings_relative_to_average is missing: leave\.paternity, "
     r"leave\.parental_father replace the earnings of employed men"),
    (lambda r: r["macro"].pop("women_earnings_relative_to_average"),
     r"macro\.women_earnings_relative_to_average is missing: leave\.maternity, breastfeeding"),
])
def test_bad_leave_inputs_are_named(change: Any, match: str) -> None:
    raw = with_leave()
    change(raw)
    with pytest.raises(InvestmentInputError, match=match):
        load(raw)


def test_population_without_age_0_is_refused(tmp_path: Any) -> None:
    import pandas as pd

    with (DATA / "countries" / "example_population.csv").open("rb") as fh:
        pop = pd.read_csv(fh)
    pop = pop[~((pop["age"] == 0) & (pop["year"] == 2030))]
    path = tmp_path / "pop.csv"
    pop.to_csv(path, index=False)
    raw = with_leave(population={"file": str(path)})
    raw["services"] = [s for s in raw["services"] if s["ages"][0] > 0]
    with pytest.raises(InvestmentInputError, match=r"population lacks age 0 in years \[2030\]"):
        load(raw)


# ------------------------------------------------------------------ a country of the database
def test_database_country_fills_earnings_by_sex() -> None:
    raw = with_leave()
    raw.pop("macro")
    raw.pop("comparison")
    raw["meta"] = {"name": "MEX leave", "country": "MEX", "base_year": 2022,
                   "target_year": 2030}
    for svc in raw["services"]:
        svc.pop("sector", None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CountryDataWarning)
        scn = scenario_from_dict(raw)
    female = countries.indicator("MEX", "earnings_monthly_ppp2021", 2022, sex="female")
    total = countries.indicator("MEX", "earnings_monthly_ppp2021", 2022, sex="total")
    male = countries.indicator("MEX", "earnings_monthly_ppp2021", 2022, sex="male")
    assert scn.macro.women_earnings_relative_to_average == pytest.approx(
        female["value"] / total["value"])
    assert scn.macro.men_earnings_relative_to_average == pytest.approx(
        male["value"] / total["value"])
    src = scn.sources().set_index("input")
    assert src.at["macro.women_earnings_relative_to_average", "flag"].startswith("derived")
    assert src.at["macro.women_earnings_relative_to_average", "year"] == 2022
    births = countries.population("MEX", 2030)
    age0 = float(births[births["age"] == 0]["population"].sum())
    assert scn.births()[-1] == age0
    res = simulate(scn)
    assert res.summary["leave_cost_pct_gdp"].iloc[-1] > 0


def test_an_unset_earnings_key_cannot_be_a_monte_carlo_parameter() -> None:
    from carecost.investment.model import parameter_value

    scn = load(example_raw())
    with pytest.raises(InvestmentInputError, match=r"parameter 'macro\.women_earnings_relative_"
                                                   r"to_average' is not set in the scenario"):
        parameter_value(scn, "macro.women_earnings_relative_to_average")
    assert parameter_value(load(with_leave()), "macro.women_earnings_relative_to_average") == 0.85
