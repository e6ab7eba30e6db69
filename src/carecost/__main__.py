"""``python -m carecost``: run the main job on the embedded example data."""

from carecost.survey.example import main

if __name__ == "__main__":
    main()
