"""Layering rules that keep carecost easy to change (docs/architecture.md).

- Dependencies point one way: survey <- timeuse <- valuation; countries/investment; everything
  <- briefs <- cli/service.
- Nothing outside a package imports that package's private (``_name``) modules.
- The command line does not import the HTTP service's optional dependencies.
- Every error carecost raises on bad input derives from :class:`carecost.errors.CarecostError`.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "carecost"

# package -> packages it must never import (directly or by a relative import)
FORBIDDEN = {
    "survey": {"timeuse", "valuation", "investment", "briefs", "service", "cli"},
    "timeuse": {"valuation", "investment", "briefs", "service", "cli"},
    "valuation": {"investment", "briefs", "service", "cli"},
    "investment": {"timeuse", "valuation", "briefs", "service", "cli"},
    "countries": {"investment", "timeuse", "valuation", "survey", "briefs", "service", "cli"},
    "briefs": {"service", "cli"},
}


def _imports(path: Path) -> list[str]:
    """Absolute module names imported by ``path`` (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(SRC.parent).with_suffix("")
    pkg = list(rel.parts[:-1])  # the package a relative import starts from
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[: len(pkg) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:
                    out += [f"{mod}.{a.name}" for a in node.names]
                    continue
            else:
                mod = node.module or ""
            out.append(mod)
            out += [f"{mod}.{a.name}" for a in node.names]
    return out


FILES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_no_private_module_of_another_package(path: Path) -> None:
    own = path.relative_to(SRC).parts[0]
    bad = []
    for mod in _imports(path):
        parts = mod.split(".")
        if len(parts) >= 3 and parts[0] == "carecost" and parts[1] != own.removesuffix(".py"):
            if any(p.startswith("_") and not p.startswith("__") for p in parts[2:3]):
                bad.append(mod)
    assert not bad, f"{path.relative_to(SRC)} imports private modules of other packages: {bad}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_dependencies_point_one_way(path: Path) -> None:
    own = path.relative_to(SRC).parts[0].removesuffix(".py")
    banned = FORBIDDEN.get(own, set())
    bad = [m for m in _imports(path)
           if m.startswith("carecost.") and m.split(".")[1] in banned]
    assert not bad, f"{path.relative_to(SRC)} ({own}) imports {bad}"


def test_cli_does_not_import_the_service_stack() -> None:
    code = ("import sys, carecost.cli; "
            "bad = [m for m in ('carecost.service', 'pydantic', 'fastapi', 'uvicorn') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_error_class_derives_from_carecost_error() -> None:
    import inspect

    import carecost.briefs
    import carecost.investment
    import carecost.survey
    import carecost.timeuse
    import carecost.valuation
    from carecost.errors import CarecostError, CarecostWarning

    errors = []
    for mod in (carecost.survey, carecost.timeuse, carecost.valuation, carecost.investment,
                carecost.briefs):
        for name, obj in vars(mod).items():
            if inspect.isclass(obj) and issubclass(obj, Exception) and obj.__module__.startswith(
                    "carecost"):
                errors.append((name, obj))
    assert len(errors) >= 6, errors
    for name, obj in errors:
        if issubclass(obj, Warning):
            assert issubclass(obj, CarecostWarning), name
        else:
            assert issubclass(obj, CarecostError), name
