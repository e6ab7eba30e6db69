"""Self-contained HTML pages for briefs.

One file, no external resources and no JavaScript: the styles are inline,
the charts are inline SVG, and a Content-Security-Policy ``meta`` tag forbids
loading anything else.  The page is readable on a phone (fluid layout, charts
that scale, tables that scroll sideways), and accessible: every chart has a
title, a text alternative and its numbers in a table; every table has a
caption, column headings with units, and scope attributes.

The page layout is ``templates/brief.html`` and its styles
``templates/brief.css`` (package data, :class:`string.Template` syntax).  All
text from a brief is HTML-escaped here; SVG markup comes from
:mod:`carecost.briefs.charts`.
"""

from __future__ import annotations

import html
import re
import string
from functools import cache
from importlib import resources

import carecost

from ._common import slug
from ._format import fmt_cell, fmt_interval, fmt_number, interval_name
from .model import Brief, Chart, Quantity, Table

__all__ = ["CSP", "render_html", "render_index"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""Content-Security-Policy of every brief page (the ``meta`` tag and the service's header):
nothing may be loaded, no script runs; only the inline styles and data: images."""

KIND_LABELS = {
    "gap": "the unpaid-care gender gap",
    "value": "the value of unpaid care work",
    "investment": "investing in care services",
}
_NUMERIC_COLUMNS = {"estimate", "se", "ci_low", "ci_high"}


@cache
def _template(name: str) -> str:
    ref = resources.files("carecost.briefs") / "templates" / name
    return ref.read_text(encoding="utf-8")


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _id(key: str) -> str:
    """An HTML element id for a brief key (quantity, table, chart or source id)."""
    return slug(*key.split("."), sep="-")


def _flags(flags: tuple[str, ...]) -> str:
    return "".join(f'<span class="flag">Caution: {_e(f)}</span>' for f in flags)


def _card(q: Quantity) -> str:
    level = "" if q.level is None else f"{100 * q.level:.0f}% "
    parts = [f'<span class="label">{_e(q.label)}</span>',
             f'<span class="value">{_e(fmt_number(q.estimate))} '
             f'<span class="unit">{_e(q.unit)}</span></span>']
    if q.ci_low is not None and q.ci_high is not None:
        parts.append(f'<span class="ci">{_e(level)}{_e(interval_name(q.interval))}: '
                     f'{_e(fmt_interval(q.ci_low, q.ci_high))}'
                     + (f"; SE {_e(fmt_number(q.se))}" if q.se is not None else "")
                     + "</span>")
    parts.append(_flags(q.flags))
    return f'<li class="card" id="q-{_e(_id(q.id))}">{"".join(parts)}</li>'


def _page_svg(chart: Chart) -> str:
    """The chart's SVG for the page: named by its title only.

    The text alternative is printed in the figure caption; the SVG's ``<desc>``
    (kept in the JSON form for use on its own) is dropped here so that screen
    readers do not read the alternative twice.
    """
    svg = re.sub(r"<desc id=\"[^\"]*\">.*?</desc>", "", chart.svg, count=1, flags=re.S)
    return re.sub(r'aria-labelledby="([^" ]+) [^"]*"', r'aria-labelledby="\1"', svg, count=1)


def render_table(table: Table) -> str:
    """One table as accessible HTML (caption, headings with units, numeric cells aligned)."""
    cid = f"cap-{_id(table.id)}"
    head = []
    for c in table.columns:
        unit = f'<span class="unit">{_e(c.unit)}</span>' if c.unit else ""
        head.append(f'<th scope="col">{_e(c.label)}{unit}</th>')
    body = []
    for r in table.rows:
        cells = []
        for j, c in enumerate(table.columns):
            v = r.get(c.name)
            num = isinstance(v, int | float) and not isinstance(v, bool)
            text = _e(fmt_cell(v))
            if j == 0:
                cells.append(f'<th scope="row">{text}</th>')
            else:
                cells.append(f'<td class="num">{text}</td>' if num or c.name in _NUMERIC_COLUMNS
                             else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{_e(table.notes)}</p>' if table.notes else ""
    return (f'<div class="table-wrap" role="region" aria-labelledby="{cid}" tabindex="0">'
            f'<table id="table-{_e(_id(table.id))}"><caption id="{cid}">{_e(table.title)}'
            f"</caption><thead><tr>{''.join(head)}</tr></thead><tbody>{''.join(body)}"
            f"</tbody></table></div>{note}")


def render_html(brief: Brief, *, open_tables: bool = False) -> str:
    """Render ``brief`` as one self-contained HTML page.

    Parameters
    ----------
    brief
        The brief.
    open_tables
        Show the data table under each chart expanded (for printing and PDF);
        by default it is a collapsed ``<details>`` element.

    Returns
    -------
    str
        The page (UTF-8 text).
    """
    tables = {t.id: t for t in brief.tables}
    used = set()
    figs = []
    for c in brief.charts:
        used.add(c.table)
        figs.append(
            f'<figure class="figure" id="chart-{_e(_id(c.id))}">'
            f'<div class="svg">{_page_svg(c)}</div>'
            f'<figcaption><strong>{_e(c.title)}.</strong> <span class="what">{_e(c.alt)}'
            f"</span></figcaption>"
            f'<details{" open" if open_tables else ""}><summary>Data table: {_e(c.title)}'
            f"</summary>{render_table(tables[c.table])}</details></figure>"
        )
    charts = ""
    if figs:
        charts = ('<section aria-labelledby="charts-h"><h2 id="charts-h">Charts</h2>'
                  + "".join(figs) + "</section>")
    rest = [render_table(t) for t in brief.tables if t.id not in used]
    tables_html = ""
    if rest:
        tables_html = ('<section aria-labelledby="tables-h"><h2 id="tables-h">Tables</h2>'
                       + "".join(rest) + "</section>")
    synthetic = [s for s in brief.sources if s.synthetic]
    banner = ""
    if synthetic:
        banner = ('<p class="banner" role="note"><strong>Example data.</strong> This brief uses '
                  "synthetic data made for illustration; the numbers describe no real "
                  "country.</p>")
    sources = []
    for s in brief.sources:
        tag = ' <span class="tag">synthetic</span>' if s.synthetic else ""
        link = f' <a href="{_e(s.url)}">{_e(s.url)}</a>' if s.url else ""
        sources.append(f'<li id="src-{_e(_id(s.id))}">{_e(s.citation)}{link}{tag}</li>')
    page = string.Template(_template("brief.html")).substitute(
        version=_e(carecost.__version__),
        csp=_e(CSP),
        title=_e(brief.title),
        question=_e(brief.question),
        kind_label=_e(KIND_LABELS.get(brief.kind, brief.kind)),
        css=_template("brief.css"),
        banner=banner,
        answer=_e(brief.answer),
        cards="\n".join(_card(q) for q in brief.headline),
        charts=charts,
        tables=tables_html,
        method="\n".join(f"<p>{_e(p)}</p>" for p in brief.method),
        caveats="\n".join(f"<li>{_e(c)}</li>" for c in brief.caveats),
        sources="\n".join(sources),
        dataset=_e(brief.dataset.get("name", "")),
        id=_e(brief.id),
        generated=_e(brief.generated_at),
    )
    return page


def render_index(entries: list[tuple[Brief, str]], *, title: str = "carecost briefs") -> str:
    """A self-contained page linking to several briefs (``(brief, relative file name)`` pairs)."""
    items = []
    for b, href in entries:
        items.append(f'<li class="card"><span class="label">{_e(KIND_LABELS.get(b.kind, b.kind))}'
                     f'</span><a href="{_e(href)}"><strong>{_e(b.title)}</strong></a>'
                     f'<p>{_e(b.answer)}</p></li>')
    synthetic = any(s.synthetic for b, _ in entries for s in b.sources)
    banner = ('<p class="banner" role="note"><strong>Example data.</strong> These briefs use '
              "synthetic data made for illustration.</p>") if synthetic else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">'
        f"<title>{_e(title)}</title><style>{_template('brief.css')}</style></head><body>"
        f'<header class="top"><p class="kicker">carecost {_e(carecost.__version__)}</p>'
        f"<h1>{_e(title)}</h1>{banner}</header>"
        f'<main id="main"><ul class="cards">{"".join(items)}</ul></main></body></html>\n'
    )
