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
130
    Interrupted (Ctrl+C, SIGINT): one line on stderr, no traceback.  An interrupted
    command leaves every ``--out`` file or folder as it was before it started.

Outputs
-------
Every ``--out`` file or folder is written into a hidden temporary sibling
(``.<name>.carecost-*``) and moved into place only when complete, so an interrupted or
failed command (full disk, Ctrl+C) leaves the older output whole and no partial files.
``carecost run --out DIR`` replaces an older main-job output in ``DIR`` whole (it refuses a
folder holding files it did not write); ``carecost brief --out DIR`` replaces its brief
files and keeps the other files in ``DIR``.  Whether ``--out`` can be written is checked
before any computation.

The main job, on the embedded example data (synthetic 'Exampleland')::

    carecost run --out carecost-output/

writes the gap, value and investment briefs (HTML and JSON), an index page
and all their tables.
"""

from __future__ import annotations

import os
import signal
import sys
import threading

EXIT_INTERRUPTED = 130
"""Exit code after Ctrl+C (SIGINT), as shells report a process ended by SIGINT (128 + 2)."""


def _as_program() -> bool:
    """True when this process is the ``carecost`` command (not a library import)."""
    if os.path.basename(sys.argv[0] if sys.argv else "") in ("carecost", "carecost.exe"):
        return True
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", None) in ("carecost.__main__", "carecost.cli")


def _exit_interrupted(signum: int, frame: object) -> None:
    """SIGINT while the command line starts or ends: one line on stderr, exit 130.

    Installed before the command line's imports (typer, rich) when ``carecost`` runs as a
    program, so that Ctrl+C during start-up prints no traceback; during a command,
    :func:`main` raises :class:`KeyboardInterrupt` instead, so that temporary outputs are
    removed.
    """
    try:
        sys.stdout.flush()
    except Exception:  # a flush cut by the signal itself (reentrant call): nothing to save
        pass
    state = globals().get("_STATE") or {}
    done = b"" if state.get("committed") else b"; no output was written"
    try:
        os.write(2, b"carecost: interrupted (Ctrl+C)" + done + b"\n")
    finally:
        os._exit(EXIT_INTERRUPTED)


if _as_program() and threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGINT, _exit_interrupted)

import contextlib  # noqa: E402  (after the SIGINT handler: Ctrl+C during imports)
import errno  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import tomllib  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TYPE_CHECKING, Annotated, Any, Literal  # noqa: E402

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.progress import (  # noqa: E402
    BarColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table as RichTable  # noqa: E402

import carecost  # noqa: E402
from carecost.errors import CarecostInputError  # noqa: E402
from carecost.limits import (  # noqa: E402
    COUNTRY_METHODS,
    MAX_DRAWS,
    MAX_LEVEL,
    METHODS,
    MIN_LEVEL,
    REFERENCE,
    TABLE_FORMATS,
)

if TYPE_CHECKING:  # the briefs (pandas, SciPy, statsmodels) load only in the commands
    import pandas as pd

    from carecost.briefs import Brief, DatasetRegistry, DatasetSpec

__all__ = ["EXIT_INPUT", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_MISSING", "EXIT_OUTPUT",
           "EXIT_PORT", "app", "main", "main_job"]

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
            "70 internal error, 130 interrupted (Ctrl+C)."),
)
out_console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
_STATE = {"debug": False, "quiet": False, "committed": False, "interrupt_reported": False}


class CliInputError(Exception):
    """Bad input found by the command line itself (exit code 1)."""


class CliPortError(Exception):
    """``carecost serve`` cannot listen on the address asked for (exit code 5)."""


class CliOutputError(Exception):
    """An ``--out`` file or folder that cannot be written (exit code 3)."""


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
    """Turn exceptions into a clear message (printed once) and an exit code."""
    try:
        with _log_once(enabled=what != "serve"):
            yield
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        _report_interrupt(what)
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except CliPortError as err:
        err_console.print(f"[bold red]error[/]: {what}: {_escape(str(err))}", soft_wrap=True)
        raise typer.Exit(EXIT_PORT) from None
    except CliOutputError as err:
        err_console.print(f"[bold red]error[/]: {what}: {_escape(str(err))}")
        raise typer.Exit(EXIT_OUTPUT) from None
    except _input_errors() as err:
        err_console.print(f"[bold red]error[/]: {what}: {_escape(_with_reference(err))}")
        raise typer.Exit(EXIT_INPUT) from None
    except ModuleNotFoundError as err:
        top = (err.name or "").split(".")[0] or "?"
        err_console.print(f"[bold red]error[/]: {what} needs the package {top!r}, which is not "
                          f"installed: {_escape(install_hint(top))}", soft_wrap=True)
        raise typer.Exit(EXIT_MISSING) from None
    except OSError as err:
        err_console.print(f"[bold red]error[/]: {what}: {_escape(os_error_message(err))}")
        raise typer.Exit(EXIT_OUTPUT) from None
    except Exception as err:  # a bug: say so, show details only on request
        if _STATE["debug"]:
            err_console.print_exception()
        err_console.print(f"[bold red]internal error[/] in {what}: {type(err).__name__}: "
                          f"{_escape(str(err))}. This is a bug in carecost; please report it "
                          "with the output of --debug.")
        raise typer.Exit(EXIT_INTERNAL) from None


def _report_interrupt(what: str) -> None:
    """The one line printed after Ctrl+C (once, whatever caught the interrupt)."""
    if _STATE["interrupt_reported"]:
        return
    _STATE["interrupt_reported"] = True
    if what == "serve":
        line = "the server stopped"
    elif _STATE["committed"]:
        line = f"{what} stopped; its output was written before the interrupt"
    else:
        line = f"{what} stopped; no output was written or changed"
    err_console.print(f"[bold red]interrupted[/] (Ctrl+C): {line}", soft_wrap=True)


OS_HINTS = {
    errno.ENOSPC: "the disk is full: free some space or write to another disk",
    errno.EDQUOT: "the disk quota is used up: free some space or write to another disk",
    errno.EROFS: "the file system is read-only: choose another --out",
    errno.EACCES: "permission denied: check the folder's permissions or choose another --out",
    errno.EPERM: "not permitted: check the folder's permissions or choose another --out",
    errno.ENOTDIR: "a part of the path is a file, not a folder: check the path",
    errno.EISDIR: "it is a folder: give a file name",
    errno.ENOENT: "a folder on the path does not exist: check the path or create it",
}
"""What to do about the file-system errors an output meets (by ``errno``)."""


def os_error_message(err: OSError) -> str:
    """A one-sentence message for a file-system error: the file, the reason, what to do.

    Examples
    --------
    >>> import errno
    >>> msg = os_error_message(OSError(errno.ENOSPC, "No space left on device", "out/a.csv"))
    >>> msg.startswith("cannot read or write a file (out/a.csv): No space left on device;")
    True
    """
    name = err.filename
    where = f" ({name})" if name else ""
    hint = OS_HINTS.get(err.errno or 0, "check the path and its permissions")
    return f"cannot read or write a file{where}: {err.strerror or err}; {hint}"


@contextlib.contextmanager
def _log_once(*, enabled: bool) -> Iterator[None]:
    """Keep carecost's log records off the terminal while a command reports errors itself.

    Without a logging configuration, Python's last-resort handler would print an error
    that carecost logs (a data set that could not be loaded) a second time, before the
    command's own message.  A configured logging (handlers on carecost's loggers or the
    root logger) is left alone; ``serve`` is left alone too (its logs are the server's).
    """
    import logging

    logger = logging.getLogger("carecost")
    if not enabled or logger.handlers or logging.getLogger().handlers:
        yield
        return
    handler = logging.NullHandler()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


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


# ------------------------------------------------------------------ outputs
OutMode = Literal["file", "merge", "replace"]
RUN_FILES = re.compile(r"^(index\.html|(gap|value|investment)-brief\.(html|json|pdf))$")
"""Files of the main job's output folder (``carecost run --out``)."""
RUN_TABLES = re.compile(r"^(gap|value|investment)(-[A-Za-z0-9_]+)?\.(csv|xlsx|json)$")
"""Files of its ``tables`` folder."""
JUNK = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
"""Files a desktop adds to folders (replaced with the folder)."""
STAGE_TAG = ".carecost-"
"""Part of the names of temporary output folders (``.<name>.carecost-<random>``)."""


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends (moving outputs into place is never cut).

    A signal that arrives meanwhile is delivered when the block ends.  Only where the
    platform can block signals (POSIX) and in the main thread; elsewhere a no-op.
    """
    if not hasattr(signal, "pthread_sigmask") or (
            threading.current_thread() is not threading.main_thread()):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _foreign_entries(folder: Path) -> list[str]:
    """Entries of ``folder`` that ``carecost run`` did not write (sorted, relative names)."""
    foreign = []
    for entry in sorted(folder.iterdir()):
        if entry.name in JUNK or STAGE_TAG in entry.name:
            continue
        if entry.name == "tables" and entry.is_dir() and not entry.is_symlink():
            foreign += [f"tables/{e.name}" for e in sorted(entry.iterdir())
                        if not (RUN_TABLES.match(e.name) and e.is_file())
                        and e.name not in JUNK]
        elif not (RUN_FILES.match(entry.name) and entry.is_file()):
            foreign.append(entry.name)
    return foreign


class Staged:
    """An ``--out`` written into a hidden temporary sibling and moved into place when complete.

    Modes
    -----
    ``"file"``
        ``--out FILE`` (with its ``<stem>-<table>.csv`` siblings for CSV): the files are
        written into the temporary folder, then each renamed over its final name.
    ``"merge"``
        ``--out DIR`` of ``carecost brief``: the files written replace those of the same
        names in ``DIR``; other files in ``DIR`` are kept.
    ``"replace"``
        ``--out DIR`` of ``carecost run``: the folder is replaced whole (an older output
        is never mixed with the new one); a folder holding files carecost did not write is
        refused.

    Creating it checks that the output can be written (before any computation): a
    read-only or missing folder is an error at once.  The renames at the end hold SIGINT and
    SIGTERM (:func:`_signals_deferred`); a failure or an interrupt before them removes the
    temporary folder and leaves the older output as it was.

    Attributes
    ----------
    out
        The ``--out`` path as given.
    dir
        Where to write: the temporary folder (its files map to ``target``).
    target
        The folder the files end up in (``out`` itself, or its folder in ``"file"`` mode).
    """

    def __init__(self, out: Path, mode: OutMode) -> None:
        self.out, self.mode = out, mode
        path = Path(os.path.abspath(out))
        if mode != "file" and path.is_symlink():
            path = path.resolve()
        self.target = path.parent if mode == "file" else path
        self._inside = False  # the temporary folder is inside target (a mount point)
        self._check(path)
        where = self.target if self._inside else self.target.parent
        if mode == "file":
            where = self.target
        try:
            with _signals_deferred():  # never an orphaned temporary folder
                self.dir = Path(tempfile.mkdtemp(prefix=f".{path.name}{STAGE_TAG}", dir=where))
        except OSError as err:
            raise CliOutputError(
                f"--out {str(out)!r}: cannot write in the folder {str(where)!r} "
                f"({err.strerror or err}); {OS_HINTS.get(err.errno or 0, 'check it')}. "
                "Nothing was computed.") from None
        self.written: list[Path] = []

    def _check(self, path: Path) -> None:
        out = self.out
        if self.mode == "file":
            if path.is_dir():
                raise CliInputError(f"--out {str(out)!r} is a folder; give a file name")
            if not path.parent.exists():
                raise CliInputError(f"--out {str(out)!r}: the folder {str(path.parent)!r} "
                                    "does not exist; create it first")
            if not path.parent.is_dir():
                raise CliOutputError(f"--out {str(out)!r}: {str(path.parent)!r} is a file, "
                                     "not a folder; cannot read or write a file there")
            return
        if path.exists() and not path.is_dir():
            raise CliOutputError(f"--out {str(out)!r} is a file, not a folder; give a folder "
                                 "(cannot read or write a file there)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise CliOutputError(
                f"--out {str(out)!r}: cannot create the folder {str(path.parent)!r} "
                f"({err.strerror or err}); {OS_HINTS.get(err.errno or 0, 'check the path')}; "
                "cannot read or write a file there. Nothing was computed.") from None
        if path.is_dir():
            if self.mode == "replace":
                foreign = _foreign_entries(path)
                if foreign:
                    shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
                    raise CliOutputError(
                        f"--out {str(out)!r} holds files carecost run did not write ({shown}); "
                        "run replaces its output folder whole, so give a new or empty folder "
                        "(or one an earlier carecost run wrote)")
            self._inside = path.stat().st_dev != path.parent.stat().st_dev

    def __enter__(self) -> Staged:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None,
                 tb: object) -> None:
        if err is None:
            self.commit()
            return
        self.discard()
        if isinstance(err, OSError):
            final = self.final(err.filename) if err.filename else None
            raise CliOutputError(
                f"{os_error_message(OSError(err.errno, err.strerror or str(err), final))}. "
                f"Nothing was written to {str(self.out)!r}; an older output there is left as "
                "it was") from None

    def final(self, staged: str | os.PathLike[str]) -> str:
        """The final name of a file written into :attr:`dir`, as ``--out`` was given (other
        paths unchanged)."""
        p = Path(os.path.abspath(staged))
        try:
            rel = p.relative_to(self.dir)
        except ValueError:
            return str(staged)
        return str((self.out.parent if self.mode == "file" else self.out) / rel)

    def discard(self) -> None:
        """Remove the temporary folder (the older output stays as it was)."""
        with _signals_deferred():
            shutil.rmtree(self.dir, ignore_errors=True)

    def commit(self) -> list[Path]:
        """Move the files written into place; return their final paths (as --out was given)."""
        files = sorted((p for p in self.dir.rglob("*") if not p.is_dir()),
                       key=lambda p: (p.name == "index.html", p))  # the index last
        finals = [self.target / p.relative_to(self.dir) for p in files]
        with _signals_deferred():
            try:
                if self.mode == "file" or self._inside or (
                        self.mode == "merge" and self.target.exists()):
                    self._move_files(files, finals)
                elif self.target.exists():  # replace: swap the folders
                    old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}{STAGE_TAG}old-",
                                                dir=self.target.parent))
                    os.replace(self.target, old / "out")
                    try:
                        os.replace(self.dir, self.target)
                    except OSError:
                        os.replace(old / "out", self.target)
                        raise
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    os.replace(self.dir, self.target)
            finally:
                shutil.rmtree(self.dir, ignore_errors=True)
            _STATE["committed"] = True
        self.written = [Path(self.final(p)) for p in files]
        return self.written

    def _move_files(self, files: list[Path], finals: list[Path]) -> None:
        """Rename each file into place; in "replace" mode the older output's files go first."""
        self.target.mkdir(exist_ok=True)
        if self.mode == "replace":
            stale = [p for p in self.target.rglob("*") if not p.is_dir()
                     and STAGE_TAG not in str(p.relative_to(self.target))
                     and p not in finals]
            for p in stale:
                p.unlink()
        for src, dst in zip(files, finals, strict=True):
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Name ``path`` in an :class:`OSError` raised without a file name (a full disk)."""
    try:
        yield
    except OSError as err:
        if err.filename:
            raise
        raise OSError(err.errno, err.strerror or str(err), str(path)) from err


def _staged(out: Path | None, mode: OutMode = "file"
            ) -> contextlib.AbstractContextManager[Staged | None]:
    """A :class:`Staged` output for ``out`` (checked now), or nothing when ``out`` is None."""
    return Staged(out, mode) if out is not None else contextlib.nullcontext()


def _say_written(stage: Staged | None) -> None:
    for p in stage.written if stage is not None else []:
        _say(f"wrote {p}")


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

    ext = _check_table_out(out)
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
            with _writing(p):
                df.to_csv(p, index=False)
            written.append(p)
    elif ext == ".xlsx":
        try:
            import openpyxl  # noqa: F401
        except ModuleNotFoundError as err:
            raise ModuleNotFoundError("Excel output needs openpyxl", name="openpyxl") from err
        with _writing(out):
            write_workbook(out, tables, heading=heading)
        written.append(out)
    else:
        from carecost.briefs.model import clean_json

        doc = {"carecost_version": carecost.__version__,
               "tables": {k: clean_json(df.to_dict(orient="records"))
                          for k, df in tables.items() if k != "about"},
               "about": clean_json(tables["about"].to_dict(orient="records"))}
        with _writing(out):
            out.write_text(json.dumps(doc, indent=2, allow_nan=False, ensure_ascii=False)
                           + "\n", encoding="utf-8")
        written.append(out)
    return written


def _check_table_out(out: Path | None) -> str:
    """The table format of ``--out`` (its extension), or a clear error for another one."""
    if out is None:
        return ""
    ext = out.suffix.lower()
    if ext not in TABLE_FORMATS:
        raise CliInputError(f"--out {str(out)!r}: unknown table format {ext or '(none)'!r}; use "
                            f"a file name ending in {', '.join(TABLE_FORMATS)}")
    return ext


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
        shown = ("–" if q.ci_low is None and q.ci_high is None
                 else f"{lv}{kind} {fmt_interval(q.ci_low, q.ci_high)}")
        t.add_row(q.label + ("  (!)" if q.flags else ""), fmt_number(q.estimate), shown,
                  fmt_number(q.se), q.unit)
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


def _finish(brief: Brief, stage: Staged | None,
            extra: dict[str, pd.DataFrame] | None = None) -> None:
    """Print the headline numbers; write the tables into ``stage`` (moved into place later)."""
    _print_headline(brief)
    if stage is not None:
        frames = {**brief_frames(brief), **(extra or {})}
        write_tables(frames, stage.dir / stage.out.name, _about(brief), heading=_heading(brief))


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
        _check_table_out(out)
        with _staged(out) as stage:  # --out is checked before any work
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
            _finish(b, stage)
        _say_written(stage)
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
    country: Annotated[str | None, typer.Option(
        "--country", help="ISO3 code: value this country's unpaid care work from its SDG 5.4.1 "
        "hours (country database; imputed and flagged without a survey) instead of a "
        "data set.")] = None,
    world: Annotated[bool, typer.Option(
        "--world", help="World and regional totals for --year: every country with population "
        "by age, hours imputed where there is no survey (flagged).")] = False,
    year: Annotated[int | None, typer.Option(
        "--year", help="Survey year (--country; default the latest) or chosen year (--world, "
        "2000-2023; default 2015).")] = None,
    country_method: Annotated[list[str] | None, typer.Option(
        "--country-method", help="Method with --country or --world (repeat for several): "
        f"{', '.join(COUNTRY_METHODS)}. Default: all.")] = None,
) -> None:
    """Value of unpaid household and care work (currency per year, % of GDP), by method.

    From a survey data set (--data, default the example), for one country of the country
    database (--country ISO3) or for the world (--world --year 2015).
    """
    with _guard("value"):
        if country is not None or world:
            _value_countries(country, world, year, country_method, data=data, method=method,
                             main=main, draws=draws, seed=seed, level=level, out=out)
            return
        if year is not None or country_method:
            raise CliInputError("--year and --country-method apply to --country ISO3 or "
                                "--world; a data set is valued in its own year")
        meths = method or list(METHODS)
        if main is None:
            main = "hybrid" if "hybrid" in meths else meths[0]
        elif main not in meths:
            raise CliInputError(f"--main {main!r} is not among the methods asked for {meths}; "
                                "add it with --method or choose one of them")
        _check_table_out(out)
        with _staged(out) as stage:  # --out is checked before any work
            from carecost.briefs import value_brief
            from carecost.briefs.value import check_value_request

            reg, name = _registry(data)
            # the data-set file's wages and the methods are checked before reading the data
            check_value_request(reg.spec(name), methods=meths, main=main, level=level,
                                draws=draws)
            with _progress(2, "reading the survey") as step:
                step(f"reading data set {name!r}")
                survey = reg.survey(name)
                step("valuing unpaid work and running the Monte Carlo")
                b = value_brief(survey, reg.spec(name), methods=meths, main=main, level=level,
                                draws=draws, seed=seed)
            _finish(b, stage)
        _say_written(stage)


def _country_code(code: str) -> str:
    """``code`` as an ISO3 code of the country database, or a clear error naming the closest."""
    import difflib

    iso = code.strip().upper()
    codes = carecost_countries_available()
    known = dict(zip(codes["iso3"], codes["name"], strict=True))
    if iso in known:
        return iso
    close = difflib.get_close_matches(iso, list(known), n=3, cutoff=0.5)
    hint = (f"; did you mean {', '.join(f'{c} ({known[c]})' for c in close)}?" if close
            else "")
    raise CliInputError(f"--country {code!r} is not an ISO3 code of the country database"
                        f"{hint} List the codes with: carecost countries")


def _value_countries(country: str | None, world: bool, year: int | None,
                     country_method: list[str] | None, *, data: str, method: list[str] | None,
                     main: str | None, draws: int, seed: int, level: float,
                     out: Path | None) -> None:
    """``carecost value --country ISO3`` (the country brief without the care package) and
    ``carecost value --world`` (:func:`carecost.valuation.value_world`)."""
    if country is not None and world:
        raise CliInputError("give --country ISO3 or --world, not both")
    if data != "example" or method or main is not None:
        raise CliInputError("--data, --method and --main value a survey data set; with "
                            "--country or --world choose methods with --country-method")
    bad = [m for m in country_method or [] if m not in COUNTRY_METHODS]
    if bad:
        raise CliInputError(f"--country-method {bad[0]!r} unknown; allowed any of "
                            f"{', '.join(COUNTRY_METHODS)}")
    meths = tuple(dict.fromkeys(country_method or COUNTRY_METHODS))
    if world and year is not None and not 2000 <= year <= 2023:
        raise CliInputError(f"--year {year}: --world values 2000-2023 (WPP 2019 population "
                            "and WDI GDP)")
    _check_table_out(out)
    with _staged(out) as stage:  # --out is checked before any work
        if country is not None:
            from carecost.briefs.country import country_brief

            iso = _country_code(country)
            with _progress(1, f"valuing {iso}") as step:
                step(f"valuing the unpaid care work of {iso}")
                b = country_brief(iso, year, methods=meths, investment=False)
            _finish(b, stage)
        else:
            from carecost.valuation import value_world

            y = 2015 if year is None else year
            with _progress(1, "valuing every country") as step:
                step(f"hours, wages, imputation and Monte Carlo ({draws:,} draws)")
                res = value_world(y, method=meths, draws=draws, seed=seed, level=level)
            _print_world_value(res.quantities, level)
            if stage is not None:
                write_tables(res.frames(), stage.dir / stage.out.name, res.about(),
                             heading=(f"The value of unpaid domestic and care work, world and "
                                      f"regions, {res.year}",))
    _say_written(stage)


def _print_world_value(quantities: tuple[dict[str, Any], ...], level: float) -> None:
    """The world numbers of :func:`carecost.valuation.value_world` as a terminal table."""
    if _STATE["quiet"]:
        return
    from carecost.briefs import fmt_interval, fmt_number

    t = RichTable(title="The value of unpaid domestic and care work, the world",
                  title_justify="left")
    flagged = False
    t.add_column("Measure")
    t.add_column("Estimate", justify="right")
    t.add_column(f"{100 * level:.0f}% interval", justify="right")
    t.add_column("Unit")
    for q in quantities:
        if q["id"].startswith("world."):
            flagged = flagged or bool(q.get("flags"))
            t.add_row(_escape(str(q["label"])) + ("  (!)" if q.get("flags") else ""),
                      fmt_number(q["estimate"]), fmt_interval(q.get("ci_low"), q.get("ci_high")),
                      _escape(str(q["unit"])))
    out_console.print(t)
    if flagged:
        out_console.print("(!) rests in part on imputed hours or wages: see the flags in the "
                          "tables written with --out", soft_wrap=False)


@app.command()
def simulate(
    scenario: Annotated[str, typer.Argument(
        help="Scenario .toml or .json file (the JSON layout of POST /v1/simulate), or "
        "'example' for the shipped example scenario.")] = "example",
    draws: Annotated[int | None, typer.Option(
        "--draws", min=2, max=MAX_DRAWS, help="Monte Carlo draws (count; default 2000). With "
        "--countries: no Monte Carlo unless given; then intervals on the world, regional and "
        "country results (a monte_carlo table).")] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Monte Carlo seed.")] = 0,
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
    impute_wages: Annotated[bool, typer.Option(
        "--impute-wages", help="With --countries: impute a missing average wage (GDP per "
        "capita x the median wage / GDP-per-capita ratio of countries of the same region and "
        "income group), flagged in the 'imputed' column; off by default.")] = False,
    out: OutOpt = None,
) -> None:
    """Care-investment scenario: cost (currency, % of GDP), jobs, fiscal returns, net funding."""
    with _guard("simulate"):
        _check_table_out(out)
        if impute_wages and countries is None:
            raise CliInputError("--impute-wages needs --countries (the world run)")
        with _staged(out) as stage:  # --out is checked before any work
            scn = _simulate(scenario, draws, seed, level, year, country, preset, countries,
                            stage, impute_wages=impute_wages)
        _say_written(stage)
        if scn is not None:
            _warn_data(scn)


def _simulate(scenario: str, draws: int | None, seed: int, level: float, year: int | None,
              country: str | None, preset: str | None, countries: str | None,
              stage: Staged | None, *, impute_wages: bool = False) -> Any:
    """The work of ``carecost simulate``; its tables go into ``stage``.  Returns the scenario
    (None for ``--countries``)."""
    from carecost.briefs import investment_analysis
    from carecost.investment import simulate as run_sim

    if countries is not None:
        _simulate_many(countries, preset, scenario, year, stage, draws=draws, seed=seed,
                       level=level, impute=("average_wage",) if impute_wages else ())
        return None
    draws = 2000 if draws is None else draws
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
    _finish(a.brief, stage, extra)
    return scn


def _simulate_many(countries: str, preset: str | None, scenario: str, year: int | None,
                   stage: Staged | None, *, draws: int | None = None, seed: int = 0,
                   level: float = 0.90, impute: tuple[str, ...] = ()) -> None:
    """``carecost simulate --countries ...``: one preset or scenario for many countries.

    With ``draws``, a Monte Carlo of every country (:func:`carecost.investment.uncertainty.
    world_monte_carlo`) gives intervals on the world, regional and country results.  The
    tables (:func:`carecost.briefs.world.world_frames`: ``quantities`` first) go into
    ``stage``.
    """
    from carecost.briefs import fmt_interval, fmt_number
    from carecost.briefs.world import world_frames
    from carecost.investment import simulate_many

    if (preset is None) == (scenario == "example"):
        raise CliInputError("--countries needs either --preset NAME or a scenario file (not "
                            "both)")
    codes: str | list[str] = ("all" if countries.strip().lower() == "all"
                              else [c.strip() for c in countries.split(",") if c.strip()])
    what = preset if preset is not None else scenario
    total = len(carecost_countries_available()) if codes == "all" else len(codes)
    with _progress(total, f"simulating {what}") as step:
        res = simulate_many(codes, what, year=year, impute=impute,
                            progress=lambda done, n: step(f"{done} of {n} countries"))
    mc = None
    if draws is not None:
        from carecost.investment.uncertainty import world_monte_carlo

        with _progress(total, f"Monte Carlo ({draws:,} draws)") as step:
            mc = world_monte_carlo(codes, what, draws=draws, seed=seed, level=level, year=year,
                                   impute=impute, progress=lambda done, n: step(
                                       f"Monte Carlo: {done} of {n} countries"))
    world = res.aggregates[res.aggregates["level"] == "world"]
    if not world.empty:
        w = world.iloc[0]
        cost, jobs = "", ""
        if mc is not None and not mc.summary[mc.summary["name"] == "World"].empty:
            _, lo, hi = mc.interval("package_cost_pct_gdp")
            cost = f" ({100 * level:.0f}% MC {fmt_interval(lo, hi)})"
            _, lo, hi = mc.interval("jobs_total")
            jobs = (f" ({100 * level:.0f}% MC {fmt_number(lo, digits=0)} to "
                    f"{fmt_number(hi, digits=0)})")
        _say(f"{res.scenario}: {len(res.countries)} countries costed, {len(res.failures)} "
             f"could not be (listed in the failures table). World (GDP-weighted over the "
             f"countries costed): package cost {fmt_number(w['package_cost_pct_gdp'])}% of GDP"
             f"{cost}, {fmt_number(w['jobs_total'], digits=0)} jobs{jobs}.")
        if impute:
            n_imp = int((res.countries["imputed"] != "").sum())
            _say(f"(!) {n_imp} of the {len(res.countries)} countries costed rest on an imputed "
                 f"{', '.join(impute)} (column 'imputed' of the countries table).")
    if stage is not None:
        frames, about = world_frames(res, mc)
        write_tables(frames, stage.dir / stage.out.name, about)


def carecost_countries_available() -> pd.DataFrame:
    """The country database's list (imported only by the commands that need it)."""
    import carecost.countries as cc

    return cc.available()


@app.command()
def brief(
    kind: Annotated[str, typer.Argument(help="gap, value, investment, all, or country (with "
                                        "an ISO3 code).")],
    iso3: Annotated[str | None, typer.Argument(
        help="ISO3 code of the country brief, e.g. MEX (carecost countries lists them).")]
    = None,
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
    year: Annotated[int | None, typer.Option(
        "--year", help="Survey year of the country brief (default the latest survey).")]
    = None,
) -> None:
    """Write a data brief as self-contained HTML (charts as SVG) and JSON (and PDF).

    ``carecost brief country MEX`` writes the country brief (SDG 5.4.1 hours, their value by
    method and the ILO-style care package) as ``country-mex.html`` and ``.json``.
    """
    with _guard("brief"):
        kinds = ["gap", "value", "investment"] if kind == "all" else [kind]
        if kinds[0] not in ("gap", "value", "investment", "country"):
            raise CliInputError(f"brief kind {kind!r}: use gap, value, investment or all (or "
                                "country ISO3)")
        if kind == "country" and not iso3:
            raise CliInputError("brief country needs an ISO3 code, e.g. carecost brief country "
                                "MEX (carecost countries lists them)")
        if kind != "country" and (iso3 is not None or year is not None):
            raise CliInputError(f"an ISO3 code and --year are for the country brief (carecost "
                                f"brief country ISO3), not for the {kind} brief")
        formats = fmt or ["html", "json"]
        if kind == "country" and iso3 is not None:
            _country_brief(iso3, year, out, formats)
            return
        with Staged(out, "merge") as stage:  # --out is checked before any work
            from carecost.briefs import gap_brief, investment_brief, value_brief, write_brief

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
                write_brief(b, stage.dir, formats=formats)
        for p in stage.written:
            _say(f"wrote {p.suffix[1:].upper():4} {p}")


def _country_brief(iso3: str, year: int | None, out: Path, formats: list[str]) -> None:
    """``carecost brief country ISO3``: the country brief into ``out`` (``country-iso3.*``)."""
    with Staged(out, "merge") as stage:  # --out is checked before any work
        from carecost.briefs import write_brief
        from carecost.briefs.country import country_brief

        iso = _country_code(iso3)
        with _progress(1, f"country brief {iso}") as step:
            step(f"valuing the unpaid care work of {iso} and its care package")
            b = country_brief(iso, year)
        write_brief(b, stage.dir, formats=formats, stem=f"country-{iso.lower()}")
    _print_headline(b)
    for p in stage.written:
        _say(f"wrote {p.suffix[1:].upper():4} {p}")


def _run(out: Path, table_format: str, pdf: bool, draws: int) -> dict[str, Path]:
    """The main job into ``out``: briefs, tables, then the index page; the folder is replaced
    whole when complete (:class:`Staged`, mode ``"replace"``)."""
    t0 = time.perf_counter()
    with Staged(out, "replace") as stage:  # --out is checked before any work
        from carecost.briefs import example_briefs, write_brief
        from carecost.briefs.html import render_index

        with _progress(4, "main job") as step:
            briefs = example_briefs(progress=step, draws=draws)
        formats = ["html", "json"] + (["pdf"] if pdf else [])
        entries = []
        staged: dict[str, Path] = {}
        tables_dir = stage.dir / "tables"
        tables_dir.mkdir()
        for k, b in briefs.items():
            files = write_brief(b, stage.dir, formats=formats)
            staged.update({f"{k}.{f}": p for f, p in files.items()})
            entries.append((b, files["html"].name))
            _print_headline(b)
            if not _STATE["quiet"]:
                out_console.print()
            for p in write_tables(brief_frames(b), tables_dir / f"{k}{table_format}",
                                  _about(b), heading=_heading(b)):
                staged[f"{k}.table.{p.name}"] = p
        index = stage.dir / "index.html"  # last: its links point to every file above
        with _writing(index):
            index.write_text(render_index(entries, title="carecost briefs: Exampleland"),
                             encoding="utf-8")
        staged["index"] = index
    paths = {k: Path(stage.final(p)) for k, p in staged.items()}
    _say(f"wrote {len(paths)} files to {out}/ in {time.perf_counter() - t0:.1f} s; open "
         f"[bold]{_escape(str(out / 'index.html'))}[/] in a browser")
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
    header_timeout: Annotated[float, typer.Option(
        "--header-timeout", min=0.1, max=3600, help="Seconds a client has to send a whole "
        "request head (408 beyond).")] = 10.0,
    body_timeout: Annotated[float, typer.Option(
        "--body-timeout", min=0.1, max=3600, help="Seconds a client has to send a whole "
        "request body after its head (408 beyond).")] = 30.0,
    max_connections_per_client: Annotated[int, typer.Option(
        "--max-connections-per-client", min=0, max=100_000, help="Open connections one client "
        "IP address may hold (429 beyond); 0: no cap, behind a reverse proxy that bounds "
        "them.")] = 32,
    max_header_kb: Annotated[int, typer.Option(
        "--max-header-kb", min=1, max=1024, help="Largest header block of a request (KiB; "
        "431 beyond).")] = 16,
    max_uri_kb: Annotated[int, typer.Option(
        "--max-uri-kb", min=1, max=1024, help="Longest request target, the URI with its query "
        "(KiB; 414 beyond).")] = 16,
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

        from carecost.service import ServerLimits, ServiceSettings, create_app

        sock = _listen(host, port)
        try:
            settings = ServiceSettings.from_cli(
                datasets=list(dataset or []), scenarios=list(scenario or []),
                api_key_env=api_key_env, cors_origins=list(cors_origin or []),
                max_body_bytes=max_body_kb * 1024, max_draws=max_draws,
                rate_limit_per_minute=rate_limit, rate_limit_burst=rate_burst)
            limits = ServerLimits(
                header_timeout=header_timeout, body_timeout=body_timeout,
                max_connections_per_client=max_connections_per_client or None,
                max_header_bytes=max_header_kb * 1024, max_target_bytes=max_uri_kb * 1024)
            application = create_app(settings)
            _say(f"carecost {carecost.__version__} serving on http://{host}:{port} "
                 f"(docs: http://{host}:{port}/docs); data sets: {settings.datasets.names()}")
            config = uvicorn.Config(application, host=host, port=port, log_level="info",
                                    **limits.uvicorn_options())
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
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="Text encoding of a CSV, Stata or SPSS table file, e.g. cp1252 or "
        "latin-1 (default: UTF-8 for CSV, the file's own for Stata/SPSS).")] = None,
    sep: Annotated[str | None, typer.Option(
        "--sep", help="Delimiter of a CSV table file, e.g. ';' (default ',').")] = None,
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
        if p.is_dir() and ext in READ_TABLES:
            raise CliInputError(f"{source}: is a folder, not a {ext} file; give the table file "
                                "itself (or an ATUS folder, whose name has no table extension)")
        if (encoding is not None or sep is not None) and not (ext in READ_TABLES
                                                              and not p.is_dir()):
            raise CliInputError("--encoding and --sep apply to one table file (.csv, .dta, "
                                ".sav), not to a data set or an ATUS folder")
        _check_frame_out(out)
        with _staged(out) as stage:  # --out is checked before any work
            df = _read_source(source, encoding=encoding, sep=sep)
            if stage is not None and out is not None:
                _write_frame(df, stage.dir / out.name)
        _say_written(stage)


def _read_source(source: str, *, encoding: str | None, sep: str | None) -> pd.DataFrame:
    """The table ``carecost read`` reads, after printing what it found."""
    p = Path(source)
    ext = p.suffix.lower()
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
            df = read_table(p, encoding=encoding, sep=sep)
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
    return df


FRAME_FORMATS = (".csv", ".parquet", ".xlsx", ".json")
"""File types ``carecost read``, ``countries`` and ``country`` write a table to."""


def _check_frame_out(out: Path | None) -> None:
    if out is not None and out.suffix.lower() not in FRAME_FORMATS:
        raise CliInputError(f"--out {str(out)!r}: use {', '.join(FRAME_FORMATS)}")


def _write_frame(df: pd.DataFrame, out: Path) -> None:
    """Write one table to ``out`` by its extension (into a :class:`Staged` folder)."""
    ext = out.suffix.lower()
    _check_frame_out(out)
    if ext == ".xlsx" and (len(df) > 1_048_575 or len(df.columns) > 16_384):
        raise CliInputError(f"{len(df):,} rows x {len(df.columns)} columns do not fit an "
                            "Excel sheet; write .csv or .parquet")
    with _writing(out):
        if ext == ".csv":
            df.to_csv(out, index=False)
        elif ext == ".parquet":
            df.to_parquet(out, index=False)
        elif ext == ".xlsx":
            df.to_excel(out, index=False, engine="openpyxl")
        else:
            df.to_json(out, orient="records")


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
        _check_frame_out(out)
        if out is not None:
            with Staged(out, "file") as stage:
                import carecost.countries as cc

                table = cc.available()
                _write_frame(table, stage.dir / out.name)
            _say(f"wrote {len(table)} countries to {out}")
            return
        import carecost.countries as cc

        table = cc.available()
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
        _check_frame_out(out)
        with _staged(out) as stage:
            import carecost.countries as cc

            prof = cc.profile(iso3, year)
            if stage is not None:
                _write_frame(prof, stage.dir / stage.out.name)
        if out is not None:
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
        with Staged(file, "file") as stage, _writing(stage.dir / file.name):
            (stage.dir / file.name).write_text(scenario_template(), encoding="utf-8")
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
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit code.

    Ctrl+C (SIGINT) at any moment ends it with one line on stderr and exit code 130
    (:data:`EXIT_INTERRUPTED`), no traceback: during a command as a
    :class:`KeyboardInterrupt` (temporary outputs are removed, older outputs kept), before
    and after it (as a program) by :func:`_exit_interrupted`.
    """
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGINT) if in_main else None
    _STATE["committed"] = _STATE["interrupt_reported"] = False
    code = 0
    try:
        if in_main:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        app(args=argv, prog_name="carecost", standalone_mode=True)
    except SystemExit as exc:
        code = (exc.code if isinstance(exc.code, int)
                else 0 if exc.code is None else EXIT_INPUT)
    except KeyboardInterrupt:  # between typer's own handling and ours
        code = EXIT_INTERRUPTED
    finally:
        if in_main:
            signal.signal(signal.SIGINT, _exit_interrupted if _as_program()
                          else signal.SIG_DFL if previous is None else previous)
    if code == EXIT_INTERRUPTED:
        _report_interrupt("carecost")
    return code


def main_job(out: str | Path = "carecost-output") -> int:
    """The README's main job (``python -m carecost``): ``carecost run --out <out>``."""
    return main(["run", "--out", str(out)])


if __name__ == "__main__":
    sys.exit(main())
