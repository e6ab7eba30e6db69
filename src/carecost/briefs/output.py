"""Writing briefs to files (HTML, JSON, optionally PDF) and the example briefs."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from .model import Brief, BriefError

__all__ = ["FORMATS", "example_briefs", "html_to_pdf", "write_brief"]

FORMATS = ("html", "json", "pdf")


def write_brief(brief: Brief, out_dir: str | Path, *, formats: Iterable[str] = ("html", "json"),
                stem: str | None = None) -> dict[str, Path]:
    """Write ``brief`` into ``out_dir`` as ``<stem>.html``, ``<stem>.json`` and/or ``.pdf``.

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
        raise OSError(f"cannot create the output folder {out}: {err.strerror}") from err
    name = stem or f"{brief.kind}-brief"
    written: dict[str, Path] = {}
    if "json" in fm:
        p = out / f"{name}.json"
        p.write_text(brief.to_json() + "\n", encoding="utf-8")
        written["json"] = p
    if "html" in fm or "pdf" in fm:
        p = out / f"{name}.html"
        p.write_text(brief.to_html(), encoding="utf-8")
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
    with tempfile.TemporaryDirectory() as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={dst}", src.as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired as err:
            raise BriefError(f"Chromium did not print {src} within {timeout:g} s") from err
    if proc.returncode != 0 or not dst.exists():
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
