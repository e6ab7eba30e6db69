"""Named data sets for briefs, the command line and the HTTP service.

A data set is registered under a short name (``"example"``, ``"atus2016"``)
with everything needed to load it and to value its unpaid work: the files
and their columns, the domains that may be asked for, and the wages.  Users
of the HTTP service name a registered data set; they never send a path.

The built-in ``"example"`` data set is the synthetic example survey of
:mod:`carecost.timeuse.example` with the synthetic wages of
``briefs/data/example_valuation.toml``.  Others are described by a TOML file
(see :func:`load_dataset_spec`), which only the operator of a server or the
user of the command line gives.

Data-set TOML
-------------
::

    [dataset]
    name = "nts2020"                 # lowercase letters, digits, '-' and '_'
    description = "National time-use survey 2020"
    source = "National Statistics Office (2021). Time-use survey 2020, microdata."
    kind = "episodes"                # "episodes", "persons" or "atus"
    persons = "persons.csv"          # paths relative to this file
    episodes = "episodes.csv"        # kind = "episodes"
    path = "atus_0316"               # kind = "atus": a folder of BLS or abridged files
    id = "id"
    code = "code"                    # ATUS lexicon codes (valuation groups need them)
    duration = "duration"
    weights = "weight"
    replicates = "^repw\\\\d{3}$"      # or strata = "...", psu = "..."
    method = "sdr"
    activities = ["care_min", "domestic_min"]   # kind = "persons": minute columns
    unpaid_care = ["care_min", "domestic_min"]  # kind = "persons": SDG 5.4.1 numerator
    domains = ["age_group", "urban"]

    [valuation]                      # optional: needed for value briefs
    currency = "USD"
    year = 2016
    weights = "person_days"          # ATUS weights sum to person-days
    generalist = "domestic_housekeeper"
    minimum_wage = 7.25
    minimum_wage_source = "..."
    wage_source = "..."
    gdp = 18.5656e12
    gdp_source = "..."
    population = 255.2e6             # optional: persons the survey stands for (e.g. aged 15+);
    population_source = "..."        # totals are then value per person x population
    wage_basis = "gross"             # the wages' basis: "gross", "net", "gross_plus_employer"
    employer_rate = 0.0765           # employer contributions / gross wage: replacement cost
    employer_rate_source = "..."     # values hours at the full labour cost (UNECE 2017, 5.3)
    [valuation.wages]                # currency per hour, by occupation key
    domestic_cleaner = 11.2
"""

from __future__ import annotations

import difflib
import logging
import re
import threading
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from carecost.limits import DATASET_REFERENCE, REFERENCE
from carecost.timeuse import TimeUseSurvey

from ._common import DatasetUnavailableError, input_errors
from .model import BriefError

__all__ = [
    "DATASET_KEYS",
    "DATASET_REFERENCE",
    "NAME_PATTERN",
    "REFERENCE",
    "VALUATION_KEYS",
    "DatasetKey",
    "DatasetRegistry",
    "DatasetSpec",
    "ValuationSpec",
    "check_dataset_keys",
    "check_name",
    "check_survey",
    "dataset_reference_markdown",
    "example_dataset",
    "load_dataset_spec",
]

log = logging.getLogger("carecost.briefs")

NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,39}$"
"""Data-set and scenario names: 1 to 40 lowercase letters, digits, '-' or '_'."""
_NAME = re.compile(NAME_PATTERN)
DatasetKind = Literal["example", "episodes", "persons", "atus"]
EXAMPLE_DOMAINS = ("age_group", "urban", "region", "youngest_child", "employed")


@dataclass(frozen=True)
class DatasetKey:
    """One key a data-set TOML file may hold.

    Attributes
    ----------
    name
        The key.
    kinds
        The ``dataset.kind`` values it applies to (empty: all).
    type
        What the value is ("text", "number", "list of text", "table").
    default
        The value used when the key is not given ("" when there is none; "required"
        when it must be given).
    description
        What it means, with its unit.
    """

    name: str
    kinds: tuple[str, ...]
    type: str
    default: str
    description: str


_DESIGN = ("episodes", "persons")
DATASET_KEYS: tuple[DatasetKey, ...] = (
    DatasetKey("name", (), "text", "the file name", "registered name: 1-40 lowercase letters, "
               "digits, '-' or '_', starting with a letter"),
    DatasetKey("description", (), "text", "", "what the data set is"),
    DatasetKey("source", (), "text", "the file name", "citation of the data"),
    DatasetKey("kind", (), "text", "required", "'episodes' (one row per diary episode), "
               "'persons' (one row per respondent with minute columns) or 'atus' (a folder "
               "of BLS ATUS files)"),
    DatasetKey("persons", _DESIGN, "text", "required", "person file (.csv, .parquet, .dta, "
               ".sav), relative to the data-set file"),
    DatasetKey("episodes", ("episodes",), "text", "required", "episode file, relative to the "
               "data-set file"),
    DatasetKey("path", ("atus",), "text", "required", "folder of official BLS ATUS files or "
               "the abridged Parquet files, relative to the data-set file"),
    DatasetKey("encoding", _DESIGN, "text", "utf-8", "text encoding of the person and episode "
               "files when they are CSV, Stata or SPSS files, e.g. 'cp1252' or 'latin-1' "
               "(default: UTF-8 for CSV, the file's own for Stata/SPSS; Parquet is always "
               "UTF-8)"),
    DatasetKey("sep", _DESIGN, "text", ",", "delimiter of the person and episode files that "
               "are CSV files, e.g. ';' or '\\t' (a tab)"),
    DatasetKey("id", _DESIGN, "text", "id", "respondent id column"),
    DatasetKey("code", ("episodes",), "text", "code", "activity code column (ATUS lexicon "
               "codes; valuation groups need them)"),
    DatasetKey("duration", ("episodes",), "text", "duration", "episode duration column "
               "(minutes)"),
    DatasetKey("crosswalk", ("episodes",), "text", "atus", "'atus' to classify ATUS lexicon "
               "codes (ICATUS 2016 and the valuation groups), 'none' for none"),
    DatasetKey("diary_policy", ("episodes",), "text", "report", "what to do with diaries "
               "that do not sum to 1,440 minutes: 'report' (use them and list them in the "
               "data report), 'error' (refuse the data set) or 'keep' (use them without a "
               "warning; the data report still lists them); such diaries are never dropped or "
               "rescaled"),
    DatasetKey("activities", ("persons",), "list of text", "required", "activity columns "
               "(time per person in the unit given by units)"),
    DatasetKey("units", ("persons",), "text", "required", "unit of the activity columns: "
               "'minutes_per_day', 'hours_per_day', 'hours_per_week' or 'minutes_per_week' "
               "(stylised surveys ask hours per week; converted to minutes per day, and a "
               "person whose total exceeds 24 hours is refused)"),
    DatasetKey("unpaid_care", ("persons",), "list of text", "", "columns that make up unpaid "
               "domestic and care work (the SDG 5.4.1 numerator)"),
    DatasetKey("weights", _DESIGN, "text", "weight", "survey weight column"),
    DatasetKey("strata", _DESIGN, "text", "", "stratum column of the design"),
    DatasetKey("psu", _DESIGN, "text", "", "primary sampling unit (cluster) column"),
    DatasetKey("fpc", _DESIGN, "text", "", "finite population correction column"),
    DatasetKey("replicates", _DESIGN, "text", "", "regular expression matching the replicate "
               "weight columns, e.g. '^repw\\d{3}$'"),
    DatasetKey("method", _DESIGN, "text", "sdr", "replicate method of the replicate weights"),
    DatasetKey("domains", (), "list of text", "[]", "columns that briefs and the service may "
               "break results down by"),
    DatasetKey("age", (), "text", "age", "age column in completed years (SDG 5.4.1 counts "
               "the ages given by sdg_population)"),
    DatasetKey("sdg_population", (), "text", "15+", "ages counted in SDG 5.4.1: '15+' (the "
               "UNSD definition), '18+', '15-64' or 'all' (no age restriction, e.g. for data "
               "without an age column; the brief says so)"),
    DatasetKey("sex", (), "text", "sex", "the sex column"),
    DatasetKey("female", (), "text", "female", "the code of women in the sex column"),
    DatasetKey("male", (), "text", "male", "the code of men in the sex column"),
)
"""Every key of a data-set file's ``[dataset]`` table (the single definition the loader checks
against and the reference page lists)."""

VALUATION_KEYS: tuple[DatasetKey, ...] = (
    DatasetKey("currency", (), "text", "required", "currency of the wages and GDP, e.g. 'USD'"),
    DatasetKey("year", (), "number", "required", "reference year of the wages and the "
               "valuation"),
    DatasetKey("wages", (), "table", "required", "[valuation.wages]: hourly wage (currency "
               "per hour) by occupation key"),
    DatasetKey("wage_source", (), "text", "", "citation of the wages"),
    DatasetKey("generalist", (), "text", "required", "occupation key whose wage is the "
               "generalist (and hybrid fallback) wage"),
    DatasetKey("minimum_wage", (), "number", "", "hourly minimum wage (currency per hour), "
               "for the ILO (2018) variant"),
    DatasetKey("minimum_wage_source", (), "text", "", "citation of the minimum wage"),
    DatasetKey("gdp", (), "number", "", "GDP of the reference year (currency per year), for "
               "shares of GDP"),
    DatasetKey("gdp_source", (), "text", "", "citation of GDP"),
    DatasetKey("weights", (), "text", "persons", "what the survey weights sum to: 'persons' "
               "or 'person_days'"),
    DatasetKey("wage_uncertainty", (), "number", "0.15", "half-width of the uniform wage "
               "factor of the Monte Carlo interval (share, 0 to 1)"),
    DatasetKey("population", (), "number", "", "persons the survey stands for (e.g. aged "
               "15+); totals are then value per person x population"),
    DatasetKey("population_source", (), "text", "", "citation of the population"),
    DatasetKey("wage_basis", (), "text", "gross", "basis of the wages given: 'gross' (before "
               "the employee's income tax and contributions) or 'gross_plus_employer' (full "
               "labour cost)"),
    DatasetKey("employer_rate", (), "number", "", "employer social contributions as a share "
               "of the gross wage (0 to 1); needed to value gross wages at the full labour "
               "cost, the basis of replacement cost (UNECE 2017, section 5.3)"),
    DatasetKey("employer_rate_source", (), "text", "", "citation of the employer rate"),
    DatasetKey("valuation_basis", (), "text", "gross_plus_employer", "value the hours at "
               "this basis instead of replacement cost's own, the full labour cost: 'gross' "
               "to compare with estimates at gross wages (the brief says so)"),
)
"""Every key of a data-set file's ``[valuation]`` table."""

TOP_LEVEL_TABLES = ("dataset", "valuation")
"""The tables a data-set file may hold."""


def _unknown(key: str, allowed: list[str], table: str, where: str) -> BriefError:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = (f"did you mean {close[0]}?" if close
            else f"allowed keys: {', '.join(allowed)}")
    return BriefError(f"{where}: unknown key {key!r} in [{table}]; {hint} (every key of a "
                      f"data-set file is listed in {DATASET_REFERENCE})")


def check_dataset_keys(raw: Mapping[str, Any], where: str) -> None:
    """Refuse any key of a data-set file that carecost does not know, naming the closest.

    Raises
    ------
    BriefError
        Naming the key, its table and the closest valid key ("did you mean strata?");
        also for a key of another ``dataset.kind`` (e.g. ``episodes`` with ``kind =
        "persons"``), which would be ignored.
    """
    for k in raw:
        if k not in TOP_LEVEL_TABLES:
            close = difflib.get_close_matches(k, TOP_LEVEL_TABLES, n=1, cutoff=0.6)
            hint = (f"did you mean [{close[0]}]?" if close else
                    "a data-set file holds only a [dataset] and a [valuation] table")
            raise BriefError(f"{where}: unknown key or table {k!r} at the top level; {hint} "
                             f"(every key of a data-set file is listed in {DATASET_REFERENCE})")
    ds = raw.get("dataset")
    if isinstance(ds, Mapping):
        known = {k.name: k for k in DATASET_KEYS}
        kind = ds.get("kind")
        for k in ds:
            if k not in known:
                raise _unknown(str(k), list(known), "dataset", where)
            kinds = known[k].kinds
            if kinds and kind in ("episodes", "persons", "atus") and kind not in kinds:
                raise BriefError(
                    f"{where}: dataset.{k} is not used with kind = {kind!r} (only with "
                    f"{' or '.join(repr(x) for x in kinds)}) and would be ignored; remove it "
                    f"or change dataset.kind (every key of a data-set file is listed in "
                    f"{DATASET_REFERENCE})")
    val = raw.get("valuation")
    if isinstance(val, Mapping):
        vknown = [k.name for k in VALUATION_KEYS]
        for k in val:
            if k not in vknown:
                raise _unknown(str(k), vknown, "valuation", where)
        wages = val.get("wages")
        if isinstance(wages, Mapping):
            from carecost.valuation import atus_activity_map

            occ = [o for o in atus_activity_map().occupations if o is not None]
            for k in wages:
                if k not in occ:
                    raise _unknown(str(k), occ, "valuation.wages", where)


REGENERATE_DATASET_REFERENCE = (
    "python -c \"from carecost.briefs.datasets import dataset_reference_markdown; "
    "open('docs/dataset-reference.md', 'w', encoding='utf-8')"
    ".write(dataset_reference_markdown())\""
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def dataset_reference_markdown() -> str:
    """The data-set file reference page (``docs/dataset-reference.md``), generated from
    :data:`DATASET_KEYS` and :data:`VALUATION_KEYS` (the definitions the loader checks
    against, so the page cannot drift from it).

    Returns
    -------
    str
        Markdown: one table for ``[dataset]`` and one for ``[valuation]``, each key with the
        data-set kinds it applies to, its type, default and meaning.
    """
    out = [
        "# Data-set file reference",
        "",
        "<!-- Generated from src/carecost/briefs/datasets.py; do not edit by hand. "
        "Regenerate with:",
        f"     {REGENERATE_DATASET_REFERENCE}",
        "-->",
        "",
        "A data-set file is a TOML file that registers a time-use survey under a name for "
        "`carecost gap`, `carecost value`, `carecost brief` and the HTTP service "
        "(`carecost serve --dataset FILE`).  It holds a `[dataset]` table (where the data are "
        "and how the survey was designed) and, to value unpaid work, a `[valuation]` table "
        "with a `[valuation.wages]` table of hourly wages by occupation.  Any other key is an "
        "error that names the closest valid key; so is a key of another `kind` (it would be "
        "ignored).  File paths are relative to the data-set file.",
        "",
    ]
    for table, keys in (("dataset", DATASET_KEYS), ("valuation", VALUATION_KEYS)):
        out += [f"## [{table}]", "", "| key | kinds | type | default | meaning |",
                "|---|---|---|---|---|"]
        for k in keys:
            kinds = ", ".join(k.kinds) if k.kinds else "all"
            out.append(f"| `{k.name}` | {kinds} | {k.type} | {_cell(k.default) or 'not set'} "
                       f"| {_cell(k.description)} |")
        out.append("")
    return "\n".join(out)


def check_name(name: object, what: str = "data set") -> str:
    """Return ``name`` if it is a valid registered-name string, else raise.

    Raises
    ------
    BriefError
        Saying that names are short lowercase keys, not paths.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise BriefError(
            f"{what} name {name!r} is not valid: use 1-40 lowercase letters, digits, '-' or '_', "
            "starting with a letter (a registered name, not a file path)"
        )
    return name


@dataclass(frozen=True)
class ValuationSpec:
    """Wages and GDP for valuing a data set's unpaid work.

    Attributes
    ----------
    currency, year
        Of the wages and of the valuation (the time-use reference year).
    wages
        Hourly wage by occupation key (keys of
        :func:`carecost.valuation.atus_activity_map`).
    wage_source
        Citation of the wages.
    generalist
        Occupation key whose wage is the generalist (and hybrid fallback) wage.
    minimum_wage, minimum_wage_source
        Hourly minimum wage for the ILO (2018) variant (optional).
    gdp, gdp_source
        GDP of the reference year, for shares of GDP (optional).
    weights
        ``"persons"`` or ``"person_days"`` (what the survey weights sum to).
    population, population_source
        Optional: the persons the survey stands for (e.g. the population aged
        15+) and its citation.  When given, annual totals (value, hours, share
        of GDP) are the survey-weighted value per person times this
        population, whatever the weights sum to; use it when the weights do
        not sum to the population (a synthetic or re-weighted sample).
    wage_uncertainty
        Half-width of the uniform wage factor of the Monte Carlo interval
        (0.15 = wages between 85% and 115% of the values given).
    synthetic
        True for invented wages.
    wage_basis
        Basis of the wages given (``"gross"`` or ``"gross_plus_employer"``).
    employer_rate, employer_rate_source
        Employer social contributions as a share of the gross wage, and its citation:
        converts gross wages to the full labour cost at which replacement cost values
        hours (UNECE 2017, section 5.3).
    valuation_basis
        A stated choice to value hours at this basis instead of each method's own
        (``None``: the method's; the ILO minimum-wage variant always uses the gross
        statutory rate).
    """

    currency: str
    year: int
    wages: Mapping[str, float]
    wage_source: str
    generalist: str
    minimum_wage: float | None = None
    minimum_wage_source: str = ""
    gdp: float | None = None
    gdp_source: str = ""
    weights: Literal["persons", "person_days"] = "persons"
    wage_uncertainty: float = 0.15
    synthetic: bool = False
    population: float | None = None
    population_source: str = ""
    wage_basis: str = "gross"
    employer_rate: float | None = None
    employer_rate_source: str = ""
    valuation_basis: str | None = None

    def __post_init__(self) -> None:
        bases = ("gross", "gross_plus_employer")
        if self.wage_basis not in bases:
            raise BriefError(f"valuation.wage_basis = {self.wage_basis!r}; allowed "
                             f"{', '.join(map(repr, bases))}")
        if self.valuation_basis is not None and self.valuation_basis not in bases:
            raise BriefError(f"valuation.valuation_basis = {self.valuation_basis!r}; allowed "
                             f"{', '.join(map(repr, bases))}")
        if self.employer_rate is not None and not 0 <= self.employer_rate < 1:
            raise BriefError(f"valuation.employer_rate = {self.employer_rate!r}: give employer "
                             "social contributions as a share of the gross wage, in [0, 1) "
                             "(e.g. 0.15, not 15)")
        if self.generalist not in self.wages:
            raise BriefError(f"valuation.generalist = {self.generalist!r} has no wage in "
                             f"valuation.wages (keys {sorted(self.wages)})")
        for k, v in self.wages.items():
            if isinstance(v, bool) or not isinstance(v, int | float) or not 0 < v < 1e6:
                raise BriefError(f"valuation.wages.{k} = {v!r}: give an hourly wage > 0 and "
                                 "< 1,000,000")
        if not 0 <= self.wage_uncertainty < 1:
            raise BriefError(f"valuation.wage_uncertainty = {self.wage_uncertainty!r}; allowed "
                             "[0, 1)")
        if self.weights not in ("persons", "person_days"):
            raise BriefError(f"valuation.weights = {self.weights!r}; allowed 'persons' or "
                             "'person_days'")
        if self.population is not None and not 1 <= self.population <= 1e10:
            raise BriefError(f"valuation.population = {self.population!r}; give the number of "
                             "persons the survey stands for (1 to 1e10)")


@dataclass(frozen=True)
class DatasetSpec:
    """A registered data set: how to load it and what may be asked of it.

    Attributes
    ----------
    name
        Registered name (see :data:`NAME_PATTERN`).
    description, source
        What it is, and its citation.
    kind
        ``"example"`` (built in), ``"episodes"``, ``"persons"`` or ``"atus"``.
    options
        Files (resolved paths) and column names for the reader.
    domains
        Variables that briefs and the service accept in ``by``.
    valuation
        Wages for value briefs (``None``: value briefs are refused).
    synthetic
        True for invented data.
    sex, female, male
        The sex column and its two values.
    """

    name: str
    description: str
    source: str
    kind: DatasetKind
    options: Mapping[str, Any] = field(default_factory=dict)
    domains: tuple[str, ...] = ()
    valuation: ValuationSpec | None = None
    synthetic: bool = False
    sex: str = "sex"
    female: str = "female"
    male: str = "male"

    def __post_init__(self) -> None:
        check_name(self.name)

    @property
    def sdg_population(self) -> str | None:
        """Ages counted in SDG 5.4.1 (``dataset.sdg_population``; None for 'all')."""
        value = str(self.options.get("sdg_population", "15+"))
        return None if value == "all" else value

    @property
    def age_column(self) -> str:
        """The age column in completed years (``dataset.age``)."""
        return str(self.options.get("age", "age"))

    def describe(self) -> dict[str, Any]:
        """Public description (no file paths): name, description, source, domains."""
        return {
            "name": self.name, "description": self.description, "source": self.source,
            "kind": self.kind, "domains": list(self.domains), "synthetic": self.synthetic,
            "valuation": None if self.valuation is None else {
                "currency": self.valuation.currency, "year": self.valuation.year,
                "methods": _methods(self.valuation), "population": self.valuation.population},
        }

    def load(self) -> TimeUseSurvey:
        """Read the data and build the survey (validated at the edge by carecost.timeuse)."""
        from carecost.timeuse import from_episodes, from_persons, read_atus, read_table
        from carecost.valuation import atus_valuation_crosswalk

        o = dict(self.options)
        if self.kind == "example":
            from carecost.timeuse.example import example_data

            persons, episodes = example_data()
            return from_episodes(
                episodes, persons, id="id", code="code", duration="duration", weights="weight",
                replicates=r"^repw\d{3}$", method="sdr", diary_policy="error",
                crosswalk=atus_valuation_crosswalk(), source=self.source,
            )
        if self.kind == "atus":
            return read_atus(o["path"], crosswalk=atus_valuation_crosswalk())
        design = {k: o[k] for k in ("weights", "strata", "psu", "fpc", "replicates", "method")
                  if k in o}
        persons = read_table(o["persons"], **_read_options(o, o["persons"]))
        if self.kind == "episodes":
            episodes = read_table(o["episodes"], **_read_options(o, o["episodes"]))
            cw = atus_valuation_crosswalk() if o.get("crosswalk", "atus") == "atus" else None
            return from_episodes(
                episodes, persons, id=o.get("id", "id"), code=o.get("code", "code"),
                duration=o.get("duration", "duration"), crosswalk=cw, source=self.source,
                diary_policy=o.get("diary_policy", "report"), **design,
            )
        units: Any = o.get("units")  # checked by from_persons (a clear error when missing)
        return from_persons(
            persons, activities=list(o["activities"]), id=o.get("id", "id"),
            unpaid_care=o.get("unpaid_care"), source=self.source, units=units,
            **design,
        )


def _read_options(options: Mapping[str, Any], path: str | Path) -> dict[str, Any]:
    """``encoding`` and ``sep`` of a data-set file for one of its files (by its type)."""
    from carecost.timeuse.io import READERS

    kind = READERS.get(Path(path).suffix.lower())
    out: dict[str, Any] = {}
    if options.get("encoding") is not None and kind != "parquet":
        out["encoding"] = options["encoding"]
    if options.get("sep") is not None and kind == "csv":
        out["sep"] = options["sep"]
    return out


def _methods(v: ValuationSpec) -> list[str]:
    out = ["generalist", "specialist", "hybrid"]
    if v.minimum_wage is not None:
        out.append("minimum_wage")
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as err:
        raise BriefError(f"{path}: file not found") from err
    except IsADirectoryError as err:
        raise BriefError(f"{path}: is a folder; give a data-set .toml file") from err
    except UnicodeDecodeError as err:
        raise BriefError(f"{path}: not a TOML text file (byte {err.start} is not UTF-8 text); "
                         "give a data-set .toml file") from err
    except tomllib.TOMLDecodeError as err:
        raise BriefError(f"{path}: not valid TOML ({err}); fix the syntax at that line") from err


def _example_valuation() -> ValuationSpec:
    ref = resources.files("carecost.briefs") / "data" / "example_valuation.toml"
    with ref.open("rb") as fh:
        raw = tomllib.load(fh)
    avg = float(raw["average_wage"]["value"])
    wages = {k: round(avg * float(v), 4) for k, v in raw["relative_wages"].items()}
    return ValuationSpec(
        currency=raw["currency"], year=int(raw["year"]), wages=wages,
        wage_source=("synthetic Exampleland wages: occupation wages relative to the example "
                     f"country's average hourly wage ({avg:.2f} XCU; "
                     f"{raw['average_wage']['source']})"),
        generalist=raw["generalist"], minimum_wage=float(raw["minimum_wage"]["value"]),
        minimum_wage_source=raw["minimum_wage"]["source"], gdp=float(raw["gdp"]["value"]),
        gdp_source=raw["gdp"]["source"], weights=raw["weights"],
        wage_uncertainty=float(raw["wage_uncertainty"]), synthetic=True,
        population=float(raw["population"]["value"]),
        population_source=raw["population"]["source"],
        wage_basis=raw["wage_basis"], employer_rate=float(raw["employer_rate"]["value"]),
        employer_rate_source=raw["employer_rate"]["source"],
    )


def example_dataset() -> DatasetSpec:
    """The built-in ``"example"`` data set (synthetic 'Exampleland', 3,600 diaries)."""
    return DatasetSpec(
        name="example",
        description=("carecost example time-use survey: synthetic 'Exampleland', 3,600 diaries "
                     "of ATUS-coded episodes, 12 strata, 120 PSUs, 160 SDR replicate weights, "
                     "calibrated to the BLS ATUS 2012 published averages by sex"),
        source=("carecost example survey (synthetic 'Exampleland', calibrated to BLS ATUS 2012 "
                "published averages by sex)"),
        kind="example", domains=EXAMPLE_DOMAINS, valuation=_example_valuation(),
        synthetic=True,
    )


def _valuation_from(raw: Mapping[str, Any], where: str) -> ValuationSpec:
    try:
        return ValuationSpec(
            currency=str(raw["currency"]), year=int(raw["year"]),
            wages={str(k): v for k, v in dict(raw["wages"]).items()},
            wage_source=str(raw.get("wage_source", "")), generalist=str(raw["generalist"]),
            minimum_wage=None if raw.get("minimum_wage") is None
            else float(raw["minimum_wage"]),
            minimum_wage_source=str(raw.get("minimum_wage_source", "")),
            gdp=None if raw.get("gdp") is None else float(raw["gdp"]),
            gdp_source=str(raw.get("gdp_source", "")),
            weights=raw.get("weights", "persons"),
            wage_uncertainty=float(raw.get("wage_uncertainty", 0.15)),
            population=None if raw.get("population") is None else float(raw["population"]),
            population_source=str(raw.get("population_source", "")),
            wage_basis=str(raw.get("wage_basis", "gross")),
            employer_rate=None if raw.get("employer_rate") is None
            else float(raw["employer_rate"]),
            employer_rate_source=str(raw.get("employer_rate_source", "")),
            valuation_basis=None if raw.get("valuation_basis") is None
            else str(raw["valuation_basis"]),
        )
    except KeyError as err:
        raise BriefError(f"{where}: [valuation] needs {err.args[0]!r} (every key of a data-set "
                         f"file is listed in {REFERENCE})") from err
    except (TypeError, ValueError) as err:
        if isinstance(err, BriefError):
            raise
        raise BriefError(f"{where}: [valuation]: {err}") from err


def load_dataset_spec(path: str | Path) -> DatasetSpec:
    """Read a data-set TOML file (layout in the module docstring); paths are relative to it.

    Raises
    ------
    BriefError
        Naming the missing, unknown or bad key (an unknown key names the closest valid
        one, see :func:`check_dataset_keys`), or the missing file.
    """
    p = Path(path)
    raw = _read_toml(p)
    ds = raw.get("dataset")
    if not isinstance(ds, Mapping):
        close = difflib.get_close_matches("dataset", list(map(str, raw)), n=1, cutoff=0.6)
        hint = f"; found [{close[0]}]: did you mean [dataset]?" if close else ""
        raise BriefError(f"{p}: needs a [dataset] table{hint} (every key of a data-set file "
                         f"is listed in {REFERENCE})")
    check_dataset_keys(raw, str(p))
    kind = ds.get("kind")
    if kind not in ("episodes", "persons", "atus"):
        raise BriefError(f"{p}: dataset.kind = {kind!r}; allowed 'episodes', 'persons' or "
                         "'atus'")
    need = {"episodes": ("persons", "episodes"), "persons": ("persons", "activities", "units"),
            "atus": ("path",)}[kind]
    missing = [k for k in need if k not in ds]
    if missing:
        hint = (" (the unit of the activity columns: 'minutes_per_day', 'hours_per_day', "
                "'hours_per_week' or 'minutes_per_week')" if missing[0] == "units" else "")
        raise BriefError(f"{p}: dataset.{missing[0]} is missing (required for kind = {kind!r})"
                         f"{hint}; see {DATASET_REFERENCE}")
    units = ds.get("units")
    allowed_units = ("minutes_per_day", "hours_per_day", "hours_per_week", "minutes_per_week")
    if kind == "persons" and units not in allowed_units:
        raise BriefError(f"{p}: dataset.units = {units!r}; allowed "
                         f"{', '.join(map(repr, allowed_units))} (see {DATASET_REFERENCE})")
    population = ds.get("sdg_population", "15+")
    if population not in ("15+", "18+", "15-64", "all"):
        raise BriefError(f"{p}: dataset.sdg_population = {population!r}; allowed '15+', '18+', "
                         f"'15-64' or 'all' (see {DATASET_REFERENCE})")
    for k in ("encoding", "sep"):
        if k in ds and (not isinstance(ds[k], str) or not ds[k]):
            raise BriefError(f"{p}: dataset.{k} = {ds[k]!r}; give a text, e.g. "
                             f"{k} = {'cp1252' if k == 'encoding' else ';'!r}")
    if "encoding" in ds:
        import codecs

        try:
            codecs.lookup(ds["encoding"])
        except LookupError:
            raise BriefError(f"{p}: dataset.encoding = {ds['encoding']!r} is not a text "
                             "encoding Python knows; e.g. 'utf-8', 'cp1252', 'latin-1' or "
                             "'utf-16'") from None
    base = p.resolve().parent
    opts = {k: v for k, v in ds.items()
            if k not in ("name", "description", "source", "kind", "domains", "sex", "female",
                         "male")}
    for k in ("persons", "episodes", "path"):
        if k in opts:
            f = Path(str(opts[k]))
            f = f if f.is_absolute() else base / f
            if not f.exists():
                raise BriefError(f"{p}: dataset.{k} = {str(opts[k])!r} not found (looked for "
                                 f"{f})")
            opts[k] = f
    domains = ds.get("domains", [])
    if not isinstance(domains, list) or not all(isinstance(d, str) for d in domains):
        raise BriefError(f"{p}: dataset.domains must be a list of column names")
    val = raw.get("valuation")
    return DatasetSpec(
        name=check_name(ds.get("name", p.stem.lower())),
        description=str(ds.get("description", "")), source=str(ds.get("source", str(p.name))),
        kind=kind, options=opts, domains=tuple(domains),
        valuation=None if val is None else _valuation_from(val, str(p)),
        sex=str(ds.get("sex", "sex")), female=str(ds.get("female", "female")),
        male=str(ds.get("male", "male")),
    )


def check_survey(spec: DatasetSpec, survey: TimeUseSurvey) -> None:
    """Check that a loaded survey has what its spec declares (sex coding, domains, wages).

    Raises
    ------
    BriefError
        Naming the data set and the declared column or value that is missing.
    """
    cols = set(map(str, survey.persons.columns))
    where = f"data set {spec.name!r}"
    if spec.sex not in cols:
        raise BriefError(f"{where}: the sex column {spec.sex!r} is not in the data; set "
                         "dataset.sex to the column that holds it")
    present = set(survey.persons[spec.sex].dropna().astype(str))
    absent = [v for v in (spec.female, spec.male) if str(v) not in present]
    if absent:
        raise BriefError(f"{where}: no respondent has {spec.sex} = {absent[0]!r}; set "
                         f"dataset.female and dataset.male to the codes used (found "
                         f"{sorted(present)[:6]})")
    missing = [d for d in spec.domains if d not in cols]
    if missing:
        raise BriefError(f"{where}: dataset.domains names {missing}, which are not columns of "
                         f"the data; columns include {sorted(cols)[:12]}")
    if spec.valuation is not None:
        from carecost.valuation import atus_activity_map

        groups = [g for g in atus_activity_map().groups if g not in cols]
        if groups:
            raise BriefError(f"{where}: [valuation] is given but the data lack the valuation "
                             f"activity groups {groups[:3]}...; read ATUS-coded episodes "
                             "(kind = 'episodes' or 'atus') or drop [valuation]")


def _reason(err: BaseException) -> str:
    if isinstance(err, (*input_errors(), OSError)):
        return str(err)
    return f"{type(err).__name__}: {err}"


class DatasetRegistry:
    """Data sets by name, each loaded and checked once on first use (thread-safe).

    A data set that fails to load (missing file, a declared column not in the
    data) is remembered as failed: later requests get
    :class:`~carecost.briefs._common.DatasetUnavailableError` at once instead
    of reading the files again.  :meth:`check` loads a data set eagerly (at
    server start, in ``carecost validate``).

    Examples
    --------
    >>> reg = DatasetRegistry.default()
    >>> reg.names()
    ['example']
    """

    def __init__(self, specs: Mapping[str, DatasetSpec] | None = None) -> None:
        self._specs: dict[str, DatasetSpec] = dict(specs or {})
        self._loaded: dict[str, TimeUseSurvey] = {}
        self._failed: dict[str, str] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    @classmethod
    def default(cls) -> DatasetRegistry:
        """A registry holding the built-in ``"example"`` data set."""
        return cls({"example": example_dataset()})

    def register(self, spec: DatasetSpec) -> None:
        """Add (or replace) a data set (forgetting any earlier load or failure)."""
        with self._lock:
            self._specs[spec.name] = spec
            self._loaded.pop(spec.name, None)
            self._failed.pop(spec.name, None)

    def names(self) -> list[str]:
        """Registered names, sorted."""
        return sorted(self._specs)

    def spec(self, name: object) -> DatasetSpec:
        """The spec called ``name``.

        Raises
        ------
        BriefError
            For an invalid name or one that is not registered (listing those that are).
        """
        n = check_name(name)
        if n not in self._specs:
            raise BriefError(f"unknown data set {n!r}; registered data sets: {self.names()}")
        return self._specs[n]

    def survey(self, name: object) -> TimeUseSurvey:
        """The loaded survey of data set ``name`` (read and checked on first use, then kept).

        Raises
        ------
        BriefError
            For an invalid or unknown name.
        DatasetUnavailableError
            When the data set cannot be loaded or lacks a declared column (the
            failure is logged once and remembered).
        """
        spec = self.spec(name)
        with self._lock:
            lock = self._locks.setdefault(spec.name, threading.Lock())
        with lock:
            if spec.name in self._failed:
                raise DatasetUnavailableError(spec.name, self._failed[spec.name])
            if spec.name not in self._loaded:
                try:
                    survey = spec.load()
                    check_survey(spec, survey)
                except Exception as err:
                    reason = _reason(err)
                    log.error("data set %r could not be loaded: %s", spec.name, reason)
                    self._failed[spec.name] = reason
                    raise DatasetUnavailableError(spec.name, reason) from err
                self._loaded[spec.name] = survey
            return self._loaded[spec.name]

    def check(self, name: object) -> TimeUseSurvey:
        """Load and check data set ``name`` now; a failure is a :class:`BriefError` (bad input).

        For operators (server start) and the command line, where the data set
        is their own input.
        """
        try:
            return self.survey(name)
        except DatasetUnavailableError as err:
            raise BriefError(str(err)) from err
