"""``python -m carecost``: the main job (``carecost run``) on the embedded example data.

With arguments it is the command line itself (``python -m carecost gap --by age_group`` is
``carecost gap --by age_group``), so arguments are never ignored.
"""

import sys

from carecost.cli import main, main_job

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]) if len(sys.argv) > 1 else main_job())
