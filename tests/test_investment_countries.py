"""Scenarios with ``meta.country = "ISO3"``: every country input from the country database.

Checks that a scenario with policy inputs only runs end to end for countries on five
continents (WIOD tables and the rest-of-world fallback), that the provenance names the origin
of every input, that the scenario's own values override the database, that one error lists
every missing input, and the currency conversion of the input–output table by hand.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest

from carecost import countries
from carecost.investment import InvestmentInputError, scenario_from_dict, simulate
from carecost.investment._countries import CountryDataWarning
from carecost.investment.model import compare_sectors, country_io_model

POLICY: dict[str, Any] = {
    "meta": {"name": "childcare and long-term care", "base_year": 2022, "target_year": 2030},
    "services": [
        {"name": "childcare_0_2", "kind": "childcare", "ages": [0, 2],
         "current_coverage": 0.1, "target_coverage": 0.5, "persons_per_staff": 5,
         "wage_relative_to_average": 0.8, "women_share": 0.95, "non_staff_cost_share": 0.2},
        {"name": "ltc_80_plus", "kind": "ltc", "ages": [80, 100], "need_rate": 0.2,
         "current_coverage": 0.2, "target_coverage": 0.6, "persons_per_staff": 2,
         "service_hours_per_week": 20, "wage_relative_to_average": 0.7, "women_share": 0.85,
         "non_staff_cost_share": 0.25},
    ],
}


def policy(country: str, **meta: Any) -> dict[str, Any]:
    raw = copy.deepcopy(POLICY)
    raw["meta"].update(country=country, **meta)
    return raw


def load(raw: dict[str, Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CountryDataWarning)
        return scenario_from_dict(raw)


# North America, South America, Asia, Europe (WIOD); Africa (rest-of-world fallback)
CASES = [("MEX", "observed"), ("BRA", "observed"), ("IND", "observed"), ("FRA", "observed"),
         ("ZAF", "fallback"), ("KEN", "fallback")]


@pytest.mark.parametrize(("iso3", "flag"), CASES)
def test_policy_only_scenario_runs_for_real_countries(iso3: str, flag: str) -> None:
    scn = load(policy(iso3))
    res = simulate(scn)
    target = res.summary.set_index("year").loc[2030]
    assert target["gross_cost"] > 0
    # two services scaled to 40 points of coverage: a plausible share of GDP
    assert 0.02 < target["gross_cost_pct_gdp"] < 3.0
    assert target["jobs_direct"] > 0 and target["jobs_indirect"] > 0
    assert target["jobs_induced"] > 0
    assert target["jobs_total"] > target["jobs_direct"]
    assert 0 < target["fiscal_returns"] < target["gross_cost"]
    # jobs per million local currency are those of the country's own labour productivity:
    # direct jobs x the average wage stay below the cost
    m = scn.macro
    assert target["jobs_direct"] * m.average_wage * 0.7 < target["gross_cost"]
    src = scn.sources().set_index("input")
    for key in ("macro.gdp", "macro.average_wage", "macro.employed_women",
                "macro.working_age_men", "fiscal.income_tax_rate",
                "fiscal.propensity_to_consume", "population", "io",
                "services.childcare_0_2.sector", "comparison.sector"):
        assert src.at[key, "origin"] == "country dataset", key
        assert src.at[key, "source"], key
    for key in ("services.childcare_0_2.target_coverage", "services.ltc_80_plus.need_rate"):
        assert src.at[key, "origin"] == "scenario"
    assert src.at["macro.share_from_non_employment", "origin"] == "default"
    assert src.at["io", "flag"] == flag
    assert src.at["fiscal.income_tax_rate", "flag"].startswith("proxy")
    assert src.at["macro.average_wage", "flag"].startswith("derived")
    assert not scn.uses_example_data
    assert scn.services[0].sector == "c33" and scn.comparison_sector == "c18"
    cmp = compare_sectors(res).set_index("case")
    assert cmp.loc["comparison (c18)", "jobs_total"] > 0
    fallback_warned = any("no WIOD input–output table" in w for w in scn.data_warnings)
    assert fallback_warned == (flag == "fallback")


def test_fallback_warning_is_emitted() -> None:
    with pytest.warns(CountryDataWarning, match="rest-of-world structure"):
        scenario_from_dict(policy("ZAF"))


def test_values_come_from_the_database_for_the_base_year() -> None:
    scn = load(policy("MEX"))
    assert scn.country == "MEX" and scn.price_year == 2022
    assert scn.macro.gdp == countries.indicator("MEX", "gdp_lcu", 2022)["value"]
    pop = countries.population("MEX", 2022)
    women = pop[(pop["sex"] == "female") & pop["age"].between(15, 64)]["population"].sum()
    assert scn.macro.working_age_women == women
    emp = countries.indicator("MEX", "employment", 2022, sex="male", category="Total")
    assert scn.macro.employed_men == emp["value"] * 1000
    rev = countries.indicator("MEX", "gov_revenue", 2022)["value"]
    assert scn.fiscal.income_tax_rate == pytest.approx(rev / 100)
    earn = countries.indicator("MEX", "average_earnings", 2022)["value"]
    ppp = countries.indicator("MEX", "ppp_conversion_factor", 2022)["value"]
    assert scn.macro.average_wage == pytest.approx(earn * 12 * ppp, rel=1e-12)
    # the population covers every year and single age, both sexes summed
    both = pop.groupby("age")["population"].sum()
    got = scn.population[scn.population["year"] == 2022].set_index("age")["population"]
    pd.testing.assert_series_equal(got.astype(float), both.astype(float), check_names=False)
    assert set(scn.population["year"]) == set(range(2022, 2031))


def test_base_year_after_the_last_gdp_is_projected_and_flagged() -> None:
    scn = load(policy("MEX", base_year=2025, target_year=2030))
    last = int(countries.series("MEX", "gdp_lcu")["year"].max())
    assert scn.price_year == last < 2025
    g = scn.macro.gdp_growth
    gdp_last = countries.indicator("MEX", "gdp_lcu", last)["value"]
    assert scn.macro.gdp == pytest.approx(gdp_last * (1 + g) ** (2025 - last), rel=1e-12)
    src = scn.sources().set_index("input")
    assert src.at["macro.gdp", "flag"].startswith(f"projected from {last}")
    assert any(f"at {last} prices" in w for w in scn.data_warnings)


def test_scenario_values_override_the_database() -> None:
    raw = policy("BRA")
    raw["macro"] = {"gdp": 1.0e13, "average_wage": 60000.0, "gdp_growth": 0.02}
    raw["fiscal"] = {"income_tax_rate": 0.15, "propensity_to_consume": 0.8}
    raw["services"][0]["sector"] = "c32"
    raw["comparison"] = {"sector": "c13"}
    raw["meta"]["currency"] = "BRL"
    scn = load(raw)
    assert scn.macro.gdp == 1.0e13 and scn.macro.average_wage == 60000.0
    assert scn.fiscal.income_tax_rate == 0.15 and scn.fiscal.propensity_to_consume == 0.8
    assert scn.services[0].sector == "c32" and scn.services[1].sector == "c33"
    assert scn.comparison_sector == "c13" and scn.currency == "BRL"
    src = scn.sources().set_index("input")
    for key in ("macro.gdp", "macro.average_wage", "macro.gdp_growth",
                "fiscal.income_tax_rate", "services.childcare_0_2.sector", "meta.currency"):
        assert src.at[key, "origin"] == "scenario", key
    assert src.at["macro.employed_women", "origin"] == "country dataset"
    assert src.at["services.ltc_80_plus.sector", "origin"] == "country dataset"
    assert simulate(scn).summary["gross_cost"].iloc[-1] > 0


def test_missing_inputs_are_listed_in_one_error() -> None:
    # China: no ILOSTAT earnings and no employment by institutional sector in the database
    with pytest.raises(InvestmentInputError) as err:
        scenario_from_dict(policy("CHN"))
    msg = str(err.value)
    for key in ("macro.average_wage", "macro.employed_women", "macro.employed_men"):
        assert key in msg
    assert "3 input(s)" in msg and "ILOSTAT" in msg
    # setting them is enough
    raw = policy("CHN")
    raw["macro"] = {"average_wage": 100000.0, "employed_women": 3.2e8, "employed_men": 4.2e8}
    assert load(raw).macro.average_wage == 100000.0


def test_years_outside_the_population_are_refused() -> None:
    with pytest.raises(InvestmentInputError, match=r"population\.file.*2000-2060"):
        scenario_from_dict(policy("MEX", base_year=2055, target_year=2065))


def test_unknown_country_names_the_closest() -> None:
    with pytest.raises(InvestmentInputError, match=r"MEX \(Mexico\)"):
        scenario_from_dict(policy("MEXX"))
    with pytest.raises(InvestmentInputError, match=r"MEX \(Mexico\)"):
        scenario_from_dict(policy("Mexico"))


def test_lower_case_code_is_accepted() -> None:
    assert load(policy("mex")).country == "MEX"


def test_example_country_still_requires_sectors() -> None:
    raw = policy("example", base_year=2025, target_year=2035)
    with pytest.raises(InvestmentInputError, match=r"services\.childcare_0_2\.sector is missing"):
        scenario_from_dict(raw)


def test_currency_conversion_by_hand() -> None:
    """India 2019: the table's US$ million are converted at WDI's GDP_LCU / GDP_USD, and the
    employment coefficients follow India's employed persons per US$ of GDP."""
    scn = load(policy("IND", base_year=2019, target_year=2025))
    gdp_lcu = countries.indicator("IND", "gdp_lcu", 2019)["value"]
    gdp_usd = countries.indicator("IND", "gdp_usd", 2019)["value"]
    rate = gdp_lcu / gdp_usd
    assert 60 < rate < 80  # rupees per US$ in 2019
    assert scn.io_conversion is not None and scn.io_conversion.lcu_per_usd == rate
    model = country_io_model(scn)
    assert model.money_unit == pytest.approx(1e6 * rate, rel=1e-15)
    assert model.currency == "LCU" and model.employment_unit == "persons"
    t = countries.io_table("IND")
    x = t.output.to_numpy()
    va = x.sum() - t.flows.to_numpy().sum() - t.imported_inputs.sum()
    workers = t.workers.fillna(0).to_numpy()
    employed = scn.macro.employed_women + scn.macro.employed_men
    lam = (employed / (scn.macro.gdp / rate)) / (workers.sum() / (va * 1e6))
    np.testing.assert_allclose(model.employment, workers * lam / x, rtol=1e-12)
    # the table's workers per US$ of value added equal the country's per US$ of GDP
    assert (model.employment @ x) / va == pytest.approx(employed / (gdp_usd / 1e6), rel=1e-12)
    # one million rupees of final demand for care, by hand: e' L f with f in table units
    f = np.zeros(model.n)
    f[model.index_of("c33")] = 1e6 / model.money_unit
    by_hand = float(workers * lam / x @ np.linalg.inv(np.eye(model.n) - t.coefficients.values)
                    @ f)
    assert float(model.employment @ model.L @ f) == pytest.approx(by_hand, rel=1e-9)


def test_fallback_employment_follows_the_country() -> None:
    """Kenya and South Africa share the rest-of-world structure but not its jobs per unit of
    spending: each follows its own employed persons per unit of GDP."""
    models = {c: country_io_model(load(policy(c))) for c in ("KEN", "ZAF")}
    a, b = models["KEN"], models["ZAF"]
    np.testing.assert_allclose(a.A, b.A)
    ratio = a.employment / np.where(b.employment > 0, b.employment, np.nan)
    finite = ratio[np.isfinite(ratio)]
    np.testing.assert_allclose(finite, finite[0], rtol=1e-12)  # one factor for all industries
    ken, zaf = load(policy("KEN")).macro, load(policy("ZAF")).macro
    per_gdp = ((ken.employed_women + ken.employed_men) / ken.gdp * a.money_unit) / (
        (zaf.employed_women + zaf.employed_men) / zaf.gdp * b.money_unit)
    assert finite[0] == pytest.approx(per_gdp, rel=1e-12)


def test_proxy_double_counting_is_warned() -> None:
    raw = policy("MEX")
    raw["fiscal"] = {"employer_contribution_rate": 0.2}
    with pytest.warns(CountryDataWarning, match="count those taxes twice"):
        scenario_from_dict(raw)


def test_women_jobs_are_unknown_not_guessed_until_shares_are_given() -> None:
    scn = load(policy("MEX"))
    assert any("no women's share of jobs by industry" in w for w in scn.data_warnings)
    res = simulate(scn)
    assert np.isnan(res.summary["jobs_women"].iloc[-1])
    model = country_io_model(scn)
    given = simulate(scn, model.with_female_share(np.full(model.n, 0.4))).summary.iloc[-1]
    assert np.isfinite(given["jobs_women"]) and given["jobs_women"] > 0
    assert np.isfinite(given["women_emp_rate_change_pp"])


def test_report_says_when_the_womens_share_is_not_available() -> None:
    """Without women's shares by industry the headline sentence says so instead of 'nan%'."""
    import dataclasses

    from carecost.investment import example_scenario, simulate

    rep = simulate(example_scenario()).report()
    text = rep.summary()
    assert "% for women" in text and "nan" not in text
    blank = dataclasses.replace(rep, women_share_of_jobs=float("nan"),
                                women_emp_rate_change_pp=float("nan"),
                                gender_gap_change_pp=float("nan"))
    text = blank.summary()
    assert "nan" not in text
    assert "women's share is not available" in text
    assert "change in women's employment rate is not available" in text


def test_monte_carlo_and_brief_for_a_country_scenario() -> None:
    """monte_carlo uses the country's own table without model= (as simulate does), and the
    investment brief says that the women's share is unknown instead of printing a number."""
    import warnings

    from carecost.briefs import investment_brief
    from carecost.investment import ParameterRange, monte_carlo, scenario_from_dict, simulate

    raw = {
        "meta": {"name": "Mexico childcare", "country": "MEX", "base_year": 2022,
                 "target_year": 2030},
        "services": [{"name": "childcare_0_2", "ages": [0, 2], "current_coverage": 0.1,
                      "target_coverage": 0.5, "persons_per_staff": 5,
                      "wage_relative_to_average": 0.8, "women_share": 0.95}],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scn = scenario_from_dict(raw)
        mc = monte_carlo(scn, [ParameterRange("services.childcare_0_2.persons_per_staff", 4, 6)],
                         draws=50, seed=1)
        point = simulate(scn).report().gross_cost
        sel = mc[(mc["measure"] == "gross_cost") & (mc["year"] == 2030)]
        assert float(sel["point"].iloc[0]) == pytest.approx(point, rel=1e-12)
        assert float(sel["ci_low"].iloc[0]) < point < float(sel["ci_high"].iloc[0])
        brief = investment_brief(scn, draws=50, seed=1)
    assert "nan" not in brief.answer.lower() and "–%" not in brief.answer
    assert "how many of them go to women is not known" in brief.answer
