"""Pieces shared by the brief builders: sources, intervals, quantities from tidy rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

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
    if isinstance(level, bool) or not isinstance(level, int | float) \
            or not 0.5 <= float(level) <= 0.999:
        raise BriefError(f"level = {level!r}; give a confidence level between 0.5 and 0.999, "
                         "e.g. 0.95")
    return float(level)


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
    domain: Mapping[str, Any] | None = None, se: bool = True,
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
        n=None if n is None or pd.isna(n) else int(n),
    )


def slug(*parts: object) -> str:
    out = []
    for p in parts:
        s = "".join(ch if ch.isalnum() else "_" for ch in str(p).lower()).strip("_")
        out.append(s or "x")
    return ".".join(out)
