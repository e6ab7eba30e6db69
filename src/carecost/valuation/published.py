"""Published U.S. household production figures to compare valuations with."""

from __future__ import annotations

import pandas as pd

from ._common import DATA


def bea_household_production() -> pd.DataFrame:
    """BEA household production satellite account figures shipped with carecost.

    Columns ``source``, ``year``, ``statistic``, ``value``, ``unit``,
    ``method``, ``url``, ``notes``; see ``data/SOURCES.md`` for how each was
    found.  These are orders of magnitude to compare with, not targets: BEA
    adds the services of consumer durables, uses its own hours categories and
    a general-purpose domestic worker wage.

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
        return pd.read_csv(fh)
