"""``python -m carecost``: run the main job on the embedded example data."""

from carecost.timeuse.example import main

if __name__ == "__main__":
    main()
