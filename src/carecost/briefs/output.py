"""Writing briefs to files (HTML, JSON, optionally PDF) and the example briefs.

Each file is written atomically: into a temporary file in the same folder, then renamed over
the old one, so a brief file is either the old one or the whole new one, never a half-written
mix (on a full disk or an interrupted run).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .model import Brief, BriefError

__all__ = ["FORMATS", "example_briefs", "html_to_pdf", "write_brief", "write_text_atomic"]

FORMATS = ("html", "json", "pdf")


def _temporary_sibling(path: Path) -> Path:
    """A new hidden file name next to ``path`` (``.<name>.<random>.tmp``)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary sibling of ``path`` to write; rename it over ``path`` on success.

    On any failure the temporary file is removed and ``path`` is left as it was; an
    :class:`OSError` (a full disk, a read-only folder) names ``path``.
    """
    tmp = _temporary_sibling(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(err, OSError) and err.filename in (None, str(tmp)):
            raise OSError(err.errno, err.strerror or str(err), str(path)) from err
        raise


def write_text_atomic(path: str | Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically: the old file or the whole new one.

    Parameters
    ----------
    path
        The file; its folder must exist.
    text
        The content.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    OSError
        When the file cannot be written (its ``filename`` is ``path``); ``path`` is then
        unchanged and no temporary file is left.
    """
    p = Path(path)
    with _replacing(p) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
    return p


def write_brief(brief: Brief, out_dir: str | Path, *, formats: Iterable[str] = ("html", "json"),
                stem: str | None = None) -> dict[str, Path]:
    """Write ``brief`` into ``out_dir`` as ``<stem>.html``, ``<stem>.json`` and/or ``.pdf``.

    Each file is written atomically (:func:`write_text_atomic`): an older file of the same
    name is replaced whole or, when writing fails, left as it was.

    Parameters
    ----------
    brief
        The brief.
    out_dir
        Folder (created if missing).
    formats
        Any of ``"html"``, ``"json"``, ``"pdf"`` (PDF needs Chromium; see
        :func:`html_to_pdf`).
    stem
        File name without extension (default ``"<kind>-brief"``).

    Returns
    -------
    dict
        Format -> path written.
    """
    fm = list(dict.fromkeys(formats))
    bad = [f for f in fm if f not in FORMATS]
    if bad:
        raise BriefError(f"brief formats {bad} unknown; allowed {list(FORMATS)}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OSError(err.errno, f"cannot create the output folder ({err.strerror})",
                      str(out)) from err
    name = stem or f"{brief.kind}-brief"
    written: dict[str, Path] = {}
    if "json" in fm:
        written["json"] = write_text_atomic(out / f"{name}.json", brief.to_json() + "\n")
    if "html" in fm or "pdf" in fm:
        p = write_text_atomic(out / f"{name}.html", brief.to_html())
        if "html" in fm:
            written["html"] = p
        if "pdf" in fm:
            from .html import render_html

            with tempfile.TemporaryDirectory() as tmp:
                printable = Path(tmp) / f"{name}.html"
                printable.write_text(render_html(brief, open_tables=True), encoding="utf-8")
                written["pdf"] = html_to_pdf(printable, out / f"{name}.pdf")
    return written


def find_chromium() -> str | None:
    """Path of a Chromium executable (``CARECOST_CHROMIUM`` or on ``PATH``), or None."""
    env = os.environ.get("CARECOST_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        p = shutil.which(name)
        if p:
            return p
    return None


def html_to_pdf(html_path: str | Path, pdf_path: str | Path, *, timeout: float = 60.0) -> Path:
    """Print an HTML file to PDF with headless Chromium.

    The PDF is printed to a temporary file next to ``pdf_path`` and renamed to it when
    complete (an older PDF is replaced whole or left as it was).

    Raises
    ------
    BriefError
        When no Chromium is installed (install the Debian package ``chromium``
        or set ``CARECOST_CHROMIUM``), or printing fails.
    """
    exe = find_chromium()
    if exe is None:
        raise BriefError("PDF output needs Chromium: install it (Debian: apt-get install "
                         "chromium) or set CARECOST_CHROMIUM to its path; HTML and JSON need "
                         "nothing")
    src, dst = Path(html_path).resolve(), Path(pdf_path).resolve()
    with _replacing(dst) as tmp, tempfile.TemporaryDirectory() as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={tmp}", src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired as err:
            raise BriefError(f"Chromium did not print {src} within {timeout:g} s") from err
        if proc.returncode != 0 or not tmp.exists():
            raise BriefError(f"Chromium could not print {src} to PDF (exit {proc.returncode}): "
                             f"{proc.stderr.strip()[-300:]}")
    return dst


def example_briefs(*, progress: Callable[[str], None] | None = None,
                   draws: int = 2000) -> dict[str, Brief]:
    """The three briefs on the embedded example data (synthetic 'Exampleland').

    Gap (by age group, with SDG 5.4.1), value (all methods, hybrid headline) and
    investment (the example scenario, Monte Carlo over :func:`default_ranges`).

    Parameters
    ----------
    progress
        Called with a short message before each step (for progress displays).
    draws
        Monte Carlo draws of the value and investment intervals.
    """
    from carecost.investment import example_scenario

    from .datasets import DatasetRegistry
    from .gap import gap_brief
    from .investment import investment_brief
    from .value import value_brief

    def step(msg: str) -> None:
        if progress is not None:
            progress(msg)

    reg = DatasetRegistry.default()
    step("reading the example survey")
    survey = reg.survey("example")
    spec = reg.spec("example")
    step("unpaid-care gender gap and SDG 5.4.1")
    gap = gap_brief(survey, dataset=spec, by="age_group")
    step("value of unpaid care work")
    value = value_brief(survey, spec, draws=draws)
    step("investment scenario and Monte Carlo")
    inv = investment_brief(example_scenario(), draws=draws)
    return {"gap": gap, "value": value, "investment": inv}
