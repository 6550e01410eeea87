"""The learned line scorer: logistic regression over the interpretable features of :mod:`context`.

Weights live in ``weights.json`` beside this module, written by ``scripts/train_detector.py``. The
standardisation is folded into the coefficients at load time so scoring one line is one dot product.
"""

from __future__ import annotations

import functools
import json
import operator
from dataclasses import dataclass
from pathlib import Path

from cleaner.detect.context import FEATURE_NAMES

WEIGHTS = Path(__file__).with_name("weights.json")


@dataclass(frozen=True)
class LineModel:
    """Linear scorer: ``logit(row) > threshold`` means the line reads as article text."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float

    @classmethod
    def from_dict(cls, data: dict) -> LineModel:
        """Build from the JSON layout of ``weights.json`` (names, mean, scale, coef, intercept)."""
        if tuple(data["names"]) != FEATURE_NAMES:
            raise ValueError("weights.json was trained on other features: rerun scripts/train_detector.py")
        coef = [c / s for c, s in zip(data["coef"], data["scale"], strict=True)]
        intercept = data["intercept"] - sum(c * m for c, m in zip(coef, data["mean"], strict=True))
        return cls(tuple(coef), intercept, float(data.get("threshold", 0.0)))

    def logit(self, row: list[float]) -> float:
        """Log-odds that the line belongs to the article."""
        return self.intercept + sum(map(operator.mul, self.coef, row))


@functools.cache
def default_model() -> LineModel:
    """The shipped model, loaded once per process."""
    return LineModel.from_dict(json.loads(WEIGHTS.read_text(encoding="utf-8")))
