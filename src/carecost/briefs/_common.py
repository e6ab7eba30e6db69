"""Pieces shared by the brief builders: sources, intervals, quantities from tidy rows."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from carecost.errors import CarecostError, CarecostInputError
from carecost.limits import MAX_DRAWS, MAX_LEVEL, MIN_LEVEL

from .model import BriefError, Quantity, Source

CARECOST = Source(
    "carecost",
    "carecost contributors (2026). carecost: numbers for the care economy, version "
    "{version}. BSD-3-Clause.",
)
ICATUS = Source(
    "icatus2016",
    "United Nations Statistics Division (2021). International Classification of Activities "
    "for Time-Use Statistics 2016 (ICATUS 2016). Statistical Papers, Series M No. 98.",
    "https://unstats.un.org/unsd/gender/timeuse/23012019%20ICATUS.pdf",
)
SDG541 = Source(
    "sdg541",
    "United Nations Statistics Division (2023). SDG indicator metadata 5.4.1: Proportion of "
    "time spent on unpaid domestic and care work, by sex, age and location (last updated "
    "2023-03-31).",
    "https://unstats.un.org/sdgs/metadata/files/Metadata-05-04-01.pdf",
)
LUMLEY = Source(
    "lumley2010",
    "Lumley, T. (2010). Complex Surveys: A Guide to Analysis Using R. Wiley. (Design-based "
    "standard errors, contrasts and the delta method.)",
)


def carecost_source() -> Source:
    import carecost

    return Source(CARECOST.id, CARECOST.citation.format(version=carecost.__version__))


def design_interval(level: float, df: float) -> str:
    """Describe a design-based confidence interval."""
    dfs = "normal quantiles" if not np.isfinite(df) else f"Student t, {df:g} degrees of freedom"
    return f"{100 * level:.0f}% design-based confidence interval ({dfs})"


def design_words(variance: str) -> str:
    """How standard errors are estimated, in a reader's words (no replicate scale or centring).

    ``"replicate weights (sdr, 160 replicates, scale 0.025, ...)"`` -> ``"the survey's 160
    replicate weights"``; Taylor linearisation -> ``"the survey's strata and clusters
    (Taylor linearisation)"``.  The full description stays in the brief's ``dataset``.
    """
    v = variance.lower()
    if v.startswith("replicate weights"):
        m = re.search(r"(\d+) replicates", v)
        return f"the survey's {m.group(1) + ' ' if m else ''}replicate weights"
    if "taylor" in v:
        return "the survey's strata and clusters (Taylor linearisation)"
    return "the survey design"


def as_bys(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by] if by else []
    return list(by)


def check_domains(bys: Sequence[str], allowed: Sequence[str], dataset: str,
                  max_domains: int = 2) -> None:
    """Raise unless every ``by`` variable is an allowed domain of the data set."""
    if len(bys) > max_domains:
        raise BriefError(f"by = {list(bys)}: at most {max_domains} domain variables are allowed")
    if len(set(bys)) != len(bys):
        raise BriefError(f"by = {list(bys)} names a variable twice")
    bad = [b for b in bys if b not in allowed]
    if bad:
        raise BriefError(f"by = {bad}: not a domain of data set {dataset!r}; allowed "
                         f"{list(allowed)}")


def check_level(level: object) -> float:
    """``level`` as a float if it is a confidence level in [0.5, 0.999], else raise."""
    if isinstance(level, bool) or not isinstance(level, int | float) \
            or not MIN_LEVEL <= float(level) <= MAX_LEVEL:
        raise BriefError(f"level = {level!r}; give a confidence level between {MIN_LEVEL:g} and "
                         f"{MAX_LEVEL:g}, e.g. 0.95")
    return float(level)


def check_draws(draws: object, maximum: int = MAX_DRAWS, *, context: str = "") -> int:
    """``draws`` if it is a whole number from 2 to ``maximum``, else raise.

    Parameters
    ----------
    maximum
        Largest allowed (at most :data:`MAX_DRAWS`; a server may set a lower limit).
    context
        Appended to the message, e.g. ``" on this server"``.
    """
    top = min(int(maximum), MAX_DRAWS)
    if isinstance(draws, bool) or not isinstance(draws, int) or not 2 <= draws <= top:
        raise BriefError(f"draws = {draws!r}; allowed a whole number from 2 to {top}{context}")
    return draws


def domain_of(row: Mapping[str, Any] | pd.Series, bys: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for b in bys:
        v = row[b]
        out[b] = v.item() if isinstance(v, np.generic) else v
    return out


def domain_text(domain: Mapping[str, Any]) -> str:
    return ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in domain.items())


def quantity_from_row(
    row: Mapping[str, Any] | pd.Series, *, id: str, label: str, unit: str, source: str,
    method: str, interval: str, level: float | None, scale: float = 1.0,
    domain: Mapping[str, Any] | None = None, se: bool = True, flags: Sequence[str] = (),
) -> Quantity:
    """A :class:`Quantity` from a tidy result row (``estimate, se, ci_low, ci_high, n``)."""
    def g(k: str) -> float | None:
        if k not in row:
            return None
        v = row[k]
        return None if v is None or pd.isna(v) else float(v) * scale
    n = row["n"] if "n" in row else None
    return Quantity(
        id=id, label=label, estimate=g("estimate"), se=g("se") if se else None,
        ci_low=g("ci_low"), ci_high=g("ci_high"), level=level, interval=interval, unit=unit,
        source=source, method=method, domain=dict(domain or {}),
        n=None if n is None or pd.isna(n) else int(n), flags=tuple(flags),
    )


_SYMBOLS = (("<=", "le"), (">=", "ge"), ("<", "lt"), (">", "gt"), ("+", "plus"),
            ("%", "pct"), ("&", "and"))


def slug_part(value: object) -> str:
    """A readable key for one value: lowercase letters, digits and ``_``.

    Symbols that carry meaning in domain labels become words (``"<45"`` ->
    ``"lt_45"``, ``"45+"`` -> ``"45_plus"``, ``"25-34"`` -> ``"25_34"``).  Not
    one-to-one in general ("a b" and "a_b" agree): use :func:`unique_slugs`
    for the values of one variable.
    """
    s = str(value).lower()
    for sym, word in _SYMBOLS:
        s = s.replace(sym, f"_{word}_")
    s = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in s)
    s = "_".join(p for p in s.split("_") if p)
    return s or "x"


def slug(*parts: object, sep: str = ".") -> str:
    """Join :func:`slug_part` of each part with ``sep`` (quantity ids, HTML element ids)."""
    return sep.join(slug_part(p) for p in parts)


def unique_slugs(values: Iterable[object]) -> dict[object, str]:
    """A one-to-one map of distinct values to readable keys.

    Each value gets its :func:`slug_part`; values whose keys would clash get
    ``_2``, ``_3``... in order of appearance, so that distinct values never
    share an id.
    """
    out: dict[object, str] = {}
    taken: set[str] = set()
    for v in values:
        if v in out:
            continue
        base = slug_part(v)
        key, i = base, 1
        while key in taken:
            i += 1
            key = f"{base}_{i}"
        out[v] = key
        taken.add(key)
    return out


# ---------------------------------------------------------------- reliability
MIN_N = 30
"""Fewer respondents than this in a domain flag its estimates as based on a small sample."""
MAX_CV = 0.3
"""A coefficient of variation (SE / estimate) above this flags an estimate as imprecise."""


def _finite(x: Any) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def reliability_flags(n: Any = None, se: Any = None, estimate: Any = None, *,
                      who: str = "respondents") -> tuple[str, ...]:
    """Flags for an estimate with few respondents or a large coefficient of variation.

    Parameters
    ----------
    n
        Respondents behind the estimate (``None``: not checked).
    se, estimate
        For the coefficient of variation, SE / |estimate| (``None``: not checked).
    who
        How to name the respondents in the message ("women", "respondents").
    """
    flags: list[str] = []
    nn = _finite(n)
    if nn is not None and nn < MIN_N:
        flags.append(f"small sample: {int(nn)} {who} (fewer than {MIN_N}); treat with caution")
    e, s = _finite(estimate), _finite(se)
    if e is not None and s is not None and e != 0 and abs(s / e) > MAX_CV:
        flags.append(f"imprecise: coefficient of variation {abs(s / e):.2f} (above {MAX_CV:g});"
                     " treat with caution")
    return tuple(flags)


# ---------------------------------------------------------------------- errors
class DatasetUnavailableError(CarecostError, RuntimeError):
    """A registered data set that cannot be loaded (a server-side problem, not the request's).

    Attributes
    ----------
    name
        The data set's registered name.
    reason
        Why loading failed (may name files: show it to operators, not to web clients).
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"data set {name!r} could not be loaded: {reason}")
        self.name = name
        self.reason = reason


def input_errors() -> tuple[type[Exception], ...]:
    """Exceptions that mean "bad input" across carecost (the message says what to fix).

    The command line turns them into exit code 1, the HTTP service into 422.  This is
    :class:`carecost.errors.CarecostInputError`, the base of every package's input error
    (``DesignError``, ``TimeUseError``, ``ClassificationError``, ``ValuationError``,
    ``InvestmentInputError``, ``CountryDataError``, ``BriefError``).
    """
    return (CarecostInputError,)
