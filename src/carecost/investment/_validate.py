"""Input checks shared by :mod:`carecost.investment` (errors name key, value and allowed range)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from carecost.errors import CarecostInputError, CarecostWarning


class InvestmentInputError(CarecostInputError):
    """An input to the care-investment model that cannot be used as given.

    The message always names the offending key, the value received and the
    allowed range or type.
    """


class ImplausibleInputWarning(CarecostWarning):
    """An input that is allowed but probably not what was meant (e.g. 12% of GDP on one
    service, where 0.12 was probably meant); the message says what was probably meant."""


class ExampleDataWarning(CarecostWarning):
    """A scenario for a real country that still uses an input of the synthetic example
    country (its input–output table, population or macro and fiscal values)."""


def _fmt(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    """Return ``mapping[key]`` or raise naming the missing ``where.key``."""
    if key not in mapping:
        raise InvestmentInputError(f"{where}.{key} is missing (required)")
    return mapping[key]


def as_number(value: Any, key: str) -> float:
    """A finite real number, or an error naming ``key``."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InvestmentInputError(f"{key} = {_fmt(value)} is not a number")
    out = float(value)
    if not math.isfinite(out):
        raise InvestmentInputError(f"{key} = {_fmt(value)} must be finite")
    return out


MAX_EXACT_INTEGER = 2**53
"""Largest magnitude at which every integer is a float (beyond it ``2.0**53 + 1`` cannot be
written as a float, so a float there is not taken for an integer)."""


def integer_hint(value: float) -> str:
    """What to write instead of a number with a decimal part, for integer keys
    (``"write 2025 or 2026"``), or why a float cannot stand for an integer."""
    if not math.isfinite(value) or abs(value) > MAX_EXACT_INTEGER:
        return (f"a float beyond {MAX_EXACT_INTEGER:.0f} in magnitude is not an exact "
                "integer; write an integer")
    lo, hi = math.floor(value), math.ceil(value)
    return f"write a whole number such as {lo} or {hi}"


def as_integer(value: Any, key: str) -> int:
    """An integer, or an error naming ``key``.

    Integers are accepted, and so is a float with no decimal part (``2025.0``, as written by
    R or pandas for a whole-number column; JSON Schema's ``integer`` also includes it).  A
    float with a decimal part (``2025.7``) is refused with the whole numbers probably meant,
    never rounded or truncated; text (``"2025"``) and booleans are refused.

    Raises
    ------
    InvestmentInputError
        ``meta.base_year = 2025.7 is not a whole number; integer keys take integers
        (write a whole number such as 2025 or 2026)``.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InvestmentInputError(f"{key} = {_fmt(value)} is not an integer")
    if isinstance(value, int | np.integer):
        return int(value)
    x = float(value)
    if not math.isfinite(x):
        raise InvestmentInputError(f"{key} = {_fmt(value)} must be a finite integer")
    if not x.is_integer() or abs(x) > MAX_EXACT_INTEGER:
        raise InvestmentInputError(f"{key} = {_fmt(value)} is not a whole number; integer "
                                   f"keys take integers ({integer_hint(x)})")
    return int(x)


def check_range(
    value: Any,
    key: str,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """Check ``low <= value <= high`` (``<`` when open) and return ``float(value)``.

    Raises
    ------
    InvestmentInputError
        Naming ``key``, ``value`` and the allowed interval.
    """
    x = as_number(value, key)
    bad = (low is not None and (x <= low if low_open else x < low)) or (
        high is not None and (x >= high if high_open else x > high)
    )
    if bad:
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise InvestmentInputError(
            f"{key} = {_fmt(value)} is outside the allowed range {left}{lo}, {hi}{right}"
        )
    return x


def check_share(value: Any, key: str) -> float:
    """A share in [0, 1]."""
    return check_range(value, key, low=0.0, high=1.0)


def check_positive(value: Any, key: str) -> float:
    """A number strictly greater than 0."""
    return check_range(value, key, low=0.0, low_open=True)


def check_nonneg(value: Any, key: str) -> float:
    """A number >= 0."""
    return check_range(value, key, low=0.0)


def check_shares_sum_to_one(
    shares: Mapping[str, Any], key: str, tol: float = 1e-6
) -> dict[str, float]:
    """Each share in [0, 1] and the shares sum to 1 (within ``tol``)."""
    out = {k: check_share(v, f"{key}.{k}") for k, v in shares.items()}
    total = sum(out.values())
    if abs(total - 1.0) > tol:
        raise InvestmentInputError(
            f"{key} sums to {total:.6g}; the shares must sum to 1 (allowed |sum - 1| <= {tol:g})"
        )
    return out


def check_number_list(values: Any, key: str) -> list[float]:
    """A non-empty list of finite numbers."""
    if not isinstance(values, Sequence) or isinstance(values, str) or len(values) == 0:
        raise InvestmentInputError(f"{key} = {_fmt(values)} must be a non-empty list of numbers")
    return [as_number(v, f"{key}[{i}]") for i, v in enumerate(values)]
