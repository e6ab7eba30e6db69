"""Number formatting shared by the HTML briefs and the command line."""

from __future__ import annotations

import math
from typing import Any


def fmt_number(x: Any, *, digits: int | None = None) -> str:
    """A readable number: thousands separators, "million"/"billion" for large values.

    ``None`` and non-finite values print as an en dash.  ``digits`` fixes the
    number of decimals (default: by magnitude, about three significant digits).
    """
    if x is None:
        return "–"
    try:
        v = float(x)
    except (TypeError, ValueError):
        return str(x)
    if not math.isfinite(v):
        return "–"
    a = abs(v)
    if a >= 1e9:
        return f"{v / 1e9:,.{2 if digits is None else digits}f} billion"
    if a >= 1e7:
        return f"{v / 1e6:,.{1 if digits is None else digits}f} million"
    if digits is not None:
        return f"{v:,.{digits}f}"
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:,.1f}"
    if a >= 1:
        return f"{v:,.2f}"
    if a == 0:
        return "0"
    return f"{v:.3g}"


def fmt_cell(x: Any) -> str:
    """A table cell: numbers formatted, text as is, missing as an en dash."""
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int | float):
        return fmt_number(x)
    return str(x)


def fmt_interval(lo: Any, hi: Any) -> str:
    """``"214 to 226"``, or an en dash when an end is missing."""
    if lo is None or hi is None:
        return "–"
    return f"{fmt_number(lo)} to {fmt_number(hi)}"


def interval_name(interval: str, *, short: bool = False) -> str:
    """What kind of interval a quantity's ``interval`` text describes.

    ``"confidence interval"`` (``"CI"`` when ``short``) for design-based
    intervals, ``"Monte Carlo interval"`` (``"MC interval"``) for Monte Carlo
    percentile intervals, else ``"interval"``.
    """
    if "Monte Carlo" in interval:
        return "MC interval" if short else "Monte Carlo interval"
    if "confidence interval" in interval:
        return "CI" if short else "confidence interval"
    return "interval"


def plain_interval(lo: Any, hi: Any, level: float | None, interval: str, unit: str = "", *,
                   digits: int | None = None) -> str:
    """An interval in plain words.

    Monte Carlo: ``"between 0.46% and 0.59% of GDP in 9 of 10 simulations"``; a
    confidence interval: ``"between 79 and 92 minutes with 95% confidence"``.  ``unit``
    is appended to both ends (``"%"`` is attached, other units follow the second);
    ``digits`` as in :func:`fmt_number`.
    """
    from fractions import Fraction

    if lo is None or hi is None:
        return "no interval"
    a, b = fmt_number(lo, digits=digits), fmt_number(hi, digits=digits)
    if unit.startswith("%"):
        a, b = f"{a}%", f"{b}%{unit[1:]}"
    elif unit:
        b = f"{b} {unit}"
    if level is None:
        return f"between {a} and {b}"
    if "Monte Carlo" in interval:
        f = Fraction(level).limit_denominator(1000)
        return f"between {a} and {b} in {f.numerator} of {f.denominator} simulations"
    return f"between {a} and {b} with {100 * level:.0f}% confidence"
