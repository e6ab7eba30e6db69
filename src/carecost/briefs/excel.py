"""Tables for people and for machines: number formats by unit, and Excel workbooks.

:func:`write_workbook` writes one sheet per table: a readable first sheet (a
heading and the headline table), then the machine tables.  Every sheet has a
bold, frozen header row with an autofilter, and every number a format chosen
by its unit (percent, minutes, currency, persons...), so that a reader sees
``0.65`` and ``12,345``, never ``0.6499999999999999``.  The unit of a column
comes from its heading (``"Women [minutes per day]"``), from its name
(``gross_cost_pct_gdp``, ``jobs_total``) or, for tables with one number per
row in several units, from the row's ``unit`` or ``measure`` cell.

Floats are also cleaned of binary noise (12 significant digits, see
:func:`clean_float`) in every format, which changes no number that carecost
can estimate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["clean_float", "clean_frame", "column_format", "decimals", "round_by_unit",
           "unit_format", "write_workbook"]

SIGNIFICANT = 12
"""Significant digits kept by :func:`clean_float` (float64 has 15-17; estimates far fewer)."""
_HEADER_UNIT = re.compile(r"\[([^\]]+)\]\s*$")
_CURRENCY = re.compile(r"^[A-Z]{3}\b")
INTEGER = "#,##0"
PERCENT_OF_ONE = "0.0%"
_GENERIC = {"estimate", "se", "ci_low", "ci_high", "mean", "median", "sd", "std", "value",
            "point", "low", "high", "mode", "central value", "standard error"}
_YEARS = {"year", "base_year", "target_year", "end_year", "first_year", "last_year"}
_COUNTS = ("jobs", "fte", "staff", "persons", "population", "covered", "places", "employed",
           "respondents", "draws", "count")
_MONEY = ("cost", "spending", "funding", "returns", "gdp", "tax", "wage", "earnings",
          "benefit", "present_value", "total")


def clean_float(x: float) -> float:
    """``x`` rounded to :data:`SIGNIFICANT` significant digits (``0.6499999999999999`` -> 0.65).

    Non-finite values are returned as they are.
    """
    if not math.isfinite(x) or x == 0:
        return x
    return float(f"{x:.{SIGNIFICANT}g}")


def clean_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every float column passed through :func:`clean_float`."""
    out = df.copy()
    for c in out.columns:
        if pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].map(lambda v: v if pd.isna(v) else clean_float(float(v)))
        elif out[c].dtype == object:
            out[c] = out[c].map(lambda v: clean_float(v) if isinstance(v, float) else v)
    return out


def unit_format(unit: str) -> str | None:
    """The Excel number format for values in ``unit`` (``None``: no unit, keep General).

    Percentages of something (``"% of GDP"``) and percentage points get two decimals
    (``0.53``), other percentages one (``65.3``); minutes one decimal; money per hour two
    decimals and other money none (``1,234,567``); persons, jobs, FTE and hours none; a
    ``"share"`` (0 to 1) shows as a percentage (``0.65`` -> ``65.0%``).
    """
    u = unit.strip().lower()
    if not u:
        return None
    if "percentage point" in u or u.startswith("% of gdp") or u == "% of gross cost":
        return "0.00"
    if u.startswith("%"):
        return "0.0"
    if u.startswith("share"):
        return PERCENT_OF_ONE
    if "minute" in u:
        return "#,##0.0"
    if u in ("ratio", "times"):
        return "0.00"
    if _CURRENCY.match(unit.strip()) or "per million" in u:
        return "#,##0.00" if "per hour" in u else ("#,##0.0" if "per million" in u else INTEGER)
    if any(w in u for w in (*_COUNTS, "hours", "person")):
        return INTEGER
    return None


def column_format(name: str) -> str | None:
    """The number format suggested by a machine column name (``None``: not recognised).

    ``year`` -> ``0``; ``*_pct_*`` and ``*_pp`` (already in percent or percentage points)
    -> two decimals; shares, coverage, rates and levels (0 to 1) -> percent; jobs,
    persons, staff, places -> whole numbers; money (cost, spending, tax, wage, GDP...)
    -> whole numbers.
    """
    n = str(name).strip().lower()
    if n in _GENERIC:
        return None
    if n in _YEARS:
        return "0"
    if n in ("n",):
        return INTEGER
    if "relative" in n or n in ("ratio", "persons_per_staff"):
        return "0.00"
    if "pct" in n or n.endswith("_pp") or "_pp_" in n:
        return "0.00"
    if ("share" in n or "coverage" in n or n.endswith("rate") or n == "level"
            or "propensity" in n):
        return PERCENT_OF_ONE
    if any(w in n for w in _COUNTS):
        return INTEGER
    if any(w in n for w in _MONEY):
        return INTEGER
    return None


def decimals(fmt: str | None) -> int | None:
    """Decimals shown by a number format (``None`` for General); percent formats count +2."""
    if fmt is None:
        return None
    m = re.search(r"\.(0+)", fmt)
    d = len(m.group(1)) if m else 0
    return d + 2 if fmt.endswith("%") else d


def round_by_unit(x: Any, unit: str) -> Any:
    """``x`` rounded to the decimals its unit is shown with (other values unchanged)."""
    d = decimals(unit_format(unit))
    if d is None or isinstance(x, bool) or not isinstance(x, int | float) or not math.isfinite(x):
        return x
    return round(float(x), d)


def _header_unit(header: object) -> str:
    m = _HEADER_UNIT.search(str(header))
    return m.group(1) if m else ""


def _row_key(df: pd.DataFrame) -> tuple[str, str] | None:
    """The column that gives each row its unit: ``("unit", col)`` or ``("measure", col)``."""
    for c in df.columns:
        if str(c).strip().lower() == "unit":
            return "unit", str(c)
    for c in df.columns:
        if str(c).strip().lower() in ("measure", "component", "quantity"):
            return "measure", str(c)
    return None


def _formats(df: pd.DataFrame) -> list[list[str | None]]:
    """Number format of every cell (rows x columns; ``None`` keeps General)."""
    key = _row_key(df)
    row_fmt: list[str | None] = [None] * len(df)
    if key is not None:
        kind, col = key
        fn = unit_format if kind == "unit" else column_format
        row_fmt = [None if pd.isna(v) else fn(str(v)) for v in df[col]]
    out: list[list[str | None]] = []
    for c in df.columns:
        col_fmt = unit_format(_header_unit(c)) or column_format(re.sub(r"\s*\[.*\]$", "", str(c)))
        if col_fmt is not None:
            out.append([col_fmt] * len(df))
        else:
            out.append(list(row_fmt))
    return [list(r) for r in zip(*out, strict=True)] if len(df) else []


def write_workbook(path: str | Path, sheets: Mapping[str, pd.DataFrame], *,
                   heading: Sequence[str] = ()) -> None:
    """Write ``sheets`` to an Excel workbook, one sheet each, in order.

    Parameters
    ----------
    path
        The ``.xlsx`` file.
    sheets
        Sheet name -> table (names are cut to Excel's 31 characters).
    heading
        Lines written above the table of the first sheet (a title in bold, then
        wrapped text, e.g. the brief's answer); its header row stays frozen below them.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        for i, (name, df) in enumerate(sheets.items()):
            top = len(heading) + 1 if i == 0 and heading else 0
            data = clean_frame(df)
            sheet = name[:31]
            data.to_excel(xw, sheet_name=sheet, index=False, startrow=top)
            ws = xw.sheets[sheet]
            ncol = max(1, len(data.columns))
            last = get_column_letter(ncol)
            hrow = top + 1
            if i == 0:
                for j, line in enumerate(heading):
                    cell = ws.cell(row=j + 1, column=1, value=line)
                    if j == 0:
                        cell.font = Font(bold=True, size=14)
                    else:
                        ws.merge_cells(start_row=j + 1, start_column=1, end_row=j + 1,
                                       end_column=ncol)
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                        ws.row_dimensions[j + 1].height = 15 * max(1, len(line) // 110 + 1)
            for cell in ws[hrow]:
                cell.font = Font(bold=True)
            ws.freeze_panes = f"A{hrow + 1}"
            ws.auto_filter.ref = f"A{hrow}:{last}{hrow + max(len(data), 1)}"
            fmts = _formats(data)
            for r, row in enumerate(fmts):
                for c, fmt in enumerate(row):
                    cell = ws.cell(row=hrow + 1 + r, column=c + 1)
                    if fmt is not None and isinstance(cell.value, int | float) \
                            and not isinstance(cell.value, bool):
                        cell.number_format = fmt
            for c, col in enumerate(data.columns):
                texts = [str(col)] + [_shown(v) for v in data[col].head(200)]
                width = max(len(t) for t in texts)
                ws.column_dimensions[get_column_letter(c + 1)].width = min(max(10, width + 2),
                                                                           60)


def _shown(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}" if math.isfinite(v) else ""
    return "" if v is None else str(v)
