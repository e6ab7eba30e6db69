"""Population totals for calibration from the country database, and what calibration changes.

:func:`population_cells` turns UN WPP 2019 population by single age and sex
(:func:`carecost.countries.population`) into the cells of a survey's sex and age groups, in
the unit of the survey's weights (persons, or person-days for ATUS-type weights);
:func:`calibration_change` sets the estimates of a design beside those of its calibrated
version (estimate, SE, their change).

Coverage: WPP counts the whole resident population (including people in institutions and
the armed forces); most household surveys cover the civilian non-institutional
population, so calibrating to WPP changes totals by that coverage gap as well as by the
survey's own sampling error and non-response.  State it with the results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ._errors import DesignError
from .results import Estimate

__all__ = ["calibration_change", "population_cells"]


def population_cells(
    iso3: str, year: int, age_groups: Mapping[str, tuple[int, int | None]], *,
    sex_labels: Mapping[str, object] | None = None, sex: str = "sex",
    age: str = "age_group", multiplier: float = 1.0, total: float | None = None,
) -> pd.DataFrame:
    """Population counts by sex and age group for :meth:`SurveyDesign.poststratify`.

    Parameters
    ----------
    iso3, year
        Country (ISO 3166-1 alpha-3) and year of UN WPP 2019 (2000–2060; after 2020 the
        medium-variant projection), population on 1 July.
    age_groups
        ``{label: (first_age, last_age)}`` in completed years; ``last_age=None`` for an open
        group (WPP's last single age is 100 = "100 and over").  Groups must not overlap.
    sex_labels
        How the survey codes sex: ``{"female": <code>, "male": <code>}`` (default the WPP
        labels ``"female"``/``"male"``).
    sex, age
        Column names of the result (those of the survey).
    multiplier
        Unit conversion from persons to the unit of the weights, e.g. the days in the year
        for ATUS final weights (person-days).
    total
        Rescale the counts to sum to this (keeping WPP's sex–age distribution), e.g. for a
        synthetic survey whose weights describe no real population.

    Returns
    -------
    pandas.DataFrame
        ``sex``, ``age``, ``Freq`` (persons x ``multiplier``, float).

    Raises
    ------
    DesignError
        Overlapping or empty age groups, a non-positive multiplier or total.
    carecost.countries.CountryDataError
        An unknown country or year, or one without age detail.
    """
    from carecost.countries import population

    if not age_groups:
        raise DesignError("population_cells: age_groups is empty")
    if not np.isfinite(multiplier) or multiplier <= 0:
        raise DesignError(f"population_cells: multiplier must be positive; got {multiplier!r}")
    pop = population(iso3, year)
    labels = dict(sex_labels) if sex_labels is not None else {"female": "female",
                                                              "male": "male"}
    missing = [s for s in ("female", "male") if s not in labels]
    if missing:
        raise DesignError(f"population_cells: sex_labels needs the codes of {missing}")
    ages = pop["age"].to_numpy()
    seen = np.zeros(101, dtype=bool)
    rows = []
    for group, (lo, hi) in age_groups.items():
        top = 100 if hi is None else int(hi)
        if not 0 <= lo <= top <= 100:
            raise DesignError(f"population_cells: age group {group!r} = ({lo}, {hi}) is not "
                              "within ages 0-100 (None for an open group)")
        if seen[lo:top + 1].any():
            raise DesignError(f"population_cells: age group {group!r} overlaps another group")
        seen[lo:top + 1] = True
        for s in ("female", "male"):
            sel = (ages >= lo) & (ages <= top) & (pop["sex"].to_numpy() == s)
            rows.append({sex: labels[s], age: group,
                         "Freq": float(pop.loc[sel, "population"].sum()) * multiplier})
    out = pd.DataFrame(rows)
    if total is not None:
        if not np.isfinite(total) or total <= 0:
            raise DesignError(f"population_cells: total must be positive; got {total!r}")
        out["Freq"] = out["Freq"] * float(total) / out["Freq"].sum()
    return out


def calibration_change(before: Estimate, after: Estimate,
                       keys: Sequence[str] | None = None) -> pd.DataFrame:
    """Estimates before and after calibration, side by side.

    Parameters
    ----------
    before, after
        The same estimator called on a design and on its calibrated version (same rows).
    keys
        Columns identifying a row (default: the columns before ``estimate``).

    Returns
    -------
    pandas.DataFrame
        The key columns, ``estimate_before``, ``se_before``, ``estimate_after``,
        ``se_after``, ``change`` (after - before, units of the estimate), ``change_pct``
        (percent of before) and ``se_ratio`` (after / before).
    """
    cols = list(before.columns)
    k = list(keys) if keys is not None else cols[:cols.index("estimate")]
    if list(after.columns[:len(k)]) != k or len(before) != len(after) or \
            not before[k].reset_index(drop=True).equals(after[k].reset_index(drop=True)):
        raise DesignError("calibration_change: the two tables must have the same rows "
                          f"(key columns {k}); call the same estimator on both designs")
    out = before[k].reset_index(drop=True).copy()
    b, a = before.reset_index(drop=True), after.reset_index(drop=True)
    out["estimate_before"] = b["estimate"]
    out["se_before"] = b["se"]
    out["estimate_after"] = a["estimate"]
    out["se_after"] = a["se"]
    out["change"] = a["estimate"] - b["estimate"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["change_pct"] = 100 * out["change"] / b["estimate"]
        out["se_ratio"] = a["se"] / b["se"]
    return pd.DataFrame(out)
