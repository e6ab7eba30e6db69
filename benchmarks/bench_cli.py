"""Start-up time of the ``carecost`` command line against ``python -c "import pandas"``.

Runs each command ``--repeats`` times (default 5) in a fresh process and prints the median
wall-clock time in seconds and its ratio to the median of ``import pandas`` (the target of
issue 20: ``carecost --help`` and ``carecost <cmd> --help`` within 1.5 times the pandas
import).  The ``carecost`` console script next to this Python is used when installed, else
``python -m carecost``.  A script, not a test: it makes no assertions.

    python benchmarks/bench_cli.py
    python benchmarks/bench_cli.py --repeats 9
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path


def carecost_command() -> list[str]:
    """The ``carecost`` console script of this Python, or ``python -m carecost``."""
    script = Path(sys.executable).parent / "carecost"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "carecost"]


def median_seconds(cmd: list[str], repeats: int) -> float:
    """Median wall-clock seconds of ``repeats`` runs of ``cmd`` (output discarded).

    Raises
    ------
    RuntimeError
        When the command exits with a non-zero code (its output is in the message).
    """
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        times.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited with {proc.returncode}: "
                               f"{proc.stdout}{proc.stderr}")
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    """Time the commands and print the table; return the exit code (0)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5,
                        help="runs of each command (the median is shown; default 5)")
    args = parser.parse_args(argv)
    repeats = max(1, args.repeats)
    cc = carecost_command()
    cases = {
        'python -c "import pandas"': [sys.executable, "-c", "import pandas"],
        "carecost --help": [*cc, "--help"],
        "carecost gap --help": [*cc, "gap", "--help"],
        "carecost simulate --help": [*cc, "simulate", "--help"],
    }
    print(f"Python {platform.python_version()} on {platform.platform()}, "
          f"{os.cpu_count()} CPUs; median of {repeats} runs each")
    results = {name: median_seconds(cmd, repeats) for name, cmd in cases.items()}
    base = results['python -c "import pandas"']
    print(f"{'command':<30} {'median (s)':>10} {'x pandas':>9}")
    for name, sec in results.items():
        print(f"{name:<30} {sec:>10.3f} {sec / base:>9.2f}")
    print("target (issue 20): carecost --help and carecost <cmd> --help at most 1.5 x pandas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
