"""Recipe: ``indicators.parquet``, every country indicator in one tidy long table.

One row = country × indicator × sex × category × year, with ``value``, ``unit``, ``source``,
``flag`` and ``note``.  Values are exactly the source values (no rescaling, no rounding), except
``gdp_ppp``, which is derived here as GDP in local currency ÷ the PPP conversion factor (both WDI,
same year).  Rows without an ISO3 code (aggregates, Kosovo) or without a value are not kept.

Sources (all under the shared data folder; see its README.md for commits and checks):

- ``macro/wdi_gdp_ppp.parquet`` — World Bank WDI (last updated 2024-06-28), CC BY 4.0:
  ``gdp_lcu``, ``gdp_usd``, ``ppp_conversion_factor``, ``price_level_ratio``, ``gdp_ppp``.
- ``macro/imf_weo_2019apr.parquet`` — IMF WEO April 2019: ``gov_revenue_pct_gdp``,
  ``gov_expenditure_pct_gdp``.  Years after the IMF's last actual year of the country are flagged
  ``estimated`` (up to 2018) or ``projected`` (2019 and later).
- ``ilostat/monthly_earnings_by_sex.parquet`` — ILOSTAT EAR_4MTH_SEX_GEO_CUR_NB_A, national
  area only: ``earnings_monthly_ppp2021``.
- ``un_gender/hourly_earnings_by_occupation.parquet`` — UN gender data portal I.13:
  ``hourly_earnings_lcu`` (category = ISCO occupation code) and ``gender_wage_ratio``.
- ``un_gender/labour_force_participation.parquet`` — I.3: ``labour_force_participation_rate``
  (category = age group code).
- ``ilostat/employment_by_sex_institutional_sector.parquet`` — ILOSTAT EMP_TEMP_SEX_INS_NB_A:
  ``employment`` (thousands; category = institutional sector).
- ``un_gender/employment_rate_by_children_under6.parquet`` — I.15: ``employment_rate_prime_age``
  (category = household type code + ``|`` + presence of children under 6 code).
- ``macro/uis_preprimary.parquet`` — UNESCO UIS, February 2019: pre-primary enrolment ratios,
  pupils, teachers, pupil–teacher ratio, entrance age and duration (names in ``UIS``).
- ``un_gender/preprimary_participation.parquet`` — SDG 4.2.2: ``organised_learning_participation``.
- ``ilostat/hours_by_sex_economic_activity.parquet`` — ILOSTAT HOW_TEMP_SEX_ECO_NB_A, ISIC Rev.4
  scheme only: ``hours_worked_weekly`` (category = ISIC4 section or ``TOTAL``).  Status ``U``
  (unreliable) is flagged ``unreliable``.
- ``un_gender/timeuse_unpaid_hours.parquet`` — SDG 5.4.1 series 100/200/300/400, urban+rural
  totals only: ``unpaid_domestic_care_hours``, ``unpaid_domestic_hours``, ``unpaid_care_hours``,
  ``total_work_hours`` (hours per day; category = age group code).

Flags: ``observed`` (the source's value), ``adjusted`` (UN ``NATURE`` = CA, country adjusted),
``estimated`` (UN ``NATURE`` = E, or an IMF estimate), ``projected`` (IMF projection),
``unreliable`` (ILOSTAT status U).  Sex is ``total``, ``female`` or ``male``; the sex ``other``
of a few ILOSTAT and UN rows is not kept.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from ._common import source, write_parquet

SCHEMA = pa.schema([
    ("iso3", pa.string()),
    ("indicator", pa.string()),
    ("sex", pa.string()),
    ("category", pa.string()),
    ("year", pa.int16()),
    ("value", pa.float64()),
    ("unit", pa.string()),
    ("source", pa.string()),
    ("flag", pa.string()),
    ("note", pa.string()),
])
OUTPUTS = ("indicators.parquet",)
KEY = ["iso3", "indicator", "sex", "category", "year"]

WDI_SOURCE = "World Bank WDI (last updated 2024-06-28), {code}; shared data macro/wdi_gdp_ppp"
WDI = {
    "NY.GDP.MKTP.CN": ("gdp_lcu", "local currency units per year (current prices)"),
    "NY.GDP.MKTP.CD": ("gdp_usd", "US$ per year (current prices)"),
    "PA.NUS.PPP": ("ppp_conversion_factor", "local currency units per international $"),
    "PA.NUS.PPPC.RF": ("price_level_ratio", "ratio (PPP conversion factor / market exchange rate)"),
}
IMF_SOURCE = "IMF World Economic Outlook April 2019, {code}; shared data macro/imf_weo_2019apr"
IMF = {
    "ggr_ngdp": ("gov_revenue_pct_gdp", "percent of GDP"),
    "ggx_ngdp": ("gov_expenditure_pct_gdp", "percent of GDP"),
}
IMF_VINTAGE_YEAR = 2019
UIS_SOURCE = ("UNESCO UIS education data (February 2019 release), {code}; shared data "
              "macro/uis_preprimary")
UIS = {
    "ger_02": ("preprimary_gross_enrolment_ratio", "total", "percent"),
    "ger_02_f": ("preprimary_gross_enrolment_ratio", "female", "percent"),
    "ger_02_m": ("preprimary_gross_enrolment_ratio", "male", "percent"),
    "ner_02_cp": ("preprimary_net_enrolment_rate", "total", "percent"),
    "ger_0": ("early_childhood_gross_enrolment_ratio", "total", "percent"),
    "ger_01": ("eced_gross_enrolment_ratio", "total", "percent"),
    "ecep_02": ("early_childhood_enrolment_in_preprimary_ratio", "total", "percent"),
    "ptrhc_02": ("preprimary_pupil_teacher_ratio", "total", "pupils per teacher (headcount)"),
    "20060": ("preprimary_enrolment", "total", "pupils"),
    "20160": ("preprimary_teachers", "total", "teachers"),
    "20161": ("preprimary_teachers", "female", "teachers"),
    "42097": ("preprimary_teachers", "male", "teachers"),
    "ftp_02": ("preprimary_teachers_female_share", "total", "percent of teachers"),
    "299902": ("preprimary_entrance_age", "total", "years of age"),
    "299929": ("preprimary_duration", "total", "years"),
}
UN_SEX = {"F": "female", "M": "male", "_T": "total"}
UN_NATURE = {"C": "observed", "CA": "adjusted", "E": "estimated"}
UN_SOURCE = ("UN Statistics Division, Minimum Set of Gender Indicators (gender data portal, "
             "SOURCE_YEAR {year}), {code}; shared data un_gender/{file}")
UNPAID = {
    100: ("unpaid_domestic_care_hours", "SDG 5.4.1 SL_DOM_TSPD"),
    200: ("unpaid_domestic_hours", "SDG 5.4.1 SL_DOM_TSPDDC"),
    300: ("unpaid_care_hours", "SDG 5.4.1 SL_DOM_TSPDCW"),
    400: ("total_work_hours", "total work burden (paid and unpaid)"),
}


def _text(s: pd.Series) -> pd.Series:
    """Strings with missing values as empty strings (the note and category columns)."""
    return s.astype(object).where(s.notna(), "").astype(str)


def _tidy(df: pd.DataFrame) -> pd.DataFrame:
    """Keep country rows with a value, with the schema's columns."""
    df = df[df["iso3"].notna() & df["value"].notna()].copy()
    for col in ("category", "note"):
        df[col] = _text(df[col])
    return df[SCHEMA.names]


def wdi() -> pd.DataFrame:
    """GDP, PPP factor and price level (WDI), plus GDP at PPP derived from them."""
    raw = pd.read_parquet(source("macro/wdi_gdp_ppp.parquet"))
    raw = raw[raw["iso3"].notna() & ~raw["is_aggregate"]]
    parts = []
    for code, (name, unit) in WDI.items():
        d = raw[raw["indicator_code"] == code]
        parts.append(pd.DataFrame({
            "iso3": d["iso3"], "indicator": name, "sex": "total", "category": "",
            "year": d["year"], "value": d["value"], "unit": unit,
            "source": WDI_SOURCE.format(code=code), "flag": "observed", "note": ""}))
    lcu = raw[raw["indicator_code"] == "NY.GDP.MKTP.CN"].set_index(["iso3", "year"])["value"]
    ppp = raw[raw["indicator_code"] == "PA.NUS.PPP"].set_index(["iso3", "year"])["value"]
    both = pd.concat({"lcu": lcu, "ppp": ppp}, axis=1, join="inner").reset_index()
    parts.append(pd.DataFrame({
        "iso3": both["iso3"], "indicator": "gdp_ppp", "sex": "total", "category": "",
        "year": both["year"], "value": both["lcu"] / both["ppp"],
        "unit": "international $ per year (current PPP)",
        "source": WDI_SOURCE.format(code="NY.GDP.MKTP.CN / PA.NUS.PPP"), "flag": "observed",
        "note": "derived: GDP in local currency / PPP conversion factor, same year"}))
    return _tidy(pd.concat(parts, ignore_index=True))


def imf() -> pd.DataFrame:
    """General government revenue and expenditure, % of GDP (IMF WEO April 2019)."""
    raw = pd.read_parquet(source("macro/imf_weo_2019apr.parquet"))
    raw = raw[raw["concept"].isin(list(IMF))]
    last = raw["estimates_start_after"]
    flag = np.where(last.isna() | (raw["year"] > last),
                    np.where(raw["year"] >= IMF_VINTAGE_YEAR, "projected", "estimated"),
                    "observed")
    note = np.where(last.notna(), "IMF last actual year: " + last.astype("Int64").astype(str),
                    "IMF last actual year not given")
    return _tidy(pd.DataFrame({
        "iso3": raw["iso3"], "indicator": raw["concept"].map(lambda c: IMF[c][0]),
        "sex": "total", "category": "", "year": raw["year"], "value": raw["value"],
        "unit": raw["concept"].map(lambda c: IMF[c][1]),
        "source": raw["concept"].map(lambda c: IMF_SOURCE.format(code=c.upper())),
        "flag": flag, "note": note}))


def earnings() -> pd.DataFrame:
    """Average monthly earnings of employees by sex, national (ILOSTAT)."""
    raw = pd.read_parquet(source("ilostat/monthly_earnings_by_sex.parquet"))
    raw = raw[(raw["area"] == "national") & raw["sex"].isin(["total", "female", "male"])]
    note = _text(raw["source_survey"]) + np.where(
        raw["obs_status"].notna(), "; " + _text(raw["obs_status"]), "")
    return _tidy(pd.DataFrame({
        "iso3": raw["iso3"], "indicator": "earnings_monthly_ppp2021", "sex": raw["sex"],
        "category": "", "year": raw["year"], "value": raw["earnings_monthly_ppp2021"],
        "unit": "2021 PPP $ per month",
        "source": "ILOSTAT EAR_4MTH_SEX_GEO_CUR_NB_A (extracted 2025-06-01); shared data "
                  "ilostat/monthly_earnings_by_sex",
        "flag": "observed", "note": note}))


def _un(file: str, indicator: pd.Series | str, unit: str, category: pd.Series | str,
        raw: pd.DataFrame, note: pd.Series | str = "") -> pd.DataFrame:
    raw = raw[raw["SEX"].isin(list(UN_SEX))]
    if isinstance(indicator, pd.Series):
        indicator = indicator.loc[raw.index]
    if isinstance(category, pd.Series):
        category = category.loc[raw.index]
    if isinstance(note, pd.Series):
        note = note.loc[raw.index]
    unknown = set(raw["NATURE"]) - set(UN_NATURE)
    if unknown:
        raise ValueError(f"{file}: NATURE codes {unknown} have no flag")
    src = ("UN Statistics Division, Minimum Set of Gender Indicators (gender data portal), "
           + raw["MINSET_SERIES"].astype(str) + "; shared data un_gender/" + file)
    return _tidy(pd.DataFrame({
        "iso3": raw["iso3"], "indicator": indicator, "sex": raw["SEX"].map(UN_SEX),
        "category": category, "year": raw["TIME_PERIOD"], "value": raw["OBS_VALUE"],
        "unit": unit, "source": src, "flag": raw["NATURE"].map(UN_NATURE), "note": note}))


def un_gender() -> pd.DataFrame:
    """Hourly earnings, LFPR, prime-age employment rates, SDG 4.2.2 and SDG 5.4.1 hours."""
    parts = []
    h = pd.read_parquet(source("un_gender/hourly_earnings_by_occupation.parquet"))
    e = h[h["MINSET_SERIES"] == "S2d8b1bf8"]
    parts.append(_un("hourly_earnings_by_occupation", "hourly_earnings_lcu",
                     "local currency per hour (current prices)", e["OCCUPATION"], e,
                     _text(e["SOURCE_DETAIL"])))
    r = h[h["MINSET_SERIES"] == "Sd1cf0c58"]
    parts.append(_un("hourly_earnings_by_occupation", "gender_wage_ratio",
                     "ratio (female / male hourly earnings)", r["OCCUPATION"], r,
                     _text(r["SOURCE_DETAIL"])))
    lf = pd.read_parquet(source("un_gender/labour_force_participation.parquet"))
    parts.append(_un("labour_force_participation", "labour_force_participation_rate",
                     "percent of the population of the age group", lf["AGE"], lf,
                     _text(lf["SOURCE_DETAIL"])))
    c = pd.read_parquet(source("un_gender/employment_rate_by_children_under6.parquet"))
    parts.append(_un("employment_rate_by_children_under6", "employment_rate_prime_age",
                     "percent of the population aged 25-54",
                     c["HOUSEHOLD_TYPE"] + "|" + c["CHILDREN_UNDER6_PRESENCE"], c,
                     _text(c["SOURCE_DETAIL"])))
    p = pd.read_parquet(source("un_gender/preprimary_participation.parquet"))
    parts.append(_un("preprimary_participation", "organised_learning_participation",
                     "percent of children one year before the official primary entry age",
                     "", p))
    t = pd.read_parquet(source("un_gender/timeuse_unpaid_hours.parquet"))
    t = t[t["URBANIZATION"] == "_T"]
    parts.append(_un("timeuse_unpaid_hours", t["series_number"].map(lambda s: UNPAID[s][0]),
                     "hours per day", t["AGE"], t, _text(t["SOURCE_DETAIL"])))
    return pd.concat(parts, ignore_index=True)


def ilostat() -> pd.DataFrame:
    """Employment by sex and institutional sector; weekly hours by sex and ISIC4 section."""
    em = pd.read_parquet(source("ilostat/employment_by_sex_institutional_sector.parquet"))
    em = em[em["sex"].isin(["Total", "Female", "Male"])]
    note = _text(em["source.label"]) + np.where(
        em["obs_status.label"].notna(), "; " + _text(em["obs_status.label"]), "")
    emp = _tidy(pd.DataFrame({
        "iso3": em["iso3"], "indicator": "employment", "sex": em["sex"].str.lower(),
        "category": em["institutional_sector"], "year": em["time"], "value": em["obs_value"],
        "unit": "thousands of employed persons",
        "source": "ILOSTAT EMP_TEMP_SEX_INS_NB_A (downloaded 2024-07-25); shared data "
                  "ilostat/employment_by_sex_institutional_sector",
        "flag": "observed", "note": note}))
    ho = pd.read_parquet(source("ilostat/hours_by_sex_economic_activity.parquet"))
    ho = ho[(ho["classif1_scheme"] == "ISIC4") & ho["sex"].isin(["SEX_T", "SEX_F", "SEX_M"])]
    status = _text(ho["obs_status"])
    note = _text(ho["source"]) + np.where(status != "", "; ILOSTAT status " + status, "")
    hours = _tidy(pd.DataFrame({
        "iso3": ho["iso3"], "indicator": "hours_worked_weekly",
        "sex": ho["sex"].map({"SEX_T": "total", "SEX_F": "female", "SEX_M": "male"}),
        "category": ho["classif1_code"], "year": ho["time"], "value": ho["obs_value"],
        "unit": "hours per week (mean, actually worked, employed persons)",
        "source": "ILOSTAT HOW_TEMP_SEX_ECO_NB_A (bulk file, downloaded by 2024-12-19); "
                  "shared data ilostat/hours_by_sex_economic_activity",
        "flag": np.where(status == "U", "unreliable", "observed"), "note": note}))
    return pd.concat([emp, hours], ignore_index=True)


def uis() -> pd.DataFrame:
    """Pre-primary education (UNESCO UIS)."""
    raw = pd.read_parquet(source("macro/uis_preprimary.parquet"))
    raw = raw[raw["indicator"].isin(list(UIS)) & ~raw["is_aggregate"]]
    return _tidy(pd.DataFrame({
        "iso3": raw["iso3"], "indicator": raw["indicator"].map(lambda c: UIS[c][0]),
        "sex": raw["indicator"].map(lambda c: UIS[c][1]), "category": "",
        "year": raw["year"], "value": raw["value"],
        "unit": raw["indicator"].map(lambda c: UIS[c][2]),
        "source": raw["indicator"].map(lambda c: UIS_SOURCE.format(code=c)),
        "flag": "observed", "note": ""}))


def frame() -> pd.DataFrame:
    """The shipped table, sorted by iso3, indicator, sex, category and year."""
    out = pd.concat([wdi(), imf(), earnings(), un_gender(), ilostat(), uis()],
                    ignore_index=True)
    out["year"] = out["year"].astype(np.int16)
    out["value"] = out["value"].astype(float)
    for col in ("iso3", "indicator", "sex", "category", "unit", "source", "flag", "note"):
        out[col] = out[col].astype(str)
    dup = out.duplicated(KEY)
    if dup.any():
        raise ValueError(f"duplicate indicator keys: {out.loc[dup, KEY].head().to_dict('records')}")
    return out.sort_values(KEY, kind="mergesort", ignore_index=True)


def build(out_dir: Path) -> list[Path]:
    """Write ``indicators.parquet`` into ``out_dir``."""
    return [write_parquet(frame(), out_dir / OUTPUTS[0], SCHEMA)]
