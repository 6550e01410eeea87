"""boilerstrip: turn scraped article text into clean article text.

>>> from cleaner import clean
>>> clean("Download App\\nThe council met on Monday.")
'The council met on Monday.'
"""

from cleaner.api import Cleaner, InputTooLarge, clean, clean_document, clean_html
from cleaner.config import CleanConfig, EncodingConfig
from cleaner.result import CleanResult, Removal, apply_removals, tidy
from cleaner.rulespec import RuleFileError

__version__ = "0.1.0"

__all__ = [
    "CleanConfig",
    "CleanResult",
    "Cleaner",
    "EncodingConfig",
    "InputTooLarge",
    "Removal",
    "RuleFileError",
    "__version__",
    "apply_removals",
    "clean",
    "clean_document",
    "clean_html",
    "tidy",
]
