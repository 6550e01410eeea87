"""The learned line scorer: two stacked logistic regressions over the features of :mod:`context`.

Weights live in ``weights.json`` beside this module, written by ``scripts/train_detector.py``. The
standardisation is folded into the coefficients at load time, so scoring is one weighted sum of columns.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from cleaner.detect.context import FEATURE_NAMES, STAGE2_NAMES, logits, stage2_columns
from cleaner.detect.features import LineTable

WEIGHTS = Path(__file__).with_name("weights.json")


@dataclass(frozen=True)
class Linear:
    """One logistic-regression layer, standardisation folded into the coefficients."""

    coef: tuple[float, ...]
    intercept: float

    @classmethod
    def from_dict(
        cls, data: dict, names: tuple[str, ...], *, trainer: str = "scripts/train_detector.py"
    ) -> Linear:
        """Build from the JSON layout (names, mean, scale, coef, intercept) written by ``trainer``."""
        if tuple(data["names"]) != names:
            raise ValueError(f"the weights were trained on other features: rerun {trainer}")
        coef = [c / s for c, s in zip(data["coef"], data["scale"], strict=True)]
        intercept = data["intercept"] - sum(c * m for c, m in zip(coef, data["mean"], strict=True))
        return cls(tuple(coef), intercept)

    def logits(self, columns: list[list[float]]) -> list[float]:
        """Log-odds per line from the feature columns."""
        return logits(columns, self.coef, self.intercept)


@dataclass(frozen=True)
class LineModel:
    """Two stacked layers: line features, then the first layer's scores in context.

    ``stage2`` is ``None`` for a one-layer model (used while training the first layer).
    A final log-odds at or above ``threshold`` means the line reads as article text.
    """

    stage1: Linear
    stage2: Linear | None
    threshold: float

    @classmethod
    def from_dict(cls, data: dict) -> LineModel:
        """Build from the layout of ``weights.json``."""
        stage2 = data.get("stage2")
        return cls(
            Linear.from_dict(data["stage1"], FEATURE_NAMES),
            Linear.from_dict(stage2, STAGE2_NAMES) if stage2 else None,
            float(data.get("threshold", 0.0)),
        )

    def scores(self, columns: list[list[float]], table: LineTable, prose: list[bool]) -> list[float]:
        """Final log-odds per line."""
        z1 = self.stage1.logits(columns)
        if self.stage2 is None:
            return z1
        return self.stage2.logits(stage2_columns(z1, table, prose, self.threshold))


@functools.cache
def default_model() -> LineModel:
    """The shipped model, loaded once per process."""
    return LineModel.from_dict(json.loads(WEIGHTS.read_text(encoding="utf-8")))
