"""Recipe: ``countries.parquet``, the 235 countries and areas of the country database.

Sources: ``wpp2019/locations.parquet`` (UN WPP 2019 locations with ``location_type`` = 4, the
235 countries and areas: ISO3, M49, name, UN region and subregion) and
``macro/wdi_country_metadata.parquet`` (World Bank WDI, June 2024: region and income group, joined
on ISO3; 19 areas, e.g. Taiwan, Réunion, Holy See, have no WDI record and get a null income
group).  Kosovo is not included: it has no ISO 3166-1 code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa

from ._common import source, write_parquet

SCHEMA = pa.schema([
    ("iso3", pa.string()),
    ("name", pa.string()),
    ("m49", pa.int16()),
    ("region", pa.string()),
    ("subregion", pa.string()),
    ("wb_region", pa.string()),
    ("income_group", pa.string()),
])
OUTPUTS = ("countries.parquet",)


def frame() -> pd.DataFrame:
    """The shipped table, sorted by iso3."""
    loc = pd.read_parquet(source("wpp2019/locations.parquet"))
    loc = loc[loc["location_type"] == 4]
    if loc["iso3"].isna().any() or loc["iso3"].duplicated().any():
        raise ValueError("WPP country locations need unique ISO3 codes")
    meta = pd.read_parquet(source("macro/wdi_country_metadata.parquet"))
    meta = meta[~meta["is_aggregate"] & meta["iso3"].notna()]
    meta = meta[["iso3", "Region", "IncomeGroup"]].rename(
        columns={"Region": "wb_region", "IncomeGroup": "income_group"})
    out = pd.DataFrame({
        "iso3": loc["iso3"].astype(str).to_numpy(),
        "name": loc["name"].astype(str).to_numpy(),
        "m49": loc["m49"].astype("int16").to_numpy(),
        "region": loc["area_name"].astype(str).to_numpy(),
        "subregion": loc["reg_name"].astype(str).to_numpy(),
    }).merge(meta, on="iso3", how="left", validate="one_to_one")
    for col in ("wb_region", "income_group"):
        out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out.sort_values("iso3", kind="mergesort", ignore_index=True)


def build(out_dir: Path) -> list[Path]:
    """Write ``countries.parquet`` into ``out_dir``."""
    return [write_parquet(frame(), out_dir / OUTPUTS[0], SCHEMA)]
