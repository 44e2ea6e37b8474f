"""datatrove: clean `datatrove.data.Document`s inside a datatrove pipeline.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from arcorpus.datatrove import ArcorpusCleaner

    LocalPipelineExecutor(
        pipeline=[
            JsonlReader("crawl/"),
            ArcorpusCleaner(exclusion_writer=JsonlWriter("removed/")),   # any CleanConfig option too
            JsonlWriter("clean/"),
        ],
        tasks=4,
    ).run()

`ArcorpusCleaner` is a datatrove filter that also rewrites what it keeps: each document's text becomes
the cleaned text and the metadata fields the steps fill (title, date, byline, entities ...) are added to
its metadata. A document that cleaning empties (every line was boilerplate) is removed with its reason in
datatrove's ``filter_reason`` (``empty_after_cleaning``), sent to the ``exclusion_writer`` with its
original text, and counted in the step's stats (``dropped_<reason>``); ``changes_<step>`` stats count
what each arcorpus step changed.

Per-document steps only: datatrove runs a task per shard, so there is no corpus-wide pass here. Use
datatrove's own dedup steps (MinHash) after this one, and a site profile learned by ``arcorpus learn``
(``site_lines_profile=``) for site template lines. Needs ``pip install 'arcorpus[datatrove]'``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from datatrove.data import Document as DatatroveDocument
from datatrove.pipeline.filters.base_filter import BaseFilter

from arcorpus.config import CleanConfig
from arcorpus.document import Document, Reject
from arcorpus.steps import Models, Step


class ArcorpusCleaner(BaseFilter):
    """Clean each document; remove (with a reason) those cleaning empties. See the module docstring."""

    name = "arcorpus"

    def __init__(
        self,
        config: CleanConfig | None = None,
        exclusion_writer: Any = None,
        *,
        explain: bool = False,
        **options: Any,
    ) -> None:
        super().__init__(exclusion_writer)
        if config is None:
            rest = {k: v for k, v in options.items() if k != "profile"}
            config = CleanConfig.from_profile(options.get("profile", "standard"), **rest)
        elif options:
            config = config.with_options(**options)
        self.config = config
        self.explain = explain
        self._steps: tuple[Step, ...] | None = None

    def __getstate__(self) -> dict[str, Any]:
        # datatrove pickles the pipeline for its workers: the steps are built where they run
        state = dict(self.__dict__)
        state["_steps"] = None
        return state

    def _built(self) -> tuple[Step, ...]:
        if self._steps is None:
            from arcorpus.steps import build_steps

            models: Models = {}
            if self.config.site_lines and self.config.site_lines_profile:
                from arcorpus.steps.boilerplate.site_lines import load_profile

                models = {"site_lines": load_profile(self.config.site_lines_profile)}
            self._steps = build_steps(self.config, models)
        return self._steps

    def filter(self, doc: DatatroveDocument) -> bool | tuple[bool, str]:
        from arcorpus.run.plan import clean_one

        ours = Document(id=str(doc.id), text=doc.text, metadata=doc.metadata)
        result = clean_one(ours, self._built())
        changed: Counter[str] = Counter()
        for change in result.changes:
            changed[change.step] += change.count
        for step, count in changed.items():
            self.stat_update(f"changes_{step}", value=count)
        if isinstance(result, Reject):
            return False, result.reason
        doc.text = result.text
        added = getattr(result, "added", None)  # what the steps added (older Documents: in metadata)
        for key, value in (added if added is not None else result.metadata).items():
            if doc.metadata.get(key) is not value:
                doc.metadata[key] = value
        if self.explain:
            doc.metadata["changes"] = [c.to_dict() for c in result.changes]
        return True


__all__ = ["ArcorpusCleaner"]
