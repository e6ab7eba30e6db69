"""Rebuild every shipped dataset from the shared public data, or check the shipped files.

Usage (from the repository root)::

    python -m datasets.build            # rewrite src/carecost/countries/data/*.parquet
    python -m datasets.build --check    # rebuild into a temporary folder and compare
    python -m datasets.build --out DIR  # write into DIR instead

The check compares bytes, and when bytes differ (another pyarrow version writes other bytes)
it compares the tables read back with ``pandas.testing.assert_frame_equal(check_exact=True)``;
the run fails when the content differs.  It needs the shared data folder
(``$CARECOST_SHARED_DATA`` or ``../shared/data``).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from . import countries, indicators, io_wiod, population, population_variants
from ._common import PACKAGE_DATA

#: recipe name -> (build function, file names it writes)
RECIPES: dict[str, tuple[Callable[[Path], list[Path]], tuple[str, ...]]] = {
    "countries": (countries.build, countries.OUTPUTS),
    "population": (population.build, population.OUTPUTS),
    "population_variants": (population_variants.build, population_variants.OUTPUTS),
    "indicators": (indicators.build, indicators.OUTPUTS),
    "io_wiod": (io_wiod.build, io_wiod.OUTPUTS),
}


def build_all(out_dir: Path, only: Sequence[str] | None = None) -> list[Path]:
    """Run the recipes (all, or those named in ``only``) into ``out_dir``."""
    written: list[Path] = []
    for name, (fn, _outputs) in RECIPES.items():
        if only is None or name in only:
            written += fn(out_dir)
    return written


def compare(built: Path, shipped: Path) -> str:
    """``"identical bytes"``, ``"identical content"``, or raise AssertionError."""
    if not shipped.is_file():
        raise AssertionError(f"{shipped} is not shipped; run python -m datasets.build")
    if built.read_bytes() == shipped.read_bytes():
        return "identical bytes"
    pd.testing.assert_frame_equal(pd.read_parquet(built), pd.read_parquet(shipped),
                                  check_exact=True)
    return "identical content (bytes differ)"


def check(only: Sequence[str] | None = None) -> dict[str, str]:
    """Rebuild into a temporary folder and compare with the shipped files."""
    with tempfile.TemporaryDirectory() as tmp:
        out = {}
        for path in build_all(Path(tmp), only):
            out[path.name] = compare(path, PACKAGE_DATA / path.name)
        return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m datasets.build", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="rebuild into a temporary folder and compare with the shipped files")
    parser.add_argument("--out", type=Path, default=PACKAGE_DATA, help="output folder")
    parser.add_argument("--only", nargs="*", choices=sorted(RECIPES), help="recipes to run")
    args = parser.parse_args(argv)
    if args.check:
        try:
            for name, verdict in check(args.only).items():
                print(f"{name}: {verdict}")
        except AssertionError as exc:
            print(f"datasets differ from the shipped files: {exc}", file=sys.stderr)
            return 1
        return 0
    for path in build_all(args.out, args.only):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
