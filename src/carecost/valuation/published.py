"""Published U.S. household production figures to compare valuations with."""

from __future__ import annotations

import pandas as pd

from ._common import DATA


def bea_household_production() -> pd.DataFrame:
    """BEA household production satellite account figures shipped with carecost.

    Columns ``source``, ``year`` (the reference year of the figure; empty
    when the source does not state it), ``statistic``, ``value``, ``unit``,
    ``method``, ``url``, ``notes``; see ``data/SOURCES.md`` for how each was
    found.  These are orders of magnitude to compare with, not targets: BEA
    adds the services of consumer durables, uses its own hours categories and
    a general-purpose domestic worker wage.  The one precise published level
    shipped is Bridgman et al. (2012): household production (nonmarket
    services plus the services of consumer durables) raised the level of
    2010 GDP by 25.7 percent; Kanal and Kornegay (2019) state that nonmarket
    services (the labour part) are the larger of the two additions, so
    BEA's labour-only share of 2010 GDP lies between 12.85 and 25.7 percent.

    References
    ----------
    Bridgman, B., Dugan, A., Lal, M., Osborne, M. and Villones, S. (2012).
    Accounting for household production in the national accounts,
    1965-2010. *Survey of Current Business* 92 (May 2012).
    Kanal, D. and Kornegay, J. T. (2019). Accounting for household production
    in the national accounts: an update, 1965-2017. *Survey of Current
    Business* 99(6).
    """
    with (DATA / "bea_household_production_published.csv").open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype={"year": "Int64"})
