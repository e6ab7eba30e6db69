"""The HTML briefs rendered in headless Chromium: screenshots (phone and desktop widths),
DOM with charts and tables, and no console errors.  Skipped when Chromium is missing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from carecost.briefs import Brief, example_briefs, write_brief
from carecost.briefs.output import find_chromium

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium not installed (Debian: apt-get install chromium; or set CARECOST_CHROMIUM)",
)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--enable-logging=stderr", "--v=0"]


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=90, check=False)


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "Uncaught" in line or ("CONSOLE" in line and "error" in line.lower())
            or "Refused to" in line]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("briefs")
    briefs: dict[str, Brief] = example_briefs(draws=200)
    return {k: write_brief(b, out, formats=["html"])["html"] for k, b in briefs.items()}


@pytest.mark.parametrize("kind", ["gap", "value", "investment"])
def test_dom_has_charts_and_tables(pages: dict[str, Path], kind: str, tmp_path: Path) -> None:
    proc = _chromium(["--dump-dom", pages[kind].as_uri()], tmp_path / "profile")
    assert proc.returncode == 0, proc.stderr[-500:]
    dom = proc.stdout
    n_svg = dom.count("<svg")
    assert n_svg >= 2
    assert dom.count('role="img"') == n_svg
    assert dom.count("<table") >= n_svg
    assert dom.count("<figcaption") == n_svg
    assert 'class="cards"' in dom
    assert not _console_errors(proc.stderr), _console_errors(proc.stderr)


@pytest.mark.parametrize(("kind", "size"), [("gap", "390,1800"), ("investment", "1280,2400"),
                                            ("value", "390,1800")])
def test_screenshot_not_blank(pages: dict[str, Path], kind: str, size: str,
                              tmp_path: Path) -> None:
    from PIL import Image

    png = tmp_path / f"{kind}.png"
    proc = _chromium([f"--screenshot={png}", f"--window-size={size}", pages[kind].as_uri()],
                     tmp_path / "profile")
    assert proc.returncode == 0 and png.exists(), proc.stderr[-500:]
    assert not _console_errors(proc.stderr), _console_errors(proc.stderr)
    with Image.open(png) as im:
        w, h = im.size
        assert (w, h) == tuple(int(x) for x in size.split(","))
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 16)
        # text, cards and chart colours: far from a blank page
        assert colours is None or len(colours) > 50
        # the Okabe-Ito blue of the charts or the accent is on the page
        px = np.asarray(rgb, dtype=np.int16)
        r, g, b = px[..., 0], px[..., 1], px[..., 2]
        assert int(((r < 40) & (g > 90) & (g < 140) & (b > 150)).sum()) > 400
        nonwhite = (px != 255).any(axis=-1).mean()
        assert nonwhite > 0.03


def test_console_error_detection_works(tmp_path: Path) -> None:
    """A control: a page with a failing script is caught by the same log check."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>notDefined();</script>"
                    "</body></html>", encoding="utf-8")
    proc = _chromium(["--dump-dom", page.as_uri()], tmp_path / "profile")
    assert _console_errors(proc.stderr), proc.stderr[-800:]
