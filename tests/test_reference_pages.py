"""The reference pages in docs/ are generated from the definitions the validators use.

A page that differs from its generator's output has drifted from what the loader accepts;
regenerate it with the command at the top of the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from carecost.briefs.datasets import (
    DATASET_KEYS,
    DATASET_REFERENCE,
    VALUATION_KEYS,
    check_dataset_keys,
    dataset_reference_markdown,
)
from carecost.briefs.model import BriefError

ROOT = Path(__file__).resolve().parents[1]


def test_dataset_reference_page_is_generated() -> None:
    page = (ROOT / DATASET_REFERENCE).read_text(encoding="utf-8")
    assert page == dataset_reference_markdown(), (
        f"{DATASET_REFERENCE} differs from dataset_reference_markdown(); regenerate it with "
        "the command at the top of the page"
    )


@pytest.mark.parametrize("key", [k.name for k in DATASET_KEYS + VALUATION_KEYS])
def test_every_key_is_on_the_page(key: str) -> None:
    assert f"| `{key}` |" in dataset_reference_markdown()


def test_dataset_errors_point_to_the_page() -> None:
    with pytest.raises(BriefError, match="did you mean strata") as err:
        check_dataset_keys({"dataset": {"kind": "persons", "stata": "stratum"}}, "x.toml")
    assert DATASET_REFERENCE in str(err.value)
