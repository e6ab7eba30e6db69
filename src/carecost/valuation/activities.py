"""Activity groups of unpaid work and their market substitutes.

An :class:`ActivityMap` says which time-use columns make up each activity
group (minutes or hours per day), which market occupation would do the work
(an occupation key of a :class:`~carecost.valuation.WageTable`, with its
ISCO-08 unit group), and whether that occupation is a true market substitute
(the hybrid method uses the specialist wage only then).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import numpy as np
import pandas as pd

from carecost.timeuse import Crosswalk, bls_table1_crosswalk

from ._common import DATA, ValuationError, require_columns

TimeUnit = Literal["minutes", "hours"]


@dataclass(frozen=True)
class ActivityMap:
    """Activity groups -> time-use columns -> market occupations.

    Attributes
    ----------
    table
        One row per activity group: ``group`` (unique label), ``columns``
        (tuple of time-use column names summed into the group),
        ``occupation`` (wage-table key, or None when no occupation is named),
        ``market_substitute`` (bool: the hybrid method uses the specialist
        wage), and optional ``isco08``, ``isco08_title``, ``notes``.
    unit
        Unit of the time-use columns, per person per day: ``"minutes"``
        (ATUS) or ``"hours"``.
    """

    table: pd.DataFrame
    unit: TimeUnit = "minutes"

    def __post_init__(self) -> None:
        t = self.table
        for col in ("group", "columns", "occupation", "market_substitute"):
            if col not in t.columns:
                raise ValuationError(f"ActivityMap: the table needs a {col!r} column")
        t = t.reset_index(drop=True).copy()
        t["occupation"] = pd.Series(
            [None if o is None or (isinstance(o, float) and np.isnan(o)) or o == "" else str(o)
             for o in t["occupation"]], dtype=object)
        t["market_substitute"] = pd.Series([bool(x) for x in t["market_substitute"]],
                                           dtype=bool)
        object.__setattr__(self, "table", t)
        if t.empty:
            raise ValuationError("ActivityMap: no activity groups")
        dup = t["group"][t["group"].duplicated()].tolist()
        if dup:
            raise ValuationError(f"ActivityMap: activity groups {dup} appear more than once")
        for g, cols in zip(t["group"], t["columns"], strict=True):
            if not isinstance(cols, tuple) or not cols or not all(isinstance(c, str) for c in cols):
                raise ValuationError(
                    f"ActivityMap: group {g!r} needs a non-empty tuple of column names; "
                    f"got {cols!r}"
                )
        bad = [g for g, o, s in zip(t["group"], t["occupation"], t["market_substitute"],
                                    strict=True) if bool(s) and o is None]
        if bad:
            raise ValuationError(
                f"ActivityMap: groups {bad} are marked as having a market substitute but name "
                "no occupation"
            )
        if self.unit not in ("minutes", "hours"):
            raise ValuationError(
                f"ActivityMap: unit must be 'minutes' or 'hours'; got {self.unit!r}"
            )

    # ------------------------------------------------------------ builders
    @classmethod
    def from_records(
        cls, records: Iterable[Mapping[str, object]], unit: TimeUnit = "minutes",
    ) -> ActivityMap:
        """Build from dicts with ``group``, ``columns`` (str or list) and optionally
        ``occupation``, ``market_substitute`` (default: an occupation is named),
        ``isco08``, ``isco08_title``, ``notes``.

        Examples
        --------
        >>> ActivityMap.from_records([
        ...     {"group": "cooking", "columns": "cook_min", "occupation": "cook"},
        ...     {"group": "shopping", "columns": ["shop_min"]},
        ... ])  # doctest: +SKIP
        """
        rows = []
        for i, r in enumerate(records):
            if "group" not in r or "columns" not in r:
                raise ValuationError(f"ActivityMap record {i}: needs 'group' and 'columns'")
            cols = r["columns"]
            cols_t = (cols,) if isinstance(cols, str) else tuple(cols)  # type: ignore[arg-type]
            occ = r.get("occupation")
            occ_s = None if occ is None or (isinstance(occ, float) and np.isnan(occ)) \
                or occ == "" else str(occ)
            ms = r.get("market_substitute")
            rows.append({
                "group": str(r["group"]), "columns": cols_t, "occupation": occ_s,
                "market_substitute": bool(occ_s is not None) if ms is None else bool(ms),
                "isco08": r.get("isco08"), "isco08_title": r.get("isco08_title"),
                "notes": r.get("notes", ""),
            })
        return cls(pd.DataFrame(rows), unit=unit)

    # ------------------------------------------------------------- access
    @property
    def groups(self) -> list[str]:
        return [str(g) for g in self.table["group"]]

    @property
    def occupations(self) -> list[str | None]:
        return list(self.table["occupation"])

    def subset(self, groups: Sequence[str]) -> ActivityMap:
        """Only ``groups`` (in the given order)."""
        unknown = [g for g in groups if g not in self.groups]
        if unknown:
            raise ValuationError(f"ActivityMap.subset: unknown groups {unknown}; "
                                 f"groups are {self.groups}")
        t = self.table.set_index("group").loc[list(groups)].reset_index()
        return ActivityMap(t, unit=self.unit)

    def with_occupations(self, occupations: Mapping[str, str | None]) -> ActivityMap:
        """A copy with the occupation of some groups replaced."""
        unknown = [g for g in occupations if g not in self.groups]
        if unknown:
            raise ValuationError(f"ActivityMap.with_occupations: unknown groups {unknown}")
        t = self.table.copy()
        for g, o in occupations.items():
            t.loc[t["group"] == g, "occupation"] = o
            if o is None:
                t.loc[t["group"] == g, "market_substitute"] = False
        return ActivityMap(t, unit=self.unit)

    def hours(self, data: pd.DataFrame, rows: np.ndarray | None = None) -> np.ndarray:
        """Hours per person per day in each group, shape (persons, groups).

        Missing values and negative time are errors (naming the column,
        count and first row labels), checked on ``rows`` (a boolean mask;
        default: all rows).  Rows outside ``rows`` are set to 0 hours: they
        carry no weight in the (sub)design.
        """
        cols = [c for cs in self.table["columns"] for c in cs]
        require_columns(data, list(dict.fromkeys(cols)), "ActivityMap.hours")
        check = np.ones(len(data), dtype=bool) if rows is None else np.asarray(rows, dtype=bool)
        out = np.zeros((len(data), len(self.table)))
        for j, cs in enumerate(self.table["columns"]):
            for c in cs:
                s = data[c]
                if not pd.api.types.is_numeric_dtype(s.dtype):
                    raise ValuationError(f"time-use column {c!r} is not numeric ({s.dtype})")
                v = s.to_numpy(dtype=float, na_value=np.nan)
                nan = np.isnan(v) & check
                if nan.any():
                    raise ValuationError(
                        f"time-use column {c!r} has {int(nan.sum())} missing values among the "
                        f"persons valued (first rows {list(data.index[nan][:5])}); missing time "
                        "is not zero time: impute or drop those persons from the design first"
                    )
                neg = (v < 0) & check
                if neg.any():
                    raise ValuationError(
                        f"time-use column {c!r} has {int(neg.sum())} negative values (first rows "
                        f"{list(data.index[neg][:5])}); time cannot be negative"
                    )
                out[:, j] += np.where(check, v, 0.0)
        if self.unit == "minutes":
            out /= 60.0
        return out


# ------------------------------------------------------------------ shipped maps
def _read(name: str) -> pd.DataFrame:
    with (DATA / name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def atus_valuation_crosswalk(*, with_table1: bool = True) -> Crosswalk:
    """ATUS lexicon -> carecost's valuation activity groups (with BLS Table 1 rows).

    Pass it to :func:`carecost.timeuse.read_atus` (``crosswalk=``) to get one
    column of minutes per day per group.  The groups partition ICATUS 2016
    major divisions 3 and 4 as carecost's ATUS->ICATUS crosswalk assigns them
    (so their sum equals ``unpaid_care_work``), plus "Help to other
    households" (ATUS 04, ICATUS 51).  See ``data/SOURCES.md``.
    """
    with resources.as_file(DATA / "atus_valuation_groups.csv") as path:
        mine = Crosswalk.from_csv(path, target="target", prefix="prefix", include="include",
                                  name="ATUS to carecost valuation groups")
    if not with_table1:
        return mine
    t1 = bls_table1_crosswalk()
    clash = set(mine.targets) & set(t1.targets)
    if clash:  # pragma: no cover - shipped data
        raise ValuationError(f"valuation groups clash with Table 1 rows: {clash}")
    rules = pd.concat([t1.rules, mine.rules], ignore_index=True)
    return Crosswalk(rules=rules, name="ATUS to BLS Table 1 and carecost valuation groups")


def atus_activity_map(*, include_help_to_other_households: bool = False) -> ActivityMap:
    """The shipped ATUS activity map: 10 groups of unpaid household service work.

    Groups are columns made by :func:`atus_valuation_crosswalk`; each has a
    market occupation (ISCO-08 unit group, U.S. SOC 2018 code) and a flag
    for whether it is a market substitute (shopping and household travel are
    not: the hybrid method values them at the generalist wage).

    Parameters
    ----------
    include_help_to_other_households
        Add ATUS 04 (caring for and helping non-household members), which the
        UNECE (2017) own-use boundary leaves out.
    """
    t = _read("atus_activity_map.csv")
    if not include_help_to_other_households:
        t = t[t["core"] == "true"]
    recs = []
    for _, r in t.iterrows():
        recs.append({
            "group": r["group"], "columns": (r["group"],), "occupation": r["occupation"] or None,
            "market_substitute": r["market_substitute"] == "true", "isco08": r["isco08"],
            "isco08_title": r["isco08_title"], "notes": r["notes"],
        })
    return ActivityMap.from_records(recs, unit="minutes")


def atus_activity_table() -> pd.DataFrame:
    """The shipped ATUS activity map as documentation (with SOC 2018 codes and notes)."""
    return _read("atus_activity_map.csv")


def atus_wage_cells() -> dict[str, str]:
    """Occupation key -> cell of the abridged ATUS file (occupation x industry) for
    :func:`carecost.valuation.survey_wages`."""
    t = _read("atus_wage_cells.csv")
    return dict(zip(t["occupation"], t["query"], strict=True))
