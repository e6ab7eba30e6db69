"""Recipes that rebuild every dataset carecost ships from the public source files.

Each module reads the real public data in ``../shared/data`` (found with
:func:`carecost.paths.shared_data_dir`) and writes the compact file(s) shipped in
``src/carecost/countries/data/``.  ``python -m datasets.build`` rebuilds them all;
``python -m datasets.build --check`` rebuilds into a temporary folder and compares.
See ``datasets/README.md``.
"""
