"""The data model of a brief: quantities with uncertainty, tables, charts, sources.

A :class:`Brief` answers one question with numbers.  Every number is a
:class:`Quantity` that carries its estimate, standard error (where the method
gives one), interval, unit, source and method, so the JSON form can be cited
number by number and the HTML form can print "220 minutes per day (95% CI
214 to 226)" without looking anything up elsewhere.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

import carecost
from carecost.errors import CarecostInputError

__all__ = [
    "SCHEMA",
    "Brief",
    "BriefError",
    "Chart",
    "Column",
    "Quantity",
    "Source",
    "Table",
    "clean_json",
    "inputs_digest",
]

SCHEMA = "carecost.brief/2"
"""Identifier and version of the brief JSON layout (``Brief.to_dict()["schema"]``).

Version 2 added ``flags`` to every quantity, one-to-one domain keys in quantity ids
(``"65+"`` -> ``"65plus"``), ``se: null`` for Monte Carlo intervals, and the triangular
``mode`` in the investment brief's ``inputs.ranges``."""

BriefKind = Literal["gap", "value", "investment"]


class BriefError(CarecostInputError):
    """A brief that cannot be made from the inputs given (the message says how to fix them)."""


def _num(x: Any) -> float | None:
    """A finite float, or ``None`` for missing, NaN or infinite values (JSON has no NaN)."""
    if x is None:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def clean_json(obj: Any) -> Any:
    """Convert numpy scalars, tuples and non-finite floats into strict-JSON values.

    NaN and infinities become ``None`` (``null``) so that the output passes
    ``json.dumps(..., allow_nan=False)`` and every JSON parser.
    """
    if isinstance(obj, Mapping):
        return {str(k): clean_json(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [clean_json(v) for v in obj]
    if isinstance(obj, bool | np.bool_):
        return bool(obj)
    if isinstance(obj, int | np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        return _num(obj)
    if isinstance(obj, np.ndarray):
        return clean_json(obj.tolist())
    if obj is None or isinstance(obj, str):
        return obj
    return str(obj)


def inputs_digest(inputs: Mapping[str, Any]) -> str:
    """A short, stable hash of the inputs of a brief (its identifier)."""
    text = json.dumps(clean_json(inputs), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{carecost.__version__}|{text}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Source:
    """A citable source.

    Attributes
    ----------
    id
        Short key used by quantities and tables (``"example-survey"``).
    citation
        Full reference in text.
    url
        Optional web address.
    synthetic
        True when the source is invented data (the example survey and country).
    """

    id: str
    citation: str
    url: str | None = None
    synthetic: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "citation": self.citation, "url": self.url,
                "synthetic": self.synthetic}


@dataclass(frozen=True)
class Quantity:
    """One number of a brief with its uncertainty and provenance.

    Attributes
    ----------
    id
        Stable key, e.g. ``"gap.minutes.gap"``.
    label
        Plain-language name ("Women's minus men's minutes per day").
    estimate
        Point estimate, in ``unit``.
    se
        Standard error (``None`` when the method gives an interval only, e.g.
        a Monte Carlo percentile interval).
    ci_low, ci_high, level
        Interval and its coverage (e.g. 0.95).
    interval
        What the interval is ("95% design-based confidence interval, Student t
        with 119 degrees of freedom").
    unit
        Unit of ``estimate``, ``se`` and the interval.
    source
        Id of a :class:`Source` of the brief.
    method
        How the number was computed, in one sentence.
    domain
        The population domain (``{"age_group": "25-34"}``; empty for all).
    n
        Sample size behind the estimate, where there is one.
    flags
        Warnings a reader must see with this number: a small sample, a large
        coefficient of variation, a central value outside its interval.
    """

    id: str
    label: str
    estimate: float | None
    se: float | None
    ci_low: float | None
    ci_high: float | None
    level: float | None
    interval: str
    unit: str
    source: str
    method: str
    domain: Mapping[str, Any] = field(default_factory=dict)
    n: int | None = None
    flags: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "label": self.label, "estimate": _num(self.estimate),
            "se": _num(self.se), "ci_low": _num(self.ci_low), "ci_high": _num(self.ci_high),
            "level": _num(self.level), "interval": self.interval, "unit": self.unit,
            "source": self.source, "method": self.method,
            "domain": clean_json(dict(self.domain)), "n": None if self.n is None else int(self.n),
            "flags": list(self.flags),
        }


@dataclass(frozen=True)
class Column:
    """A table column: key, heading and unit (empty for labels)."""

    name: str
    label: str
    unit: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "label": self.label, "unit": self.unit}


@dataclass(frozen=True)
class Table:
    """A small table of a brief (also the accessible fallback of a chart).

    Attributes
    ----------
    id, title
        Key and caption.
    columns
        Column definitions (with units).
    rows
        One mapping per row, keyed by column name.
    notes
        Sentence(s) printed under the table (interval type, source).
    source
        Id of a :class:`Source`.
    """

    id: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Mapping[str, Any], ...]
    notes: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        names = [c.name for c in self.columns]
        for i, r in enumerate(self.rows):
            extra = set(r) - set(names)
            if extra:
                raise BriefError(f"table {self.id!r}, row {i}: keys {sorted(extra)} are not "
                                 f"columns {names}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title,
            "columns": [c.to_dict() for c in self.columns],
            "rows": [clean_json({c.name: r.get(c.name) for c in self.columns})
                     for r in self.rows],
            "notes": self.notes, "source": self.source,
        }


@dataclass(frozen=True)
class Chart:
    """A chart: an SVG drawing, its alt text and the table with its data.

    Attributes
    ----------
    id, title
        Key and caption.
    alt
        Text alternative: what the chart shows and its main message.
    table
        Id of the :class:`Table` holding the plotted numbers (the fallback).
    svg
        The drawing (inline SVG markup, made by :mod:`carecost.briefs.charts`).
    """

    id: str
    title: str
    alt: str
    table: str
    svg: str = field(repr=False, default="")

    def to_dict(self, *, include_svg: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "title": self.title, "alt": self.alt,
                               "table": self.table}
        if include_svg:
            out["svg"] = self.svg
        return out


@dataclass(frozen=True)
class Brief:
    """One question answered with numbers, charts, method and sources.

    Attributes
    ----------
    kind
        ``"gap"``, ``"value"`` or ``"investment"``.
    title, question, answer
        Heading, the question in plain words and a short plain-language answer.
    headline
        The three to six key numbers (shown first).
    quantities
        Every number of the brief (headline included), each with uncertainty.
    tables, charts
        Tables (with units) and charts (each with a fallback table).
    method
        Paragraphs on how the numbers were made.
    caveats
        Limits a reader must know (synthetic data, what an interval covers).
    sources
        Citable sources, referenced by id from quantities and tables.
    dataset
        Name and description of the data set used.
    inputs
        The parameters that made the brief (for reproduction).
    id
        Hash of ``kind`` and ``inputs`` (stable across runs of one version).
    generated_at
        UTC time of creation (ISO 8601).
    """

    kind: BriefKind
    title: str
    question: str
    answer: str
    headline: tuple[Quantity, ...]
    quantities: tuple[Quantity, ...]
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...]
    method: tuple[str, ...]
    caveats: tuple[str, ...]
    sources: tuple[Source, ...]
    dataset: Mapping[str, Any]
    inputs: Mapping[str, Any]
    id: str = ""
    generated_at: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", inputs_digest({"kind": self.kind, **self.inputs}))
        if not self.generated_at:
            now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
            object.__setattr__(self, "generated_at", now.isoformat().replace("+00:00", "Z"))
        self.check()

    # ------------------------------------------------------------------ checks
    def check(self) -> None:
        """Check the internal references (sources, chart tables, unique ids).

        Raises
        ------
        BriefError
            Naming the quantity, table or chart whose reference is broken.
        """
        src = {s.id for s in self.sources}
        tables = {t.id for t in self.tables}
        ids = [q.id for q in self.quantities]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise BriefError(f"brief {self.kind}: quantity ids {dup} appear more than once")
        for q in (*self.headline, *self.quantities):
            if q.source not in src:
                raise BriefError(f"quantity {q.id!r} cites source {q.source!r}, which is not "
                                 f"among the brief's sources {sorted(src)}")
            if not q.unit:
                raise BriefError(f"quantity {q.id!r} has no unit")
        for t in self.tables:
            if t.source and t.source not in src:
                raise BriefError(f"table {t.id!r} cites unknown source {t.source!r}")
        for c in self.charts:
            if c.table not in tables:
                raise BriefError(f"chart {c.id!r} has no fallback table {c.table!r}")
            if not c.alt.strip():
                raise BriefError(f"chart {c.id!r} has no alt text")

    # ------------------------------------------------------------------ output
    def table(self, id: str) -> Table:
        """The table with key ``id``."""
        for t in self.tables:
            if t.id == id:
                return t
        raise BriefError(f"brief has no table {id!r}; tables: {[t.id for t in self.tables]}")

    def quantity(self, id: str) -> Quantity:
        """The quantity with key ``id``."""
        for q in self.quantities:
            if q.id == id:
                return q
        raise BriefError(f"brief has no quantity {id!r}")

    def to_dict(self, *, include_svg: bool = False) -> dict[str, Any]:
        """The brief as strict-JSON-compatible Python objects (no NaN, no numpy types).

        Parameters
        ----------
        include_svg
            Also include each chart's SVG markup (large; the HTML has it).
        """
        return {
            "schema": SCHEMA,
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "question": self.question,
            "answer": self.answer,
            "generated_at": self.generated_at,
            "carecost_version": carecost.__version__,
            "dataset": clean_json(dict(self.dataset)),
            "inputs": clean_json(dict(self.inputs)),
            "headline": [q.id for q in self.headline],
            "quantities": [q.to_dict() for q in self.quantities],
            "tables": [t.to_dict() for t in self.tables],
            "charts": [c.to_dict(include_svg=include_svg) for c in self.charts],
            "method": list(self.method),
            "caveats": list(self.caveats),
            "sources": [s.to_dict() for s in self.sources],
        }

    def to_json(self, *, indent: int | None = 2, include_svg: bool = False) -> str:
        """The brief as a JSON document (strict: ``NaN`` is written as ``null``)."""
        return json.dumps(self.to_dict(include_svg=include_svg), indent=indent,
                          ensure_ascii=False, allow_nan=False)

    def to_html(self) -> str:
        """The brief as one self-contained HTML page (see :func:`carecost.briefs.render_html`)."""
        from .html import render_html

        return render_html(self)

