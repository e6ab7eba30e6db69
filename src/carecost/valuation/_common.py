"""Shared pieces of carecost.valuation: the error type, wage bases, small validators."""

from __future__ import annotations

import calendar
import math
from importlib import resources
from typing import Literal, get_args

import numpy as np
import pandas as pd

from carecost.errors import CarecostInputError

DATA = resources.files("carecost.valuation") / "data"

WageBasis = Literal["gross", "net", "gross_plus_employer"]
"""What an hourly wage includes.

``"gross"``: before the employee's income tax and social contributions (what
earnings surveys and BLS OES report); ``"net"``: after them (take-home pay);
``"gross_plus_employer"``: gross plus the employer's social contributions
(the full labour cost, as replacement cost in national accounts, UNECE 2017
section 5.3)."""

WAGE_BASES: tuple[str, ...] = get_args(WageBasis)

BASIS_TEXT: dict[str, str] = {
    "gross": ("gross wage (before the employee's income tax and social contributions; "
              "employer social contributions not included)"),
    "net": "net wage (after the employee's income tax and social contributions; take-home pay)",
    "gross_plus_employer": "gross wage plus employer social contributions (full labour cost)",
}
"""Human-readable text of each wage basis, as shown in results (``wage_basis``)."""

RATE_FOR: dict[str, str] = {"net": "tax_rate", "gross_plus_employer": "employer_rate"}
"""The conversion rate that links each non-gross basis to the gross wage."""


def basis_text(basis: str) -> str:
    """The human-readable text of ``basis`` (see :data:`BASIS_TEXT`)."""
    return BASIS_TEXT[check_basis(basis, "basis_text")]

REFERENCES = {
    "unece2017": (
        "UNECE (2017). Guide on Valuing Unpaid Household Service Work. "
        "ECE/CES/STAT/2017/3. United Nations, New York and Geneva."
    ),
    "eurostat2003": (
        "Eurostat (2003). Household Production and Consumption: Proposal for a "
        "Methodology of Household Satellite Accounts. Working Papers and Studies, "
        "Theme 3, KS-CC-03-003-EN. Luxembourg."
    ),
    "ilo2018": (
        "ILO (2018). Care work and care jobs for the future of decent work. "
        "International Labour Office, Geneva."
    ),
    "heckman1979": (
        "Heckman, J. J. (1979). Sample selection bias as a specification error. "
        "Econometrica 47(1), 153-161."
    ),
    "mincer1974": (
        "Mincer, J. (1974). Schooling, Experience, and Earnings. NBER / Columbia "
        "University Press."
    ),
}


WORLD_POPULATION_BOUND = 1.0e10
"""Upper bound on any population a survey's weights can represent (persons).

The world population was about 8.2 billion in 2024 (United Nations, *World
Population Prospects 2024*); 10 billion leaves room for any year to 2050.
Weights declared as counting persons that sum to more than this are
person-day (or otherwise scaled) weights."""


class ValuationError(CarecostInputError):
    """An input to a valuation that cannot be used as given (the message says how to fix it)."""


def days_in_year(year: int) -> int:
    """365, or 366 in a leap year (ATUS weights sum to person-days of the year)."""
    return 366 if calendar.isleap(int(year)) else 365


def check_currency(currency: object, where: str) -> str:
    if not isinstance(currency, str) or not currency.strip():
        raise ValuationError(
            f"{where}: currency must be a non-empty code such as 'USD'; got {currency!r}"
        )
    return currency.strip().upper()


def check_year(year: object, where: str) -> int:
    if isinstance(year, bool) or not isinstance(year, (int, np.integer)):
        raise ValuationError(f"{where}: year must be an integer such as 2016; got {year!r}")
    return int(year)


def check_basis(basis: object, where: str) -> WageBasis:
    if basis not in WAGE_BASES:
        raise ValuationError(f"{where}: wage basis must be one of {WAGE_BASES}; got {basis!r}")
    return basis  # type: ignore[return-value]


def check_positive_amount(value: object, where: str, what: str) -> float:
    """``value`` as a positive finite float, else an error naming ``what`` it should be.

    ``what`` describes the quantity with its unit, e.g. ``"wage (currency
    units per hour)"`` or ``"GDP (currency units per year)"``.
    """
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as err:
        raise ValuationError(f"{where}: {what} {value!r} is not a number") from err
    if not math.isfinite(v) or v <= 0:
        raise ValuationError(f"{where}: {what} must be positive and finite; got {value!r}")
    return v


def check_positive_wage(value: object, where: str) -> float:
    """A positive finite hourly wage (currency units per hour)."""
    return check_positive_amount(value, where, "wage (currency units per hour)")


def check_rate(value: float | None, name: str, where: str) -> float:
    if value is None:
        raise ValuationError(
            f"{where}: converting the wage basis needs {name} (a fraction of the gross wage, "
            "e.g. 0.25); pass it explicitly"
        )
    v = float(value)
    if not math.isfinite(v) or not 0 <= v < 1:
        raise ValuationError(f"{where}: {name} must be in [0, 1); got {value!r}")
    return v


def basis_factor(
    source: WageBasis, target: WageBasis, *, tax_rate: float | None,
    employer_rate: float | None, where: str,
) -> float:
    """Multiplier turning a wage on basis ``source`` into one on basis ``target``.

    net = gross x (1 - ``tax_rate``) and gross_plus_employer = gross x
    (1 + ``employer_rate``), where ``tax_rate`` is the average rate of income
    tax and employee social contributions and ``employer_rate`` the employer's
    social contributions, both as fractions of the gross wage (UNECE 2017,
    section 5.3; Eurostat 2003, section 5.1).
    """
    check_basis(source, where)
    check_basis(target, where)
    if source == target:
        return 1.0

    def to_gross(b: str) -> float:
        if b == "gross":
            return 1.0
        if b == "net":
            return 1.0 / (1.0 - check_rate(tax_rate, "tax_rate", where))
        return 1.0 / (1.0 + check_rate(employer_rate, "employer_rate", where))

    return to_gross(source) / to_gross(target)


def slug(i: int) -> str:
    return f"{i:03d}"


def require_columns(data: pd.DataFrame, cols: list[str], where: str) -> None:
    missing = [c for c in cols if c not in data.columns]
    if missing:
        raise ValuationError(
            f"{where}: column(s) {missing} not found in the data; it has "
            f"{len(data.columns)} columns starting with {list(data.columns[:10])}"
        )
