"""Text-only boilerplate detection for pages from sites no rule knows.

``detect_boilerplate(text, url=...)`` returns whole-line spans to cut, each with a rule id
(``heuristic:nav-run``, ``heuristic:post-article`` ...) and evidence, or falls back (no spans, a
warning) when it would empty the document. ``clean_text_only`` applies it alone, for evaluation.
"""

from cleaner.detect.detector import clean_text_only, detect_boilerplate
from cleaner.detect.spans import Detection, DetectionResult, remove_spans

__all__ = ["Detection", "DetectionResult", "clean_text_only", "detect_boilerplate", "remove_spans"]
