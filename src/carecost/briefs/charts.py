"""Accessible SVG charts for briefs, drawn with matplotlib's SVG backend.

Each function returns inline SVG markup: text stays text (``svg.fonttype =
"none"``), the drawing scales to its container (``width="100%"`` and a
``viewBox``), and it carries ``role="img"`` with a ``<title>`` and a
``<desc>`` (the alt text) for screen readers.  No pyplot state is used, and
rendering is serialised by a lock, so charts can be drawn from the threads of
a web server.  Colours are from the Okabe–Ito palette (distinguishable with
the common colour-vision deficiencies).
"""

from __future__ import annotations

import html
import io
import re
import threading
from collections.abc import Mapping, Sequence
from typing import Any, cast

import matplotlib
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

__all__ = ["PALETTE", "bars_with_intervals", "lines_with_bands", "render_svg", "stacked_bars"]

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
"""Okabe–Ito colours (blue, orange, green, purple, sky blue, vermillion, yellow)."""

_LOCK = threading.Lock()
_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
}
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def _rc(extra: dict[str, Any] | None = None) -> Any:
    """``matplotlib.rc_context`` with the brief style (typed loosely for the stubs)."""
    return matplotlib.rc_context(cast(Any, {**_RC, **(extra or {})}))


def _figure(width: float = 6.4, height: float = 3.6) -> Figure:
    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasSVG(fig)
    return fig


def render_svg(fig: Figure, chart_id: str, title: str, alt: str) -> str:
    """Serialise ``fig`` as accessible inline SVG.

    Parameters
    ----------
    fig
        A matplotlib figure (not from pyplot).
    chart_id
        Unique id within the page (letters, digits, ``-``, ``_``); it prefixes
        the title and description ids and salts matplotlib's internal ids, so
        several charts can share one page.
    title, alt
        Short title and the text alternative (``<desc>``).

    Returns
    -------
    str
        ``<svg ...>...</svg>`` without XML declaration or DOCTYPE.
    """
    if not _ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r}: use letters, digits, '-' and '_' only, "
                         "starting with a letter")
    buf = io.StringIO()
    with _LOCK, _rc({"svg.hashsalt": chart_id}):
        fig.savefig(buf, format="svg",
                    metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    fig.clear()  # break the figure's reference cycles now, not at the next GC
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    head_end = text.index(">") + 1
    head = text[:head_end]
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    tid, did = f"{chart_id}-title", f"{chart_id}-desc"
    head = head[:-1] + (f' width="100%" role="img" aria-labelledby="{tid} {did}" '
                        f'focusable="false" class="chart">')
    a11y = (f'<title id="{tid}">{html.escape(title)}</title>'
            f'<desc id="{did}">{html.escape(alt)}</desc>')
    return head + a11y + text[head_end:]


def _wrap(label: str, width: int = 18) -> str:
    words, lines, cur = label.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "\n".join(lines)


def bars_with_intervals(
    chart_id: str, title: str, alt: str, categories: Sequence[str],
    series: Mapping[str, tuple[Sequence[float], Sequence[float], Sequence[float]]], *,
    unit: str, horizontal: bool = True, reference: float | None = None,
) -> str:
    """Grouped bars with interval whiskers.

    Parameters
    ----------
    categories
        One label per bar group.
    series
        ``{series label: (estimates, interval lows, interval highs)}``, each a
        sequence aligned with ``categories``.
    unit
        Axis label (with the unit, e.g. "minutes per day").
    horizontal
        Horizontal bars (better for long labels and narrow screens).
    reference
        Optional value drawn as a thin line (e.g. 0 or parity).
    """
    with _LOCK, _rc():
        n, k = len(categories), len(series)
        height = max(2.6, 0.9 + (0.42 * k + 0.25) * n) if horizontal else 3.8
        fig = _figure(6.4, height)
        ax = fig.add_subplot()
        pos = np.arange(n, dtype=float)
        bw = 0.8 / max(k, 1)
        for i, (label, (est, lo, hi)) in enumerate(series.items()):
            e = np.asarray(est, dtype=float)
            err = np.vstack([e - np.asarray(lo, dtype=float), np.asarray(hi, dtype=float) - e])
            err = np.clip(np.nan_to_num(err), 0, None)
            off = pos + (i - (k - 1) / 2) * bw
            color = PALETTE[i % len(PALETTE)]
            if horizontal:
                ax.barh(off, e, height=bw * 0.92, color=color, label=label)
                ax.errorbar(e, off, xerr=err, fmt="none", ecolor="#222222", capsize=3, lw=1)
            else:
                ax.bar(off, e, width=bw * 0.92, color=color, label=label)
                ax.errorbar(off, e, yerr=err, fmt="none", ecolor="#222222", capsize=3, lw=1)
        labels = [_wrap(str(c)) for c in categories]
        if horizontal:
            ax.set_yticks(pos, labels)
            ax.invert_yaxis()
            ax.set_xlabel(unit)
            ax.grid(axis="y", visible=False)
            if reference is not None:
                ax.axvline(reference, color="#444444", lw=0.8)
        else:
            ax.set_xticks(pos, labels)
            ax.set_ylabel(unit)
            ax.grid(axis="x", visible=False)
            if reference is not None:
                ax.axhline(reference, color="#444444", lw=0.8)
        ax.set_title(title, loc="left")
        if k > 1:
            ax.legend(frameon=False, loc="best")
    return render_svg(fig, chart_id, title, alt)


def lines_with_bands(
    chart_id: str, title: str, alt: str, x: Sequence[float],
    series: Mapping[str, tuple[Sequence[float], Sequence[float] | None, Sequence[float] | None]],
    *, unit: str, xlabel: str = "",
) -> str:
    """Lines with optional interval bands.

    Parameters
    ----------
    series
        ``{label: (values, band lows or None, band highs or None)}``.
    """
    markers = ("o", "s", "^", "D", "v")
    with _LOCK, _rc():
        fig = _figure(6.4, 3.8)
        ax = fig.add_subplot()
        xs = np.asarray(x, dtype=float)
        for i, (label, (y, lo, hi)) in enumerate(series.items()):
            color = PALETTE[i % len(PALETTE)]
            if lo is not None and hi is not None:
                ax.fill_between(xs, np.asarray(lo, dtype=float), np.asarray(hi, dtype=float),
                                color=color, alpha=0.2, lw=0)
            ax.plot(xs, np.asarray(y, dtype=float), marker=markers[i % len(markers)], ms=4,
                    color=color, label=label)
        ax.set_ylabel(unit)
        if xlabel:
            ax.set_xlabel(xlabel)
        ax.set_title(title, loc="left")
        ax.legend(frameon=False, loc="best")
        _integer_ticks(ax, xs)
    return render_svg(fig, chart_id, title, alt)


def stacked_bars(
    chart_id: str, title: str, alt: str, categories: Sequence[Any],
    stacks: Mapping[str, Sequence[float]], *, unit: str, horizontal: bool = False,
    totals: tuple[Sequence[float], Sequence[float], Sequence[float]] | None = None,
) -> str:
    """Stacked bars (e.g. jobs by type and sex, spending by component).

    Parameters
    ----------
    stacks
        ``{layer label: values aligned with categories}``, bottom layer first.
    totals
        Optional ``(totals, lows, highs)`` drawn as interval whiskers on the stack tops.
    """
    with _LOCK, _rc():
        n = len(categories)
        fig = _figure(6.4, max(2.8, 1.0 + 0.55 * n) if horizontal else 3.8)
        ax = fig.add_subplot()
        pos = np.arange(n, dtype=float)
        base = np.zeros(n)
        for i, (label, vals) in enumerate(stacks.items()):
            v = np.asarray(vals, dtype=float)
            color = PALETTE[i % len(PALETTE)]
            if horizontal:
                ax.barh(pos, v, left=base, color=color, label=label, height=0.7)
            else:
                ax.bar(pos, v, bottom=base, color=color, label=label, width=0.7)
            base = base + v
        if totals is not None:
            t, lo, hi = (np.asarray(a, dtype=float) for a in totals)
            err = np.clip(np.nan_to_num(np.vstack([t - lo, hi - t])), 0, None)
            if horizontal:
                ax.errorbar(t, pos, xerr=err, fmt="none", ecolor="#222222", capsize=3, lw=1)
            else:
                ax.errorbar(pos, t, yerr=err, fmt="none", ecolor="#222222", capsize=3, lw=1)
        labels = [_wrap(str(c), 14) for c in categories]
        if horizontal:
            ax.set_yticks(pos, labels)
            ax.invert_yaxis()
            ax.set_xlabel(unit)
            ax.grid(axis="y", visible=False)
        else:
            ax.set_xticks(pos, labels)
            ax.set_ylabel(unit)
            ax.grid(axis="x", visible=False)
        ax.set_title(title, loc="left")
        ax.legend(frameon=False, loc="best")
    return render_svg(fig, chart_id, title, alt)


def _integer_ticks(ax: Any, xs: np.ndarray) -> None:
    if len(xs) and np.allclose(xs, np.round(xs)):
        step = max(1, int(np.ceil(len(xs) / 8)))
        ax.set_xticks(xs[::step], [str(int(v)) for v in xs[::step]])
