"""boilerstrip as datatrove pipeline steps (optional extra ``boilerstrip[datatrove]``).

``BoilerstripFormatter`` cleans ``Document.text`` and records what boilerstrip found in
``Document.metadata``; ``BoilerstripErrorFilter`` then drops (or only tags) the documents
boilerstrip flagged. Both run the same per-record function as the CLI and the Spark job
(``cleaner.record.clean_record``), so a datatrove pipeline gives the same text, metadata and
errors as ``boilerstrip clean`` on a laptop::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from cleaner.datatrove import BoilerstripErrorFilter, BoilerstripFormatter

    LocalPipelineExecutor(pipeline=[
        JsonlReader("raw/", text_key="text_raw"),
        BoilerstripFormatter(metadata=True),
        BoilerstripErrorFilter(exclusion_writer=JsonlWriter("flagged/")),
        JsonlWriter("clean/"),
    ], tasks=4).run()

datatrove's readers move every input field except the text and id into ``Document.metadata``,
so the page URL is read from ``Document.metadata[url_key]``. Note that datatrove's own readers
skip malformed JSON lines and records without text before any step sees them (with a logged
warning); the local CLI flags those as error records instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.filters.base_filter import BaseFilter
from datatrove.pipeline.formatters.base import BaseFormatter
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.typeshelper import StatHints

from cleaner.api import Cleaner, default_cleaner
from cleaner.config import CleanConfig
from cleaner.record import RecordOptions, clean_record

#: Keys this step writes into ``Document.metadata``.
META_RULES = "boilerstrip_rules"
META_SITE = "boilerstrip_site"
META_REMOVALS = "boilerstrip_removals"
META_WARNINGS = "boilerstrip_warnings"
META_METADATA = "boilerstrip_metadata"
META_EXPLAIN = "boilerstrip"
META_ERROR = "boilerstrip_error"


class BoilerstripFormatter(BaseFormatter):
    """Clean each document's text; record the ruleset version, site, removals and warnings.

    On a document boilerstrip cannot clean (input too large, HTML time budget exceeded, text
    not a string) the text is left unchanged and ``metadata["boilerstrip_error"]`` holds the
    error dict of ``clean_record``: the document is flagged, never dropped here, so the
    decision stays with ``BoilerstripErrorFilter`` (as in the CLI's ``--on-error flag``).

    ``metadata=True`` adds the extracted page metadata (title, author, date, ...) under
    ``boilerstrip_metadata``; ``explain=True`` adds the removed spans under ``boilerstrip``
    (large: one entry per removal). ``html=True`` treats ``Document.text`` as HTML.
    """

    name = "🧽 boilerstrip"

    def __init__(
        self,
        config: CleanConfig | None = None,
        *,
        url_key: str | None = "url",
        html: bool = False,
        metadata: bool = True,
        explain: bool = False,
    ) -> None:
        super().__init__()
        self.config = config
        self.url_key = url_key
        self.metadata = metadata
        self.explain = explain
        # explain is always computed: removals count, site and warnings come from it
        self.options = RecordOptions(url_field="url", metadata=metadata, explain=True, html=html)

    @property
    def cleaner(self) -> Cleaner:
        """One ``Cleaner`` per process, built on first use.

        The step is pickled to every datatrove worker (local processes, Slurm jobs, Ray
        actors); holding only the frozen config keeps that cheap, and ``default_cleaner``
        compiles the rules once per process rather than once per task.
        """
        return default_cleaner(self.config)

    def format(self, text: str) -> str:
        """The cleaned text alone (for use outside a pipeline); ``run`` is what pipelines call."""
        return self.cleaner.clean(text)

    def clean_document(self, doc: Document) -> Document:
        """Clean one document in place and return it."""
        url = doc.metadata.get(self.url_key) if self.url_key else None
        out = clean_record(self.cleaner, {"text": doc.text, "url": url}, self.options)
        error = out.get("error")
        if error is not None:
            doc.metadata[META_ERROR] = error
            self.stat_update("flagged", f"error_{error['type']}")
            return doc
        doc.text = out["text"]
        found: dict[str, Any] = out["boilerstrip"]
        doc.metadata[META_RULES] = out["boilerstrip_rules"]
        doc.metadata[META_SITE] = found["site"]
        doc.metadata[META_REMOVALS] = len(found["removed"])
        doc.metadata[META_WARNINGS] = found["warnings"]
        if self.metadata:
            doc.metadata[META_METADATA] = out["boilerstrip_metadata"]
        if self.explain:
            doc.metadata[META_EXPLAIN] = found
        self.stat_update("removals", value=len(found["removed"]))
        if found["warnings"]:
            self.stat_update("with_warnings")
        return doc

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            self.stat_update(StatHints.total)
            with self.track_time():
                self.clean_document(doc)
            yield doc


class BoilerstripErrorFilter(BaseFilter):
    """Drop (or, with ``tag_only=True``, keep and tag) the documents boilerstrip flagged.

    Flagged means: ``BoilerstripFormatter`` recorded an error; with ``drop_empty`` (default)
    also a document whose cleaned text is empty (every character removed, an empty or binary
    HTML page); with ``drop_warnings`` also any document that has warnings (e.g. the detector
    falling back because it would have emptied the page, a regex stopped by its time budget).
    Dropped documents go to ``exclusion_writer`` with ``metadata["filter_reason"]``, like
    every datatrove filter. ``tag_only`` sets ``metadata["boilerstrip_flagged"]`` to the reason
    (or None) instead, for pipelines that keep everything and decide later.
    """

    name = "🧽 boilerstrip flagged"

    def __init__(
        self,
        exclusion_writer: DiskWriter | None = None,
        *,
        tag_only: bool = False,
        drop_empty: bool = True,
        drop_warnings: bool = False,
    ) -> None:
        super().__init__(exclusion_writer)
        self.tag_only = tag_only
        self.drop_empty = drop_empty
        self.drop_warnings = drop_warnings

    def reason(self, doc: Document) -> str | None:
        """Why boilerstrip flagged this document, or None."""
        error = doc.metadata.get(META_ERROR)
        if error:
            return f"boilerstrip_error_{error['type']}"
        if self.drop_empty and not doc.text.strip():
            return "boilerstrip_empty"
        warnings: Sequence[str] = doc.metadata.get(META_WARNINGS) or ()
        if self.drop_warnings and warnings:
            return "boilerstrip_warning"
        return None

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        reason = self.reason(doc)
        if self.tag_only:
            doc.metadata["boilerstrip_flagged"] = reason
            return True
        return True if reason is None else (False, reason)
