"""``python -m carecost``: the main job (``carecost run``) on the embedded example data."""

import sys

from carecost.cli import main_job

if __name__ == "__main__":
    sys.exit(main_job())
