"""Input–output (Leontief) computations for care-investment simulations.

Plain numpy/scipy implementations of the open and closed Leontief models, output,
income and employment multipliers, and BEA's industry-by-industry total
requirements from a Use and a Make table.  :class:`IOModel` bundles a
technical-coefficients matrix with the vectors a care-investment simulation needs
(output, employment and compensation coefficients, household consumption shares,
women's share of employment) and can be built from flows, from BEA's summary
tables or, by duck typing, from a ``pymrio.IOSystem``.

Equations
---------
Technical coefficients (Miller and Blair 2009, eq. 2.4): ``a_ij = z_ij / x_j``.
Leontief inverse (eq. 2.11): ``L = (I - A)^-1`` and ``x = L f``.
Simple output multiplier (section 6.2.1): ``m(o)_j = sum_i l_ij``.
Employment multiplier (section 6.2.3): ``m(e)_j = sum_i e_i l_ij`` with ``e_i`` jobs per unit
of output; Type I employment multiplier ``m(e)_j / e_j``.
Closed model with households endogenous (section 2.5; Type II): the augmented matrix
``[[A, c], [h', 0]]`` where ``h_j`` is household income per unit of output of ``j`` and
``c_i`` household purchases from ``i`` per unit of household income.
Industry-by-industry total requirements, industry-technology assumption (Horowitz and
Planting 2009, ch. 12; Miller and Blair 2009, section 5.3): ``B = U diag(g)^-1``,
``D = V diag(q)^-1``, ``TR = (I - D B)^-1``.
Domestic requirements (import proportionality, the standard assumption when no import matrix
is published): commodity ``i`` is imported in the same share ``mu_i = M_i / (q_i + M_i - X_i -
dS_i)`` of every use (imports over domestic supply = output + imports - exports - change in
inventories; BEA FAQ 453 on the import matrices), so ``B_d = B - diag(mu) max(B, 0)`` (purchases
only; BEA's negative uses, sales of scrap, are kept) and ``L_d = (I - D B_d)^-1``.  BEA's
published total requirements are *total* (imports counted as if produced at home): they are
reproduced by :func:`industry_total_requirements`; :class:`IOModel` uses the domestic ones by
default.

References
----------
Miller, R. E. and Blair, P. D. (2009). *Input-Output Analysis: Foundations and
Extensions*, 2nd ed. Cambridge University Press.
Horowitz, K. J. and Planting, M. A. (2009). *Concepts and Methods of the U.S.
Input-Output Accounts*. U.S. Bureau of Economic Analysis.
U.S. BEA. FAQ 453 on the import matrices, https://www.bea.gov/help/faq/453 (the imported
share of an industry's use of a commodity is proportional to the ratio of imports to domestic
supply; domestic supply = domestic output + imports - exports - change in inventories).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._validate import InvestmentInputError, check_range

__all__ = [
    "IOModel",
    "bea_import_shares",
    "closed_leontief_inverse",
    "domestic_shares",
    "employment_coefficients",
    "employment_multipliers",
    "income_multipliers",
    "industry_direct_requirements",
    "industry_domestic_requirements",
    "industry_domestic_total_requirements",
    "industry_total_requirements",
    "leontief_inverse",
    "nipa_fte_by_io_code",
    "output_multipliers",
    "read_bea_matrix",
    "technical_coefficients",
]

ArrayOrFrame = np.ndarray | pd.DataFrame


# --------------------------------------------------------------------------------------------
# Basic Leontief algebra
# --------------------------------------------------------------------------------------------
def _square(a: ArrayOrFrame, name: str) -> np.ndarray:
    arr = np.asarray(a, dtype=float)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise InvestmentInputError(f"{name} must be a square matrix; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise InvestmentInputError(f"{name} contains non-finite values")
    return arr


def technical_coefficients(
    flows: ArrayOrFrame,
    output: Sequence[float] | np.ndarray | pd.Series,
) -> ArrayOrFrame:
    """Technical (direct input) coefficients ``A = Z diag(x)^-1``.

    Parameters
    ----------
    flows : (n, n) array or DataFrame
        Interindustry flows ``z_ij`` (sales of ``i`` to ``j``), money units.
    output : (n,) array
        Total output ``x_j`` of each sector, same money units.  Sectors with zero
        output get a zero column.

    Returns
    -------
    A : same type as ``flows``
        Dimensionless input per unit of output (Miller and Blair 2009, eq. 2.4).

    References
    ----------
    Miller and Blair (2009), section 2.2, eq. 2.4.
    """
    z = _square(flows, "flows")
    x = np.asarray(output, dtype=float).reshape(-1)
    if x.shape[0] != z.shape[0]:
        raise InvestmentInputError(
            f"output has {x.shape[0]} entries; flows has {z.shape[0]} sectors"
        )
    if np.any(x < 0):
        raise InvestmentInputError(f"output must be >= 0; minimum is {x.min():g}")
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(x > 0, z / np.where(x > 0, x, 1.0), 0.0)
    if isinstance(flows, pd.DataFrame):
        return pd.DataFrame(a, index=flows.index, columns=flows.columns)
    return a


def leontief_inverse(a: ArrayOrFrame) -> ArrayOrFrame:
    """Leontief inverse ``L = (I - A)^-1``.

    Parameters
    ----------
    a : (n, n) array or DataFrame
        Technical coefficients, dimensionless.

    Returns
    -------
    L : same type as ``a``
        Total (direct plus indirect) output of row sector per unit of final demand
        for column sector.

    Raises
    ------
    InvestmentInputError
        If ``I - A`` is singular (no productive solution).

    References
    ----------
    Miller and Blair (2009), section 2.3, eq. 2.11.
    """
    arr = _square(a, "A")
    n = arr.shape[0]
    try:
        inv = np.linalg.solve(np.eye(n) - arr, np.eye(n))
    except np.linalg.LinAlgError as exc:  # pragma: no cover - depends on data
        raise InvestmentInputError(
            "I - A is singular; the Leontief inverse does not exist"
        ) from exc
    if isinstance(a, pd.DataFrame):
        return pd.DataFrame(inv, index=a.index, columns=a.columns)
    return inv


def output_multipliers(leontief: ArrayOrFrame) -> pd.Series:
    """Simple (Type I) output multipliers, the column sums of ``L``.

    Parameters
    ----------
    leontief : (n, n) array or DataFrame
        Leontief inverse.

    Returns
    -------
    pandas.Series
        Total output in all sectors per unit of final demand for each sector
        (dimensionless), indexed like the columns of ``leontief``.

    References
    ----------
    Miller and Blair (2009), section 6.2.1, eq. 6.1.
    """
    arr = _square(leontief, "L")
    idx = leontief.columns if isinstance(leontief, pd.DataFrame) else pd.RangeIndex(arr.shape[0])
    return pd.Series(arr.sum(axis=0), index=idx, name="output_multiplier")


def employment_coefficients(
    employment: Sequence[float] | np.ndarray | pd.Series,
    output: Sequence[float] | np.ndarray | pd.Series,
    *,
    per: float = 1.0,
) -> np.ndarray | pd.Series:
    """Employment coefficients ``e_j = E_j / x_j`` (jobs per ``per`` money units of output).

    Parameters
    ----------
    employment : (n,) array
        Jobs (persons or full-time equivalents) in each sector.
    output : (n,) array
        Output of each sector, money units.
    per : float, default 1
        Scale; e.g. ``per=1`` with output in $ million gives jobs per $ million.

    Returns
    -------
    (n,) array or Series
        Zero where output is zero.

    References
    ----------
    Miller and Blair (2009), section 6.2.3 (employment input coefficients).
    """
    out = _per_unit_of_output(employment, output, "employment", per=per)
    if isinstance(employment, pd.Series):
        return pd.Series(out, index=employment.index, name="employment_coefficient")
    return out


def _per_unit_of_output(values: Any, output: Any, name: str, *, per: float = 1.0) -> np.ndarray:
    """``values / output * per`` (0 where output is 0), with errors naming ``name``."""
    v = np.asarray(values, dtype=float).reshape(-1)
    x = np.asarray(output, dtype=float).reshape(-1)
    if v.shape != x.shape:
        raise InvestmentInputError(f"{name} has {v.size} entries but output has {x.size}")
    if not np.all(np.isfinite(v)):
        raise InvestmentInputError(f"{name} contains non-finite values")
    if np.any(v < 0):
        raise InvestmentInputError(f"{name} must be >= 0; minimum is {v.min():g}")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, v / np.where(x > 0, x, 1.0) * per, 0.0)


def employment_multipliers(
    leontief: ArrayOrFrame,
    coefficients: Sequence[float] | np.ndarray | pd.Series,
) -> pd.DataFrame:
    """Employment multipliers from a Leontief inverse.

    Parameters
    ----------
    leontief : (n, n) array or DataFrame
        Leontief inverse (open, Type I) or the sector block of a closed (Type II) inverse.
    coefficients : (n,) array
        Employment coefficients ``e_i`` (jobs per money unit of output).

    Returns
    -------
    pandas.DataFrame
        One row per sector with ``direct`` (``e_j``), ``total`` (``sum_i e_i l_ij``, jobs
        per money unit of final demand), ``indirect`` (``total - direct``) and ``ratio``
        (``total / direct``, the Type I employment multiplier when ``L`` is open).

    References
    ----------
    Miller and Blair (2009), section 6.2.3, eqs. 6.12–6.14.
    """
    arr = _square(leontief, "L")
    e = np.asarray(coefficients, dtype=float).reshape(-1)
    if e.size != arr.shape[0]:
        raise InvestmentInputError(f"coefficients has {e.size} entries; L has {arr.shape[0]}")
    total = e @ arr
    idx = leontief.columns if isinstance(leontief, pd.DataFrame) else pd.RangeIndex(arr.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(e > 0, total / np.where(e > 0, e, 1.0), np.nan)
    return pd.DataFrame(
        {"direct": e, "total": total, "indirect": total - e, "ratio": ratio}, index=idx
    )


def closed_leontief_inverse(
    a: ArrayOrFrame,
    household_income: Sequence[float] | np.ndarray,
    household_consumption: Sequence[float] | np.ndarray,
) -> np.ndarray:
    """Leontief inverse of the model closed with respect to households (Type II).

    Parameters
    ----------
    a : (n, n) array
        Technical coefficients.
    household_income : (n,) array
        Household (labour) income paid per unit of output of each sector, ``h_j``.
    household_consumption : (n,) array
        Household purchases from each sector per unit of household income, ``c_i``.

    Returns
    -------
    (n + 1, n + 1) ndarray
        ``(I - Abar)^-1`` with ``Abar = [[A, c], [h', 0]]``; households are the last
        row and column.

    References
    ----------
    Miller and Blair (2009), section 2.5.1, eqs. 2.22–2.25.
    """
    arr = _square(a, "A")
    n = arr.shape[0]
    h = np.asarray(household_income, dtype=float).reshape(-1)
    c = np.asarray(household_consumption, dtype=float).reshape(-1)
    if h.size != n or c.size != n:
        raise InvestmentInputError(
            f"household_income and household_consumption need {n} entries; got {h.size}, {c.size}"
        )
    abar = np.zeros((n + 1, n + 1))
    abar[:n, :n] = arr
    abar[:n, n] = c
    abar[n, :n] = h
    return np.asarray(leontief_inverse(abar))


def income_multipliers(
    a: ArrayOrFrame,
    household_income: Sequence[float] | np.ndarray,
    household_consumption: Sequence[float] | np.ndarray,
) -> pd.DataFrame:
    """Household income multipliers, simple and total, Type I and Type II.

    Returns
    -------
    pandas.DataFrame
        Per sector: ``direct`` (``h_j``), ``simple`` (``h' L``), ``total`` (household row of
        the closed inverse), ``type_i`` = ``simple / direct`` and ``type_ii`` = ``total / direct``.
        The ratio ``type_ii / type_i`` is the same for every sector (Miller and Blair 2009,
        section 6.2.2).

    References
    ----------
    Miller and Blair (2009), section 6.2.2, eqs. 6.6–6.10.
    """
    arr = _square(a, "A")
    n = arr.shape[0]
    h = np.asarray(household_income, dtype=float).reshape(-1)
    lo = np.asarray(leontief_inverse(arr))
    lbar = closed_leontief_inverse(arr, h, household_consumption)
    simple = h @ lo
    total = lbar[n, :n]
    idx = a.columns if isinstance(a, pd.DataFrame) else pd.RangeIndex(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(h > 0, simple / np.where(h > 0, h, 1.0), np.nan)
        t2 = np.where(h > 0, total / np.where(h > 0, h, 1.0), np.nan)
    return pd.DataFrame(
        {"direct": h, "simple": simple, "total": total, "type_i": t1, "type_ii": t2}, index=idx
    )


# --------------------------------------------------------------------------------------------
# BEA Use/Make tables
# --------------------------------------------------------------------------------------------
def _is_total(label: object) -> bool:
    return str(label).strip().lower().startswith("total")


def read_bea_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """A BEA-layout table (``row_code``, ``row_name``, one column per code) as a numeric matrix.

    Parameters
    ----------
    table : pandas.DataFrame
        With a ``row_code`` column (becomes the index), an optional ``row_name`` column
        (dropped) and one numeric column per code.  Empty cells (blank strings, ``None``,
        NaN) and BEA's ``"..."`` (zero or not shown) become 0.

    Returns
    -------
    pandas.DataFrame
        Indexed by row code, columns the codes as strings, float values.

    Raises
    ------
    InvestmentInputError
        If any other cell is not a number, e.g. BEA's ``"(D)"`` (suppressed to avoid
        disclosure): such a cell is not 0, and reading it as 0 would bias the coefficients.
        The message names the cells (row code, column code, value).
    """
    if "row_code" not in table.columns:
        raise InvestmentInputError(
            "table needs a 'row_code' column (BEA layout); columns are "
            f"{list(table.columns)[:5]}..."
        )
    out = table.drop(columns=[c for c in ("row_name",) if c in table.columns]).copy()
    out["row_code"] = out["row_code"].astype(str).str.strip()
    out = out.set_index("row_code")
    out.columns = [str(c).strip() for c in out.columns]
    num = out.apply(pd.to_numeric, errors="coerce")
    ri, ci = np.nonzero((num.isna() & out.notna()).to_numpy())
    raw = out.to_numpy()
    rows, cols = list(out.index), list(out.columns)
    bad = [
        (rows[r], cols[c], raw[r, c])
        for r, c in zip(ri, ci, strict=True)
        if str(raw[r, c]).strip() not in ("", "...")
    ]
    if bad:
        cells = ", ".join(f"(row {r!s}, column {c!s}) = {v!r}" for r, c, v in bad[:5])
        more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
        raise InvestmentInputError(
            f"table cells {cells}{more} are not numbers; allowed a number, '...' or an empty "
            "cell (read as 0)"
        )
    return num.fillna(0.0).astype(float)


def _as_matrix(table: pd.DataFrame) -> pd.DataFrame:
    numeric = all(pd.api.types.is_numeric_dtype(t) for t in table.dtypes)
    if "row_code" not in table.columns and numeric:
        return table.astype(float)  # already indexed by code
    return read_bea_matrix(table)


def _use_make_blocks(
    use: pd.DataFrame, make: pd.DataFrame
) -> tuple[list[str], list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    u, v = _as_matrix(use), _as_matrix(make)
    industries = [str(c) for c in v.index if not _is_total(c)]
    commodities = [str(c) for c in v.columns if not _is_total(c)]
    if not industries or not commodities:
        raise InvestmentInputError("make table has no industry rows or no commodity columns")
    missing_cols = [c for c in industries if c not in u.columns]
    if missing_cols:
        raise InvestmentInputError(
            f"use table lacks industry columns {missing_cols[:5]} that are rows of the make table"
        )
    missing_rows = [c for c in commodities if c not in u.index]
    if missing_rows:
        raise InvestmentInputError(
            f"use table lacks commodity rows {missing_rows[:5]} that are columns of the make table"
        )
    umat = u.loc[commodities, industries].to_numpy()
    vmat = v.loc[industries, commodities].to_numpy()
    # Industry output g: the Use row "Total Industry Output" if present, else Make row sums.
    g_rows = [r for r in u.index if str(r).strip().lower() == "total industry output"]
    g = u.loc[g_rows[0], industries].to_numpy(dtype=float) if g_rows else vmat.sum(axis=1)
    # Commodity output q: the Make row "Total Commodity Output" if present, else column sums.
    q_rows = [r for r in v.index if str(r).strip().lower() == "total commodity output"]
    q = v.loc[q_rows[0], commodities].to_numpy(dtype=float) if q_rows else vmat.sum(axis=0)
    if np.any(g < 0):
        bad = industries[int(np.argmin(g))]
        raise InvestmentInputError(f"industry output for {bad} = {g.min():g} must be >= 0")
    return industries, commodities, umat, vmat, g, q


def _safe_div_cols(m: np.ndarray, d: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(d > 0, m / np.where(d > 0, d, 1.0), 0.0)


def industry_direct_requirements(use: pd.DataFrame, make: pd.DataFrame) -> pd.DataFrame:
    """Industry-by-industry direct requirements ``D B`` (industry-technology assumption).

    Parameters
    ----------
    use, make : pandas.DataFrame
        As for :func:`industry_total_requirements`.

    Returns
    -------
    pandas.DataFrame
        Input from row industry per dollar of output of column industry.

    References
    ----------
    Miller and Blair (2009), section 5.3.2; Horowitz and Planting (2009), ch. 12.
    """
    industries, _, umat, vmat, g, q = _use_make_blocks(use, make)
    b = _safe_div_cols(umat, g)
    d = _safe_div_cols(vmat, q)
    return pd.DataFrame(
        d @ b,
        index=pd.Index(industries, name="row_code"),
        columns=pd.Index(industries, name="column_code"),
    )


def industry_total_requirements(use: pd.DataFrame, make: pd.DataFrame) -> pd.DataFrame:
    """BEA industry-by-industry total requirements from a Use and a Make table.

    Implements BEA's industry-technology method: ``B = U diag(g)^-1`` (commodity inputs
    per dollar of industry output), ``D = V diag(q)^-1`` (market shares) and
    ``TR = (I - D B)^-1``.  Every commodity column of the Make table is used, including
    BEA's ``Used`` (scrap, used and secondhand goods) and ``Other`` (noncomparable imports
    and rest-of-world adjustment) as ordinary commodities, without a scrap adjustment;
    this is what reproduces BEA's published table.

    Parameters
    ----------
    use : pandas.DataFrame
        Use table, commodities by industries, in BEA layout (``row_code``, ``row_name``,
        one column per code).  Rows that are not Make-table commodities (value added, totals)
        and columns that are not Make-table industries (final demand, totals) are ignored.
        Industry output ``g`` is its ``Total Industry Output`` row when present, else the row
        sums of the Make table.
    make : pandas.DataFrame
        Make table, industries by commodities, same layout.  Rows and columns whose code
        starts with ``Total`` are recognised as totals.  Commodity output ``q`` is its
        ``Total Commodity Output`` row when present, else the column sums.

    Returns
    -------
    pandas.DataFrame
        Industry-by-industry total requirements (output of the row industry per dollar of
        final demand for the column industry), indexed by industry code on both axes.

    Notes
    -----
    With BEA's 2018 summary tables (1997–2020 release, after redefinitions, producers'
    prices) this reproduces BEA's published "Industry-by-Industry Total Requirements, After
    Redefinitions – Summary" to 2.9e-5 (max absolute difference; the published coefficients
    are rounded to 1e-6 and the Use and Make tables to $1 million).

    References
    ----------
    Horowitz, K. J. and Planting, M. A. (2009). *Concepts and Methods of the U.S.
    Input-Output Accounts*, ch. 12. U.S. BEA.
    Miller and Blair (2009), section 5.3 (industry-technology assumption), eq. 5.20.
    """
    industries, _, umat, vmat, g, q = _use_make_blocks(use, make)
    b = _safe_div_cols(umat, g)
    d = _safe_div_cols(vmat, q)
    n = len(industries)
    tr = np.linalg.solve(np.eye(n) - d @ b, np.eye(n))
    return pd.DataFrame(
        tr,
        index=pd.Index(industries, name="row_code"),
        columns=pd.Index(industries, name="column_code"),
    )


def domestic_shares(
    output: Any,
    imports: Any,
    exports: Any = 0.0,
    inventory_change: Any = 0.0,
    *,
    names: Sequence[str] | None = None,
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Domestic share ``1 - mu_i`` of every use of each product (import proportionality).

    ``mu_i = M_i / (q_i + M_i - X_i - dS_i)``: imports over domestic supply, where domestic
    supply is domestic output plus imports less exports less the change in inventories (BEA
    FAQ 453).  Under the import-proportionality assumption every user (industries and
    households alike) buys the same imported share ``mu_i`` of product ``i``; exports and
    inventory change are domestic output.

    Parameters
    ----------
    output, imports : (n,) array
        Domestic output ``q`` and imports ``M`` (positive numbers) by product, same money units.
    exports, inventory_change : (n,) array or float, default 0
        Exports ``X`` and change in inventories ``dS`` by product.
    names : sequence of str, optional
        Product codes, for the notes.

    Returns
    -------
    share : (n,) ndarray
        ``1 - mu``, in [0, 1].
    notes : tuple of str
        One note per product whose ratio fell outside [0, 1] and was bounded, with the values:
        negative imports (BEA records some re-exports and margins adjustments as negative
        imports) or a ratio below 0 give ``mu = 0`` (all domestic); a ratio above 1 (imports
        larger than domestic supply, e.g. BEA's noncomparable imports ``Other``) gives
        ``mu = 1`` (all imported); a non-positive domestic supply (exports larger than output
        plus imports, e.g. BEA's used goods ``Used`` in 2018) gives imports over total supply,
        ``M / (q + M)``.

    References
    ----------
    U.S. BEA, FAQ 453 (import matrices); Horowitz and Planting (2009), ch. 4 and 12.
    """
    q = np.asarray(output, dtype=float).reshape(-1)
    n = q.size
    m = np.broadcast_to(np.asarray(imports, dtype=float), (n,)).astype(float)
    x = np.broadcast_to(np.asarray(exports, dtype=float), (n,)).astype(float)
    ds = np.broadcast_to(np.asarray(inventory_change, dtype=float), (n,)).astype(float)
    for key, arr in (("output", q), ("imports", m), ("exports", x), ("inventory_change", ds)):
        if not np.all(np.isfinite(arr)):
            raise InvestmentInputError(f"{key} contains non-finite values")
    labels = list(names) if names is not None else [str(i) for i in range(n)]
    supply = q + m - x - ds
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = np.where(supply > 0, m / np.where(supply > 0, supply, 1.0), np.nan)
    notes = []
    out = mu.copy()
    for i in range(n):
        if m[i] == 0:
            out[i] = 0.0
            continue
        if not np.isfinite(mu[i]):
            # no domestic supply net of exports: imports over total supply q + M instead
            tot = q[i] + m[i]
            out[i] = min(max(m[i] / tot, 0.0), 1.0) if tot > 0 else float(m[i] > 0)
        elif mu[i] < 0:
            out[i] = 0.0
        elif mu[i] > 1:
            out[i] = 1.0
        else:
            continue
        what = (
            "imports over total supply (output + imports)"
            if not np.isfinite(mu[i])
            else ("all imported" if out[i] == 1 else "all domestic")
        )
        notes.append(
            f"import share of product {labels[i]}: imports {m[i]:,.0f} over domestic supply "
            f"{supply[i]:,.0f} (output {q[i]:,.0f} + imports - exports {x[i]:,.0f} - inventory "
            f"change {ds[i]:,.0f}) is outside [0, 1]; set to {out[i]:.4g} ({what})"
        )
    return 1.0 - out, tuple(notes)


def bea_import_shares(
    use: pd.DataFrame, make: pd.DataFrame
) -> tuple[pd.Series, tuple[str, ...]]:
    """Imported share ``mu_i`` of every use of each commodity of a BEA Use table.

    Imports are minus the Use column ``F050`` (BEA records imports as negative final uses),
    exports ``F040``, change in private inventories ``F030`` (0 if absent), domestic output
    ``q`` the Make table's ``Total Commodity Output`` row (else its column sums); see
    :func:`domestic_shares` for the formula and the bounds.

    Returns
    -------
    (pandas.Series, tuple of str)
        ``mu`` by commodity code (every commodity column of the Make table) and the notes of
        :func:`domestic_shares`.
    """
    u = _as_matrix(use)
    _, commodities, _, _, _, q = _use_make_blocks(use, make)
    missing = [c for c in ("F040", "F050") if c not in u.columns]
    if missing:
        raise InvestmentInputError(
            f"use table lacks the final-demand columns {missing} (F040 exports, F050 imports); "
            "they are needed to remove imports (or use industry_total_requirements for BEA's "
            "total requirements)"
        )
    def col(code: str) -> Any:
        return u.loc[commodities, code].to_numpy(dtype=float) if code in u.columns else 0.0

    dom, notes = domestic_shares(q, -col("F050"), col("F040"), col("F030"), names=commodities)
    mu = pd.Series(1.0 - dom, index=pd.Index(commodities, name="row_code"), name="import_share")
    return mu, notes


def _domestic_inputs(b: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """``B - diag(mu) max(B, 0)``: the imported share removed from purchases only.

    Negative use entries (BEA records an industry's sales of scrap and used goods as negative
    use of ``Used``) are sales, not purchases, and have no imported part; they are kept.
    """
    return b - mu[:, None] * np.maximum(b, 0.0)


def industry_domestic_requirements(use: pd.DataFrame, make: pd.DataFrame) -> pd.DataFrame:
    """Industry-by-industry *domestic* direct requirements ``D diag(1 - mu) B``.

    As :func:`industry_direct_requirements` with the imported part of every commodity input
    removed in proportion (:func:`bea_import_shares`): the domestic output of the row
    industry bought per dollar of output of the column industry.  Negative use entries
    (sales of scrap and used goods, recorded by BEA as negative use) are sales and are kept
    as they are.

    References
    ----------
    Miller and Blair (2009), section 5.3.2; BEA FAQ 453 (import proportionality).
    """
    industries, _, umat, vmat, g, q = _use_make_blocks(use, make)
    mu, _ = bea_import_shares(use, make)
    b = _domestic_inputs(_safe_div_cols(umat, g), mu.to_numpy())
    d = _safe_div_cols(vmat, q)
    return pd.DataFrame(
        d @ b,
        index=pd.Index(industries, name="row_code"),
        columns=pd.Index(industries, name="column_code"),
    )


def industry_domestic_total_requirements(use: pd.DataFrame, make: pd.DataFrame) -> pd.DataFrame:
    """Industry-by-industry *domestic* total requirements ``(I - D diag(1 - mu) B)^-1``.

    The Leontief inverse of :func:`industry_domestic_requirements`: domestic output of the row
    industry per dollar of final demand for the domestic output of the column industry.  Every
    entry is at most the corresponding entry of BEA's (total) requirements
    (:func:`industry_total_requirements`), which count imported inputs as if they were
    produced at home.

    References
    ----------
    Miller and Blair (2009), sections 2.3 and 5.3; BEA FAQ 453 (import proportionality).
    """
    a = industry_domestic_requirements(use, make)
    n = a.shape[0]
    return pd.DataFrame(
        np.linalg.solve(np.eye(n) - a.to_numpy(), np.eye(n)), index=a.index, columns=a.columns
    )


_GOV_PATHS: dict[str, tuple[str, ...]] = {
    "Domestic industries > Government > Federal > General government": ("GFGD", "GFGN"),
    "Domestic industries > Government > Federal > Government enterprises": ("GFE",),
    "Domestic industries > Government > State and local > General government": ("GSLG",),
    "Domestic industries > Government > State and local > Government enterprises": ("GSLE",),
}


def nipa_fte_by_io_code(
    nipa: pd.DataFrame, year: int, compensation: pd.Series, measure: str = "fte_employees"
) -> pd.Series:
    """NIPA employment by BEA summary I-O industry code.

    Lowest-level NIPA industries with an ``io_code`` map one to one.  NIPA lines that
    cover several I-O codes (real estate ``HS+ORE``; federal general government, which
    NIPA splits civilian/military rather than defense/nondefense) are split in proportion
    to the I-O compensation of employees (``V001``) of the codes they cover.  Government
    enterprises and state and local general government map by their NIPA path.

    Parameters
    ----------
    nipa : pandas.DataFrame
        Tidy NIPA Section 6 table with columns ``measure, line, nipa_path, io_code, year,
        value`` (thousands of persons).
    year : int
        Year to take.
    compensation : pandas.Series
        Compensation of employees by I-O code (any money unit), used for the splits.
    measure : str, default ``"fte_employees"``
        NIPA measure (Table 6.5D full-time equivalents by default).

    Returns
    -------
    pandas.Series
        Persons (not thousands) by I-O code.
    """
    need = {"measure", "nipa_path", "io_code", "year", "value"}
    if not need.issubset(nipa.columns):
        raise InvestmentInputError(f"nipa table needs columns {sorted(need)}")
    rows = nipa[(nipa["measure"] == measure) & (nipa["year"] == year)]
    if rows.empty:
        raise InvestmentInputError(
            f"year = {year!r} / measure = {measure!r} not found in the NIPA table "
            f"(years {int(nipa['year'].min())}–{int(nipa['year'].max())})"
        )
    out: dict[str, float] = {}

    def _split(codes: Sequence[str], value: float) -> None:
        w = np.array([max(float(compensation.get(c, 0.0)), 0.0) for c in codes])
        w = w / w.sum() if w.sum() > 0 else np.full(len(codes), 1.0 / len(codes))
        for c, wi in zip(codes, w, strict=True):
            out[c] = out.get(c, 0.0) + value * wi

    for _, r in rows.iterrows():
        value = float(r["value"]) * 1000.0
        code = r["io_code"]
        if isinstance(code, str) and code:
            _split(code.split("+"), value)
        elif r["nipa_path"] in _GOV_PATHS:
            _split(_GOV_PATHS[r["nipa_path"]], value)
    return pd.Series(out, name=measure, dtype=float)


# --------------------------------------------------------------------------------------------
# IOModel
# --------------------------------------------------------------------------------------------
def _vec(
    values: Any, sectors: Sequence[str], name: str, default: float | None = None
) -> np.ndarray:
    if values is None:
        if default is None:
            raise InvestmentInputError(f"{name} is required")
        return np.full(len(sectors), default)
    if isinstance(values, Mapping | pd.Series):
        s = pd.Series(values, dtype=float)
        missing = [c for c in sectors if c not in s.index]
        if missing:
            if default is None:
                raise InvestmentInputError(f"{name} lacks sectors {missing[:5]}")
            s = s.reindex(list(sectors), fill_value=default)
        return s.reindex(list(sectors)).to_numpy(dtype=float)
    arr = np.asarray(values, dtype=float).reshape(-1)
    if arr.size != len(sectors):
        raise InvestmentInputError(
            f"{name} has {arr.size} entries; the model has {len(sectors)} sectors"
        )
    return arr


def _household_demand(io: Any, label: Any) -> np.ndarray:
    """Household final demand by (region, sector) row from a pymrio-like ``io.Y``."""
    y = getattr(io, "Y", None)
    if y is None:
        raise InvestmentInputError("household_demand given but io.Y is missing")
    cols = y.columns
    try:
        if isinstance(label, tuple) or not isinstance(cols, pd.MultiIndex):
            col = y[label]
        else:
            col = y.xs(label, axis=1, level=-1)
    except KeyError:
        allowed = (
            sorted({str(c) for c in cols.get_level_values(-1)})
            if isinstance(cols, pd.MultiIndex)
            else [str(c) for c in cols]
        )
        raise InvestmentInputError(
            f"household_demand = {label!r} is not a column (or final-demand category) of "
            f"io.Y; allowed: {allowed[:10]}"
        ) from None
    arr = np.asarray(col, dtype=float)
    return (arr if arr.ndim == 1 else arr.sum(axis=1)).reshape(-1)


@dataclass(frozen=True, eq=False)
class IOModel:
    """A single-region input–output model with the extensions a care simulation needs.

    Attributes
    ----------
    sectors : tuple of str
        Sector codes, in matrix order.
    names : tuple of str
        Sector names.
    A : ndarray (n, n)
        Technical coefficients (dimensionless).
    L : ndarray (n, n)
        Leontief inverse ``(I - A)^-1``.
    output : ndarray (n,)
        Base-year output, money units.
    employment : ndarray (n,)
        Jobs per money unit of output (``e``), in ``employment_unit`` (full-time equivalents
        for BEA: NIPA Table 6.5D; the simulation's direct jobs are FTE too).
    compensation : ndarray (n,)
        Compensation of employees per money unit of output (``w``), employer social
        contributions included.
    consumption_shares : ndarray (n,)
        Sector shares of household consumption spending (sum to 1).
    female_share : ndarray (n,)
        Women's share of jobs in each sector (``nan`` where unknown).
    currency : str
        Currency code.
    money_unit : float
        Currency units per money unit of ``output`` (1e6 for $ million).
    employment_unit : str
        What a job is (e.g. ``"FTE"`` or ``"persons"``).
    provenance : str
        Where the numbers come from.
    notes : tuple of str
        What was changed or dropped when the model was built (e.g. negative household
        consumption set to 0, or import shares bounded to [0, 1] by :meth:`from_bea`, with the
        amounts).
    persons_per_fte : ndarray (n,)
        Persons employed per unit of ``employment`` in each sector (headcount of full- and
        part-time jobs per full-time equivalent; BEA: NIPA Table 6.4D over 6.5D).  The
        simulation converts jobs to persons with it for the employment-rate effects and the
        benefit savings (which are per person).  1 when ``employment`` is already in persons.
    requirements : str
        How imports are treated: ``"domestic"`` (imported inputs and imported household
        consumption removed, import proportionality), ``"total"`` (imports counted as domestic
        output, as in BEA's published total requirements) or ``"as given"`` (the coefficients
        were passed in; what they contain is the caller's statement, see ``provenance``).
    """

    sectors: tuple[str, ...]
    names: tuple[str, ...]
    A: np.ndarray = field(repr=False)
    L: np.ndarray = field(repr=False)
    output: np.ndarray = field(repr=False)
    employment: np.ndarray = field(repr=False)
    compensation: np.ndarray = field(repr=False)
    consumption_shares: np.ndarray = field(repr=False)
    female_share: np.ndarray = field(repr=False)
    currency: str = "XCU"
    money_unit: float = 1.0
    employment_unit: str = "jobs"
    provenance: str = ""
    notes: tuple[str, ...] = ()
    persons_per_fte: np.ndarray = field(default_factory=lambda: np.ones(0), repr=False)
    requirements: str = "as given"

    def __post_init__(self) -> None:
        if np.size(self.persons_per_fte) == 0:
            object.__setattr__(self, "persons_per_fte", np.ones(len(self.sectors)))

    # ---------------------------------------------------------------- constructors
    @classmethod
    def from_coefficients(
        cls,
        A: ArrayOrFrame,
        *,
        sectors: Sequence[str] | None = None,
        names: Sequence[str] | None = None,
        output: Any = None,
        employment: Any = None,
        compensation: Any = None,
        consumption_shares: Any = None,
        female_share: Any = None,
        currency: str = "XCU",
        money_unit: float = 1.0,
        employment_unit: str = "jobs",
        provenance: str = "",
        persons_per_fte: Any = None,
        requirements: str = "as given",
    ) -> IOModel:
        """Build from technical coefficients and coefficient vectors.

        ``employment`` and ``compensation`` are per money unit of output; ``consumption_shares``
        must sum to 1 (defaults to output shares); ``female_share`` entries in [0, 1];
        ``persons_per_fte`` (persons per unit of employment, default 1) >= 1e-3;
        ``requirements`` says whether ``A`` is domestic (see the class attributes).
        """
        a = _square(A, "A")
        n = a.shape[0]
        if sectors is None:
            sectors = (
                [str(c) for c in A.columns]
                if isinstance(A, pd.DataFrame)
                else [f"S{i + 1}" for i in range(n)]
            )
        sectors = tuple(str(s) for s in sectors)
        if len(sectors) != n or len(set(sectors)) != n:
            raise InvestmentInputError(f"sectors must be {n} unique codes; got {sectors}")
        names_t = tuple(names) if names is not None else sectors
        # Small negative coefficients occur in real tables (BEA's scrap row); they are kept.
        if np.any(a.sum(axis=0) >= 1.0):
            j = int(np.argmax(a.sum(axis=0)))
            raise InvestmentInputError(
                f"column sum of A for sector {sectors[j]} = {a.sum(axis=0)[j]:g}; allowed < 1"
            )
        x = _vec(output, sectors, "output", default=np.nan)
        e = _vec(employment, sectors, "employment", default=0.0)
        w = _vec(compensation, sectors, "compensation", default=0.0)
        g = _vec(female_share, sectors, "female_share", default=np.nan)
        if np.any(e < 0):
            raise InvestmentInputError(f"employment coefficients must be >= 0; min {e.min():g}")
        if np.any((w < 0) | (w > 1)):
            raise InvestmentInputError(
                "compensation per unit of output must be in [0, 1]; got range "
                f"[{w.min():g}, {w.max():g}]"
            )
        if np.any((g < 0) | (g > 1)):
            raise InvestmentInputError("female_share entries must be in [0, 1]")
        ppf = _vec(persons_per_fte, sectors, "persons_per_fte", default=1.0)
        if not np.all(np.isfinite(ppf)) or np.any(ppf < 1e-3):
            raise InvestmentInputError(
                "persons_per_fte must be finite and >= 0.001 (persons employed per unit of "
                f"employment); got range [{np.nanmin(ppf):g}, {np.nanmax(ppf):g}]"
            )
        if requirements not in ("domestic", "total", "as given"):
            raise InvestmentInputError(
                f"requirements = {requirements!r}; allowed 'domestic', 'total' or 'as given'"
            )
        if consumption_shares is None:
            s = np.where(np.isfinite(x), x, 0.0)
            s = s / s.sum() if s.sum() > 0 else np.full(n, 1.0 / n)
        else:
            s = _vec(consumption_shares, sectors, "consumption_shares", default=0.0)
            if np.any(s < 0) or abs(s.sum() - 1.0) > 1e-6:
                raise InvestmentInputError(
                    f"consumption_shares sum to {s.sum():.6g} (min {s.min():.3g}); they must be "
                    ">= 0 and sum to 1"
                )
        lo = np.asarray(leontief_inverse(a))
        return cls(
            sectors,
            names_t,
            a,
            lo,
            x,
            e,
            w,
            s,
            g,
            currency,
            float(money_unit),
            employment_unit,
            provenance,
            (),
            ppf,
            requirements,
        )

    @classmethod
    def from_flows(
        cls,
        flows: ArrayOrFrame,
        output: Any,
        *,
        employment: Any = None,
        compensation: Any = None,
        household_consumption: Any = None,
        female_share: Any = None,
        sectors: Sequence[str] | None = None,
        names: Sequence[str] | None = None,
        currency: str = "XCU",
        money_unit: float = 1.0,
        employment_unit: str = "jobs",
        provenance: str = "",
        imports: Any = None,
        exports: Any = None,
        inventory_change: Any = None,
        persons_per_fte: Any = None,
    ) -> IOModel:
        """Build from interindustry flows and totals.

        Parameters
        ----------
        flows : (n, n)
            Interindustry flows, money units.  Without ``imports`` they are taken as flows of
            domestic output (``requirements = "as given"``: the caller states that the table
            is domestic, or accepts that imported inputs count as domestic output).
        output : (n,)
            Sector output, money units.
        employment : (n,), optional
            Jobs in each sector (converted to jobs per money unit).
        compensation : (n,), optional
            Compensation of employees by sector, money units.
        household_consumption : (n,), optional
            Household final consumption by sector, money units (normalised to shares).
        female_share : (n,), optional
            Women's share of jobs by sector.
        imports, exports, inventory_change : (n,), optional
            Imports (positive), exports and change in inventories by product of a table whose
            flows and household consumption include imports (a total-use table).  With
            ``imports`` the imported share ``mu_i`` (:func:`domestic_shares`) is removed from
            every positive flow of row ``i`` and from household consumption (import
            proportionality), and ``requirements = "domestic"``.
        persons_per_fte : (n,), optional
            Persons employed per unit of ``employment`` (default 1).
        """
        z = _square(flows, "flows")
        sec0 = (
            tuple(sectors)
            if sectors is not None
            else tuple(str(c) for c in flows.columns)
            if isinstance(flows, pd.DataFrame)
            else tuple(f"S{i + 1}" for i in range(z.shape[0]))
        )
        requirements = "as given"
        notes: tuple[str, ...] = ()
        dom = np.ones(z.shape[0])
        if imports is not None:
            zeros = np.zeros(z.shape[0])
            dom, notes = domestic_shares(
                _vec(output, sec0, "output"),
                _vec(imports, sec0, "imports"),
                _vec(exports, sec0, "exports") if exports is not None else zeros,
                _vec(inventory_change, sec0, "inventory_change")
                if inventory_change is not None
                else zeros,
                names=sec0,
            )
            z = _domestic_inputs(z, 1.0 - dom)
            requirements = "domestic"
            if isinstance(flows, pd.DataFrame):
                flows = pd.DataFrame(z, index=flows.index, columns=flows.columns)
            else:
                flows = z
        a = technical_coefficients(flows, np.asarray(output, dtype=float).reshape(-1))
        if sectors is None and isinstance(flows, pd.DataFrame):
            sectors = [str(c) for c in flows.columns]
        sec = (
            tuple(sectors)
            if sectors is not None
            else tuple(f"S{i + 1}" for i in range(np.asarray(a).shape[0]))
        )
        x = _vec(output, sec, "output")
        e = (
            _per_unit_of_output(_vec(employment, sec, "employment"), x, "employment")
            if employment is not None
            else None
        )
        w = (
            _per_unit_of_output(_vec(compensation, sec, "compensation"), x, "compensation")
            if compensation is not None
            else None
        )
        s = None
        if household_consumption is not None:
            hc = _vec(household_consumption, sec, "household_consumption")
            if np.any(hc < 0) or hc.sum() <= 0:
                raise InvestmentInputError(
                    "household_consumption must be >= 0 with a positive total"
                )
            hc = hc * dom  # domestic purchases only (all of it without imports)
            if hc.sum() <= 0:
                raise InvestmentInputError(
                    "household_consumption of domestic output is 0 after removing imports"
                )
            s = hc / hc.sum()
        model = cls.from_coefficients(
            np.asarray(a),
            sectors=sec,
            names=names,
            output=x,
            employment=e,
            compensation=w,
            consumption_shares=s,
            female_share=female_share,
            currency=currency,
            money_unit=money_unit,
            employment_unit=employment_unit,
            provenance=provenance,
            persons_per_fte=persons_per_fte,
            requirements=requirements,
        )
        return replace(model, notes=notes)

    @classmethod
    def from_pymrio(
        cls,
        io: Any,
        *,
        employment: tuple[str, Any],
        compensation: tuple[str, Any] | None = None,
        household_demand: Any = None,
        female_share: Any = None,
        currency: str = "XCU",
        money_unit: float = 1.0,
        employment_unit: str = "jobs",
    ) -> IOModel:
        """Build from a ``pymrio.IOSystem`` (duck-typed; pymrio is not imported).

        Uses ``io.A`` (technical coefficients, DataFrame with (region, sector) labels) and
        ``io.x`` (output).  Extensions are looked up by attribute name and row label: their
        coefficient matrix ``S`` is used when present, otherwise ``F`` divided by output.

        Parameters
        ----------
        io : pymrio.IOSystem or any object with ``A``, ``x`` and extension attributes
        employment : (extension_name, row_label)
            E.g. ``("employment", "Employment: Low-skilled male")``; rows may be a list,
            which is summed.
        compensation : (extension_name, row_label), optional
            Compensation of employees (money per unit of output after division).
        household_demand : str or tuple, optional
            Household final consumption in ``io.Y``.  A string is a final-demand category
            (pymrio's ``Y`` has (region, category) columns, e.g. ``"Final consumption
            expenditure by households"``): ``Y.xs(label, axis=1, level=-1)`` summed over the
            regions.  A tuple is one full column label, e.g. ``("DE", "Final consumption
            expenditure by households")``.
        female_share : (n,), optional
            Women's share of jobs by (flattened) sector label.

        Notes
        -----
        Multi-regional labels are flattened to ``"region/sector"``.
        """
        for attr in ("A", "x"):
            if getattr(io, attr, None) is None:
                raise InvestmentInputError(
                    f"io.{attr} is missing; call io.calc_all() (pymrio) before from_pymrio"
                )
        a_df = io.A
        x_obj = io.x
        x = np.asarray(x_obj, dtype=float).reshape(-1)
        labels = ["/".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in a_df.columns]

        def _ext_row(spec: tuple[str, Any], what: str) -> np.ndarray:
            name, row = spec
            ext = getattr(io, name, None)
            if ext is None:
                raise InvestmentInputError(f"{what}: io has no extension {name!r}")
            rows = row if isinstance(row, list) else [row]
            s_mat = getattr(ext, "S", None)
            if s_mat is not None:
                return np.asarray(s_mat.loc[rows].sum(axis=0), dtype=float).reshape(-1)
            f_mat = getattr(ext, "F", None)
            if f_mat is None:
                raise InvestmentInputError(f"{what}: extension {name!r} has neither S nor F")
            return _per_unit_of_output(
                np.asarray(f_mat.loc[rows].sum(axis=0), dtype=float), x, f"{what} ({name}.F)"
            )

        e = _ext_row(employment, "employment")
        w = _ext_row(compensation, "compensation") if compensation is not None else None
        s = None
        if household_demand is not None:
            hc = _household_demand(io, household_demand)
            if np.any(hc < 0) or hc.sum() <= 0:
                raise InvestmentInputError(
                    f"household_demand = {household_demand!r}: consumption must be >= 0 with "
                    f"a positive total; got total {hc.sum():g}, minimum {hc.min():g}"
                )
            s = hc / hc.sum()
        return cls.from_coefficients(
            np.asarray(a_df, dtype=float),
            sectors=labels,
            output=x,
            employment=e,
            compensation=w,
            consumption_shares=s,
            female_share=female_share,
            currency=currency,
            money_unit=money_unit,
            employment_unit=employment_unit,
            provenance="pymrio IOSystem",
        )

    @classmethod
    def from_bea(
        cls,
        folder: str | os.PathLike[str],
        year: int = 2018,
        *,
        employment_year: int | None = None,
        female_share: Any = None,
        domestic: bool = True,
    ) -> IOModel:
        """U.S. summary model from BEA Use/Make tables and NIPA employment.

        Parameters
        ----------
        folder : path
            Folder with BEA's summary files as described in ``io_bea/README.md``
            (``bea_summary_use_pro_afterredef_{year}.parquet``,
            ``bea_summary_make_afterredef_{year}.parquet`` and
            ``nipa_section6_employment_compensation_by_industry_1998_2018.parquet``).
        year : int, default 2018
            I-O table year.
        employment_year : int, optional
            NIPA year for full-time-equivalent employment (Table 6.5D); defaults to ``year``
            (the NIPA file ends in 2018, so 2019 tables need ``employment_year=2018``).
        female_share : (71,), optional
            Women's share of jobs by industry code (not in the BEA files).
        domestic : bool, default True
            Remove imports (import proportionality, :func:`bea_import_shares`): ``A = D B_d``
            with ``B_d`` the domestic commodity inputs, ``L`` the domestic total requirements
            (:func:`industry_domestic_total_requirements`), and consumption shares from the
            domestic part of PCE, ``(1 - mu) F010``.  ``False`` gives BEA's published total
            requirements (imports counted as if produced at home: for computers and
            electronics, 334, imports exceed domestic output), as before the fix.

        Returns
        -------
        IOModel
            ``A = D B_d`` (or ``D B``) and ``L = (I - A)^-1``; output in $ million
            (``money_unit = 1e6``); employment in FTE (NIPA Table 6.5D) per $ million;
            ``persons_per_fte`` = full- and part-time employees (Table 6.4D) per FTE employee
            (Table 6.5D) by industry; compensation ``V001`` per dollar of output; consumption
            shares = personal consumption expenditures (``F010``, domestic part) by commodity
            redistributed to industries with the market shares ``D``.  ``notes`` lists the
            import shares bounded to [0, 1] and industries whose redistributed PCE is negative
            and was set to 0, with the amounts.

        Notes
        -----
        NIPA's persons engaged in production (Table 6.8D) are FTE employees *plus* the
        self-employed, not a headcount, so they are not used to convert FTE to persons;
        Table 6.4D counts jobs (a person with two jobs counts twice), a small overstatement of
        persons (see ``docs/methods.md`` section 4.2).

        BEA's PCE of the commodity ``Other`` (noncomparable imports and the rest-of-world
        adjustment) is negative (-$83.2 billion in 2018, -$72.8 billion in 2019) and is
        made entirely by federal nondefense general government (``GFGN``) in the Make
        table, so ``D @ PCE`` is negative for GFGN.  It is not a purchase of domestic output,
        so GFGN's consumption share is set to 0 (the other shares are renormalised) and the
        amount is recorded in ``IOModel.notes``.

        References
        ----------
        Horowitz and Planting (2009); NIPA Tables 6.4D and 6.5D (BEA); BEA FAQ 453.
        """
        root = Path(folder)
        use_raw = pd.read_parquet(root / f"bea_summary_use_pro_afterredef_{year}.parquet")
        make_raw = pd.read_parquet(root / f"bea_summary_make_afterredef_{year}.parquet")
        nipa = pd.read_parquet(
            root / "nipa_section6_employment_compensation_by_industry_1998_2018.parquet"
        )
        u = read_bea_matrix(use_raw)
        industries, commodities, umat, vmat, g, q = _use_make_blocks(use_raw, make_raw)
        b = _safe_div_cols(umat, g)
        d = _safe_div_cols(vmat, q)
        pce = u.loc[commodities, "F010"].to_numpy(dtype=float)
        import_notes: tuple[str, ...] = ()
        if domestic:
            mu, import_notes = bea_import_shares(use_raw, make_raw)
            b = _domestic_inputs(b, mu.to_numpy())
            pce = pce - mu.to_numpy() * np.maximum(pce, 0.0)
        a = d @ b
        comp = pd.Series(u.loc["V001", industries].to_numpy(dtype=float), index=industries)
        emp_year = employment_year or year
        fte = nipa_fte_by_io_code(nipa, emp_year, comp)
        fte = fte.reindex(industries).fillna(0.0)
        heads = nipa_fte_by_io_code(nipa, emp_year, comp, "full_and_part_time_employees")
        heads = heads.reindex(industries).fillna(0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            ppf = np.where(fte > 0, heads / np.where(fte > 0, fte, 1.0), 1.0)
        cons = d @ pce
        negative = np.nonzero(cons < 0)[0]
        notes = import_notes + tuple(
            f"household consumption (PCE, F010) of industry {industries[k]} = "
            f"{cons[k] / 1e3:,.1f} $ billion is negative and was set to 0 in the consumption "
            "shares (PCE of noncomparable imports and the rest-of-world adjustment, commodity "
            "'Other', made by this industry: not domestic output)"
            for k in negative
        )
        cons = np.where(cons < 0, 0.0, cons)
        kind = "domestic requirements (imports removed, import proportionality)" if domestic else (
            "total requirements (imports counted as domestic output)"
        )
        names_map = dict(
            zip(use_raw["row_code"].astype(str), use_raw["row_name"].astype(str), strict=False)
        )
        model = cls.from_coefficients(
            a,
            sectors=industries,
            names=[names_map.get(c, c) for c in industries],
            output=g,
            employment=fte.to_numpy() / g,
            compensation=comp.to_numpy() / g,
            consumption_shares=cons / cons.sum(),
            female_share=female_share,
            currency="USD",
            money_unit=1e6,
            employment_unit="FTE",
            provenance=(
                f"BEA summary Use/Make after redefinitions {year} (1997–2020 release), {kind}; "
                f"NIPA Tables 6.5D FTE and 6.4D full- and part-time employees {emp_year} "
                "(published 2019-07-30)"
            ),
            persons_per_fte=ppf,
            requirements="domestic" if domestic else "total",
        )
        return replace(model, notes=notes)

    # ---------------------------------------------------------------- accessors
    @property
    def n(self) -> int:
        """Number of sectors."""
        return len(self.sectors)

    def index_of(self, sector: str) -> int:
        """Position of ``sector`` in the model.

        Raises
        ------
        InvestmentInputError
            If ``sector`` is not a sector code: the message names the closest code (by code or
            by sector name, e.g. ``'construction'`` -> ``'CON'``) and lists the codes.
        """
        try:
            return self.sectors.index(str(sector))
        except ValueError:
            close = self.closest_sector(str(sector))
            hint = ""
            if close is not None:
                name = self.names[self.sectors.index(close)]
                hint = f" (did you mean {close!r}" + (f", {name}?)" if name != close else "?)")
            shown = ", ".join(self.sectors[:80]) + (", ..." if self.n > 80 else "")
            raise InvestmentInputError(
                f"sector = {sector!r} is not in the model{hint}; allowed sector codes: {shown}"
            ) from None

    def closest_sector(self, text: str) -> str | None:
        """The sector code closest to ``text`` by code or by name (``difflib``), or None."""
        import difflib

        key = text.strip().lower()
        candidates: dict[str, str] = {}
        for code, name in zip(self.sectors, self.names, strict=True):
            candidates.setdefault(code.lower(), code)
            candidates.setdefault(name.lower(), code)
        for cand, code in candidates.items():  # a code or name that starts with the text
            if key and cand.startswith(key) and len(key) >= 3:
                return code
        match = difflib.get_close_matches(key, list(candidates), n=1, cutoff=0.6)
        return candidates[match[0]] if match else None

    def with_female_share(self, female_share: Any) -> IOModel:
        """Copy with women's employment shares replaced (mapping by sector code or array)."""
        g = _vec(female_share, self.sectors, "female_share", default=np.nan)
        if np.any((g < 0) | (g > 1)):
            raise InvestmentInputError("female_share entries must be in [0, 1]")
        return replace(self, female_share=g)

    def input_structure(self, sector: str) -> np.ndarray:
        """Intermediate purchases of ``sector`` by supplying sector, normalised to sum to 1."""
        j = self.index_of(sector)
        col = self.A[:, j]
        if col.sum() <= 0:
            raise InvestmentInputError(f"sector {sector!r} buys no intermediate inputs in A")
        return col / col.sum()

    def _household_coefficients(
        self,
        labour_tax_rate: float,
        employer_contribution_rate: float,
        propensity_to_consume: float,
        indirect_tax_rate: float,
        lost_benefit_per_person: float = 0.0,
    ) -> tuple[np.ndarray, np.ndarray]:
        """``h = w (1 - t) / (1 + r) - b_u p e / unit`` and ``c = (1 - v) m s``.

        ``b_u`` is the unemployment benefit lost per person taking a new job (share from
        unemployment times the benefit, currency), ``p`` persons per FTE: household income
        per unit of output is the net gain, net earnings minus the benefits withdrawn.
        """
        for key, value, high in (
            ("labour_tax_rate", labour_tax_rate, 1.0),
            ("employer_contribution_rate", employer_contribution_rate, 2.0),
            ("propensity_to_consume", propensity_to_consume, 1.0),
            ("indirect_tax_rate", indirect_tax_rate, 1.0),
        ):
            check_range(value, key, low=0.0, high=high)
        check_range(lost_benefit_per_person, "lost_benefit_per_person", low=0.0, high=np.inf)
        h = self.compensation * (1.0 - labour_tax_rate) / (1.0 + employer_contribution_rate)
        h = h - lost_benefit_per_person / self.money_unit * self.persons
        c = (1.0 - indirect_tax_rate) * propensity_to_consume * self.consumption_shares
        return h, c

    @property
    def persons(self) -> np.ndarray:
        """Persons employed per money unit of output, ``employment * persons_per_fte``."""
        return self.employment * self.persons_per_fte

    def multipliers(
        self,
        *,
        labour_tax_rate: float = 0.0,
        employer_contribution_rate: float = 0.0,
        propensity_to_consume: float | None = None,
        indirect_tax_rate: float = 0.0,
        lost_benefit_per_person: float = 0.0,
    ) -> pd.DataFrame:
        """Output and employment multipliers for every sector.

        Type I multipliers come from the open model.  Type II multipliers are returned only
        when ``propensity_to_consume`` is given: they close the model with household income
        per unit of output ``h = w (1 - t) / (1 + r)`` (``w`` compensation coefficient,
        ``t`` labour tax rate, ``r`` employer contribution rate) and household consumption
        coefficients ``c = (1 - v) m s`` (``m`` propensity to consume disposable income on
        domestic output at purchasers' prices, ``v`` indirect tax rate on consumption,
        ``s`` consumption shares).  There is no default for ``m``: with ``m = 0`` Type II
        would silently equal Type I.  With ``lost_benefit_per_person`` the household income
        is the net gain, ``h - b_u p e / money_unit`` (people hired from unemployment lose
        their benefit; see :func:`carecost.investment.simulate`).

        Parameters
        ----------
        labour_tax_rate, employer_contribution_rate : float, default 0
            Shares of gross wages, in [0, 1] and [0, 2].
        propensity_to_consume : float, optional
            In [0, 1]; required for the Type II columns.
        indirect_tax_rate : float, default 0
            Indirect taxes as a share of consumption at purchasers' prices, in [0, 1].
        lost_benefit_per_person : float, default 0
            Unemployment benefit withdrawn per person taking a job (share from unemployment
            times the benefit), currency per year.

        Returns
        -------
        pandas.DataFrame
            Indexed by sector: ``name, output_multiplier, employment_coefficient,
            employment_multiplier`` (Type I, jobs per money unit of final demand),
            ``employment_type_i`` ratio and, with ``propensity_to_consume``,
            ``employment_multiplier_type_ii`` and ``employment_type_ii`` ratio.

        References
        ----------
        Miller and Blair (2009), sections 2.5 and 6.2.1–6.2.3.
        """
        em = employment_multipliers(self.L, self.employment)
        out = pd.DataFrame(
            {
                "name": self.names,
                "output_multiplier": self.L.sum(axis=0),
                "employment_coefficient": self.employment,
                "employment_multiplier": em["total"].to_numpy(),
                "employment_type_i": em["ratio"].to_numpy(),
            },
            index=pd.Index(self.sectors, name="sector"),
        )
        if propensity_to_consume is not None:
            h, c = self._household_coefficients(
                labour_tax_rate,
                employer_contribution_rate,
                propensity_to_consume,
                indirect_tax_rate,
                lost_benefit_per_person,
            )
            lbar = closed_leontief_inverse(self.A, h, c)
            em2 = employment_multipliers(lbar[: self.n, : self.n], self.employment)
            out["employment_multiplier_type_ii"] = em2["total"].to_numpy()
            out["employment_type_ii"] = em2["ratio"].to_numpy()
        return out

    def impact(
        self,
        demand: Mapping[str, float] | pd.Series,
        *,
        induced: Literal["none", "type_ii"] = "type_ii",
        labour_tax_rate: float = 0.0,
        employer_contribution_rate: float = 0.0,
        propensity_to_consume: float | None = None,
        indirect_tax_rate: float = 0.0,
        lost_benefit_per_person: float = 0.0,
    ) -> pd.DataFrame:
        """Output and jobs by sector caused by final demand ``demand`` (money units).

        Direct effects are the demand itself (output) and ``e_j f_j`` (jobs); indirect
        effects are ``L f - f``; induced effects are the extra output of the model closed
        with respect to households (Type II minus Type I), with ``h`` and ``c`` as in
        :meth:`multipliers`.

        Parameters
        ----------
        demand : mapping or Series
            Final demand by sector code, money units of the model.
        induced : {"type_ii", "none"}, default "type_ii"
            ``"type_ii"`` requires ``propensity_to_consume``.
        labour_tax_rate, employer_contribution_rate, propensity_to_consume, indirect_tax_rate
            As for :meth:`multipliers`.
        lost_benefit_per_person : float, default 0
            As for :meth:`multipliers`.

        Returns
        -------
        pandas.DataFrame
            Tidy: ``sector, effect (direct|indirect|induced), output, jobs, jobs_women,
            persons`` (jobs in ``employment_unit``; ``persons`` = jobs x ``persons_per_fte``).

        Raises
        ------
        InvestmentInputError
            If ``induced="type_ii"`` and ``propensity_to_consume`` is not given (Type II
            would silently equal Type I), or a rate is out of range.

        References
        ----------
        Miller and Blair (2009), sections 2.3 and 2.5.
        """
        if induced not in ("none", "type_ii"):
            raise InvestmentInputError(f"induced = {induced!r}; allowed 'none' or 'type_ii'")
        if induced == "type_ii" and propensity_to_consume is None:
            raise InvestmentInputError(
                "induced = 'type_ii' needs propensity_to_consume (share of disposable income "
                "spent on domestic output, allowed range [0, 1]); pass it, or induced='none'"
            )
        f = _vec(dict(demand), self.sectors, "demand", default=0.0)
        x1 = self.L @ f
        parts = {"direct": f, "indirect": x1 - f}
        if induced == "type_ii":
            assert propensity_to_consume is not None
            h, c = self._household_coefficients(
                labour_tax_rate,
                employer_contribution_rate,
                propensity_to_consume,
                indirect_tax_rate,
                lost_benefit_per_person,
            )
            lbar = closed_leontief_inverse(self.A, h, c)
            x2 = lbar[: self.n, : self.n] @ f
            parts["induced"] = x2 - x1
        frames = []
        for eff, x in parts.items():
            jobs = self.employment * x
            frames.append(
                pd.DataFrame(
                    {
                        "sector": self.sectors,
                        "effect": eff,
                        "output": x,
                        "jobs": jobs,
                        "jobs_women": jobs * self.female_share,
                        "persons": jobs * self.persons_per_fte,
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)
