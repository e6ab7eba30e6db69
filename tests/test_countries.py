"""carecost.countries: the shipped country database equals its sources, and says where
every value came from.

Tests marked ``realdata`` compare with the public source files in ``../shared/data`` and skip
without them; the others use only the shipped database.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import carecost.countries as cc
from carecost.errors import CarecostInputError
from carecost.paths import shared_data_dir

SHARED = shared_data_dir([Path(__file__).parent]) or (
    Path(__file__).resolve().parents[2] / "shared" / "data")


def _needs(*files: str) -> list[pytest.MarkDecorator]:
    missing = [f for f in files if not (SHARED / f).is_file()]
    return [pytest.mark.realdata,
            pytest.mark.skipif(bool(missing), reason=f"shared real data {missing} not found "
                               f"under {SHARED}")]


def _apply(marks: list[pytest.MarkDecorator]):  # type: ignore[no-untyped-def]
    def deco(fn):  # type: ignore[no-untyped-def]
        for m in marks:
            fn = m(fn)
        return fn
    return deco


# ------------------------------------------------------------------ shipped data, no sources
def test_population_matches_the_published_wpp_totals() -> None:
    # ../shared/data/README.md (checks): Mexico 2020 = 128,932.753 thousand (female 65,861.267)
    pop = cc.population("MEX", 2020)
    assert pop["population"].sum() == 128_932_753
    assert pop.loc[pop["sex"] == "female", "population"].sum() == 65_861_267
    assert set(pop["age"]) == set(range(101)) and set(pop["variant"]) == {"estimate"}
    assert set(cc.population("MEX", 2021)["variant"]) == {"medium"}


def test_population_refuses_years_outside_the_data() -> None:
    with pytest.raises(cc.CountryDataError, match=r"2061.*2000-2060.*\[population\] file"):
        cc.population("KEN", [2030, 2061])
    with pytest.raises(cc.CountryDataError, match="201 countries"):
        cc.population("TUV")  # Tuvalu: in WPP locations, no age detail


def test_unknown_code_suggests_the_closest_countries() -> None:
    with pytest.raises(cc.CountryDataError, match=r"'MEXX'.*Closest: MEX \(Mexico\)") as e:
        cc.profile("MEXX", 2020)
    assert isinstance(e.value, CarecostInputError)
    with pytest.raises(cc.CountryDataError, match=r"KEN \(Kenya\)"):
        cc.io_table("Kenia")
    with pytest.raises(cc.CountryDataError, match=r"MEX \(Mexico\)"):
        cc.population("Mexico")
    assert cc.population(" mex ", 2020)["population"].sum() == 128_932_753


def test_available_lists_countries_and_their_inputs() -> None:
    a = cc.available()
    assert len(a) == 235 and a["iso3"].is_unique
    assert list(a.columns[:7]) == ["iso3", "name", "m49", "region", "subregion", "wb_region",
                                   "income_group"]
    assert list(a.columns[7:]) == list(cc.INPUTS)
    mex = a.set_index("iso3").loc["MEX"]
    assert mex["name"] == "Mexico" and mex["income_group"] == "Upper middle income"
    assert bool(mex[list(cc.INPUTS)].all())
    assert a["io_table"].sum() == 40 and a["population"].sum() == 201
    assert not a.set_index("iso3").loc["TUV", "population"]


def test_profile_flags_every_value() -> None:
    p = cc.profile("MEX", 2030).set_index("input")
    assert p.loc["population_total", "flag"] == "projected (WPP 2019 medium variant)"
    assert p.loc["gdp_lcu", "flag"] == "carried forward from 2023"
    assert p.loc["gdp_lcu", "year"] == 2023
    assert p.loc["gov_revenue_pct_gdp", "flag"] == "carried forward from 2024 (projected)"
    assert p.loc["io_table", "flag"] == "observed"
    allowed = ("observed", "adjusted", "estimated", "projected", "unreliable", "interpolated",
               "carried forward", "carried back", "fallback", "missing")
    assert p["flag"].map(lambda f: f.startswith(allowed)).all()
    assert p["source"].str.len().gt(10).all()
    q = cc.profile("MEX", 2015).set_index("input")
    assert q.loc["gdp_lcu", "flag"] == "observed" and q.loc["gdp_lcu", "year"] == 2015
    assert q.loc["population_total", "flag"] == "observed"
    w = q.loc["working_age_women"]
    pop = cc.population("MEX", 2015)
    assert w["value"] == pop.query("sex == 'female' and 15 <= age <= 64")["population"].sum()


def test_profile_interpolates_between_observations_and_says_so() -> None:
    # Mexico's SDG 5.4.1 series for ages 12+ has survey years with gaps (UN gender portal): a
    # year between two surveys is interpolated linearly and the flag names both years
    t = pd.read_parquet(Path(cc.__file__).parent / "data" / "indicators.parquet")
    obs = t.query("iso3 == 'MEX' and indicator == 'unpaid_domestic_care_hours' and "
                  "sex == 'female' and category == 'Y_GE12'").set_index("year")["value"]
    y0, y1 = sorted(obs.index)[:2]
    assert y1 - y0 > 1, "the test needs a gap between two survey years"
    got = cc.indicator("MEX", "unpaid_domestic_care_hours", y0 + 1, sex="female",
                       category="Y_GE12")
    assert got["flag"].startswith(f"interpolated between {y0} and {y1}")
    assert got["year"] == y0
    assert got["value"] == pytest.approx(obs[y0] + (obs[y1] - obs[y0]) / (y1 - y0), rel=1e-12)
    first = cc.indicator("MEX", "unpaid_domestic_care_hours", y0 - 1, sex="female",
                         category="Y_GE12")
    assert (first["flag"], first["value"]) == (f"carried back from {y0}", obs[y0])


def test_missing_input_names_source_and_scenario_key() -> None:
    with pytest.raises(cc.CountryDataError,
                       match=r"TUV.*ILOSTAT EAR_4MTH.*\[macro\] average_wage"):
        cc.indicator("TUV", "average_earnings", 2020)
    with pytest.raises(cc.CountryDataError, match="unknown indicator 'gdp_nominal'"):
        cc.indicator("MEX", "gdp_nominal", 2020)
    p = cc.profile("TUV", 2020).set_index("input")
    assert p.loc["average_earnings", "flag"] == "missing"
    assert np.isnan(p.loc["average_earnings", "value"])
    assert "[macro] average_wage" in p.loc["average_earnings", "note"]
    assert p.loc["population", "flag"] == "missing"
    with pytest.raises(cc.CountryDataError, match="outside"):
        cc.profile("MEX", 2070)


def test_io_table_fallback_is_flagged_and_feeds_the_io_model() -> None:
    from carecost.investment import IOModel

    ken = cc.io_table("KEN")
    assert (ken.flag, ken.economy) == ("fallback", "RoW")
    assert "KEN has no WIOD table" in ken.notes[0]
    mex = cc.io_table("MEX")
    assert (mex.flag, mex.economy, mex.care_sectors, mex.construction_sector) == (
        "observed", "MEX", ("c33",), "c18")
    assert mex.names[32] == "Health and Social Work"
    assert cc.io_table("ROU").economy == "ROM"
    model = IOModel.from_flows(**mex.from_flows_kwargs())
    np.testing.assert_allclose(model.L, mex.leontief().to_numpy(), rtol=1e-12)
    i = mex.sectors.index("c33")
    assert model.employment[i] == pytest.approx(mex.employment_coefficient["c33"], rel=1e-12)
    twn = cc.io_table("TWN")
    assert twn.workers.isna().all() and "employment" not in twn.from_flows_kwargs()


# ------------------------------------------------------------------ against the sources
@_apply(_needs("wpp2019/population_single_age.parquet"))
@pytest.mark.parametrize(("iso3", "year"), [("MEX", 2020), ("IND", 2050), ("KEN", 2000),
                                            ("DEU", 2060), ("BRA", 2035), ("NGA", 2021)])
def test_population_equals_the_wpp_file(iso3: str, year: int) -> None:
    src = pd.read_parquet(SHARED / "wpp2019/population_single_age.parquet",
                          filters=[("iso3", "==", iso3), ("year", "==", year)])
    src = src.sort_values(["sex", "age"]).reset_index(drop=True)
    got = cc.population(iso3, year).sort_values(["sex", "age"]).reset_index(drop=True)
    assert len(got) == len(src) == 202
    assert list(got["sex"]) == list(src["sex"].astype(str))
    # exact: the stored persons / 1000 is the source double (three decimals)
    np.testing.assert_array_equal(got["population"] / 1000.0, src["population_thousands"])
    assert set(got["variant"]) == set(src["variant"].astype(str))


@_apply(_needs("macro/wdi_gdp_ppp.parquet", "macro/imf_weo_2019apr.parquet",
               "macro/uis_preprimary.parquet"))
@pytest.mark.parametrize("iso3", ["MEX", "KEN", "DEU", "IND", "BRA"])
def test_gdp_revenue_and_enrolment_equal_their_sources(iso3: str) -> None:
    wdi = pd.read_parquet(SHARED / "macro/wdi_gdp_ppp.parquet")
    w = wdi[(wdi["iso3"] == iso3) & (wdi["year"] == 2015)].set_index("indicator_code")["value"]
    assert cc.indicator(iso3, "gdp_lcu", 2015)["value"] == w["NY.GDP.MKTP.CN"]
    assert cc.indicator(iso3, "gdp_usd", 2015)["value"] == w["NY.GDP.MKTP.CD"]
    assert cc.indicator(iso3, "gdp_ppp", 2015)["value"] == w["NY.GDP.MKTP.CN"] / w["PA.NUS.PPP"]
    weo = pd.read_parquet(SHARED / "macro/imf_weo_2019apr.parquet")
    r = weo[(weo["iso3"] == iso3) & (weo["concept"] == "ggr_ngdp")].set_index("year")
    got = cc.indicator(iso3, "gov_revenue", 2015)
    assert got["value"] == r.loc[2015, "value"]
    assert got["flag"] == ("observed" if 2015 <= r.loc[2015, "estimates_start_after"]
                           else "estimated")
    assert cc.indicator(iso3, "gov_revenue", 2022)["flag"] == "projected"
    uis = pd.read_parquet(SHARED / "macro/uis_preprimary.parquet")
    u = uis[(uis["iso3"] == iso3) & (uis["indicator"] == "ger_02")].set_index("year")["value"]
    for year, value in u.items():
        assert cc.indicator(iso3, "preprimary_enrolment", int(year))["value"] == value


@_apply(_needs("wiod2013/intermediate_use.parquet", "wiod2013/gross_output.parquet",
               "daedalus/country_sector_workers.parquet", "macro/wdi_gdp_ppp.parquet"))
def test_wiod_domestic_leontief_reproduces_a_hand_computation() -> None:
    raw = pd.read_parquet(
        SHARED / "wiod2013/intermediate_use.parquet",
        filters=[("year", "==", 2011), ("row_country", "==", "MEX"),
                 ("col_industry", "in", ["c18", "c33"])])
    raw = raw[raw["col_country"].astype(str) == "MEX"]
    out = pd.read_parquet(SHARED / "wiod2013/gross_output.parquet",
                          filters=[("year", "==", 2011), ("country", "==", "MEX")])
    x = out.assign(industry=out["industry"].astype(str)).set_index("industry")[
        "gross_output_musd"].astype(float)
    z = raw.assign(r=raw["row_industry"].astype(str), c=raw["col_industry"].astype(str)) \
        .set_index(["r", "c"])["value_musd"].astype(float)
    # hand computation, two industries: a_ij = z_ij / x_j, L = (I - A)^-1 written out for 2x2
    a11, a12 = z["c18", "c18"] / x["c18"], z["c18", "c33"] / x["c33"]
    a21, a22 = z["c33", "c18"] / x["c18"], z["c33", "c33"] / x["c33"]
    det = (1 - a11) * (1 - a22) - a12 * a21
    hand = np.array([[1 - a22, a12], [a21, 1 - a11]]) / det
    io = cc.io_table("MEX")
    a = io.coefficients.loc[["c18", "c33"], ["c18", "c33"]].to_numpy()
    np.testing.assert_allclose(a, [[a11, a12], [a21, a22]], rtol=1e-12)
    np.testing.assert_allclose(np.linalg.inv(np.eye(2) - a), hand, rtol=1e-12)
    # the full 35-industry inverse: (I - A) L = I, and the care column is at least direct
    lf = io.leontief().to_numpy()
    np.testing.assert_allclose((np.eye(35) - io.coefficients.to_numpy()) @ lf, np.eye(35),
                               atol=1e-10)
    assert io.coefficients.loc[:, "c33"].sum() == pytest.approx(
        z.xs("c33", level="c").sum() / x["c33"], rel=1e-12)
    # employment coefficient: daedalus sector 42 workers / (output x GDP_2019 / GDP_2011)
    d = pd.read_parquet(SHARED / "daedalus/country_sector_workers.parquet")
    workers = d[(d["iso3"] == "MEX") & (d["sector_id"] == 42)]["workers"].item()
    wdi = pd.read_parquet(SHARED / "macro/wdi_gdp_ppp.parquet")
    g = wdi[(wdi["iso3"] == "MEX") & (wdi["indicator_code"] == "NY.GDP.MKTP.CD")] \
        .set_index("year")["value"]
    assert io.employment_coefficient["c33"] == pytest.approx(
        workers / (x["c33"] * g[2019] / g[2011]), rel=1e-12)
    assert io.output["c33"] == pytest.approx(x["c33"] * g[2019] / g[2011], rel=1e-12)


def test_table_gives_whole_shipped_tables_and_names_the_shipped_ones() -> None:
    from carecost import countries

    pop = countries.table("population")
    assert {"iso3", "year", "sex", "age", "population", "variant"} <= set(pop.columns)
    mex = countries.population("MEX", 2020)
    rows = pop[(pop["iso3"] == "MEX") & (pop["year"] == 2020)]
    assert float(rows["population"].sum()) == pytest.approx(float(mex["population"].sum()),
                                                            rel=1e-12)
    with pytest.raises(countries.CountryDataError, match="'indicators'"):
        countries.table("indicator")


# ------------------------------------------------------------------ population variants
def _ratio(iso3: str, variant: str, sex: str, age_start: int, year: int) -> float:
    tab = cc.table("population_variants")
    sel = tab[(tab["iso3"] == iso3) & (tab["sex"] == sex) & (tab["age_start"] == age_start)
              & (tab["year"] == year)]
    assert len(sel) == 1
    return float(sel[f"{variant}_to_medium"].iloc[0])


def test_population_variants_share_the_estimates_and_spread_after_2020() -> None:
    med = cc.population("NGA", variant="medium")
    pd.testing.assert_frame_equal(med, cc.population("NGA"))  # the default is unchanged
    low, high = cc.population("NGA", variant="low"), cc.population("NGA", variant="high")
    for v, df in (("low", low), ("high", high)):
        assert list(df.columns) == list(med.columns) and df.dtypes.equals(med.dtypes)
        assert df[["year", "age", "sex"]].equals(med[["year", "age", "sex"]])
        past = df["year"] <= 2020
        assert df.loc[past, "population"].equals(med.loc[past, "population"])
        assert set(df.loc[past, "variant"]) == {"estimate"}
        assert set(df.loc[~past, "variant"]) == {v}
    tot = {v: d.groupby("year")["population"].sum() for v, d in
           (("low", low), ("medium", med), ("high", high))}
    later = tot["medium"].index > 2020
    assert (tot["low"][later] < tot["medium"][later]).all()
    assert (tot["high"][later] > tot["medium"][later]).all()
    # fertility variants: people born before mid-2020 (age >= year - 2020 + 5, a whole group
    # older) are the medium population within the rounding of the ratios (|r - 1| < 1e-3)
    old = (med["year"] == 2040) & (med["age"] >= 30)
    rel = (low.loc[old, "population"] - med.loc[old, "population"]).abs() / med.loc[
        old, "population"].clip(lower=1)
    assert rel.max() < 2e-3
    # the youngest are the most affected: NGA age 0-4 in 2060, low / medium well below 0.9
    young = (med["year"] == 2060) & (med["age"] < 5)
    assert low.loc[young, "population"].sum() < 0.9 * med.loc[young, "population"].sum()


def test_population_variant_follows_the_stated_interpolation_and_rounding() -> None:
    years = [2021, 2022, 2025, 2027, 2033, 2060]
    m = cc.population("KEN", years).set_index(["year", "sex", "age"])["population"]
    low = cc.population("KEN", years, variant="low").set_index(["year", "sex", "age"])
    high = cc.population("KEN", years, variant="high").set_index(["year", "sex", "age"])

    def want(df: pd.DataFrame, key: tuple[int, str, int], r: float) -> None:
        assert df.loc[key, "population"] == np.rint(m[key] * r), key

    # at a 5-year step: the step's group ratio
    want(low, (2025, "male", 0), _ratio("KEN", "low", "male", 0, 2025))
    want(low, (2060, "female", 57), _ratio("KEN", "low", "female", 55, 2060))
    # a cohort born after the earlier step takes the later step's ratio: age 0 in 2021 (born
    # after mid-2020) and age 1 in 2027 (born after mid-2025)
    want(low, (2021, "female", 0), _ratio("KEN", "low", "female", 0, 2025))
    want(high, (2027, "male", 1), _ratio("KEN", "high", "male", 0, 2030))
    # born before mid-2020: ratio 1 at 2020, so 2022 age 3 is 40% of the way to the 2025 group
    want(low, (2022, "female", 3), 0.6 + 0.4 * _ratio("KEN", "low", "female", 5, 2025))
    # along the cohort: age 6 in 2027 was in group 0-4 in 2025 (age 4) and is in 5-9 in 2030
    want(low, (2027, "female", 6), 0.6 * _ratio("KEN", "low", "female", 0, 2025)
         + 0.4 * _ratio("KEN", "low", "female", 5, 2030))
    # 2033, age 12: group 5-9 in 2030 (age 9), group 10-14 in 2035 (age 14)
    want(high, (2033, "male", 12), 0.4 * _ratio("KEN", "high", "male", 5, 2030)
         + 0.6 * _ratio("KEN", "high", "male", 10, 2035))
    # age 100 (100 and over) uses group 100+ at both steps
    want(low, (2033, "female", 100), 0.4 * _ratio("KEN", "low", "female", 100, 2030)
         + 0.6 * _ratio("KEN", "low", "female", 100, 2035))
    # the variant ratio is a property of the birth cohort (fertility variants): the cohort in
    # group 0-4 in 2025 has the same ratio in group 5-9 in 2030 to within 0.02 everywhere
    tab = cc.table("population_variants").set_index(["iso3", "sex", "age_start", "year"])
    r25 = tab.xs((0, 2025), level=("age_start", "year"))["low_to_medium"]
    r30 = tab.xs((5, 2030), level=("age_start", "year"))["low_to_medium"]
    assert (r30 - r25).abs().max() < 0.02 and (1 - r25).abs().mean() > 0.1


def test_population_refuses_an_unknown_variant() -> None:
    for bad in ("Low", "constant-fertility", None, 1):
        with pytest.raises(cc.CountryDataError,
                           match=r"unknown population variant.*'medium', 'low', 'high'"):
            cc.population("MEX", 2030, variant=bad)  # type: ignore[arg-type]
    with pytest.raises(cc.CountryDataError, match="201 countries"):
        cc.population("TUV", variant="low")


@_apply(_needs("wpp2019/population_5y.parquet"))
@pytest.mark.parametrize("iso3", ["NGA", "MEX", "DEU", "CHN", "KEN", "IND", "ARE"])
def test_population_variant_group_sums_reproduce_wpp_5y(iso3: str) -> None:
    # At every 5-year step 2025-2060 the single ages of a 5-year group sum to WPP 2019's
    # low/high five-year population within the rounding: at most 0.5 person per single age
    # (2.5 for a 5-year group, 0.5 for 100+).  India and the UAE in 2055-2060 are the stated
    # exception: the single-age medium (June 2019 release) differs from the five-year medium
    # (August 2019 revision, ../shared/data/README.md), so they follow the single-age medium.
    steps = list(range(2025, 2061, 5))
    src = pd.read_parquet(SHARED / "wpp2019/population_5y.parquet",
                          filters=[("iso3", "==", iso3), ("year", "in", steps)])
    src = src.assign(persons=src["population_thousands"] * 1000.0, sex=src["sex"].astype(str))
    src = src.set_index(["variant", "year", "sex", "age_start"])["persons"]
    for v in ("low", "high"):
        got = cc.population(iso3, steps, variant=v)
        got = got.assign(age_start=np.minimum(got["age"], 100) // 5 * 5)
        sums = got.groupby(["year", "sex", "age_start"])["population"].sum()
        n = got.groupby(["year", "sex", "age_start"])["age"].size()
        want = src.loc[v].reindex(sums.index)
        assert want.notna().all()
        diff = (sums - want).abs()
        revised = diff.index.get_level_values("year") >= 2055 if iso3 in {"IND", "ARE"} else (
            np.zeros(len(diff), dtype=bool))
        assert (diff[~revised] <= 0.5 * n[~revised] + 1e-6).all(), diff[~revised].max()
        if iso3 in {"IND", "ARE"}:
            # what remains there is the revision gap of the medium variant, scaled by the ratio
            med = cc.population(iso3, [2055, 2060]).assign(
                age_start=lambda d: np.minimum(d["age"], 100) // 5 * 5)
            gap = (med.groupby(["year", "sex", "age_start"])["population"].sum()
                   - src.loc["medium"].reindex(sums[revised].index)).abs()
            assert (gap > 0.5).any()
            assert (diff[revised] <= gap * want[revised] / src.loc["medium"].reindex(
                sums[revised].index).clip(lower=1) + 0.5 * n[revised] + 1e-6).all()
