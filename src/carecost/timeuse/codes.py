"""Activity code systems and their crosswalks to ICATUS 2016.

A diary's activity codes are only meaningful in the classification they were
coded in: ATUS code 030101 ("physical care for household children"), MTUS
main activity 28 ("physical, medical child care") and HETUS 2008 code 381
("physical care and supervision of a child") are the same activity.  Every
survey therefore states its ``code_system``, and ICATUS 2016 major divisions
(hence SDG 5.4.1) are derived only through a crosswalk for that system:

- ``"atus"``: ATUS activity lexicon, 6 digits (``atus_to_icatus2016.csv``);
- ``"mtus69"``: MTUS / IPUMS-MTUS 69 main activities, codes 1-69
  (``mtus_to_icatus2016.csv``);
- ``"hetus2008"``: HETUS 2008 activity coding list (ACL), 3 digits, e.g.
  011 sleep, 381 childcare (``hetus2008_to_icatus2016.csv``);
- ``"icatus2016"``: codes that already are ICATUS 2016 codes (1-4 digits);
- a user :class:`~carecost.timeuse.Crosswalk` whose targets are ICATUS 2016
  codes (``kind="recode"``), for any other classification.

Codes that match no rule of the declared system are counted; when most of a
file's minutes or distinct codes are unknown to the system, the codes were
declared in the wrong system and reading stops with an error (never an
indicator of 0%).  Sources of the shipped crosswalks: ``data/SOURCES.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from .classification import DATA, ClassificationError, Crosswalk, _code_str

CODE_SYSTEMS: dict[str, tuple[str, int, str]] = {
    "atus": ("atus_to_icatus2016.csv", 6, "ATUS activity lexicon (6 digits)"),
    "mtus69": ("mtus_to_icatus2016.csv", 2, "MTUS 69 main activities (codes 1-69)"),
    "hetus2008": ("hetus2008_to_icatus2016.csv", 3, "HETUS 2008 activity coding list (3 digits)"),
}
ICATUS_SYSTEM = "icatus2016"
KNOWN = (*CODE_SYSTEMS, ICATUS_SYSTEM)
UNKNOWN_SHARE_LIMIT = 0.5
"""More than this share of minutes, or of distinct codes, unknown to the declared system is an
error: the codes are not in that system."""

HOW_TO_CROSSWALK = (
    "supply a crosswalk from your codes to ICATUS 2016: a CSV with columns prefix,icatus "
    "read with Crosswalk.from_csv(path, target='icatus', include=None, kind='recode', "
    "code_width=<digits of your codes>), passed as code_system=<that Crosswalk>; or pass "
    "icatus=False to classify with your own crosswalk= only (no SDG 5.4.1 columns)")


@lru_cache(maxsize=8)
def _shipped(system: str) -> Crosswalk:
    fname, width, label = CODE_SYSTEMS[system]
    with resources.as_file(DATA / fname) as p:
        return Crosswalk.from_csv(p, target="icatus", include=None, kind="recode",
                                  code_width=width, name=f"{label} to ICATUS 2016")


def icatus_crosswalk(code_system: str = "atus") -> Crosswalk:
    """The shipped crosswalk from a code system to ICATUS 2016 codes.

    Parameters
    ----------
    code_system
        ``"atus"`` (default), ``"mtus69"`` or ``"hetus2008"``.
    """
    if code_system not in CODE_SYSTEMS:
        raise ClassificationError(
            f"no shipped ICATUS 2016 crosswalk for code_system={code_system!r}; shipped: "
            f"{sorted(CODE_SYSTEMS)} (and 'icatus2016' for codes that already are ICATUS)")
    return _shipped(code_system)


@lru_cache(maxsize=1)
def _icatus_codes() -> frozenset[str]:
    with resources.as_file(DATA / "icatus2016.csv") as p:
        return frozenset(pd.read_csv(p, dtype={"code": str})["code"])


def _icatus_text(codes: pd.Series) -> np.ndarray:
    """ICATUS codes as text without padding (they never start with 0)."""
    s = pd.Series(codes)
    if s.isna().any():
        raise ClassificationError(f"{int(s.isna().sum())} activity codes are missing")
    if pd.api.types.is_numeric_dtype(s.dtype):
        v = s.to_numpy(dtype=float)
        if ((v != np.round(v)) | (v < 0)).any():
            raise ClassificationError("ICATUS codes must be whole non-negative numbers")
        return pd.Series(v.astype(np.int64)).astype(str).to_numpy()
    return s.astype(str).str.strip().to_numpy()


@dataclass(frozen=True)
class CodeSystem:
    """A resolved code system: its name and how it maps codes to ICATUS 2016.

    Attributes
    ----------
    name
        ``"atus"``, ``"mtus69"``, ``"hetus2008"``, ``"icatus2016"``, the user
        crosswalk's name, or any label of a system with no ICATUS mapping.
    crosswalk
        Codes to ICATUS 2016 codes (``None`` for ``"icatus2016"`` and for
        systems without a mapping).
    """

    name: str
    crosswalk: Crosswalk | None

    @property
    def maps_to_icatus(self) -> bool:
        return self.crosswalk is not None or self.name == ICATUS_SYSTEM

    def known(self, codes: pd.Series | np.ndarray) -> np.ndarray:
        """True for each code that belongs to the system (matches one of its rules)."""
        if self.name == ICATUS_SYSTEM:
            text = _icatus_text(pd.Series(codes))
            valid = _icatus_codes()
            return np.array([len(t) in (1, 2, 3, 4) and t.isdigit() and t[0] != "0"
                             and (t[:2] in valid if len(t) > 1 else t in valid)
                             for t in text], dtype=bool)
        if self.crosswalk is None:
            raise ClassificationError(f"code system {self.name!r} has no crosswalk to check "
                                      "codes against")
        cw = self.crosswalk
        arr = self.code_text(codes)
        uniq, inverse = np.unique(arr, return_inverse=True)
        hit = np.zeros(len(uniq), dtype=bool)
        for pre in cw.rules["prefix"]:
            hit |= np.char.startswith(uniq, pre)
        return hit[inverse.ravel()]

    def code_text(self, codes: pd.Series | np.ndarray) -> np.ndarray:
        """Codes as the system writes them (zero-padded digits; ICATUS unpadded)."""
        if self.name == ICATUS_SYSTEM:
            return _icatus_text(pd.Series(codes))
        assert self.crosswalk is not None
        try:
            return _code_str(pd.Series(codes), self.crosswalk.code_width).astype(str)
        except ClassificationError as err:
            raise ClassificationError(
                f"{err} for code_system={self.name!r} "
                f"({self.crosswalk.code_width}-digit codes); are the codes of another system? "
                f"shipped systems: {list(KNOWN)}") from err

    def icatus(self, codes: pd.Series | np.ndarray) -> np.ndarray:
        """ICATUS 2016 code of each activity code (``None`` where there is none)."""
        if self.name == ICATUS_SYSTEM:
            text = _icatus_text(pd.Series(codes))
            out = text.astype(object)
            out[~self.known(codes)] = None
            return out
        if self.crosswalk is None:
            raise ClassificationError(
                f"code_system={self.name!r} has no mapping to ICATUS 2016; " + HOW_TO_CROSSWALK)
        return self.crosswalk.recode(codes).to_numpy()

    def check(self, codes: pd.Series | np.ndarray, minutes: np.ndarray) -> pd.DataFrame:
        """Codes unknown to the system (code, rows, minutes); an error when most are.

        Raises
        ------
        ClassificationError
            More than half of the minutes or of the distinct codes are not
            codes of this system.
        """
        text = self.code_text(codes)
        known = self.known(codes)
        mins = np.asarray(minutes, dtype=float)
        unknown = pd.DataFrame({"code": text[~known], "minutes": mins[~known]})
        table = (unknown.groupby("code").agg(rows=("code", "size"), minutes=("minutes", "sum"))
                 .reset_index())
        total = float(mins.sum())
        share_min = float(mins[~known].sum()) / total if total > 0 else 0.0
        n_codes = len(np.unique(text))
        share_codes = len(table) / n_codes if n_codes else 0.0
        if share_min > UNKNOWN_SHARE_LIMIT or share_codes > UNKNOWN_SHARE_LIMIT:
            raise ClassificationError(
                f"the activity codes do not look like code_system={self.name!r}: "
                f"{len(table)} of {n_codes} distinct codes ({100 * share_codes:.0f}%) and "
                f"{100 * share_min:.0f}% of the minutes match no code of that system "
                f"(first: {table['code'].head(5).tolist()}). Declare the system the codes are "
                f"in (code_system= one of {list(KNOWN)}) or " + HOW_TO_CROSSWALK)
        return table


def resolve(code_system: str | Crosswalk, *, icatus: bool) -> CodeSystem:
    """The :class:`CodeSystem` for a ``code_system=`` argument.

    Raises
    ------
    ClassificationError
        A system without an ICATUS mapping when ``icatus=True`` (the message
        says how to supply a crosswalk), or a user crosswalk whose targets
        are not ICATUS 2016 codes.
    """
    if isinstance(code_system, Crosswalk):
        bad = [t for t in code_system.targets if t not in _icatus_codes()]
        if bad:
            raise ClassificationError(
                f"code_system crosswalk {code_system.name!r}: targets must be ICATUS 2016 codes "
                f"(see carecost.timeuse.icatus2016()); not ICATUS: {bad[:5]}")
        if code_system.kind != "recode":
            raise ClassificationError(
                f"code_system crosswalk {code_system.name!r} must give one ICATUS code per "
                "activity code: read it with kind='recode'")
        return CodeSystem(name=code_system.name, crosswalk=code_system)
    if not isinstance(code_system, str) or not code_system:
        raise ClassificationError(f"code_system must be a name or a Crosswalk; got "
                                  f"{code_system!r}")
    name = code_system.strip().lower()
    if name in CODE_SYSTEMS:
        return CodeSystem(name=name, crosswalk=icatus_crosswalk(name))
    if name == ICATUS_SYSTEM:
        return CodeSystem(name=name, crosswalk=None)
    if icatus:
        raise ClassificationError(
            f"code_system={code_system!r} is not one carecost ships a crosswalk for "
            f"({list(KNOWN)}), so its codes cannot be mapped to ICATUS 2016 (SDG 5.4.1): "
            + HOW_TO_CROSSWALK)
    return CodeSystem(name=code_system, crosswalk=None)
