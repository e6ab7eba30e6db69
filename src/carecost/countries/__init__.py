"""Country database: every country's care-costing inputs from open data, with provenance.

The database ships inside the package (``carecost/countries/data/*.parquet``, read lazily on
first use) and is rebuilt from the public source files by the recipes in ``datasets/``:

- population by sex and single age, 2000–2060, 201 countries (UN WPP 2019; estimates to 2020,
  medium-variant projection after);
- GDP in local currency, current US$ and PPP, the PPP conversion factor and the price level
  (World Bank WDI); general government revenue and expenditure, % of GDP (IMF WEO April 2019);
- average monthly earnings by sex (ILOSTAT), hourly earnings by sex and occupation, labour-force
  participation, prime-age employment rates by presence of children under 6, SDG 4.2.2 and SDG
  5.4.1 unpaid-work hours (UN gender data portal); employment by sex and institutional sector
  and weekly hours by sex and industry (ILOSTAT); pre-primary enrolment, teachers and
  pupil–teacher ratios (UNESCO UIS);
- domestic input–output tables with employment coefficients (WIOD 2013, year 2011, for 40
  countries; the rest-of-world structure, flagged ``fallback``, for the others).

Functions: :func:`available`, :func:`profile`, :func:`indicator`, :func:`population`,
:func:`io_table`, :func:`series`, and :func:`table` for a whole table.  Every value
carries its source, the year of the observation and a flag (observed, interpolated, carried
forward, projected, fallback, missing, ...).
"""

from ._api import (
    INPUTS,
    POPULATION_YEARS,
    TABLES,
    CountryDataError,
    CountryIOTable,
    InputSpec,
    available,
    indicator,
    io_table,
    population,
    profile,
    series,
    table,
    value_for_year,
)

__all__ = [
    "INPUTS",
    "POPULATION_YEARS",
    "TABLES",
    "CountryDataError",
    "CountryIOTable",
    "InputSpec",
    "available",
    "indicator",
    "io_table",
    "population",
    "profile",
    "series",
    "table",
    "value_for_year",
]
