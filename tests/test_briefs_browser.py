"""The HTML briefs rendered in headless Chromium: screenshots (phone and desktop widths),
DOM with charts and tables, and no console errors.  Skipped when Chromium is missing.

Pixel checks compare each page (and each figure alone) with the same page without its SVGs,
so that they fail when the charts are missing or not drawn."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from carecost.briefs import Brief, example_briefs, write_brief
from carecost.briefs.charts import COLOURS
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
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Brief, Path]]:
    out = tmp_path_factory.mktemp("briefs")
    briefs: dict[str, Brief] = example_briefs(draws=200)
    return {k: (b, write_brief(b, out, formats=["html"])["html"]) for k, b in briefs.items()}


# chart colours (Okabe-Ito blue and vermillion, the first two series of every chart)
# every colour the charts draw with (one per meaning), except black and grey, which the page
# text also uses
_CHART_RGB = tuple(
    tuple(int(c[i:i + 2], 16) for i in (1, 3, 5))
    for c in sorted(set(COLOURS.values())) if c not in ("#000000", "#595959")
)


def _chart_pixels(png: Path) -> int:
    """Pixels of the two chart colours in a screenshot."""
    from PIL import Image

    with Image.open(png) as im:
        px = np.asarray(im.convert("RGB"), dtype=np.int16)
    hit = np.zeros(px.shape[:2], dtype=bool)
    for rgb in _CHART_RGB:
        hit |= (np.abs(px - np.array(rgb, dtype=np.int16)) <= 12).all(axis=-1)
    return int(hit.sum())


def _nonwhite(png: Path) -> int:
    from PIL import Image

    with Image.open(png) as im:
        return int((np.asarray(im.convert("RGB"), dtype=np.int16) < 245).any(axis=-1).sum())


def _without_svgs(page: str) -> str:
    return re.sub(r"<svg\b.*?</svg>", "", page, flags=re.S)


def _screenshot(page: str, name: str, size: str, tmp_path: Path) -> Path:
    html_file = tmp_path / f"{name}.html"
    html_file.write_text(page, encoding="utf-8")
    png = tmp_path / f"{name}.png"
    proc = _chromium([f"--screenshot={png}", f"--window-size={size}", html_file.as_uri()],
                     tmp_path / "profile")
    assert proc.returncode == 0 and png.exists(), proc.stderr[-500:]
    assert not _console_errors(proc.stderr), _console_errors(proc.stderr)
    return png


@pytest.mark.parametrize("kind", ["gap", "value", "investment"])
def test_dom_has_charts_and_tables(pages: dict[str, tuple[Brief, Path]], kind: str,
                                   tmp_path: Path) -> None:
    brief, path = pages[kind]
    proc = _chromium(["--dump-dom", path.as_uri()], tmp_path / "profile")
    assert proc.returncode == 0, proc.stderr[-500:]
    dom = proc.stdout
    figures = re.findall(r'<figure class="figure".*?</figure>', dom, flags=re.S)
    assert len(figures) == len(brief.charts) >= 2
    for fig, chart in zip(figures, brief.charts, strict=True):
        svgs = re.findall(r"<svg\b.*?</svg>", fig, flags=re.S)
        assert len(svgs) == 1, chart.id
        assert 'role="img"' in svgs[0] and svgs[0].count("<path") >= 10, chart.id
        assert fig.count("<table") == 1 and "<figcaption" in fig
        assert f"Data table: {chart.title}" in html.unescape(fig)
    assert dom.count("<svg") == len(brief.charts)
    assert dom.count("<table") == len(brief.tables)
    assert 'class="cards"' in dom
    assert not _console_errors(proc.stderr), _console_errors(proc.stderr)


@pytest.mark.parametrize(("kind", "size"), [("gap", "390,9000"), ("investment", "1280,6000"),
                                            ("value", "390,9000")])
def test_screenshot_shows_the_charts(pages: dict[str, tuple[Brief, Path]], kind: str,
                                     size: str, tmp_path: Path) -> None:
    """The charts are drawn: the page has far more chart-coloured pixels than the same page
    with its SVGs removed (the control, which fails if the charts are missing)."""
    from PIL import Image

    brief, path = pages[kind]
    page = path.read_text(encoding="utf-8")
    png = _screenshot(page, kind, size, tmp_path)
    control = _screenshot(_without_svgs(page), f"{kind}-nosvg", size, tmp_path)
    with Image.open(png) as im:
        assert im.size == tuple(int(x) for x in size.split(","))
        rgb = im.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 50
        nonwhite = (np.asarray(rgb, dtype=np.int16) != 255).any(axis=-1).mean()
        assert nonwhite > 0.03
    drawn, without = _chart_pixels(png), _chart_pixels(control)
    assert drawn - without > 3000 * len(brief.charts), (drawn, without)


@pytest.mark.parametrize("kind", ["gap", "value", "investment"])
def test_each_figure_renders_on_a_phone(pages: dict[str, tuple[Brief, Path]], kind: str,
                                        tmp_path: Path) -> None:
    """Each <figure> alone, at phone width: its chart is drawn (against its SVG-less control)."""
    brief, path = pages[kind]
    page = path.read_text(encoding="utf-8")
    head = page[:page.index("<body>") + len("<body>")]
    figures = re.findall(r'<figure class="figure".*?</figure>', page, flags=re.S)
    assert len(figures) == len(brief.charts)
    for i, (fig, chart) in enumerate(zip(figures, brief.charts, strict=True)):
        one = f"{head}<main>{fig}</main></body></html>"
        png = _screenshot(one, f"{kind}-{i}", "390,1600", tmp_path)
        control = _screenshot(_without_svgs(one), f"{kind}-{i}-nosvg", "390,1600", tmp_path)
        drawn, without = _chart_pixels(png), _chart_pixels(control)
        # thin lines give the fewest (the line chart about 900 px); bars many thousands
        assert drawn > 500 and without < 100, (chart.id, drawn, without)
        assert _nonwhite(png) - _nonwhite(control) > 10_000, chart.id


def test_console_error_detection_works(tmp_path: Path) -> None:
    """A control: a page with a failing script is caught by the same log check."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>notDefined();</script>"
                    "</body></html>", encoding="utf-8")
    proc = _chromium(["--dump-dom", page.as_uri()], tmp_path / "profile")
    assert _console_errors(proc.stderr), proc.stderr[-800:]


# ------------------------------------------------------------------ the API's /docs offline
# Every host name but the loopback address fails to resolve: the browser has no network.
OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
           "--virtual-time-budget=15000"]


def _serve_app(app: object) -> tuple[str, object, object]:
    import socket
    import threading
    import time

    uvicorn = pytest.importorskip("uvicorn")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.02)
    return f"http://127.0.0.1:{port}", server, thread


def _docs_dom(app: object, tmp_path: Path) -> str:
    url, server, thread = _serve_app(app)
    try:
        proc = _chromium([*OFFLINE, "--dump-dom", f"{url}/docs"], tmp_path / "profile")
    finally:
        server.should_exit = True  # type: ignore[attr-defined]
        thread.join(timeout=15)  # type: ignore[attr-defined]
    assert proc.returncode == 0, proc.stderr[-500:]
    return proc.stdout


def test_api_docs_render_without_network(tmp_path: Path) -> None:
    """/docs shows Swagger UI's operation list with no network (issue 13 item 10): its
    assets are served by the application, not loaded from a CDN."""
    pytest.importorskip("fastapi")
    from carecost.service import create_app

    dom = _docs_dom(create_app(), tmp_path)
    assert 'class="swagger-ui"' in dom
    assert dom.count('class="opblock-summary-path"') >= 8, dom[-2000:]
    for path in ("/v1/simulate", "/v1/gap", "/v1/scenarios/{name}"):
        assert f'data-path="{path}"' in dom


def test_api_docs_control_from_a_cdn_stay_blank_offline(tmp_path: Path) -> None:
    """The control: FastAPI's stock /docs (assets from a CDN) has no operation list under the
    same offline rules, so the test above would fail without the local assets."""
    fastapi = pytest.importorskip("fastapi")
    app = fastapi.FastAPI()

    @app.get("/v1/thing")
    def thing() -> dict[str, int]:
        return {"x": 1}

    dom = _docs_dom(app, tmp_path)
    assert 'id="swagger-ui"' in dom and "opblock-summary-path" not in dom
