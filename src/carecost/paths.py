"""Where carecost finds the real public data used by its notebooks, tests and benchmarks."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

ENV = "CARECOST_SHARED_DATA"


def repo_root(starts: Iterable[Path] | None = None) -> Path | None:
    """The carecost source checkout (the folder with ``pyproject.toml`` and ``src/carecost``).

    Walks up from each start folder (default: the working directory, then the
    installed package's folder); ``None`` when carecost runs from an installed
    wheel outside a checkout.
    """
    import carecost

    folders = list(starts) if starts is not None else [
        Path.cwd(), Path(carecost.__file__).resolve().parent]
    for start in folders:
        start = Path(start).resolve()
        for folder in (start, *start.parents):
            if (folder / "pyproject.toml").is_file() and (folder / "src" / "carecost").is_dir():
                return folder
    return None


def shared_data_dir(starts: Iterable[Path] | None = None) -> Path | None:
    """The folder holding the shared real data (``atus_0316/``, ``io_bea/``).

    ``$CARECOST_SHARED_DATA`` when set, else ``../shared/data`` beside the
    repository (:func:`repo_root`); ``None`` when neither can be found.  The
    folder may not exist: callers check for the files they need and say so.
    """
    env = os.environ.get(ENV)
    if env:
        return Path(env)
    root = repo_root(starts)
    return root.parent / "shared" / "data" if root is not None else None
