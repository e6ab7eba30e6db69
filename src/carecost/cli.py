"""The ``carecost`` command line: gap, value, simulate, brief, run, serve, read, validate,
new-scenario.

Every command prints a short summary to the terminal and can write its
tables as CSV, Excel (``.xlsx``, one sheet per table plus an "about" sheet)
or JSON, chosen by the extension of ``--out``.  Every number comes with its
standard error or interval, unit, source and method (the ``quantities``
table).

Exit codes
----------
0
    Success.
1
    Bad input: a data set, scenario or parameter that cannot be used as
    given.  The message says what and where, and how to fix it.
2
    Bad usage: an unknown option or a value of the wrong type (from typer).
3
    Output could not be written (folder missing or not writable).
4
    A needed optional package is not installed (the message names it and the
    ``pip install`` command, e.g. ``pip install 'carecost[service]'``).
5
    ``carecost serve`` could not listen on the address: the port is in use by
    another program or not allowed (pick another with ``--port``).
70
    Internal error (a bug: please report it with ``--debug`` output).

The main job, on the embedded example data (synthetic 'Exampleland')::

    carecost run --out carecost-output/

writes the gap, value and investment briefs (HTML and JSON), an index page
and all their tables.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import json
import os
import socket
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

import carecost
from carecost.errors import CarecostInputError
from carecost.limits import MAX_DRAWS, MAX_LEVEL, METHODS, MIN_LEVEL, REFERENCE, TABLE_FORMATS

if TYPE_CHECKING:  # the briefs (pandas, SciPy, statsmodels) load only in the commands
    import pandas as pd

    from carecost.briefs import Brief, DatasetRegistry, DatasetSpec

__all__ = ["EXIT_INPUT", "EXIT_INTERNAL", "EXIT_MISSING", "EXIT_OUTPUT", "EXIT_PORT", "app",
           "main", "main_job"]

EXIT_INPUT = 1
EXIT_OUTPUT = 3
EXIT_MISSING = 4
EXIT_PORT = 5
EXIT_INTERNAL = 70
EXTRAS = {"fastapi": "service", "uvicorn": "service", "httpx": "service",
          "pydantic": "service", "starlette": "service", "pyreadstat": "stata",
          "dask": "dask", "distributed": "dask"}
"""The carecost extra that installs each optional package."""
READ_TABLES = (".csv", ".parquet", ".pq", ".dta", ".sav", ".zsav", ".txt", ".dat")
"""File types ``carecost read`` reads as one table."""

app = typer.Typer(
    name="carecost",
    help=("Numbers for the care economy: the unpaid-care gender gap, the value of unpaid care "
          "work and care investment, with standard errors. Start with: carecost run --out "
          "carecost-output/"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    epilog=("Exit codes: 0 ok, 1 bad input (the message says what to fix), 2 bad usage, "
            "3 output not writable, 4 optional package missing, 5 serve: port in use, "
            "70 internal error."),
)
out_console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
_STATE = {"debug": False, "quiet": False}


class CliInputError(Exception):
    """Bad input found by the command line itself (exit code 1)."""


class CliPortError(Exception):
    """``carecost serve`` cannot listen on the address asked for (exit code 5)."""


def install_hint(module: str | None) -> str:
    """The ``pip install`` command that brings ``module`` (the carecost extra when there is one).

    Examples
    --------
    >>> install_hint("uvicorn")
    "pip install 'carecost[service]'"
    >>> install_hint("somepkg.sub")
    'pip install somepkg'
    """
    top = (module or "").split(".")[0]
    extra = EXTRAS.get(top)
    return f"pip install 'carecost[{extra}]'" if extra else f"pip install {top or 'carecost'}"


# ------------------------------------------------------------------------ errors
def _input_errors() -> tuple[type[BaseException], ...]:
    """carecost's input errors plus those of the command line (all exit code 1).

    A data set that cannot be loaded is the user's own input here (a data-set file they
    named), so it is an input error too.  The briefs are not imported for this: when they
    have not been imported, none of their errors can have been raised.
    """
    errors: tuple[type[BaseException], ...] = (CarecostInputError, CliInputError,
                                               tomllib.TOMLDecodeError, json.JSONDecodeError)
    briefs = sys.modules.get("carecost.briefs")
    if briefs is not None:
        errors += (*briefs.input_errors(), briefs.DatasetUnavailableError)
    return errors


@contextlib.contextmanager
def _guard(what: str) -> Iterator[None]:
    """Turn exceptions into a clear message and an exit code."""
    try:
        yield
    except typer.Exit:
        raise
    except CliPortError as err:
        err_console.print(f"[bold red]error[/]: {what}: {_escape(str(err))}", soft_wrap=True)
        raise typer.Exit(EXIT_PORT) from None
    except _input_errors() as err:
        err_console.print(f"[bold red]error[/]: {what}: {_escape(_with_reference(err))}")
        raise typer.Exit(EXIT_INPUT) from None
    except ModuleNotFoundError as err:
        top = (err.name or "").split(".")[0] or "?"
        err_console.print(f"[bold red]error[/]: {what} needs the package {top!r}, which is not "
                          f"installed: {_escape(install_hint(top))}", soft_wrap=True)
        raise typer.Exit(EXIT_MISSING) from None
    except OSError as err:
        name = getattr(err, "filename", None)
        where = f" ({name})" if name else ""
        err_console.print(f"[bold red]error[/]: {what}: cannot read or write a file{where}: "
                          f"{_escape(err.strerror or str(err))}. Check the path and its "
                          "permissions.")
        raise typer.Exit(EXIT_OUTPUT) from None
    except Exception as err:  # a bug: say so, show details only on request
        if _STATE["debug"]:
            err_console.print_exception()
        err_console.print(f"[bold red]internal error[/] in {what}: {type(err).__name__}: "
                          f"{_escape(str(err))}. This is a bug in carecost; please report it "
                          "with the output of --debug.")
        raise typer.Exit(EXIT_INTERNAL) from None


def _with_reference(err: BaseException) -> str:
    """The message of an input error; scenario errors point to the file reference page."""
    from carecost.investment import InvestmentInputError

    text = str(err)
    if isinstance(err, InvestmentInputError) and REFERENCE not in text:
        text += f" (every scenario key, unit and allowed range: {REFERENCE})"
    return text


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _say(msg: str) -> None:
    if not _STATE["quiet"]:
        out_console.print(msg)


@contextlib.contextmanager
def _progress(total: int, description: str) -> Iterator[Callable[[str], None]]:
    """A progress bar advanced once per step; yields ``step(message)``."""
    if _STATE["quiet"]:
        yield lambda _msg: None
        return
    cols = (SpinnerColumn(), TextColumn("[progress.description]{task.description}"),
            BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn())
    with Progress(*cols, console=err_console, transient=True) as prog:
        task = prog.add_task(description, total=total)
        started = [False]

        def step(msg: str) -> None:
            if started[0]:
                prog.advance(task)
            started[0] = True
            prog.update(task, description=msg)

        yield step
        prog.update(task, completed=total)


# ------------------------------------------------------------------ data sets
def _registry(data: str, what: str = "--data") -> tuple[DatasetRegistry, str]:
    """The registry with ``data`` in it: a registered name, or a data-set TOML file.

    ``what`` names the argument in messages (``--data``, or ``source`` for ``read``).
    """
    from carecost.briefs import DatasetRegistry, load_dataset_spec

    reg = DatasetRegistry.default()
    if data.endswith(".toml") or os.sep in data or "/" in data:
        spec = load_dataset_spec(data)
        reg.register(spec)
        return reg, spec.name
    if data not in reg.names():
        raise CliInputError(f"{what} {data!r} is neither a registered data set "
                            f"({reg.names()}) nor a data-set .toml file")
    return reg, data


def _json_scenario(p: Path) -> Any:
    """A scenario from a JSON file in the layout of ``POST /v1/simulate`` (validated)."""
    from carecost.investment import scenario_from_dict

    try:
        raw = json.loads(p.read_bytes())
    except json.JSONDecodeError as err:
        raise CliInputError(f"{p}: not valid JSON at line {err.lineno}, column {err.colno}: "
                            f"{err.msg}") from err
    except UnicodeDecodeError as err:
        raise CliInputError(f"{p}: not a JSON text file (byte {err.start} is not UTF-8 "
                            "text)") from err
    try:
        from carecost.service.schemas import ScenarioModel, validation_message
    except ModuleNotFoundError as err:  # pydantic comes with the service extra
        raise ModuleNotFoundError("JSON scenarios need pydantic", name="pydantic") from err
    try:
        model = ScenarioModel.model_validate(raw)
    except ValueError as err:
        raise CliInputError(f"{p}: {validation_message(err)}") from err
    return scenario_from_dict(model.to_raw())


def _scenario(scenario: str) -> Any:
    """``'example'``, a scenario .toml file or a scenario .json file (as the HTTP API takes).

    Its data warnings are not shown as Python warnings: the commands print them
    (:func:`_warn_data`).
    """
    from carecost.investment import example_scenario

    if scenario == "example":
        return example_scenario()
    p = Path(scenario)
    if not p.is_file():
        raise CliInputError(f"scenario file {scenario!r} not found; give a scenario .toml or "
                            ".json file, or 'example'")
    return _load_scenario_file(p)


def _load_scenario_file(p: Path) -> Any:
    """A scenario .toml or .json file, its data warnings kept on the scenario only."""
    import warnings

    from carecost.investment import ExampleDataWarning, load_scenario

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ExampleDataWarning)
        if p.suffix.lower() == ".json":
            return _json_scenario(p)
        return load_scenario(p)


# ------------------------------------------------------------------ tables out
def _brief_year(brief: Brief) -> int | None:
    """The reference year of a brief's numbers (the headline year, or the valuation year)."""
    for q in brief.headline:
        y = q.domain.get("year")
        if isinstance(y, int):
            return y
    for where in (brief.inputs.get("valuation"), brief.dataset.get("valuation")):
        if isinstance(where, dict) and isinstance(where.get("year"), int):
            return int(where["year"])
    return None


def summary_frame(brief: Brief) -> pd.DataFrame:
    """The readable headline table of a brief: one row per headline number, with its year.

    Values are rounded as they are shown (by unit: two decimals for % of GDP, none for
    jobs and money...); the ``quantities`` table keeps them in full.
    """
    import pandas as pd

    from carecost.briefs import interval_name
    from carecost.briefs.excel import round_by_unit

    year = _brief_year(brief)
    rows = []
    for q in brief.headline:
        label = q.label
        qy = q.domain.get("year", year)
        if qy is not None and label.endswith(f", {qy}"):
            label = label[: -len(f", {qy}")]
        lv = f"{100 * q.level:.0f}% " if q.level else ""
        rows.append({
            "Measure": label, "Year": qy, "Estimate": round_by_unit(q.estimate, q.unit),
            "Interval low": round_by_unit(q.ci_low, q.unit),
            "Interval high": round_by_unit(q.ci_high, q.unit), "Unit": q.unit,
            "Interval": f"{lv}{interval_name(q.interval)}",
            "Note": "; ".join(q.flags)})
    df = pd.DataFrame(rows, columns=["Measure", "Year", "Estimate", "Interval low",
                                     "Interval high", "Unit", "Interval", "Note"])
    if not df["Note"].astype(bool).any():
        df = df.drop(columns="Note")
    if df["Year"].isna().all():
        df = df.drop(columns="Year")
    return df


def brief_frames(brief: Brief) -> dict[str, pd.DataFrame]:
    """A brief's numbers as DataFrames, readable first.

    ``summary`` (the headline numbers with their year, rounded as shown), the brief's
    tables (column headings carry their units in brackets), then ``quantities`` (tidy,
    one row per number, in full precision).
    """
    import pandas as pd

    qs = []
    for q in brief.quantities:
        d = q.to_dict()
        d["domain"] = "; ".join(f"{k}={v}" for k, v in (d["domain"] or {}).items())
        qs.append(d)
    frames = {"summary": summary_frame(brief)}
    for t in brief.tables:
        cols = {c.name: (f"{c.label} [{c.unit}]" if c.unit else c.label) for c in t.columns}
        frames[t.id] = pd.DataFrame([{cols[k]: r.get(k) for k in cols} for r in t.rows],
                                    columns=list(cols.values()))
    frames["quantities"] = pd.DataFrame(qs)
    return frames


def _about(brief: Brief | None, extra: dict[str, str] | None = None) -> pd.DataFrame:
    import pandas as pd

    rows: list[dict[str, str]] = [{"item": "carecost version", "text": carecost.__version__}]
    if brief is not None:
        rows += [{"item": "title", "text": brief.title},
                 {"item": "question", "text": brief.question},
                 {"item": "answer", "text": brief.answer}]
        rows += [{"item": "method", "text": m} for m in brief.method]
        rows += [{"item": "caveat", "text": c} for c in brief.caveats]
        rows += [{"item": f"source {s.id}", "text": s.citation + (f" {s.url}" if s.url else "")
                  + (" (synthetic)" if s.synthetic else "")} for s in brief.sources]
    for k, v in (extra or {}).items():
        rows.append({"item": k, "text": v})
    return pd.DataFrame(rows)


def write_tables(frames: dict[str, pd.DataFrame], out: Path, about: pd.DataFrame, *,
                 heading: tuple[str, ...] = ()) -> list[Path]:
    """Write tables to ``out`` by its extension: ``.csv``, ``.xlsx`` or ``.json``.

    CSV writes ``<stem>-<table>.csv`` for each table (and ``<stem>-about.csv``);
    Excel one sheet per table, in order, plus "about" (see
    :func:`carecost.briefs.excel.write_workbook`: bold frozen headers, autofilters and
    number formats by unit; ``heading`` lines above the first sheet's table); JSON one
    document.  Floats are written to 12 significant digits (no binary noise such as
    ``0.6499999999999999``).
    """
    from carecost.briefs.excel import clean_frame, write_workbook

    ext = out.suffix.lower()
    if ext not in TABLE_FORMATS:
        raise CliInputError(f"--out {str(out)!r}: unknown table format {ext or '(none)'!r}; use "
                            f"a file name ending in {', '.join(TABLE_FORMATS)}")
    if not out.parent.exists():
        raise CliInputError(f"--out {str(out)!r}: the folder {str(out.parent)!r} does not exist; "
                            "create it first")
    written: list[Path] = []
    tables = {k: clean_frame(v) for k, v in {**frames, "about": about}.items()}
    if ext != ".json":  # one text per cell: lists (the flags of a quantity) joined
        tables = {k: v.map(lambda x: "; ".join(map(str, x)) if isinstance(x, list | tuple)
                           else x) for k, v in tables.items()}
    if ext == ".csv":
        for name, df in tables.items():
            p = out.with_name(f"{out.stem}-{name}.csv")
            df.to_csv(p, index=False)
            written.append(p)
    elif ext == ".xlsx":
        try:
            import openpyxl  # noqa: F401
        except ModuleNotFoundError as err:
            raise ModuleNotFoundError("Excel output needs openpyxl", name="openpyxl") from err
        write_workbook(out, tables, heading=heading)
        written.append(out)
    else:
        from carecost.briefs.model import clean_json

        doc = {"carecost_version": carecost.__version__,
               "tables": {k: clean_json(df.to_dict(orient="records"))
                          for k, df in tables.items() if k != "about"},
               "about": clean_json(tables["about"].to_dict(orient="records"))}
        out.write_text(json.dumps(doc, indent=2, allow_nan=False, ensure_ascii=False) + "\n",
                       encoding="utf-8")
        written.append(out)
    return written


def _heading(brief: Brief) -> tuple[str, ...]:
    return (brief.title, brief.answer)


def _print_headline(brief: Brief) -> None:
    if _STATE["quiet"]:
        return
    from carecost.briefs import fmt_interval, fmt_number, interval_name

    t = RichTable(title=brief.title, title_justify="left", show_lines=False)
    t.add_column("Measure")
    t.add_column("Estimate", justify="right")
    t.add_column("Interval", justify="right")
    t.add_column("SE", justify="right")
    t.add_column("Unit")
    for q in brief.headline:
        lv = f"{100 * q.level:.0f}% " if q.level else ""
        kind = interval_name(q.interval, short=True)
        t.add_row(q.label + ("  (!)" if q.flags else ""), fmt_number(q.estimate),
                  f"{lv}{kind} {fmt_interval(q.ci_low, q.ci_high)}", fmt_number(q.se), q.unit)
    out_console.print(t)
    for q in brief.headline:
        for f in q.flags:
            out_console.print(f"(!) {q.label}: {f}", soft_wrap=False)
    out_console.print(brief.answer, soft_wrap=False)


def _print_breakdown(brief: Brief, bys: list[str]) -> None:
    """The gap by domain as a terminal table: women, men, gap with its interval, ratio."""
    if _STATE["quiet"]:
        return
    from carecost.briefs import fmt_interval, fmt_number

    t = brief.table("gap_by_domain")
    stat_of = {"Women": "women", "Men": "men"}
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in t.rows:
        key = tuple(r.get(b) for b in bys)
        label = str(r.get("label", ""))
        stat = stat_of.get(label) or ("gap" if label.startswith("Gap") else
                                      "ratio" if label.startswith("Ratio") else None)
        g = groups.setdefault(key, {"flags": r.get("flags") or ""})
        if stat is not None:
            g[stat] = r
    unit = next((str(r.get("unit")) for r in t.rows if r.get("label") == "Women"), "")
    level = next((q.level for q in brief.headline if q.level), None)
    lv = f"{100 * level:.0f}% " if level else ""
    rt = RichTable(title=t.title, title_justify="left")
    for b in bys:
        rt.add_column(b.replace("_", " ").capitalize())
    rt.add_column(f"Women ({unit})", justify="right")
    rt.add_column(f"Men ({unit})", justify="right")
    rt.add_column("Gap", justify="right")
    rt.add_column(f"{lv}CI of the gap", justify="right")
    rt.add_column("Ratio", justify="right")
    flagged = False
    for key, g in groups.items():
        gap = g.get("gap", {})
        mark = "  (!)" if g["flags"] else ""
        flagged = flagged or bool(mark)
        rt.add_row(*(str(v) for v in key[:-1]), f"{key[-1]}{mark}",
                   fmt_number(g.get("women", {}).get("estimate")),
                   fmt_number(g.get("men", {}).get("estimate")),
                   fmt_number(gap.get("estimate")),
                   fmt_interval(gap.get("ci_low"), gap.get("ci_high")),
                   fmt_number(g.get("ratio", {}).get("estimate")))
    out_console.print(rt)
    if flagged:
        out_console.print("(!) few respondents or imprecise: treat with caution (see the "
                          "flags in the tables written with --out)", soft_wrap=False)


def _finish(brief: Brief, out: Path | None, extra: dict[str, pd.DataFrame] | None = None) -> None:
    _print_headline(brief)
    if out is not None:
        frames = {**brief_frames(brief), **(extra or {})}
        for p in write_tables(frames, out, _about(brief), heading=_heading(brief)):
            _say(f"wrote {p}")


# ------------------------------------------------------------------- options
DataOpt = Annotated[str, typer.Option(
    "--data", "-d", help="Registered data set name ('example', the embedded synthetic survey) "
    "or a data-set .toml file (see carecost.briefs.datasets).")]
OutOpt = Annotated[Path | None, typer.Option(
    "--out", "-o", help="Write the tables to this file: .csv (one file per table), .xlsx "
    "(one sheet per table) or .json.", dir_okay=False)]
LevelOpt = Annotated[float, typer.Option(
    "--level", min=MIN_LEVEL, max=MAX_LEVEL,
    help="Confidence level of the intervals (share, e.g. 0.95).")]


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]
    = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")]
    = False,
) -> None:
    """carecost command line."""
    _STATE["debug"] = debug or bool(os.environ.get("CARECOST_DEBUG"))
    _STATE["quiet"] = quiet
    if version:
        out_console.print(f"carecost {carecost.__version__}")
        raise typer.Exit(0)
    if ctx.invoked_subcommand is None:
        out_console.print(ctx.get_help())
        raise typer.Exit(0)


@app.command()
def gap(
    data: DataOpt = "example",
    by: Annotated[list[str] | None, typer.Option(
        "--by", help="Domain variable for the breakdown (repeat for two), e.g. age_group.")]
    = None,
    overall: Annotated[bool, typer.Option(
        "--overall", help="No breakdown: whole population only.")] = False,
    y: Annotated[str, typer.Option(
        "--y", help="Minutes-per-day column of unpaid domestic and care work.")]
    = "unpaid_care_work",
    level: LevelOpt = 0.95,
    out: OutOpt = None,
) -> None:
    """Unpaid-care gender gap (minutes per day) and SDG 5.4.1 (% of 24 hours), with SEs."""
    with _guard("gap"):
        from carecost.briefs import as_bys, check_domains, gap_brief

        reg, name = _registry(data)
        bys = [] if overall else as_bys(by or ["age_group"])
        spec = reg.spec(name)
        check_domains(bys, spec.domains, spec.name)  # before reading the data
        with _progress(2, "reading the survey") as step:
            step(f"reading data set {name!r}")
            survey = reg.survey(name)
            step("estimating the gap")
            b = gap_brief(survey, dataset=spec, by=bys or None, y=y, level=level)
        _finish(b, out)
        if bys:
            _print_breakdown(b, bys)


@app.command()
def value(
    data: DataOpt = "example",
    method: Annotated[list[str] | None, typer.Option(
        "--method", "-m", help=f"Valuation method (repeat for several): {', '.join(METHODS)}. "
        "Default: all.")] = None,
    main: Annotated[str | None, typer.Option(
        "--main", help="Method of the headline numbers (one of those asked for; default "
        "hybrid when asked for, else the first).")] = None,
    draws: Annotated[int, typer.Option(
        "--draws", min=2, max=MAX_DRAWS, help="Monte Carlo draws for the interval with wage "
        "uncertainty (count).")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Monte Carlo seed.")] = 0,
    level: LevelOpt = 0.95,
    out: OutOpt = None,
) -> None:
    """Value of unpaid household and care work (currency per year, % of GDP), by method."""
    with _guard("value"):
        from carecost.briefs import value_brief
        from carecost.briefs.value import check_value_request

        reg, name = _registry(data)
        meths = method or list(METHODS)
        if main is None:
            main = "hybrid" if "hybrid" in meths else meths[0]
        elif main not in meths:
            raise CliInputError(f"--main {main!r} is not among the methods asked for {meths}; "
                                "add it with --method or choose one of them")
        # the data-set file's wages and the methods are checked before reading the data
        check_value_request(reg.spec(name), methods=meths, main=main, level=level, draws=draws)
        with _progress(2, "reading the survey") as step:
            step(f"reading data set {name!r}")
            survey = reg.survey(name)
            step("valuing unpaid work and running the Monte Carlo")
            b = value_brief(survey, reg.spec(name), methods=meths, main=main, level=level,
                            draws=draws, seed=seed)
        _finish(b, out)


@app.command()
def simulate(
    scenario: Annotated[str, typer.Argument(
        help="Scenario .toml or .json file (the JSON layout of POST /v1/simulate), or "
        "'example' for the shipped example scenario.")] = "example",
    draws: Annotated[int, typer.Option(
        "--draws", min=2, max=MAX_DRAWS, help="Monte Carlo draws (count).")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Monte Carlo seed.")] = 0,
    level: Annotated[float, typer.Option(
        "--level", min=MIN_LEVEL, max=MAX_LEVEL,
        help="Coverage of the Monte Carlo interval (share).")]
    = 0.90,
    year: Annotated[int | None, typer.Option(
        "--year", help="Year of the headline numbers (default: the target year).")] = None,
    country: Annotated[str | None, typer.Option(
        "--country", help="ISO3 code of the country database (with --preset: the whole "
        "package from the preset and the country data, no scenario file).")] = None,
    preset: Annotated[str | None, typer.Option(
        "--preset", help="Policy preset, e.g. ilo-2035 or ilo-2050 (with --country or "
        "--countries).")] = None,
    countries: Annotated[str | None, typer.Option(
        "--countries", help="'all' or comma-separated ISO3 codes: simulate the preset (or "
        "the scenario file) for each country; one row per country, regional and world "
        "aggregates, and every country that could not be costed with its missing inputs.")]
    = None,
    out: OutOpt = None,
) -> None:
    """Care-investment scenario: cost (currency, % of GDP), jobs, fiscal returns, net funding."""
    with _guard("simulate"):
        from carecost.briefs import investment_analysis
        from carecost.investment import simulate as run_sim

        if countries is not None:
            _simulate_many(countries, preset, scenario, year, out)
            return
        if (country is None) != (preset is None) and scenario == "example":
            raise CliInputError("give --country and --preset together (e.g. --country MEX "
                                "--preset ilo-2035), or a scenario file")
        with _progress(3, "loading the scenario") as step:
            step("loading and validating the scenario")
            if country is not None or preset is not None:
                if scenario != "example":
                    raise CliInputError("give a scenario file or --country/--preset, not both "
                                        "(set meta.country and meta.preset in the file)")
                from carecost.investment import scenario_from_dict

                scn = scenario_from_dict({"meta": {"country": country, "preset": preset}})
            else:
                scn = _scenario(scenario)
            step("simulating")
            res = run_sim(scn)
            step(f"Monte Carlo ({draws:,} draws)")
            a = investment_analysis(scn, draws=draws, seed=seed, level=level, year=year,
                                    result=res, all_measures=True)
        extra = {"summary_by_year": res.summary,
                 "monte_carlo": a.monte_carlo.reset_index(drop=True),
                 "by_service": res.by_service, "jobs_by_type_sex": res.jobs,
                 "fiscal_components": res.fiscal, "inputs": scn.sources()}
        _finish(a.brief, out, extra)
        _warn_data(scn)


def _simulate_many(countries: str, preset: str | None, scenario: str, year: int | None,
                   out: Path | None) -> None:
    """``carecost simulate --countries ...``: one preset or scenario for many countries."""
    import pandas as pd

    from carecost.briefs import fmt_number
    from carecost.investment import simulate_many

    if (preset is None) == (scenario == "example"):
        raise CliInputError("--countries needs either --preset NAME or a scenario file (not "
                            "both)")
    if out is not None and out.suffix.lower() not in TABLE_FORMATS:
        raise CliInputError(f"--out {str(out)!r}: use {', '.join(TABLE_FORMATS)}")
    codes: str | list[str] = ("all" if countries.strip().lower() == "all"
                              else [c.strip() for c in countries.split(",") if c.strip()])
    what = preset if preset is not None else scenario
    total = len(carecost_countries_available()) if codes == "all" else len(codes)
    with _progress(total, f"simulating {what}") as step:
        res = simulate_many(codes, what, year=year,
                            progress=lambda done, n: step(f"{done} of {n} countries"))
    world = res.aggregates[res.aggregates["level"] == "world"]
    if not world.empty:
        w = world.iloc[0]
        _say(f"{res.scenario}: {len(res.countries)} countries costed, {len(res.failures)} "
             f"could not be (listed in the failures table). World (GDP-weighted over the "
             f"countries costed): package cost {fmt_number(w['package_cost_pct_gdp'])}% of GDP, "
             f"{fmt_number(w['jobs_total'], digits=0)} jobs.")
    if out is not None:
        frames = {"countries": res.countries, "aggregates": res.aggregates,
                  "failures": res.failures}
        about = pd.DataFrame({"key": ["scenario", "year", "countries", "failures", "notes"],
                              "value": [res.scenario, str(res.year), str(len(res.countries)),
                                        str(len(res.failures)), " ".join(res.notes)]})
        write_tables(frames, out, about)
        _say(f"wrote {out}")


def carecost_countries_available() -> pd.DataFrame:
    """The country database's list (imported only by the commands that need it)."""
    import carecost.countries as cc

    return cc.available()


@app.command()
def brief(
    kind: Annotated[str, typer.Argument(help="gap, value, investment or all.")],
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Folder for the brief files (created if missing).",
        file_okay=False)] = Path("carecost-output"),
    data: DataOpt = "example",
    scenario: Annotated[str, typer.Option(
        "--scenario", help="Scenario .toml or .json file, or 'example' (investment brief).")]
    = "example",
    fmt: Annotated[list[str] | None, typer.Option(
        "--format", "-f", help="html, json or pdf (repeat; default html and json; pdf needs "
        "Chromium).")] = None,
    by: Annotated[str, typer.Option("--by", help="Domain of the gap breakdown.")]
    = "age_group",
    draws: Annotated[int, typer.Option("--draws", min=2, max=MAX_DRAWS,
                                       help="Monte Carlo draws (count).")] = 2000,
) -> None:
    """Write a data brief as self-contained HTML (charts as SVG) and JSON (and PDF)."""
    with _guard("brief"):
        from carecost.briefs import gap_brief, investment_brief, value_brief, write_brief

        kinds = ["gap", "value", "investment"] if kind == "all" else [kind]
        if kinds[0] not in ("gap", "value", "investment"):
            raise CliInputError(f"brief kind {kind!r}: use gap, value, investment or all")
        formats = fmt or ["html", "json"]
        briefs = []
        with _progress(len(kinds), "making briefs") as step:
            for k in kinds:
                step(f"{k} brief")
                if k == "investment":
                    scn = _scenario(scenario)
                    _warn_data(scn)
                    briefs.append(investment_brief(scn, draws=draws))
                else:
                    reg, name = _registry(data)
                    survey = reg.survey(name)
                    briefs.append(gap_brief(survey, dataset=reg.spec(name), by=by or None)
                                  if k == "gap" else
                                  value_brief(survey, reg.spec(name), draws=draws))
        for b in briefs:
            for f, p in write_brief(b, out, formats=formats).items():
                _say(f"wrote {f.upper():4} {p}")


def _run(out: Path, table_format: str, pdf: bool, draws: int) -> dict[str, Path]:
    from carecost.briefs import example_briefs, write_brief
    from carecost.briefs.html import render_index

    t0 = time.perf_counter()
    with _progress(4, "main job") as step:
        briefs = example_briefs(progress=step, draws=draws)
    out.mkdir(parents=True, exist_ok=True)
    formats = ["html", "json"] + (["pdf"] if pdf else [])
    entries = []
    paths: dict[str, Path] = {}
    for k, b in briefs.items():
        files = write_brief(b, out, formats=formats)
        paths.update({f"{k}.{f}": p for f, p in files.items()})
        entries.append((b, files["html"].name))
        _print_headline(b)
        if not _STATE["quiet"]:
            out_console.print()
        tables_dir = out / "tables"
        tables_dir.mkdir(exist_ok=True)
        for p in write_tables(brief_frames(b), tables_dir / f"{k}{table_format}", _about(b),
                              heading=_heading(b)):
            paths[f"{k}.table.{p.name}"] = p
    index = out / "index.html"
    index.write_text(render_index(entries, title="carecost briefs: Exampleland"),
                     encoding="utf-8")
    paths["index"] = index
    _say(f"wrote {len(paths)} files to {out}/ in {time.perf_counter() - t0:.1f} s; open "
         f"[bold]{index}[/] in a browser")
    return paths


@app.command()
def run(
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Folder for the briefs and tables (created if missing).",
        file_okay=False)] = Path("carecost-output"),
    table_format: Annotated[str, typer.Option(
        "--tables", help="Format of the tables: .csv, .xlsx or .json.")] = ".xlsx",
    pdf: Annotated[bool, typer.Option("--pdf", help="Also print each brief to PDF (needs "
                                      "Chromium).")] = False,
    draws: Annotated[int, typer.Option("--draws", min=2, max=MAX_DRAWS,
                                       help="Monte Carlo draws (count).")] = 2000,
) -> None:
    """The main job on the embedded example data: gap, value and investment briefs + tables.

    Uses the example time-use survey and the example country and scenario
    (synthetic 'Exampleland'); needs no files and no network.
    """
    with _guard("run"):
        fmt = table_format if table_format.startswith(".") else f".{table_format}"
        if fmt not in TABLE_FORMATS:
            raise CliInputError(f"--tables {table_format!r}: use one of {TABLE_FORMATS}")
        _run(out, fmt, pdf, draws)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (127.0.0.1 = this "
                                      "machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    dataset: Annotated[list[Path] | None, typer.Option(
        "--dataset", help="Register a data set from its .toml file (repeat).", exists=True,
        dir_okay=False)] = None,
    scenario: Annotated[list[str] | None, typer.Option(
        "--scenario", help="Register a scenario as NAME=FILE.toml (repeat).")] = None,
    api_key_env: Annotated[str | None, typer.Option(
        "--api-key-env", help="Name of an environment variable holding the API key; requests "
        "must then send it in the X-API-Key header.")] = None,
    cors_origin: Annotated[list[str] | None, typer.Option(
        "--cors-origin", help="Allowed browser origin for CORS, e.g. https://portal.example "
        "(repeat; default: none).")] = None,
    max_body_kb: Annotated[int, typer.Option(
        "--max-body-kb", min=1, max=10_240, help="Largest request body (KiB).")] = 64,
    max_draws: Annotated[int, typer.Option(
        "--max-draws", min=2, max=MAX_DRAWS, help="Largest Monte Carlo draws a request may ask "
        "(count).")] = 5000,
    rate_limit: Annotated[float | None, typer.Option(
        "--rate-limit", min=0.001, max=1_000_000, help="Requests a minute per client IP "
        "address (default: no limit); over it the service answers 429 with Retry-After.")
    ] = None,
    rate_burst: Annotated[int, typer.Option(
        "--rate-burst", min=1, max=100_000, help="Requests a client may send at once before "
        "--rate-limit applies.")] = 20,
) -> None:
    """Serve the HTTP API (FastAPI + uvicorn): gap, value, simulate, briefs, health, /docs.

    Needs the service extra: pip install 'carecost[service]' (exit code 4 without it).
    When the port is in use or not allowed, it stops with a one-line error and exit code
    5: pick another port with --port.
    """
    with _guard("serve"):
        for module in ("fastapi", "uvicorn"):
            importlib.import_module(module)
        import uvicorn

        from carecost.service import UVICORN_OPTIONS, ServiceSettings, create_app

        sock = _listen(host, port)
        try:
            settings = ServiceSettings.from_cli(
                datasets=list(dataset or []), scenarios=list(scenario or []),
                api_key_env=api_key_env, cors_origins=list(cors_origin or []),
                max_body_bytes=max_body_kb * 1024, max_draws=max_draws,
                rate_limit_per_minute=rate_limit, rate_limit_burst=rate_burst)
            application = create_app(settings)
            _say(f"carecost {carecost.__version__} serving on http://{host}:{port} "
                 f"(docs: http://{host}:{port}/docs); data sets: {settings.datasets.names()}")
            config = uvicorn.Config(application, host=host, port=port, log_level="info",
                                    **UVICORN_OPTIONS)
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            sock.close()


def _listen(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` (uvicorn listens on it), or a clear error.

    Raises
    ------
    CliPortError
        When the port is in use, not allowed, or the host is not an address of this
        machine (exit code 5), naming the address and how to pick another.
    """
    try:
        family, kind, proto, _, addr = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except socket.gaierror as err:
        raise CliPortError(f"--host {host!r} is not an address this machine can listen on "
                           f"({err.strerror}); use e.g. --host 127.0.0.1") from err
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(addr)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            other = port + 1 if port < 65535 else 8000
            msg = (f"port {port} on {host} is already in use by another program; pick "
                   f"another with --port, e.g. carecost serve --port {other}")
        else:
            msg = (f"cannot listen on {host}:{port} ({err.strerror or err}); pick another "
                   "port with --port (ports below 1024 need administrator rights) or another "
                   "address with --host")
        raise CliPortError(msg) from err
    return sock


@app.command()
def read(
    source: Annotated[str, typer.Argument(
        help="A data-set .toml file, a registered name ('example'), an ATUS directory "
        "(official BLS .dat/.zip files or the abridged Parquet files), or one table file "
        "(.csv, .parquet, .dta, .sav).")],
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Write the person-level table: .csv, .parquet, .xlsx or .json.",
        dir_okay=False)] = None,
) -> None:
    """Read a data set or a table, check it, and print what was found (diaries, weights)."""
    with _guard("read"):
        p = Path(source)
        ext = p.suffix.lower()
        if not p.is_dir() and ext and ext not in (*READ_TABLES, ".toml"):
            raise CliInputError(
                f"{source}: cannot read {ext!r} files; read takes a data-set .toml file, a "
                "registered data set name ('example'), an ATUS directory, or one table file ("
                f"{', '.join(READ_TABLES)})")
        if p.is_dir():
            from carecost.timeuse import read_atus

            with _progress(1, f"reading ATUS files in {p}") as step:
                step(f"reading ATUS files in {p}")
                survey = read_atus(p)
            df = survey.persons
            _say(f"{p}: {len(df):,} respondents; {survey.report.summary()}")
            _say(f"standard errors: {survey.variance}")
        elif ext in READ_TABLES:
            from carecost.timeuse import read_table

            with _progress(1, f"reading {p.name}") as step:
                step(f"reading {p.name}")
                df = read_table(p)
            _say(f"{p}: {len(df):,} rows, {len(df.columns)} columns: "
                 f"{', '.join(map(str, df.columns[:12]))}{' ...' if len(df.columns) > 12 else ''}")
        else:
            reg, name = _registry(source, "source")
            with _progress(1, "reading") as step:
                step(f"reading data set {name!r}")
                survey = reg.survey(name)
            df = survey.persons
            _say(f"data set {name!r}: {len(df):,} respondents; {survey.report.summary()}")
            _say(f"standard errors: {survey.variance}")
        if out is not None:
            _write_frame(df, out)
            _say(f"wrote {out}")


def _write_frame(df: pd.DataFrame, out: Path) -> None:
    ext = out.suffix.lower()
    if not out.parent.exists():
        raise CliInputError(f"--out {str(out)!r}: the folder {str(out.parent)!r} does not exist")
    if ext == ".csv":
        df.to_csv(out, index=False)
    elif ext == ".parquet":
        df.to_parquet(out, index=False)
    elif ext == ".xlsx":
        if len(df) > 1_048_575 or len(df.columns) > 16_384:
            raise CliInputError(f"{len(df):,} rows x {len(df.columns)} columns do not fit an "
                                "Excel sheet; write .csv or .parquet")
        df.to_excel(out, index=False, engine="openpyxl")
    elif ext == ".json":
        df.to_json(out, orient="records")
    else:
        raise CliInputError(f"--out {str(out)!r}: use .csv, .parquet, .xlsx or .json")


def _print_frame(df: pd.DataFrame, title: str, columns: list[str], limit: int = 60) -> None:
    """Print the first ``limit`` rows of ``columns`` of ``df`` as a terminal table."""
    import pandas as pd

    from carecost.briefs import fmt_number

    table = RichTable(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in df[columns].head(limit).itertuples(index=False):
        table.add_row(*("" if pd.isna(v) else _escape(fmt_number(v) if isinstance(v, float)
                                                        else str(v)) for v in row))
    out_console.print(table)
    if len(df) > limit:
        _say(f"... {len(df) - limit:,} more rows; write them all with --out FILE")


@app.command()
def countries(
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write the table (.csv, .xlsx, .json or .parquet).", dir_okay=False)]
    = None,
) -> None:
    """List the countries of the country database and which inputs each has."""
    with _guard("countries"):
        import carecost.countries as cc

        table = cc.available()
        if out is not None:
            _write_frame(table, out)
            _say(f"wrote {len(table)} countries to {out}")
            return
        inputs = [c for c in table.columns if table[c].dtype == bool]
        shown = table.assign(inputs=table[inputs].sum(axis=1).astype(str) + f" of {len(inputs)}",
                             io_table=table["io_table"].map({True: "WIOD", False: "fallback"}))
        _print_frame(shown, f"{len(table)} countries and areas (carecost.countries)",
                     ["iso3", "name", "region", "income_group", "inputs", "io_table"],
                     limit=len(table))


@app.command()
def country(
    iso3: Annotated[str, typer.Argument(help="ISO 3166-1 alpha-3 code, e.g. MEX.")],
    year: Annotated[int, typer.Option(
        "--year", help="Year of the profile (2000-2060; later years are projections).")]
    = 2025,
    out: Annotated[Path | None, typer.Option(
        "--out", help="Write the profile (.csv, .xlsx, .json or .parquet).", dir_okay=False)]
    = None,
) -> None:
    """Every country input with its value, unit, source, observation year and flag."""
    with _guard(f"country {iso3}"):
        import carecost.countries as cc

        prof = cc.profile(iso3, year)
        if out is not None:
            _write_frame(prof, out)
            _say(f"wrote {len(prof)} inputs of {iso3.upper()} ({year}) to {out}")
            return
        missing = int((prof["flag"] == "missing").sum())
        _print_frame(prof, f"{iso3.upper()}, {year}: {len(prof)} inputs ({missing} missing)",
                     ["input", "sex", "category", "value", "unit", "year", "flag"],
                     limit=len(prof))


@app.command("new-scenario")
def new_scenario(
    file: Annotated[Path, typer.Argument(
        help="Scenario .toml file to write (a commented starter: every key with its unit, "
        "allowed range and default).", dir_okay=False)],
    force: Annotated[bool, typer.Option("--force", help="Overwrite the file if it exists.")]
    = False,
) -> None:
    """Write a commented starter scenario; edit it, then: carecost validate FILE."""
    with _guard(f"new-scenario {file}"):
        from carecost.investment import scenario_template

        if file.suffix.lower() != ".toml":
            raise CliInputError(f"{file}: give a file name ending in .toml")
        if file.exists() and not force:
            raise CliInputError(f"{file} exists; choose another name or add --force to "
                                "overwrite it")
        if not file.parent.exists():
            raise CliInputError(f"{file}: the folder {str(file.parent)!r} does not exist; "
                                "create it first")
        file.write_text(scenario_template(), encoding="utf-8")
        _say(f"wrote {file}; every key is explained in it and in {REFERENCE}. Next: "
             f"carecost validate {file}")


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(
        help="A scenario .toml, a data-set .toml or a scenario .json file.", dir_okay=False)],
) -> None:
    """Check a scenario or data-set file; exit 0 when valid, 1 with the first problem.

    A data-set file is valid when its files can be read and hold the declared columns
    (weights, design, sex, domains, and the activity groups when [valuation] is given).
    """
    with _guard(f"validate {file}"):
        if not file.is_file():
            raise CliInputError(f"{file}: file not found")
        if file.suffix.lower() == ".json":
            scn = _load_scenario_file(file)
            _check_scenario(scn)
            _warn_data(scn)
            _say(f"[green]valid[/] scenario {_escape(scn.name)!r}: {len(scn.services)} services, "
                 f"{scn.base_year}-{scn.end_year}")
            return
        try:
            raw = tomllib.loads(file.read_bytes().decode("utf-8"))
        except UnicodeDecodeError as err:
            raise CliInputError(f"{file}: not a TOML text file (byte {err.start} is not UTF-8 "
                                "text)") from err
        except tomllib.TOMLDecodeError as err:
            raise CliInputError(f"{file}: not valid TOML: {err}") from err
        if "dataset" in raw:
            from carecost.briefs import DatasetRegistry, load_dataset_spec

            spec: DatasetSpec = load_dataset_spec(file)
            reg = DatasetRegistry({spec.name: spec})
            with _progress(1, "reading the data set") as step:
                step(f"reading and checking data set {spec.name!r}")
                survey = reg.check(spec.name)
            _say(f"[green]valid[/] data-set file: {spec.name!r} ({spec.kind}), "
                 f"{len(survey.persons):,} respondents, domains {list(spec.domains)}")
        elif "meta" in raw or "services" in raw:
            scn = _load_scenario_file(file)
            _check_scenario(scn)
            _warn_data(scn)
            _say(f"[green]valid[/] scenario {_escape(scn.name)!r}: {len(scn.services)} services, "
                 f"{scn.base_year}-{scn.end_year}")
        else:
            raise CliInputError(f"{file}: neither a scenario ([meta] and [[services]]) nor a "
                                "data set ([dataset])")


def _warn_data(scn: Any) -> None:
    """Print the scenario's data warnings (e.g. a real country on the example's table)."""
    for w in scn.data_warnings:
        err_console.print(f"[bold yellow]warning[/]: {_escape(w)}", soft_wrap=True)


def _check_scenario(scn: Any) -> None:
    """Every check ``carecost simulate`` makes, without the Monte Carlo draws.

    The simulation itself (input-output table, sectors, populations), the comparison
    sector when one is set, and the default uncertainty ranges against the allowed values.
    """
    from carecost.briefs import default_ranges
    from carecost.investment import compare_sectors, simulate

    with _progress(1, "checking the scenario") as step:
        step("simulating the scenario (no Monte Carlo)")
        res = simulate(scn)
        if scn.comparison_sector:
            compare_sectors(res, year=scn.target_year)
        for r in default_ranges(scn):
            r.validate(scn)


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    try:
        app(args=argv, prog_name="carecost", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_INPUT)
    return 0


def main_job(out: str | Path = "carecost-output") -> int:
    """The README's main job (``python -m carecost``): ``carecost run --out <out>``."""
    return main(["run", "--out", str(out)])


if __name__ == "__main__":
    sys.exit(main())
