"""Activity classifications and prefix crosswalks (ATUS lexicon -> BLS Table 1, ICATUS 2016).

A crosswalk is a table of rules ``(target, prefix, include)``.  For each
target, a source code belongs to it when the *longest* of the target's
prefixes that the code starts with has ``include = true``; so
``("Household activities", "02", true)`` and
``("Household activities", "020903", false)`` put every 02xxxx code except
020903 in Household activities.  Targets may overlap (a sub-row such as
"Housework" and its parent "Household activities"), so one code can belong
to several targets, and minutes are conserved within each target level.

The shipped crosswalks are described, with their sources, in
``carecost/timeuse/data/SOURCES.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from carecost.errors import CarecostInputError

DATA = resources.files("carecost.timeuse") / "data"


class ClassificationError(CarecostInputError):
    """A crosswalk or activity code that cannot be used as given."""


def _code_str(codes: pd.Series | np.ndarray, width: int) -> np.ndarray:
    """Activity codes as zero-padded strings of ``width`` digits.

    ATUS code 030101 arrives as the integer 30101, as the float 30101.0 (Stata
    and SPSS files, or a CSV column with a missing value) or as the text
    "30101"; all become "030101".  A non-integral number, a negative number, a
    code with non-digit characters or more than ``width`` digits is an error:
    it would otherwise match the wrong prefix silently.
    """
    s = pd.Series(codes)
    if s.isna().any():
        raise ClassificationError(f"{int(s.isna().sum())} activity codes are missing")
    if pd.api.types.is_bool_dtype(s.dtype):
        raise ClassificationError("activity codes are booleans; expected numeric codes")
    if pd.api.types.is_numeric_dtype(s.dtype):
        v = s.to_numpy(dtype=float)
        bad = (v != np.round(v)) | (v < 0)
        if bad.any():
            raise ClassificationError(
                f"{int(bad.sum())} activity codes are not whole non-negative numbers "
                f"(first: {s[bad].head(3).tolist()})")
        text = pd.Series(v.astype(np.int64), index=s.index).astype(str)
    else:
        text = s.astype(str).str.strip()
        bad = ~text.str.fullmatch(r"\d+")
        if bad.any():
            raise ClassificationError(
                f"{int(bad.sum())} activity codes are not digit strings "
                f"(first: {text[bad].head(3).tolist()})")
    long = text.str.len() > width
    if long.any():
        raise ClassificationError(
            f"{int(long.sum())} activity codes have more than {width} digits "
            f"(first: {text[long].head(3).tolist()})")
    return text.str.zfill(width).to_numpy()


@dataclass(frozen=True)
class Crosswalk:
    """Prefix rules mapping source activity codes to target categories.

    Attributes
    ----------
    rules
        Columns ``target``, ``prefix`` (str), ``include`` (bool), and
        optionally ``parent`` and ``notes``.
    name
        A label used in messages and results.
    code_width
        Digits of the source codes (6 for the ATUS lexicon).
    """

    rules: pd.DataFrame
    name: str
    code_width: int = 6
    kind: str = "overlapping"
    """``"overlapping"``: longest prefix per target (targets may nest);
    ``"recode"``: one target per code, the global longest prefix wins."""

    @classmethod
    def from_csv(
        cls, path: str | Path, *, target: str = "target", prefix: str = "prefix",
        include: str | None = "include", name: str | None = None, code_width: int = 6,
        kind: str = "overlapping",
    ) -> Crosswalk:
        """Read a user crosswalk: a CSV with a source-code prefix and a target column.

        Without an ``include`` column every rule includes.  Prefixes are
        read as text, so leading zeros are kept.
        """
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in (target, prefix):
            if col not in df.columns:
                raise ClassificationError(
                    f"crosswalk {path}: column {col!r} not found (columns: {list(df.columns)})"
                )
        rules = pd.DataFrame({"target": df[target].str.strip(), "prefix": df[prefix].str.strip()})
        if include and include in df.columns:
            inc = df[include].str.strip().str.lower()
            bad = ~inc.isin(["true", "false", "1", "0", "yes", "no"])
            if bad.any():
                raise ClassificationError(
                    f"crosswalk {path}: column {include!r} has non-boolean values "
                    f"{sorted(inc[bad].unique())[:5]} in rows {list(np.flatnonzero(bad)[:5] + 2)}"
                )
            rules["include"] = inc.isin(["true", "1", "yes"])
        else:
            rules["include"] = True
        if "parent_row" in df.columns:
            rules["parent"] = df["parent_row"]
        empty = rules["prefix"] == ""
        if empty.any():
            raise ClassificationError(
                f"crosswalk {path}: empty prefix in rows {list(np.flatnonzero(empty) + 2)}"
            )
        # an empty target is an explicit "belongs to no category" rule
        rules.loc[rules["target"] == "", "include"] = False
        nondigit = ~rules["prefix"].str.fullmatch(r"\d+")
        if nondigit.any():
            raise ClassificationError(
                f"crosswalk {path}: prefixes must be digits; got "
                f"{list(rules['prefix'][nondigit])[:5]}"
            )
        if kind not in ("overlapping", "recode"):
            raise ClassificationError(f"kind must be 'overlapping' or 'recode'; got {kind!r}")
        return cls(rules=rules, name=name or Path(path).stem, code_width=code_width, kind=kind)

    @property
    def targets(self) -> list[str]:
        """Target categories in the order they first appear."""
        return [t for t in dict.fromkeys(self.rules["target"]) if t != ""]

    def membership(self, codes: pd.Series | np.ndarray) -> pd.DataFrame:
        """Boolean table: one row per distinct code, one column per target.

        The loop runs over the distinct codes of the lexicon (hundreds), never
        over diary rows.
        """
        uniq = pd.unique(_code_str(pd.Series(codes).dropna(), self.code_width))
        out = pd.DataFrame(False, index=pd.Index(uniq, name="code"), columns=self.targets)
        if self.kind == "recode":
            rec = self.recode(uniq)
            for name in self.targets:
                out[name] = (rec == name).to_numpy()
            return out
        for tgt, rules in self.rules[self.rules["target"] != ""].groupby("target", sort=False):
            best_len = np.full(len(uniq), -1)
            best_inc = np.zeros(len(uniq), dtype=bool)
            for pre, inc in zip(rules["prefix"], rules["include"], strict=True):
                hit = np.char.startswith(uniq.astype(str), pre) & (len(pre) > best_len)
                best_len = np.where(hit, len(pre), best_len)
                best_inc = np.where(hit, bool(inc), best_inc)
            out[tgt] = best_inc
        return out

    def recode(self, codes: pd.Series | np.ndarray) -> pd.Series:
        """Target of each code by the globally longest matching prefix (NaN if none)."""
        arr = _code_str(pd.Series(codes), self.code_width).astype(str)
        uniq, inverse = np.unique(arr, return_inverse=True)  # rules run on distinct codes only
        best_len = np.full(len(uniq), -1)
        best = np.full(len(uniq), None, dtype=object)
        for pre, tgt, inc in zip(self.rules["prefix"], self.rules["target"],
                                 self.rules["include"], strict=True):
            hit = np.char.startswith(uniq, pre) & (len(pre) > best_len)
            best_len = np.where(hit, len(pre), best_len)
            best = np.where(hit, np.asarray(tgt if inc else None, dtype=object), best)
        return pd.Series(best[inverse.ravel()], index=pd.Index(arr, name="code"), name="target")

    def unmapped(self, codes: pd.Series | np.ndarray, minutes: np.ndarray | None = None
                 ) -> pd.DataFrame:
        """Codes that belong to no target, with their row counts (and minutes)."""
        s = pd.Series(_code_str(pd.Series(codes), self.code_width))
        mem = self.membership(s)
        none = mem.index[~mem.any(axis=1)]
        mask = s.isin(none)
        df = pd.DataFrame({"code": s[mask]})
        if minutes is not None:
            df["minutes"] = np.asarray(minutes)[mask.to_numpy()]
            return (df.groupby("code").agg(rows=("code", "size"), minutes=("minutes", "sum"))
                    .reset_index())
        return df.groupby("code").size().rename("rows").reset_index()

    def aggregate(
        self, episodes: pd.DataFrame, *, id_col: str, code_col: str, minutes_col: str,
        ids: pd.Index | None = None,
    ) -> pd.DataFrame:
        """Minutes per person and target (persons with no minutes in a target get 0).

        Parameters
        ----------
        episodes
            One row per episode or per person x code.
        ids
            All person ids (so persons with no episodes in a target, or none at
            all, appear with 0); default: the ids in ``episodes``.
        """
        codes = _code_str(episodes[code_col], self.code_width)
        mem = self.membership(codes)
        targets = mem.columns
        pos = mem.index.get_indexer(pd.Index(codes))
        minutes = episodes[minutes_col].to_numpy(dtype=float)
        person = pd.Index(ids) if ids is not None else pd.Index(pd.unique(episodes[id_col]))
        pidx = person.get_indexer(pd.Index(episodes[id_col]))
        if np.any(pidx < 0):
            raise ClassificationError(
                f"{int((pidx < 0).sum())} episode rows have ids not in the person list"
            )
        m = mem.to_numpy()
        out = np.zeros((len(person), len(targets)))
        rows_of = m[pos]  # (episodes x targets) booleans
        for j in range(len(targets)):  # loop over targets (tens), vectorised over rows
            sel = rows_of[:, j]
            out[:, j] = np.bincount(pidx[sel], weights=minutes[sel], minlength=len(person))
        return pd.DataFrame(out, index=person, columns=targets)


def bls_table1_crosswalk() -> Crosswalk:
    """ATUS activity lexicon (2003–2016 multi-year codes) to BLS ATUS Table 1 rows."""
    with resources.as_file(DATA / "atus_to_bls_table1.csv") as p:
        return Crosswalk.from_csv(p, target="row", name="ATUS to BLS Table 1")


BLS_TABLE9_ROWS = (
    "Primary childcare", "Physical care", "Education-related activities",
    "Reading to/with children", "Talking to/with children",
    "Playing/doing hobbies with children", "Looking after children",
    "Attending children's events", "Travel related to care of household children",
    "Other childcare activities",
)
"""The rows of BLS ATUS Table 9 (time spent caring for household children under 18), in
order; ``"Primary childcare"`` is the table's total (childcare as a main activity, with
its travel)."""


def bls_table9_crosswalk() -> Crosswalk:
    """ATUS lexicon to the BLS Table 1 rows **and** the childcare rows of BLS Table 9.

    Read the ATUS with it (``read_atus(path, crosswalk=bls_table9_crosswalk())``) to
    get a minutes-per-day column for each of :data:`BLS_TABLE9_ROWS` besides the Table 1
    rows; :func:`carecost.timeuse.bls_table9` needs them.  The nine activity rows
    partition ``"Primary childcare"`` (ATUS 0301, 0302, 0303 and their travel 180381;
    rules in ``data/atus_to_bls_table9.csv``).
    """
    t1 = bls_table1_crosswalk()
    with resources.as_file(DATA / "atus_to_bls_table9.csv") as p:
        t9 = Crosswalk.from_csv(p, target="row", name="ATUS to BLS Table 9")
    rules = pd.concat([t1.rules, t9.rules], ignore_index=True)
    return Crosswalk(rules=rules, name="ATUS to BLS Tables 1 and 9", code_width=6)


def icatus_crosswalk(code_system: str = "atus") -> Crosswalk:
    """A shipped crosswalk to ICATUS 2016 codes (built by carecost; see SOURCES.md).

    Parameters
    ----------
    code_system
        ``"atus"`` (ATUS lexicon, default), ``"mtus69"`` (MTUS 69 main
        activities) or ``"hetus2008"`` (HETUS 2008 ACL).
    """
    from .codes import icatus_crosswalk as shipped

    return shipped(code_system)


def icatus2016() -> pd.DataFrame:
    """The ICATUS 2016 hierarchy shipped with carecost (UN Statistical Papers M No. 98)."""
    with resources.as_file(DATA / "icatus2016.csv") as p:
        return pd.read_csv(p, dtype={"code": str, "parent": str})


def bls_table1_rows() -> pd.DataFrame:
    """Table 1 rows with their parent rows, in crosswalk order."""
    cw = bls_table1_crosswalk()
    parents = cw.rules.groupby("target", sort=False)["parent"].first().fillna("")
    return pd.DataFrame({"activity": parents.index, "parent": parents.to_numpy()})
