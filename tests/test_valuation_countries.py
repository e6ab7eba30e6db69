"""Country valuation of unpaid domestic and care work from SDG 5.4.1 hours (shipped database)."""

from __future__ import annotations

import pytest

from carecost import countries
from carecost.valuation import Generalist, ValuationError
from carecost.valuation.countries import age_range, value_countries, value_country


def _hand(iso3: str, year: int, age_lo: int, age_hi: int, wage_f: float, wage_m: float) -> float:
    """hours x population x 365 x wage, summed over sex, straight from the database tables."""
    pop = countries.population(iso3, year)
    pop = pop[(pop["age"] >= age_lo) & (pop["age"] <= age_hi)]
    total = 0.0
    for sex, wage in (("female", wage_f), ("male", wage_m)):
        s = countries.series(iso3, "unpaid_domestic_care_hours", sex=sex, category="Y_GE15")
        h = float(s.loc[s["year"] == year, "value"].iloc[0])
        total += h * float(pop.loc[pop["sex"] == sex, "population"].sum()) * 365 * wage
    return total


def test_gbr_generalist_by_hand() -> None:
    # GBR 2015: survey, elementary-occupation earnings and GDP all observed in 2015
    r = value_country("GBR", 2015, method="replacement_generalist", basis="gross")
    w = countries.series("GBR", "hourly_earnings_lcu", sex="total", category="ISCO08_9")
    wage = float(w.loc[w["year"] == 2015, "value"].iloc[0])
    value = _hand("GBR", 2015, 15, 100, wage, wage)
    gdp = countries.series("GBR", "gdp_lcu")
    gdp15 = float(gdp.loc[gdp["year"] == 2015, "value"].iloc[0])
    assert (r.survey_year, r.wage_year, r.wage_flag, r.ages) == (2015, 2015, "observed", "15+")
    assert r.value_lcu == pytest.approx(value, rel=1e-12)
    assert r.pct_gdp == pytest.approx(100 * value / gdp15, rel=1e-12)
    usd = countries.series("GBR", "gdp_usd")
    assert r.value_usd == pytest.approx(
        value * float(usd.loc[usd["year"] == 2015, "value"].iloc[0]) / gdp15, rel=1e-12)
    assert "ISCO-08 major group 9" in r.wage_label
    assert "chosen with basis='gross'" in r.wage_basis and "would be higher" in r.wage_basis


def test_opportunity_cost_by_sex_by_hand() -> None:
    r = value_country("GBR", 2015, method="opportunity_cost", basis="gross")
    wf, wm = (float(countries.indicator("GBR", "hourly_earnings_lcu", 2015, sex=s,
                                        category="ISCO08")["value"]) for s in ("female", "male"))
    assert wf != wm
    assert r.value_lcu == pytest.approx(_hand("GBR", 2015, 15, 100, wf, wm), rel=1e-12)
    assert "would be lower by the tax rate" in r.wage_basis


def test_default_basis_needs_the_rate_and_converts_with_it() -> None:
    with pytest.raises(ValuationError, match="employer_rate"):
        value_country("GBR", 2015)
    gross = value_country("GBR", 2015, basis="gross")
    full = value_country("GBR", 2015, employer_rate=0.1)
    assert full.value_lcu == pytest.approx(gross.value_lcu * 1.1, rel=1e-12)
    assert full.wage_basis.startswith("gross wage plus employer")


def test_wage_of_another_year_is_repriced_and_flagged() -> None:
    r = value_country("MEX", 2014, basis="gross")
    w = countries.series("MEX", "hourly_earnings_lcu", sex="total", category="ISCO08_9")
    e = countries.series("MEX", "hourly_earnings_lcu", sex="total", category="ISCO08")
    ev = dict(zip(e["year"], e["value"], strict=True))
    expect = float(w["value"].iloc[0]) * ev[2014] / ev[2016]
    assert r.wage_year == 2016 and "re-priced 2016 -> 2014" in r.wage_flag
    assert r.wage["female"] == pytest.approx(expect, rel=1e-12)


def test_country_without_survey_refused_with_reason() -> None:
    assert not bool(countries.available().set_index("iso3").loc["AFG", "unpaid_care_hours"])
    with pytest.raises(ValuationError, match=r"AFG has no SDG 5.4.1 time-use survey"):
        value_country("AFG", basis="gross")


def test_missing_wage_and_year_without_survey_named() -> None:
    with pytest.raises(ValuationError, match="no hourly earnings of elementary occupations"):
        value_country("CAN", basis="gross")
    with pytest.raises(ValuationError, match=r"no SDG 5.4.1 observation for both sexes in 2012"):
        value_country("GBR", 2012, basis="gross")
    with pytest.raises(ValuationError, match="unknown country"):
        value_country("XXZ", basis="gross")


def test_minimum_wage_only_where_citable() -> None:
    with pytest.raises(ValuationError, match="no citable statutory minimum wage for MEX"):
        value_country("MEX", method="minimum_wage")
    us = value_country("USA", 2015, method="minimum_wage")
    assert us.wage == {"female": 7.25, "male": 7.25} and us.basis == "gross"
    mine = value_country("MEX", 2014, method="minimum_wage",
                         minimum_wage=Generalist(8.0, "MXN", 2014, "gross", "test rate",
                                                 "a stated source"))
    assert mine.value_lcu == pytest.approx(mine.hours_per_year * 8.0, rel=1e-12)


def test_age_codes() -> None:
    assert age_range("Y_GE15") == (15, None) and age_range("Y20T74") == (20, 74)
    with pytest.raises(ValuationError, match="does not state its ages"):
        age_range("_T")


def test_value_countries_lists_failures() -> None:
    res = value_countries(["GBR", "AFG", "CAN", "MEX"], basis="gross")
    assert sorted(res.table["iso3"]) == ["GBR", "MEX"]
    reasons = dict(zip(res.failures["iso3"], res.failures["reason"], strict=True))
    assert set(reasons) == {"AFG", "CAN"}
    assert "SDG 5.4.1" in reasons["AFG"] and "hourly earnings" in reasons["CAN"]


def test_mexico_against_inegi_satellite_account() -> None:
    """INEGI, Cuenta Satélite del Trabajo No Remunerado de los Hogares de México 2017: domestic
    and care work 23.3% of GDP, women 76.7% of the hours.  carecost values ENUT 2014 hours
    (15+, INEGI uses 12+) at elementary-occupation gross earnings, so it is lower; the bounds
    are a sanity range, not a target."""
    r = value_country("MEX", 2014, basis="gross")
    assert r.women_share_hours == pytest.approx(76.7, abs=2.0)
    assert 0.5 * 23.3 < r.pct_gdp < 23.3


# ------------------------------------------------------------------ country brief
def test_country_brief_hours_value_and_package() -> None:
    import json

    from carecost.briefs.country import country_brief

    b = country_brief("MEX")
    q = {x.id: x for x in b.quantities}
    r = value_country("MEX", basis="gross")
    assert q["country.hours_per_day.female"].estimate == r.hours_per_day["female"]
    assert q["country.sdg541.female"].estimate == pytest.approx(
        100 * r.hours_per_day["female"] / 24)
    assert q["value.replacement_generalist.pct_gdp"].estimate == pytest.approx(r.pct_gdp)
    assert q["value.replacement_specialist.pct_gdp"].flags  # the ISCO 53 proxy is flagged
    assert "value.minimum_wage.pct_gdp" not in q  # no citable rate: a caveat, not a proxy
    assert any("Minimum wage" in c and "minimum_wage_proxy" in c for c in b.caveats)
    assert q["investment.package_cost_pct_gdp"].estimate > 0  # the ilo-2035 package
    doc = json.loads(b.to_json())
    assert doc["kind"] == "value" and "<svg" in b.to_html()


def test_country_brief_without_survey_or_wages_is_flagged() -> None:
    from carecost.briefs.country import country_brief

    b = country_brief("NGA", investment=False)
    q = {x.id: x for x in b.quantities}
    assert any("imputed" in f for f in q["country.hours_per_day.female"].flags)
    assert q["value.replacement_generalist.pct_gdp"].estimate > 0
    assert any("imputed as a share of GDP per capita" in c for c in b.caveats)
    with pytest.raises(ValuationError, match="unknown country"):
        country_brief("XXZ", investment=False)
