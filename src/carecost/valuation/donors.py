"""Hours of unpaid domestic and care work for countries without a time-use survey (imputation).

About 90 of the 235 countries and areas of the country database have an SDG 5.4.1 survey.  A
world total needs the others, so carecost imputes their hours, explicitly and flagged
country by country:

1. **Donors**: every surveyed country, with the hours by sex of its latest survey in its
   preferred (widest) age group, as :func:`carecost.valuation.value_country` picks them
   (:func:`carecost.valuation.value_world` uses instead the survey each country uses for the
   chosen year, so that donors and recipients describe the same period).
2. **Cell**: the country's UN M49 region (as in WPP 2019) × World Bank income group (WDI
   metadata of June 2024).  The imputed hours of each sex are the unweighted mean of the donors
   in the cell (each survey counts once: a cell mean describes countries, not persons), when
   the cell has at least ``min_donors`` (default 3) surveys; otherwise the region's donors;
   otherwise all donors (the world).
3. **Spread**: the donors' own hours.  The Monte Carlo of :func:`carecost.valuation.value_world`
   draws one donor of the cell at random for each imputed country and draw, so the interval
   carries the between-country spread of hours inside the cell.

Age bases.  The donors' surveys cover different ages (15+, 10+, 12+, 20-74...); the imputed
hours are applied to the recipient's population aged 15 and over.  Surveys with a lower age
floor include children, who do less unpaid work, so their means are lower than a 15+ mean of
the same population; :attr:`ImputedHours.donor_ages` lists the age bases mixed so that the
mismatch is stated, never silent.

References
----------
ILO (2018). Care work and care jobs for the future of decent work, chapter 2 and appendix
(64 countries' surveys, about two thirds of the world's working-age population).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from . import _db
from ._common import ValuationError

__all__ = ["IMPUTATION_RULE", "ImputedHours", "cell_donors", "cell_index", "donor_table",
           "impute_hours"]

MIN_DONORS = 3
"""Fewest surveys a cell needs before its mean is used (else the next level up)."""

RECIPIENT_AGES = (15, None)
"""Ages of the population the imputed hours are applied to (15 and over)."""

IMPUTATION_RULE = (
    "hours per day by sex of a country without an SDG 5.4.1 survey = unweighted mean of the "
    "latest surveys of the countries of its UN M49 region x World Bank income group (at least "
    f"{MIN_DONORS} surveys), else of its region, else of all surveyed countries; applied to "
    "the population aged 15+; spread: one donor drawn at random per Monte Carlo draw")
"""The imputation rule in one sentence (shown in results)."""

_SEXES = ("female", "male")


@dataclass(frozen=True)
class ImputedHours:
    """Imputed hours of unpaid domestic and care work of one country.

    Attributes
    ----------
    iso3, name, region, income_group
        The recipient country (region: UN M49; income group: World Bank, may be empty).
    level
        ``"region x income group"``, ``"region"`` or ``"world"``: the cell used.
    cell
        The cell in words (``"Africa x Low income"``).
    donors
        ISO3 codes of the donor surveys.
    hours_per_day
        Mean hours per day by sex of the donors (hours per day).
    sd
        Standard deviation of the donors' hours by sex (hours per day).
    donor_hours
        Each donor's hours by sex (arrays in the order of ``donors``).
    care_share
        Mean share of care (of domestic + care) hours by sex among donors that publish the
        split (fraction; NaN when no donor does).
    donor_care_share
        Each donor's care share by sex (NaN where a donor has no split).
    donor_ages
        The age bases of the donors' surveys (``{"15+": 4, "10+": 2}``).
    ages
        Ages of the population the hours are applied to (``"15+"``).
    """

    iso3: str
    name: str
    region: str
    income_group: str
    level: str
    cell: str
    donors: tuple[str, ...]
    hours_per_day: dict[str, float]
    sd: dict[str, float]
    donor_hours: dict[str, np.ndarray] = field(repr=False)
    care_share: dict[str, float]
    donor_care_share: dict[str, np.ndarray] = field(repr=False)
    donor_ages: dict[str, int]
    ages: str = "15+"

    def text(self) -> str:
        """How the hours were imputed, in one sentence."""
        bases = ", ".join(f"{k} ({v})" for k, v in self.donor_ages.items())
        return (f"imputed: mean of {len(self.donors)} surveys of {self.cell} ({self.level}); "
                f"women {self.hours_per_day['female']:.2f} (SD {self.sd['female']:.2f}), men "
                f"{self.hours_per_day['male']:.2f} (SD {self.sd['male']:.2f}) hours per day; "
                f"donor age bases {bases}, applied to ages {self.ages}")


@cache
def _donors() -> pd.DataFrame:
    from .countries import PARTS, _hours_parts, _survey, age_range, ages_text

    a = _db.available()
    rows = []
    for _, c in a[a["unpaid_care_hours"]].iterrows():
        iso = str(c["iso3"])
        try:
            code, year, f, m = _survey(iso, None)
            lo, hi = age_range(code)
        except ValuationError:
            continue  # no usable age group (e.g. '_T' only): not a donor
        parts = _hours_parts(iso, code, year)
        row = {"iso3": iso, "name": str(c["name"]), "region": str(c["region"]),
               "income_group": "" if pd.isna(c["income_group"]) else str(c["income_group"]),
               "survey_year": year, "age_group": code, "ages": ages_text(lo, hi),
               "hours_female": float(f["value"].iloc[0]),
               "hours_male": float(m["value"].iloc[0])}
        for s in _SEXES:
            if len(parts) == len(PARTS):
                tot = parts["domestic"][s] + parts["care"][s]
                row[f"care_share_{s}"] = parts["care"][s] / tot if tot > 0 else np.nan
            else:
                row[f"care_share_{s}"] = np.nan
        rows.append(row)
    return pd.DataFrame(rows).sort_values("iso3").reset_index(drop=True)


def donor_table() -> pd.DataFrame:
    """The donor surveys: one row per country with a usable SDG 5.4.1 survey.

    Returns
    -------
    DataFrame
        ``iso3``, ``name``, ``region``, ``income_group``, ``survey_year``, ``age_group``,
        ``ages``, ``hours_female``, ``hours_male`` (hours per day, latest survey) and
        ``care_share_female``/``_male`` (care / (domestic + care); NaN without the split).
    """
    return _donors().copy()


def cell_donors(region: str, income_group: str, donors: pd.DataFrame,
                min_donors: int = MIN_DONORS) -> tuple[str, str, pd.DataFrame]:
    """The donors of a recipient: its region x income group, else region, else all.

    Parameters
    ----------
    region, income_group
        The recipient's UN M49 region and World Bank income group (``""`` if none).
    donors
        Candidate donors with ``region`` and ``income_group`` columns (the recipient removed).
    min_donors
        Fewest donors a cell needs.

    Returns
    -------
    tuple
        ``(level, cell, rows)``: ``level`` is ``"region x income group"``, ``"region"`` or
        ``"world"``, ``cell`` the cell in words, ``rows`` the donors used.
    """
    level, cell, idx = cell_index(region, income_group,
                                  donors["region"].to_numpy(dtype=object),
                                  donors["income_group"].to_numpy(dtype=object), min_donors)
    return level, cell, donors.iloc[idx]


def cell_index(region: str, income_group: str, regions: np.ndarray, incomes: np.ndarray,
               min_donors: int = MIN_DONORS) -> tuple[str, str, np.ndarray]:
    """As :func:`cell_donors` on arrays: ``(level, cell, positions of the donors used)``."""
    if income_group:
        idx = np.flatnonzero((regions == region) & (incomes == income_group))
        if len(idx) >= int(min_donors):
            return "region x income group", f"{region} x {income_group}", idx
    idx = np.flatnonzero(regions == region)
    if len(idx) >= int(min_donors):
        return "region", region, idx
    return "world", "all countries with the series", np.arange(len(regions))


def impute_hours(iso3: str, *, min_donors: int = MIN_DONORS,
                 exclude: Iterable[str] = ()) -> ImputedHours:
    """Imputed hours per day by sex for a country (see the module documentation).

    Parameters
    ----------
    iso3 : str
        ISO3 code.
    min_donors : int
        Fewest surveys a cell needs (default 3).
    exclude : iterable of str
        Donors to leave out (the country itself is always left out, so a surveyed country can
        be imputed to check the rule).

    Returns
    -------
    ImputedHours

    Raises
    ------
    ValuationError
        Unknown country, or ``min_donors`` below 1.
    """
    if int(min_donors) < 1:
        raise ValuationError(f"impute_hours: min_donors must be at least 1; got {min_donors}")
    try:
        iso = _db.resolve(iso3)
    except _db._countries.CountryDataError as err:
        raise ValuationError(f"impute_hours: {err}") from err
    a = _db.available().set_index("iso3")
    region = str(a.loc[iso, "region"])
    ig = a.loc[iso, "income_group"]
    income = str(ig) if isinstance(ig, str) else ""
    skip = {iso, *(str(e).strip().upper() for e in exclude)}
    d = _donors()
    d = d[~d["iso3"].isin(skip)]
    level, cell, sel = cell_donors(region, income, d, min_donors)
    hours = {s: sel[f"hours_{s}"].to_numpy(dtype=float) for s in _SEXES}
    share = {s: sel[f"care_share_{s}"].to_numpy(dtype=float) for s in _SEXES}
    ages = sel["ages"].value_counts()
    return ImputedHours(
        iso3=iso, name=str(a.loc[iso, "name"]), region=region, income_group=income,
        level=level, cell=cell, donors=tuple(sel["iso3"]),
        hours_per_day={s: float(hours[s].mean()) for s in _SEXES},
        sd={s: float(hours[s].std(ddof=1)) if len(sel) > 1 else 0.0 for s in _SEXES},
        donor_hours=hours,
        care_share={s: float(np.nanmean(share[s])) if np.isfinite(share[s]).any() else np.nan
                    for s in _SEXES},
        donor_care_share=share, donor_ages={str(k): int(v) for k, v in ages.items()})
