"""Accessible SVG charts for briefs, drawn with matplotlib's SVG backend.

Each function returns inline SVG markup: text stays text (``svg.fonttype =
"none"``), the drawing scales to its container (``width="100%"`` and a
``viewBox``), and it carries ``role="img"`` with a ``<title>`` and a
``<desc>`` (the alt text) for screen readers.  No pyplot state is used, and
rendering is serialised by a lock, so charts can be drawn from the threads of
a web server.

Charts are drawn for a phone first: 4.2 inches (302 pt) wide with 13-14 pt
text, so that on a 390 px wide screen (about 358 px for the chart) the text is
15-16 CSS px; on a wide screen the page sets each chart beside its caption, so
that together they use the column's width.  One colour means one thing in every
chart (:data:`COLOURS`: women always vermillion, men always blue).  Colours are the
darker Okabe–Ito colours (distinguishable with the common colour-vision
deficiencies), each with at least 3:1 contrast against the white background
(WCAG 2.1, 1.4.11 non-text contrast); bars have white edges, so adjacent
stacked segments are told apart by a white line as well as by colour.
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
from matplotlib.ticker import MaxNLocator, StrMethodFormatter

__all__ = ["COLOURS", "PALETTE", "bars_with_intervals", "colour_of", "lines_with_bands",
           "render_svg", "stacked_bars"]

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#595959", "#8C6D00")
"""Okabe–Ito blue, vermillion, bluish green, reddish purple and black, with dark grey and dark
ochre: contrast against white 5.2, 3.9, 3.4, 3.1, 21, 7.0 and 4.9 to 1 (the light orange, sky
blue and yellow, 1.3-2.3 to 1, are not used)."""
COLOURS: dict[str, str] = {
    "Women": "#D55E00",
    "Men": "#0072B2",
    "Additional cost": "#009E73",
    "Gross additional cost": "#009E73",
    "Current spending": "#595959",
    "Current spending not replaced": "#595959",
    "Current spending replaced": "#8C6D00",
    "Fiscal returns": "#CC79A7",
    "Net funding requirement": "#000000",
    "Value": "#009E73",
}
"""One colour per meaning in every chart of every brief: women are always vermillion, men
always blue, the additional cost (and a value) always green, and so on.  A series not listed
takes the palette colours not used by the listed meanings, in order."""


def colour_of(labels: Sequence[str]) -> dict[str, str]:
    """The colour of each series: its meaning's (:data:`COLOURS`), else an unused palette one."""
    spare = [c for c in PALETTE if c not in COLOURS.values()] or list(PALETTE)
    out: dict[str, str] = {}
    i = 0
    for lab in labels:
        if lab in COLOURS:
            out[lab] = COLOURS[lab]
        else:
            out[lab] = spare[i % len(spare)]
            i += 1
    return out
WIDTH = 4.2
"""Figure width in inches (302 pt): at 13 pt, text is about 15 CSS px on a 390 px phone."""

_LOCK = threading.Lock()
_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
    "font.size": 13,
    "axes.titlesize": 14,
    "axes.labelsize": 13,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
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


def _figure(width: float = WIDTH, height: float = 3.6) -> Figure:
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


def _wrap(label: str, width: int = 16) -> str:
    words, lines, cur = label.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    return "\n".join(lines)


def _lines(labels: Sequence[str]) -> int:
    return max((lab.count("\n") + 1 for lab in labels), default=1)


def _title(fig: Figure, title: str) -> None:
    """The title at the top left, wrapped to the figure's width."""
    fig.suptitle(_wrap(title, 34), x=0.02, ha="left", fontsize=_RC["axes.titlesize"])


def _legend_above(ax: Any, ncol: int = 2) -> None:
    """The legend in rows between the title and the plot (never over the bars).

    Two entries share a row only when their labels are short enough for a phone.
    """
    _, labels = ax.get_legend_handles_labels()
    if sum(len(str(x)) for x in labels) > 22:
        ncol = 1
    ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(-0.02, 1.0), ncol=ncol,
              borderaxespad=0.3, handlelength=1.2, columnspacing=1.0)


def _thousands(axis: Any, values: Any) -> None:
    """Thousands separators on a value axis with large numbers (30,000 rather than 30000)."""
    v = np.asarray(values, dtype=float)
    if v.size and np.nanmax(np.abs(v)) >= 1000:
        axis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))


def _thin_ticks(ax: Any, pos: np.ndarray, labels: Sequence[str], most: int = 6) -> None:
    """Category ticks on the x axis, at most ``most`` labels (e.g. years), none overlapping."""
    step = max(1, int(np.ceil(len(pos) / most)))
    ax.set_xticks(pos[::step], list(labels)[::step])


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
        labels = [_wrap(str(c)) for c in categories]
        if horizontal:
            # each category band is tall enough for its bars and its (wrapped) label, so a
            # label never reaches into the next band or the x tick labels
            band = max(0.34 * k + 0.2, 0.24 * _lines(labels) + 0.14)
            height = 1.5 + (0.35 if k > 1 else 0.0) + band * n
        else:
            height = 4.2
        fig = _figure(WIDTH, height)
        ax = fig.add_subplot()
        pos = np.arange(n, dtype=float)
        bw = 0.8 / max(k, 1)
        colours = colour_of(list(series))
        for i, (label, (est, lo, hi)) in enumerate(series.items()):
            e = np.asarray(est, dtype=float)
            err = np.vstack([e - np.asarray(lo, dtype=float), np.asarray(hi, dtype=float) - e])
            err = np.clip(np.nan_to_num(err), 0, None)
            off = pos + (i - (k - 1) / 2) * bw
            color = colours[label]
            if horizontal:
                ax.barh(off, e, height=bw * 0.92, color=color, label=label,
                        edgecolor="white", linewidth=0.6)
                ax.errorbar(e, off, xerr=err, fmt="none", ecolor="#222222", capsize=3, lw=1)
            else:
                ax.bar(off, e, width=bw * 0.92, color=color, label=label,
                       edgecolor="white", linewidth=0.6)
                ax.errorbar(off, e, yerr=err, fmt="none", ecolor="#222222", capsize=3, lw=1)
        if horizontal:
            ax.set_yticks(pos, labels)
            ax.set_ylim(n - 0.5, -0.5)
            ax.set_xlabel(unit)
            ax.grid(axis="y", visible=False)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
            if reference is not None:
                ax.axvline(reference, color="#444444", lw=0.8)
        else:
            _thin_ticks(ax, pos, labels)
            ax.set_ylabel(unit)
            ax.grid(axis="x", visible=False)
            if reference is not None:
                ax.axhline(reference, color="#444444", lw=0.8)
        _thousands(ax.xaxis if horizontal else ax.yaxis,
                   [np.asarray(hi, dtype=float) for _, _, hi in series.values()])
        _title(fig, title)
        if k > 1:
            _legend_above(ax, min(k, 2))
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
        fig = _figure(WIDTH, 4.6)
        ax = fig.add_subplot()
        xs = np.asarray(x, dtype=float)
        colours = colour_of(list(series))
        for i, (label, (y, lo, hi)) in enumerate(series.items()):
            color = colours[label]
            if lo is not None and hi is not None:
                ax.fill_between(xs, np.asarray(lo, dtype=float), np.asarray(hi, dtype=float),
                                color=color, alpha=0.2, lw=0)
            ax.plot(xs, np.asarray(y, dtype=float), marker=markers[i % len(markers)], ms=4,
                    color=color, label=label)
        ax.set_ylabel(unit)
        if xlabel:
            ax.set_xlabel(xlabel)
        _title(fig, title)
        _legend_above(ax, 1)
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
        labels = [_wrap(str(c), 14) for c in categories]
        if horizontal:
            band = max(0.5, 0.24 * _lines(labels) + 0.14)
            height = 1.9 + band * n
        else:
            height = 4.4
        fig = _figure(WIDTH, height)
        ax = fig.add_subplot()
        pos = np.arange(n, dtype=float)
        base = np.zeros(n)
        colours = colour_of(list(stacks))
        for label, vals in stacks.items():
            v = np.asarray(vals, dtype=float)
            color = colours[label]
            if horizontal:
                ax.barh(pos, v, left=base, color=color, label=label, height=0.7,
                        edgecolor="white", linewidth=0.8)
            else:
                ax.bar(pos, v, bottom=base, color=color, label=label, width=0.7,
                       edgecolor="white", linewidth=0.8)
            base = base + v
        if totals is not None:
            t, lo, hi = (np.asarray(a, dtype=float) for a in totals)
            err = np.clip(np.nan_to_num(np.vstack([t - lo, hi - t])), 0, None)
            if horizontal:
                ax.errorbar(t, pos, xerr=err, fmt="none", ecolor="#222222", capsize=3, lw=1)
            else:
                ax.errorbar(pos, t, yerr=err, fmt="none", ecolor="#222222", capsize=3, lw=1)
        if horizontal:
            ax.set_yticks(pos, labels)
            ax.set_ylim(n - 0.5, -0.5)
            ax.set_xlabel(unit)
            ax.grid(axis="y", visible=False)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
        else:
            _thin_ticks(ax, pos, labels, most=4)
            ax.set_ylabel(unit)
            ax.grid(axis="x", visible=False)
        _thousands(ax.xaxis if horizontal else ax.yaxis, base)
        _title(fig, title)
        _legend_above(ax, min(len(stacks), 2))
    return render_svg(fig, chart_id, title, alt)


def _integer_ticks(ax: Any, xs: np.ndarray) -> None:
    if len(xs) and np.allclose(xs, np.round(xs)):
        step = max(1, int(np.ceil(len(xs) / 6)))
        ax.set_xticks(xs[::step], [str(int(v)) for v in xs[::step]])
