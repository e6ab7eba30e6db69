"""Execute every notebook in ``notebooks/`` top to bottom in a fresh kernel.

The notebooks are jupytext percent-format ``.py`` files.  Each is converted with jupytext and
run with nbclient in a new kernel of this interpreter, with the working directory set to
``notebooks/``; any cell error fails the test, as does a run longer than two minutes.
Notebooks that need the real data in ``../shared/data`` (or ``CARECOST_SHARED_DATA``) are
marked ``realdata`` and skip when it is absent; notebook 01 also runs once with the data
hidden, to check its fallback to the embedded example survey.

Needs jupytext, nbclient, nbformat and ipykernel (skipped locally without them; an error in CI).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from carecost.paths import shared_data_dir

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SHARED = shared_data_dir([Path(__file__).parent]) or ROOT.parent / "shared" / "data"
HAS_ATUS = (SHARED / "atus_0316" / "atusact.parquet").is_file()
MAX_SECONDS = 120.0

# notebooks that cannot run without the real ATUS microdata (they reproduce real figures)
NEEDS_ATUS = {"02_reproducing_bls_table1", "03_valuing_unpaid_care"}

_DEPS = ("jupytext", "nbclient", "nbformat", "ipykernel")


def _require_deps() -> None:
    missing = []
    for name in _DEPS:
        try:
            __import__(name)
        except ImportError:
            missing.append(name)
    if missing:
        msg = (f"notebook tests need {', '.join(missing)} "
               "(pip install jupytext nbclient nbformat ipykernel)")
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)


def _cases() -> list[object]:
    cases: list[object] = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py")):
        stem = path.stem
        if stem in NEEDS_ATUS:
            marks = [pytest.mark.realdata,
                     pytest.mark.skipif(not HAS_ATUS, reason=f"real ATUS data not found at "
                                        f"{SHARED / 'atus_0316'} (set CARECOST_SHARED_DATA)")]
            cases.append(pytest.param(stem, "shared", marks=marks, id=stem))
        elif stem.startswith("01_"):
            marks = [pytest.mark.realdata,
                     pytest.mark.skipif(not HAS_ATUS, reason="real ATUS data not found")]
            cases.append(pytest.param(stem, "shared", marks=marks, id=f"{stem}-atus"))
            cases.append(pytest.param(stem, "hidden", id=f"{stem}-example-fallback"))
        else:
            cases.append(pytest.param(stem, "shared", id=stem))
    return cases


@pytest.fixture(scope="module")
def kernel_name(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A kernelspec that runs this interpreter (the project venv), whatever else is installed."""
    _require_deps()
    base = tmp_path_factory.mktemp("jupyter")
    spec = base / "kernels" / "carecost-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "carecost tests", "language": "python",
    }))
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(base), *([old] if old else [])])
    try:
        yield "carecost-test"
    finally:
        if old is None:
            os.environ.pop("JUPYTER_PATH", None)
        else:
            os.environ["JUPYTER_PATH"] = old


def _listing() -> list[str]:
    return sorted(p.name for p in NOTEBOOKS.iterdir()
                  if not p.name.startswith(".") and p.name != "__pycache__")


def _outputs(nb: object) -> str:
    text = []
    for cell in nb.cells:  # type: ignore[attr-defined]
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text.append(out["text"])
            elif "text/plain" in out.get("data", {}):
                text.append(out["data"]["text/plain"])
    return "\n".join(text)


def test_every_notebook_is_a_paired_percent_script() -> None:
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
    assert len(paths) >= 4, paths
    for p in paths:
        head = p.read_text(encoding="utf-8").splitlines()[:12]
        assert "#       format_name: percent" in head, f"{p.name}: not a jupytext percent file"
        assert "#     name: python3" in head, f"{p.name}: kernelspec missing from the header"


@pytest.mark.parametrize(("stem", "data"), _cases())
def test_notebook_runs_top_to_bottom(stem: str, data: str, kernel_name: str,
                                     tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jupytext
    from nbclient import NotebookClient

    if data == "hidden":
        monkeypatch.setenv("CARECOST_SHARED_DATA", str(tmp_path / "no-shared-data"))
    else:
        monkeypatch.setenv("CARECOST_SHARED_DATA", str(SHARED))
    before = _listing()
    nb = jupytext.read(NOTEBOOKS / f"{stem}.py")
    client = NotebookClient(nb, kernel_name=kernel_name, timeout=600, allow_errors=False,
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    elapsed = time.perf_counter() - start
    assert elapsed < MAX_SECONDS, f"{stem} took {elapsed:.0f} s (limit {MAX_SECONDS:.0f} s)"
    assert _listing() == before, "the notebook wrote files into notebooks/"
    text = _outputs(nb)
    if stem.startswith("01_"):
        expected = "SYNTHETIC example survey" if data == "hidden" else "DATA: real ATUS"
        assert expected in text, f"{stem} does not say which data it used"
    if stem.startswith("04_"):
        # issue 13.16: coverage was shown rounded to 0/1 and the discount rate as 0.0
        assert "3.5%" in text and "discount_rate" in text, "discount rate not shown as 3.5%"
        assert "50%" in text and "95%" in text, "coverage not shown as percentages"
