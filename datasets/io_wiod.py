"""Recipe: ``io_flows.parquet`` and ``io_industries.parquet``, domestic input–output tables.

Source tables
-------------
WIOD 2013 release, world input–output table of **2011** (its latest year), from the shared data
``wiod2013/`` (GitHub bquast/wiod 0.4.0; Timmer et al. 2015), millions of current US$, basic
prices, integers as the package gives them.  For each of the 40 WIOD countries and the rest of
the world (``RoW``):

- ``io_flows.parquet``: the **domestic block** of the world table, the economy's own rows × own
  columns (``row_country == col_country``).  Imported intermediate inputs are in other
  countries' rows, so they are excluded by construction: the coefficients ``A = Z_dd / x`` are
  domestic requirements (import-adjusted).  Zero cells are kept (35 × 35 per economy).
- ``io_industries.parquet``: per economy and industry, gross output (``gross_output.parquet``),
  domestic household consumption (own rows, own column ``c37``), other domestic final demand
  (own ``c38 + c39 + c41 + c42``), exports (intermediate and final use by other countries) and
  imported intermediate inputs (column sums of the other countries' rows).

Workers and employment coefficients
-----------------------------------
Workers by sector come from ``daedalus/country_sector_workers.parquet`` (R package
daedalus.data, MIT; persons employed in the 45 OECD ICIO sectors, reference year around
2018–2020, not stated per country).  They are mapped to WIOD's 35 NACE Rev.1 industries with the
hand-written table ``src/carecost/countries/data/daedalus_to_wiod.csv``: 43 OECD sectors map to one
WIOD industry each (several to the same one, summed); two are split: 7 (textiles, apparel,
leather) between c4 and c5, and 26 (wholesale and retail trade, motor vehicles) between c19, c20
and c21, in proportion to the economy's WIOD 2011 gross output in those industries.  The table's
``note`` column says where an OECD sector straddles NACE Rev.1 industries and where it was put.

The employment coefficient is workers per US$ million of output of the reference year
:data:`REFERENCE_YEAR` (2019): ``e_j = workers_j / (x_j,2011 × s)``, where the price move
``s = GDP_2019 / GDP_2011`` is the ratio of the economy's nominal GDP in current US$ (World Bank
WDI NY.GDP.MKTP.CD, shared data ``macro/wdi_gdp_ppp.parquet``): one documented deflator per
economy, uniform across industries, so ``A`` and the Leontief inverse are unchanged.  Taiwan has
no daedalus workers and no WDI GDP: its coefficients are missing (null), not imputed.

Rest of the world (the documented fallback for every country without its own WIOD table):
``s`` is the ratio of summed 2019 to 2011 GDP (current US$) of all WDI countries outside WIOD
with both years; workers are the sum over the non-WIOD daedalus countries with all 45 sectors
reported, scaled up by the ratio of the 2019 GDP of all non-WIOD countries to that of the countries
summed (``workers_note`` gives the numbers).

Cells flagged in ``workers_note``: industries with zero WIOD output get a null coefficient (the
workers cannot be placed); industries where daedalus reports 0 workers (which the package says
may mean missing) keep a coefficient of 0 and are noted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ._common import PACKAGE_DATA, source, write_parquet

BASE_YEAR = 2011
REFERENCE_YEAR = 2019
MAPPING_FILE = PACKAGE_DATA / "daedalus_to_wiod.csv"
FINAL_OTHER = ("c38", "c39", "c41", "c42")
FLOW_SCHEMA = pa.schema([
    ("economy", pa.string()),
    ("row_industry", pa.string()),
    ("col_industry", pa.string()),
    ("value_musd", pa.int32()),
])
INDUSTRY_SCHEMA = pa.schema([
    ("economy", pa.string()),
    ("iso3", pa.string()),
    ("industry", pa.string()),
    ("industry_order", pa.int16()),
    ("nace_rev1_code", pa.string()),
    ("industry_name", pa.string()),
    ("gross_output_musd", pa.int64()),
    ("household_consumption_musd", pa.int64()),
    ("other_final_demand_musd", pa.int64()),
    ("exports_musd", pa.int64()),
    ("imported_inputs_musd", pa.int64()),
    ("workers", pa.float64()),
    ("usd_scale_to_reference_year", pa.float64()),
    ("employment_per_musd", pa.float64()),
    ("workers_note", pa.string()),
])
OUTPUTS = ("io_flows.parquet", "io_industries.parquet")


def _read(name: str, columns: list[str]) -> pd.DataFrame:
    table = pq.read_table(source(f"wiod2013/{name}"), columns=columns,
                          filters=[("year", "==", BASE_YEAR)])
    df = table.to_pandas()
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype) or df[col].dtype == object:
            df[col] = df[col].astype(str)
    return df


def mapping() -> pd.DataFrame:
    """The daedalus → WIOD map, one row per (daedalus sector, WIOD industry)."""
    m = pd.read_csv(MAPPING_FILE, dtype={"wiod_industry": str})
    m["wiod_industry"] = m["wiod_industry"].str.split()
    return m.explode("wiod_industry")[["daedalus_sector_id", "wiod_industry"]]


def _gdp_usd() -> pd.DataFrame:
    w = pd.read_parquet(source("macro/wdi_gdp_ppp.parquet"))
    w = w[(w["indicator_code"] == "NY.GDP.MKTP.CD") & w["iso3"].notna() & ~w["is_aggregate"]
          & w["year"].isin([BASE_YEAR, REFERENCE_YEAR])]
    return w.pivot(index="iso3", columns="year", values="value")


def _allocate(workers: pd.Series, output: pd.Series, m: pd.DataFrame) -> pd.Series:
    """Workers by WIOD industry from workers by daedalus sector (splits by output)."""
    rows = m.merge(workers.rename("w").rename_axis("daedalus_sector_id").reset_index(),
                   on="daedalus_sector_id", how="left")
    rows["x"] = rows["wiod_industry"].map(output).astype(float)
    tot = rows.groupby("daedalus_sector_id")["x"].transform("sum")
    n = rows.groupby("daedalus_sector_id")["x"].transform("size")
    share = np.where(tot > 0, rows["x"] / tot.where(tot > 0, 1.0), 1.0 / n)
    rows["alloc"] = rows["w"] * share
    return rows.groupby("wiod_industry", sort=False)["alloc"].sum(min_count=1)


def frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two shipped tables (flows, industries), sorted by economy and industry order."""
    regions = pd.read_parquet(source("wiod2013/regions.parquet"))
    industries = pd.read_parquet(source("wiod2013/industries.parquet")).sort_values(
        "industry_order")
    order = dict(zip(industries["industry"], industries["industry_order"], strict=True))
    codes = list(industries["industry"])
    inter = _read("intermediate_use.parquet",
                  ["row_country", "row_industry", "col_country", "col_industry", "value_musd"])
    final = _read("final_demand.parquet",
                  ["row_country", "row_industry", "col_country", "fd_code", "value_musd"])
    gross = _read("gross_output.parquet", ["country", "industry", "gross_output_musd"])
    own = inter["row_country"] == inter["col_country"]
    flows = inter[own].rename(columns={"row_country": "economy"})[
        ["economy", "row_industry", "col_industry", "value_musd"]].copy()
    flows["value_musd"] = flows["value_musd"].astype(np.int32)
    flows = flows.assign(_e=flows["economy"], _r=flows["row_industry"].map(order),
                         _c=flows["col_industry"].map(order)).sort_values(
        ["_e", "_r", "_c"], kind="mergesort").drop(columns=["_e", "_r", "_c"])
    flows = flows.reset_index(drop=True)
    if len(flows) != len(regions) * 35 * 35:
        raise ValueError(f"domestic blocks have {len(flows)} cells, expected {len(regions)}*35*35")

    def by(df: pd.DataFrame, keys: list[str], name: str) -> pd.Series:
        return df.groupby(keys)["value_musd"].sum().astype(np.int64).rename(name)

    fown = final["row_country"] == final["col_country"]
    hh = by(final[fown & (final["fd_code"] == "c37")], ["row_country", "row_industry"], "hh")
    other = by(final[fown & final["fd_code"].isin(FINAL_OTHER)],
               ["row_country", "row_industry"], "other")
    exports = (by(inter[~own], ["row_country", "row_industry"], "x1")
               .add(by(final[~fown], ["row_country", "row_industry"], "x2"), fill_value=0)
               .astype(np.int64).rename("exports"))
    imported = by(inter[~own], ["col_country", "col_industry"], "imported")
    ind = gross.rename(columns={"country": "economy"}).set_index(["economy", "industry"])
    ind.index.names = ["row_country", "row_industry"]
    ind = ind.join(hh).join(other).join(exports)
    imported.index.names = ["row_country", "row_industry"]
    ind = ind.join(imported).fillna(0).reset_index().rename(
        columns={"row_country": "economy", "row_industry": "industry"})

    gdp = _gdp_usd()
    workers = pd.read_parquet(source("daedalus/country_sector_workers.parquet"))
    m = mapping()
    if sorted(set(m["wiod_industry"]), key=order.__getitem__) != codes:
        raise ValueError("daedalus_to_wiod.csv must cover the 35 WIOD industries")
    if sorted(set(m["daedalus_sector_id"])) != sorted(set(workers["sector_id"])):
        raise ValueError("daedalus_to_wiod.csv must cover the 45 daedalus sectors")
    wiod_iso = set(regions["iso3"].dropna())
    pieces = []
    for _, reg in regions.sort_values("wiod_country").iterrows():
        eco = reg["wiod_country"]
        sub = ind[ind["economy"] == eco].set_index("industry").loc[codes]
        out = sub["gross_output_musd"].astype(float)
        notes: dict[str, list[str]] = {c: [] for c in codes}
        w: pd.Series | None
        if eco == "RoW":
            non = gdp[~gdp.index.isin(wiod_iso)].dropna()
            scale = non[REFERENCE_YEAR].sum() / non[BASE_YEAR].sum()
            wk = workers[~workers["iso3"].isin(wiod_iso)]
            complete = wk.groupby("iso3")["workers"].apply(lambda s: s.notna().all())
            covered = complete[complete].index
            cov_gdp = gdp.loc[gdp.index.isin(covered), REFERENCE_YEAR].sum()
            all_gdp = gdp.loc[~gdp.index.isin(wiod_iso), REFERENCE_YEAR].sum()
            factor = all_gdp / cov_gdp
            w = wk[wk["iso3"].isin(covered)].groupby("sector_id")["workers"].sum() * factor
            summary = (f"rest of world: workers of {len(covered)} non-WIOD daedalus countries "
                       f"with all 45 sectors, x {factor:.6g} (2019 GDP of all non-WIOD WDI "
                       f"countries / of those {len(covered)}); price move {scale:.6g} = summed "
                       f"GDP 2019/2011 of {len(non)} non-WIOD WDI countries")
            for c in codes:
                notes[c].append(summary)
        else:
            iso = reg["iso3"]
            wk = workers[workers["iso3"] == iso].set_index("sector_id")["workers"]
            has_gdp = iso in gdp.index and gdp.loc[iso].notna().all()
            scale = gdp.loc[iso, REFERENCE_YEAR] / gdp.loc[iso, BASE_YEAR] if has_gdp else np.nan
            w = wk if wk.notna().all() and len(wk) == 45 else None
            if w is None:
                for c in codes:
                    notes[c].append(f"no daedalus workforce data for {iso}")
            if not has_gdp:
                for c in codes:
                    notes[c].append(f"no WDI GDP in current US$ for {iso} in 2011 and 2019")
        if w is not None:
            alloc = _allocate(w, out, m).reindex(codes)
            zero_src = set(w.index[w == 0])
            for c in codes:
                if out[c] == 0 and alloc[c] > 0:
                    notes[c].append(f"zero WIOD output: {alloc[c]:.0f} workers cannot be placed")
                srcs = set(m.loc[m["wiod_industry"] == c, "daedalus_sector_id"])
                if srcs & zero_src:
                    notes[c].append("0 workers in daedalus sector(s) "
                                    f"{sorted(srcs & zero_src)} (may be a missing value)")
            wv = alloc.to_numpy(dtype=float)
        else:
            wv = np.full(len(codes), np.nan)
        xv = out.to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            coef = np.where(xv > 0, wv / (xv * scale), np.nan)
        pieces.append(pd.DataFrame({
            "economy": eco, "iso3": reg["iso3"] if isinstance(reg["iso3"], str) else None,
            "industry": codes, "industry_order": [order[c] for c in codes],
            "nace_rev1_code": industries["nace_rev1_code"].to_numpy(),
            "industry_name": industries["industry_name"].to_numpy(),
            "gross_output_musd": sub["gross_output_musd"].astype(np.int64).to_numpy(),
            "household_consumption_musd": sub["hh"].astype(np.int64).to_numpy(),
            "other_final_demand_musd": sub["other"].astype(np.int64).to_numpy(),
            "exports_musd": sub["exports"].astype(np.int64).to_numpy(),
            "imported_inputs_musd": sub["imported"].astype(np.int64).to_numpy(),
            "workers": wv, "usd_scale_to_reference_year": float(scale),
            "employment_per_musd": coef,
            "workers_note": ["; ".join(notes[c]) for c in codes]}))
    industries_out = pd.concat(pieces, ignore_index=True)
    return flows, industries_out


def build(out_dir: Path) -> list[Path]:
    """Write ``io_flows.parquet`` and ``io_industries.parquet`` into ``out_dir``."""
    flows, industries = frames()
    return [write_parquet(flows, out_dir / OUTPUTS[0], FLOW_SCHEMA),
            write_parquet(industries, out_dir / OUTPUTS[1], INDUSTRY_SCHEMA)]
