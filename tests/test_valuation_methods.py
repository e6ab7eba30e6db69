"""carecost.valuation: hand-computed examples for every method, and the errors.

The toy survey has three persons with weights 1, 2, 1 (weights count persons),
cooking minutes 60, 120, 0 and cleaning minutes 30, 0, 90 per day, so hours per
day are cooking (1, 2, 0) and cleaning (0.5, 0, 1.5).  Weighted daily hours:
cooking 1*1 + 2*2 + 1*0 = 5, cleaning 1*0.5 + 0 + 1*1.5 = 2; population 4.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from carecost.survey import Design, ReplicateDesign
from carecost.valuation import (
    GDP,
    ActivityMap,
    Generalist,
    Hybrid,
    OpportunityCost,
    Specialist,
    ValuationError,
    WageTable,
    basis_factor,
    oes_wages,
    us_federal_minimum_wage,
    us_gdp,
    value_unpaid_work,
)

FULL = "gross_plus_employer"  # the toy wages are stated as full labour cost, the basis replacement
# cost values at (issue 13 item 6), so no conversion is needed

DAYS = 365


@pytest.fixture
def toy() -> pd.DataFrame:
    return pd.DataFrame({
        "cook": [60.0, 120.0, 0.0], "clean": [30.0, 0.0, 90.0],
        "sex": ["female", "male", "female"], "w": [1.0, 2.0, 1.0], "own": [10.0, 20.0, 15.0],
    })


@pytest.fixture
def amap() -> ActivityMap:
    return ActivityMap.from_records([
        {"group": "cooking", "columns": "cook", "occupation": "cook"},
        {"group": "cleaning", "columns": "clean", "occupation": "cleaner",
         "market_substitute": False},
    ])


@pytest.fixture
def wages() -> WageTable:
    return WageTable.from_mapping({"cook": 12.0, "cleaner": 10.0}, currency="USD", year=2016,
                                  basis=FULL,
                                  source="toy")


def _est(res: pd.DataFrame, group: str = "total") -> float:
    return float(res.loc[res["group"] == group, "estimate"].iloc[0])


def test_generalist_by_hand(toy, amap) -> None:
    v = value_unpaid_work(Design(toy, weights="w"), amap, Generalist(10.0, "USD", 2016, FULL),
                          year=2016, currency="USD", days=DAYS, weights="persons")
    tot = v.total()
    # cooking 5 h/day x $10 x 365 = 18,250; cleaning 2 x 10 x 365 = 7,300; total 25,550
    assert _est(tot, "cooking") == pytest.approx(18_250)
    assert _est(tot, "cleaning") == pytest.approx(7_300)
    assert _est(tot) == pytest.approx(25_550)
    # per capita: 25,550 / 4 persons = 6,387.5 per person per year
    assert _est(v.per_capita()) == pytest.approx(6_387.5)
    # annual hours: 7 h/day x 365 = 2,555
    assert _est(v.hours(groups=False)) == pytest.approx(2_555)
    # women: person 1 (1.5 h) + person 3 (1.5 h) = 3 h/day x $10 x 365 = 10,950 of 25,550
    ws = v.women_share()
    assert ws["estimate"].iloc[0] == pytest.approx(10_950 / 25_550)
    # share of a GDP of 1,000,000: 0.02555
    assert _est(v.share_of_gdp(GDP(1e6, "USD", 2016))) == pytest.approx(0.02555)


def test_specialist_by_hand(toy, amap, wages) -> None:
    v = value_unpaid_work(Design(toy, weights="w"), amap, Specialist(wages), year=2016,
                          currency="USD", days=DAYS, weights="persons")
    tot = v.total()
    # cooking 5 x $12 x 365 = 21,900; cleaning 2 x $10 x 365 = 7,300
    assert _est(tot, "cooking") == pytest.approx(21_900)
    assert _est(tot, "cleaning") == pytest.approx(7_300)
    assert _est(tot) == pytest.approx(29_200)


def test_hybrid_by_hand(toy, amap, wages) -> None:
    gen = Generalist(8.0, "USD", 2016, FULL, label="housekeeper")
    v = value_unpaid_work(Design(toy, weights="w"), amap, Hybrid(wages, gen), year=2016,
                          currency="USD", days=DAYS, weights="persons")
    tot = v.total()
    # cooking has a market substitute: 5 x $12 x 365 = 21,900;
    # cleaning has none in this map: generalist 2 x $8 x 365 = 5,840
    assert _est(tot, "cooking") == pytest.approx(21_900)
    assert _est(tot, "cleaning") == pytest.approx(5_840)
    assert v.rates["occupation"].tolist() == ["cook", "housekeeper (generalist)"]


def test_opportunity_cost_by_hand(toy, amap) -> None:
    oc = OpportunityCost("own", "USD", 2016, "net")
    v = value_unpaid_work(Design(toy, weights="w"), amap, oc,
                          year=2016, currency="USD", days=DAYS, weights="persons")
    tot = v.total()
    # person 1: 1.5 h x $10 = 15; person 2: 2 h x $20 = 40 (weight 2 -> 80);
    # person 3: 1.5 h x $15 = 22.5; daily 117.5 x 365 = 42,887.5
    assert _est(tot) == pytest.approx(42_887.5)
    # cooking: 1 x 10 + 2 x (2 x 20) + 0 = 90 per day -> 32,850
    assert _est(tot, "cooking") == pytest.approx(32_850)
    # average own wage of the hours: 117.5 / 7 = 16.786 per hour
    avg = v.summary(sex=None)
    assert _est(avg[avg["statistic"] == "average_wage"]) == pytest.approx(117.5 / 7)


def test_minimum_wage_and_person_day_weights(toy, amap) -> None:
    mw = us_federal_minimum_wage(2016)
    assert mw.wage == 7.25
    # ATUS-style weights sum to population x days: the weighted sum is already annual
    pdays = toy.assign(w=toy["w"] * DAYS)
    v = value_unpaid_work(Design(pdays, weights="w"), amap, mw, year=2016, currency="USD",
                          days=DAYS, weights="person_days")
    # 7 h/day x $7.25 x 365 = 18,523.75, the same as with person weights
    assert _est(v.total()) == pytest.approx(7 * 7.25 * 365)
    assert _est(v.per_capita()) == pytest.approx(7 * 7.25 * 365 / 4)


def test_wage_bases(toy, amap) -> None:
    d = Design(toy, weights="w")
    g = Generalist(10.0, "USD", 2016)  # a gross wage, as BLS OES and ATUS report
    net = value_unpaid_work(d, amap, g, year=2016, currency="USD", days=DAYS, basis="net",
                            tax_rate=0.2, weights="persons")
    full = value_unpaid_work(d, amap, g, year=2016, currency="USD", days=DAYS,
                             basis="gross_plus_employer", employer_rate=0.1, weights="persons")
    # net: 25,550 x 0.8 = 20,440; labour cost: 25,550 x 1.1 = 28,105
    assert _est(net.total()) == pytest.approx(20_440)
    assert _est(full.total()) == pytest.approx(28_105)
    assert net.basis == "net"
    assert basis_factor("net", "gross", tax_rate=0.2, employer_rate=None,
                        where="t") == pytest.approx(1.25)


LABOUR_COST = "gross wage plus employer social contributions (full labour cost)"


def test_replacement_cost_is_valued_at_full_labour_cost(toy, amap) -> None:
    """Issue 13 item 6: before, a gross wage was used as it was, without a word."""
    d = Design(toy, weights="w")
    g = Generalist(10.0, "USD", 2016)
    with pytest.raises(ValuationError, match=r"replacement cost, generalist\): the wages are "
                       r"gross wage .* valuation basis is gross wage plus employer social "
                       r"contributions \(full labour cost\).*Pass employer_rate = employer "
                       r"social contributions.*or pass basis='gross'"):
        value_unpaid_work(d, amap, g, year=2016, currency="USD", days=DAYS, weights="persons")
    v = value_unpaid_work(d, amap, g, year=2016, currency="USD", days=DAYS, employer_rate=0.1,
                          weights="persons")
    assert _est(v.total()) == pytest.approx(25_550 * 1.1)
    assert v.basis == "gross_plus_employer" and v.wage_basis == LABOUR_COST
    assert "converted from basis gross to gross_plus_employer (x1.1000" in " ".join(v.notes)
    # the basis is in every table
    for table in (v.total(), v.per_capita(), v.summary(GDP(1e6, "USD", 2016)),
                  v.women_share(), v.satellite_account(GDP(1e6, "USD", 2016))):
        assert (table["wage_basis"] == LABOUR_COST).all()
    # wages already on the basis need no rate
    g_full = Generalist(11.0, "USD", 2016, FULL)
    assert _est(value_unpaid_work(d, amap, g_full, year=2016, currency="USD", days=DAYS,
                                  weights="persons").total()) == pytest.approx(25_550 * 1.1)


def test_another_basis_is_a_stated_choice(toy, amap) -> None:
    d = Design(toy, weights="w")
    v = value_unpaid_work(d, amap, Generalist(10.0, "USD", 2016), year=2016, currency="USD",
                          days=DAYS, basis="gross", weights="persons")
    assert _est(v.total()) == pytest.approx(25_550)
    assert v.wage_basis.startswith("gross wage (before the employee's income tax")
    assert "chosen with basis='gross', not the replacement cost, generalist basis (gross " \
        "wage plus employer social contributions (full labour cost))" in v.wage_basis
    assert (v.summary(sex=None)["wage_basis"] == v.wage_basis).all()


def test_rates_are_never_ignored(toy, amap) -> None:
    d = Design(toy, weights="w")
    g = Generalist(10.0, "USD", 2016)
    with pytest.raises(ValuationError, match=r"employer_rate given but not used.*no conversion"):
        value_unpaid_work(d, amap, g, year=2016, currency="USD", basis="gross",
                          employer_rate=0.1, weights="persons")
    with pytest.raises(ValuationError, match="tax_rate given but not used"):
        value_unpaid_work(d, amap, g, year=2016, currency="USD", employer_rate=0.1,
                          tax_rate=0.2, weights="persons")
    # net wages to full labour cost need both rates
    gn = Generalist(8.0, "USD", 2016, "net")
    with pytest.raises(ValuationError, match="Pass employer_rate"):
        value_unpaid_work(d, amap, gn, year=2016, currency="USD", tax_rate=0.2,
                          weights="persons")
    both = value_unpaid_work(d, amap, gn, year=2016, currency="USD", days=DAYS, tax_rate=0.2,
                             employer_rate=0.1, weights="persons")
    # 8 net -> 10 gross -> 11 labour cost per hour
    assert _est(both.total()) == pytest.approx(7 * 11 * DAYS)


def test_opportunity_cost_is_valued_at_the_net_wage(toy, amap) -> None:
    d = Design(toy, weights="w")
    gross_own = OpportunityCost("own", "USD", 2016)  # own wages, gross
    with pytest.raises(ValuationError, match=r"opportunity cost\): the wages are gross wage.*"
                       r"valuation basis is net wage.*Pass tax_rate"):
        value_unpaid_work(d, amap, gross_own, year=2016, currency="USD", weights="persons")
    v = value_unpaid_work(d, amap, gross_own, year=2016, currency="USD", days=DAYS,
                          tax_rate=0.2, weights="persons")
    assert _est(v.total()) == pytest.approx(42_887.5 * 0.8)
    assert v.wage_basis == ("net wage (after the employee's income tax and social "
                            "contributions; take-home pay)")


def test_minimum_wage_variant_is_valued_at_the_statutory_gross_rate(toy, amap) -> None:
    v = value_unpaid_work(Design(toy, weights="w"), amap, us_federal_minimum_wage(2016),
                          year=2016, currency="USD", days=DAYS, weights="persons")
    assert _est(v.total()) == pytest.approx(7 * 7.25 * DAYS)
    assert v.basis == "gross" and "chosen" not in v.wage_basis


def test_satellite_account_by_hand(toy, amap, wages) -> None:
    v = value_unpaid_work(Design(toy, weights="w"), amap, Specialist(wages), year=2016,
                          currency="USD", days=DAYS, weights="persons")
    sa = v.satellite_account(GDP(1e6, "USD", 2016)).set_index(["group", "sex"])
    # women's cooking: person 1, 1 h x $12 x 365 = 4,380 of 29,200 total
    assert sa.loc[("cooking", "female"), "value"] == pytest.approx(4_380)
    assert sa.loc[("cooking", "female"), "share_of_total"] == pytest.approx(4_380 / 29_200)
    assert sa.loc[("cooking", "male"), "hours"] == pytest.approx(2 * 2 * 365)
    assert sa.loc[("total", "all"), "share_of_total"] == pytest.approx(1.0)
    assert sa.loc[("total", "all"), "share_of_gdp"] == pytest.approx(0.0292)
    assert sa.loc[("total", "all"), "share_of_total_se"] == pytest.approx(0.0, abs=1e-12)


def test_replicate_design_propagates(toy, amap) -> None:
    rep = toy.assign(r1=[2.0, 2.0, 0.0], r2=[0.0, 2.0, 2.0], r3=[1.0, 3.0, 1.0])
    d = ReplicateDesign(rep, weights="w", replicates=["r1", "r2", "r3"], method="jk1")
    v = value_unpaid_work(d, amap, Generalist(10.0, "USD", 2016, FULL), year=2016, currency="USD",
                          days=DAYS, weights="persons")
    tot = v.total(groups=False)
    # replicate totals x 365: r1 (1.5+... ) computed directly with numpy
    daily = (toy["cook"] + toy["clean"]).to_numpy() / 60 * 10
    reps = np.array([rep[c].to_numpy() @ daily for c in ("r1", "r2", "r3")]) * DAYS
    full = toy["w"].to_numpy() @ daily * DAYS
    se = np.sqrt((3 - 1) / 3 * ((reps - full) ** 2).sum())
    assert tot["se"].iloc[0] == pytest.approx(se)


# ---------------------------------------------------------------------- errors
def test_missing_wage_for_mapped_occupation(toy, amap) -> None:
    only_cook = WageTable.from_mapping({"cook": 12.0}, currency="USD", year=2016, basis=FULL)
    with pytest.raises(ValuationError, match=r"no wage for mapped occupation\(s\) \['cleaner'\]"):
        value_unpaid_work(Design(toy, weights="w"), amap, Specialist(only_cook), year=2016,
                          currency="USD", weights="persons")


def test_group_without_occupation_in_specialist(toy, wages) -> None:
    am = ActivityMap.from_records([{"group": "cooking", "columns": "cook", "occupation": "cook"},
                                   {"group": "shopping", "columns": "clean"}])
    with pytest.raises(ValuationError, match="have no occupation"):
        value_unpaid_work(Design(toy, weights="w"), am, Specialist(wages), year=2016,
                          currency="USD", weights="persons")


def test_negative_and_missing_hours(toy, amap) -> None:
    bad = toy.assign(cook=[60.0, -5.0, 0.0])
    with pytest.raises(ValuationError, match="'cook' has 1 negative"):
        value_unpaid_work(Design(bad, weights="w"), amap, Generalist(10.0, "USD", 2016, FULL),
                          year=2016, currency="USD", weights="persons")
    nan = toy.assign(clean=[30.0, np.nan, 90.0])
    with pytest.raises(ValuationError, match="missing time is not zero time"):
        value_unpaid_work(Design(nan, weights="w"), amap, Generalist(10.0, "USD", 2016, FULL),
                          year=2016, currency="USD", weights="persons")


def test_year_and_currency_mismatch(toy, amap, wages) -> None:
    d = Design(toy, weights="w")
    with pytest.raises(ValuationError, match="wages are for 2016 but the time-use data are for "
                                             "2015"):
        value_unpaid_work(d, amap, Specialist(wages), year=2015, currency="USD", weights="persons")
    with pytest.raises(ValuationError, match="in USD but the valuation is in EUR"):
        value_unpaid_work(d, amap, Specialist(wages), year=2016, currency="EUR", weights="persons")
    v = value_unpaid_work(d, amap, Specialist(wages), year=2016, currency="USD", weights="persons")
    with pytest.raises(ValuationError, match="GDP is USD 2015"):
        v.share_of_gdp(GDP(1e6, "USD", 2015))
    rebased = wages.rebase(2015, 0.97, source="hypothetical index for the test")
    assert value_unpaid_work(d, amap, Specialist(rebased), year=2015, currency="USD",
                             weights="persons").year == 2015


def test_wage_and_basis_errors(toy, amap) -> None:
    with pytest.raises(ValuationError, match=r"wage \(currency units per hour\) must be positive"):
        Generalist(0.0, "USD", 2016, FULL)
    with pytest.raises(ValuationError, match=r"Pass employer_rate = .*; tax_rate = the average"):
        value_unpaid_work(Design(toy, weights="w"), amap, Generalist(10.0, "USD", 2016, FULL),
                          year=2016, currency="USD", basis="net", weights="persons")
    with pytest.raises(ValuationError, match="must be positive and finite"):
        WageTable.from_mapping({"cook": -1.0}, currency="USD", year=2016, basis=FULL)


def test_opportunity_cost_refuses_missing_wages(toy, amap) -> None:
    d = Design(toy.assign(own=[10.0, np.nan, 15.0]), weights="w")
    with pytest.raises(ValuationError, match="1 persons in the design have no wage"):
        value_unpaid_work(d, amap, OpportunityCost("own", "USD", 2016, "net"), year=2016,
                          currency="USD", weights="persons")
    d0 = Design(toy.assign(own=[10.0, 0.0, 15.0]), weights="w")
    with pytest.raises(ValuationError, match="zero or negative wage"):
        value_unpaid_work(d0, amap, OpportunityCost("own", "USD", 2016, "net"), year=2016,
                          currency="USD", weights="persons")


def test_minimum_wage_change_year_needs_date() -> None:
    with pytest.raises(ValuationError, match="changed during 2009"):
        us_federal_minimum_wage(2009)
    assert us_federal_minimum_wage(2009, on=dt.date(2009, 1, 1)).wage == 6.55
    assert us_federal_minimum_wage(2009, on=dt.date(2009, 12, 31)).wage == 7.25


def test_shipped_oes_and_gdp() -> None:
    t = oes_wages("May 2019", {"child_care_worker": "39-9011"})
    assert t.wage("child_care_worker") == pytest.approx(12.27)
    assert t.se("child_care_worker") == pytest.approx(12.27 * 0.005)
    with pytest.raises(ValuationError, match="no published May 2019 wage is shipped"):
        oes_wages("May 2019", {"domestic_cleaner": "37-2012"})
    g = us_gdp(2016)
    assert g.value == pytest.approx(18_565.6e9)
    with pytest.raises(ValuationError, match="no shipped GDP for 1999"):
        us_gdp(1999)


# ------------------------------------------------------- weights unit and survey years (V1)
def _atus_like(years: tuple[int, ...] = (2016,), population: float = 255e6) -> pd.DataFrame:
    """ATUS-style person-day weights: each year's weights sum to population x days.

    Four persons a year with weights of 1, 2, 1 and 4 eighths of population x days;
    every person cooks 60 minutes a day.
    """
    rows = []
    for y in years:
        part = population * (366 if y % 4 == 0 else 365) / 8
        for k, share in enumerate([1.0, 2.0, 1.0, 4.0]):
            rows.append({"id": f"{y}-{k}", "tuyear": y, "cook": 60.0, "clean": 0.0,
                         "sex": "female", "w": share * part})
    return pd.DataFrame(rows)


def test_weights_unit_has_no_default(toy, amap) -> None:
    # before: weights defaulted to "persons" silently
    with pytest.raises(ValuationError, match="say what the weights count"):
        value_unpaid_work(Design(toy, weights="w"), amap, Generalist(10.0, "USD", 2016, FULL),
                          year=2016, currency="USD")


def test_person_day_weights_declared_as_persons_are_refused(amap) -> None:
    df = _atus_like()
    d = Design(df, weights="w")
    mw = us_federal_minimum_wage(2016)
    # before: weights="persons" multiplied the person-day total by 366 again, so the ILO
    # minimum-wage value of 1 h/day for 255 million people was 366 x 255e6 x 7.25 x 366
    # (about 13 GDPs); now the implied population (sum of weights, 9.33e10) exceeds the world's
    with pytest.raises(ValuationError, match=r"more than live on Earth.*person_days"):
        value_unpaid_work(d, amap, mw, year=2016, currency="USD", weights="persons")
    v = value_unpaid_work(d, amap, mw, year=2016, currency="USD", weights="person_days",
                          population=255e6)
    # 1 h/day x $7.25 x 366 days x 255e6 persons
    assert _est(v.total()) == pytest.approx(7.25 * 366 * 255e6)
    assert v.implied_population == pytest.approx(255e6)
    assert v.weights_sum == pytest.approx(255e6 * 366)
    note = " ".join(v.notes)
    assert "sum of weights over 4 active rows = 9.333e+10" in note
    assert "implied population = 2.55e+08 persons (sum / 366 days)" in note
    assert "annualisation: 366 days" in note


def test_stated_population_catches_a_wrong_unit(amap) -> None:
    # weights that sum to persons (255e6) declared as person-days imply 255e6 / 366 persons
    df = _atus_like().assign(w=lambda f: f["w"] / 366)
    d = Design(df, weights="w")
    g = Generalist(10.0, "USD", 2016, FULL)
    with pytest.raises(ValuationError, match="look like person weights: pass weights='persons'"):
        value_unpaid_work(d, amap, g, year=2016, currency="USD", weights="person_days",
                          population=255e6)
    # the other way round, within tolerance of the stated population: accepted
    v = value_unpaid_work(d, amap, g, year=2016, currency="USD", weights="persons",
                          population=250e6)
    assert v.implied_population == pytest.approx(255e6)
    with pytest.raises(ValuationError, match="population_tolerance must be > 0"):
        value_unpaid_work(d, amap, g, year=2016, currency="USD", weights="persons",
                          population=250e6, population_tolerance=0)


def test_time_use_survey_supplies_its_weights_unit(amap) -> None:
    from carecost.timeuse import from_persons

    df = _atus_like()
    tus = from_persons(df, activities=["cook", "clean"], id="id", weights="w",
                       units="minutes_per_day")
    tus = dataclasses.replace(tus, weights_unit="person_days")
    g = Generalist(10.0, "USD", 2016, FULL)
    v = value_unpaid_work(tus, amap, g, year=2016, currency="USD")
    assert v.weights == "person_days"
    assert _est(v.total()) == pytest.approx(10.0 * 366 * 255e6)
    with pytest.raises(ValuationError, match="the TimeUseSurvey says its weights count"):
        value_unpaid_work(tus, amap, g, year=2016, currency="USD", weights="persons")


def test_pooled_survey_years_are_refused_or_averaged(amap) -> None:
    df = _atus_like((2015, 2016))
    d = Design(df, weights="w")
    g = Generalist(10.0, "USD", 2016, FULL)
    # before: the two years' person-days were summed into one "annual" value (twice the truth)
    with pytest.raises(ValuationError, match=r"span 2 survey years in 'tuyear' \(\[2015, 2016\]"):
        value_unpaid_work(d, amap, g, year=2016, currency="USD", weights="person_days")
    v = value_unpaid_work(d, amap, g, year=2016, currency="USD", weights="person_days",
                          annualise="mean_over_years", population=255e6)
    # mean of 2015 (365 days) and 2016 (366 days): 1 h x $10 x 255e6 x 365.5
    assert _est(v.total()) == pytest.approx(10.0 * 255e6 * 365.5)
    assert _est(v.hours(groups=False)) == pytest.approx(255e6 * 365.5)
    assert v.n_years == 2 and "mean over the 2 years" in " ".join(v.notes)
    # the value per person is a mean: unchanged by pooling
    one = value_unpaid_work(d.subset(df["tuyear"].to_numpy() == 2016), amap, g, year=2016,
                            currency="USD", weights="person_days")
    assert _est(one.total()) == pytest.approx(10.0 * 255e6 * 366)
    assert _est(one.per_capita()) == pytest.approx(10.0 * 366)
    with pytest.raises(ValuationError, match="data are for survey year 2016"):
        value_unpaid_work(d.subset(df["tuyear"].to_numpy() == 2016), amap,
                          Generalist(10.0, "USD", 2015, FULL), year=2015, currency="USD",
                          weights="person_days")
    with pytest.raises(ValuationError, match="not one of the pooled survey years"):
        value_unpaid_work(d, amap, Generalist(10.0, "USD", 2014, FULL), year=2014, currency="USD",
                          weights="person_days", annualise="mean_over_years")
    # a named column is checked, and the check can be turned off
    d2 = Design(df.rename(columns={"tuyear": "wave"}), weights="w")
    with pytest.raises(ValuationError, match="span 2 survey years in 'wave'"):
        value_unpaid_work(d2, amap, g, year=2016, currency="USD", weights="person_days",
                          year_column="wave")
    with pytest.raises(ValuationError, match="not a column"):
        value_unpaid_work(d2, amap, g, year=2016, currency="USD", weights="person_days",
                          year_column="nope")
    off = value_unpaid_work(d, amap, g, year=2016, currency="USD", weights="person_days",
                            year_column=False)
    assert "no survey-year column checked" in " ".join(off.notes)


def test_gdp_error_speaks_of_gdp_not_wages() -> None:
    with pytest.raises(ValuationError, match="GDP in currency units per year") as err:
        GDP(-1.0, "USD", 2016)
    assert "per hour" not in str(err.value)
