"""Hugging Face `datasets`: clean a `datasets.Dataset`, one output row per input row.

    import datasets, arcorpus.hf

    ds = datasets.load_dataset("parquet", data_files="crawl/*.parquet", split="train")
    rows = arcorpus.hf.clean_rows(ds, text_field="content")    # per-document cleaning, ds.map (cached)
    full = arcorpus.hf.clean_dataset(ds, text_field="content") # + site-line learning and dedup
    kept = full.filter(lambda r: r["status"] == "kept")

Every output row is its input row with the text (under the same column name) cleaned and these columns:
``status`` (``kept``, ``duplicate`` — `clean_dataset` only — or ``rejected``), ``reason`` (why a row was
rejected, e.g. ``empty_after_cleaning``; null otherwise), the metadata fields the steps fill
(`METADATA_FEATURES`: title, subtitle, date, byline, source_credit, entities) and, from `clean_dataset`,
``duplicate_of``, ``cluster_id`` and ``cluster_size``; ``changes`` (a JSON list) with ``explain=True``. A
rejected row keeps its input text: nothing is lost, filter on ``status``. ``prefix`` names the added
columns (``prefix="arcorpus_"``: ``arcorpus_status`` ...) when the dataset has columns of those names.

`BatchCleaner` is the function `clean_rows` maps: picklable and fingerprinted by what it is made of (the
config and field names), so a second ``map`` with the same cleaner loads the cached result; its steps are
built where it runs and never pickled. Needs ``pip install 'arcorpus[hf]'``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from arcorpus.config import CleanConfig
from arcorpus.document import Document, Reject
from arcorpus.io.jsonl import record_item
from arcorpus.io.options import ReadOptions

if TYPE_CHECKING:
    import datasets

    from arcorpus.outcome import Outcome
    from arcorpus.steps import Models, Step

METADATA_FEATURES: Mapping[str, str] = {
    "title": "string",
    "subtitle": "string",
    "date": "string",
    "byline": "string",
    "source_credit": "string",
    "entities": "list",
}
"""The metadata fields the cleaning steps fill, and their type (a test checks no step fills another)."""
DEDUP_FEATURES: Mapping[str, str] = {"duplicate_of": "string", "cluster_id": "string", "cluster_size": "int"}
_SOURCE = "dataset"


def _config(config: CleanConfig | None, options: Mapping[str, Any]) -> CleanConfig:
    if config is None:
        rest = {k: v for k, v in options.items() if k != "profile"}
        return CleanConfig.from_profile(options.get("profile", "standard"), **rest)
    return config.with_options(**options) if options else config


class BatchCleaner:
    """``Dataset.map(BatchCleaner(...), batched=True, features=cleaner.features(ds.features))``.

    Per-document steps only (corpus passes need the whole dataset: `clean_dataset`), with a saved site
    profile when the config names one (``site_lines_profile``, from ``arcorpus learn``). ``models``: other
    learned models to clean with; they are pickled with the cleaner, so they must pickle.
    """

    def __init__(
        self,
        config: CleanConfig | None = None,
        *,
        text_field: str = "text",
        id_field: str = "id",
        explain: bool = False,
        prefix: str = "",
        models: Models | None = None,
        **options: Any,
    ) -> None:
        self.config = _config(config, options)
        self.text_field = text_field
        self.id_field = id_field
        self.explain = explain
        self.prefix = prefix
        self.models: Models = dict(models or {})
        self._steps: tuple[Step, ...] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        # what the cleaner is, not its built steps: deterministic bytes for datasets' fingerprint
        return (
            _rebuild,
            (self.config, self.text_field, self.id_field, self.explain, self.prefix, self.models),
        )

    @property
    def steps(self) -> tuple[Step, ...]:
        if self._steps is None:
            from arcorpus.steps import build_steps

            models = self.models
            if self.config.site_lines and self.config.site_lines_profile and "site_lines" not in models:
                from arcorpus.steps.boilerplate.site_lines import load_profile

                models = {**models, "site_lines": load_profile(self.config.site_lines_profile)}
            self._steps = build_steps(self.config, models)
        return self._steps

    def columns(self) -> list[str]:
        """The columns this cleaner adds (besides the text column it rewrites)."""
        added = [self.prefix + "status", self.prefix + "reason", *METADATA_FEATURES]
        return [*added, self.prefix + "changes"] if self.explain else added

    def features(self, input_features: Any = None, *, dedup: bool = False) -> datasets.Features:
        """The output `datasets.Features`: ``input_features`` with the added columns."""
        import datasets

        value = {"string": datasets.Value("string"), "int": datasets.Value("int64")}
        feats = dict(input_features or {})
        feats[self.text_field] = datasets.Value("string")
        feats[self.prefix + "status"] = datasets.Value("string")
        feats[self.prefix + "reason"] = datasets.Value("string")
        for name, kind in METADATA_FEATURES.items():
            feats[name] = datasets.List(datasets.Value("string")) if kind == "list" else value[kind]
        if dedup:
            for name, kind in DEDUP_FEATURES.items():
                feats[name] = value[kind]
        if self.explain:
            feats[self.prefix + "changes"] = datasets.Value("string")
        return datasets.Features(feats)

    def __call__(
        self, batch: Mapping[str, list[Any]], indices: list[int] | None = None
    ) -> dict[str, list[Any]]:
        from arcorpus.run.plan import clean_one

        texts = batch[self.text_field]
        out = self._empty_columns()
        for i, item in enumerate(self._items(batch, indices)):
            result = clean_one(item, self.steps) if isinstance(item, Document) else item
            self._append(out, result, texts[i], {k: batch[k][i] for k in METADATA_FEATURES if k in batch})
        return out

    # --- shared with clean_dataset ----------------------------------------------------------------------

    def _items(
        self, batch: Mapping[str, list[Any]], indices: list[int] | None
    ) -> Iterator[Document | Reject]:
        options = ReadOptions(text_field=self.text_field, id_field=self.id_field)
        names = [self.text_field, *(n for n in (self.id_field, *METADATA_FEATURES) if n in batch)]
        for i in range(len(batch[self.text_field])):
            row = indices[i] + 1 if indices is not None else i + 1
            record = {name: batch[name][i] for name in names}
            record = {k: v for k, v in record.items() if v is not None or k == self.text_field}
            yield record_item(record, _SOURCE, row, options, f"row {row}")

    def _empty_columns(self, dedup: bool = False) -> dict[str, list[Any]]:
        names = [self.text_field, *self.columns(), *(DEDUP_FEATURES if dedup else ())]
        return {name: [] for name in names}

    def _append(
        self,
        out: dict[str, list[Any]],
        result: Document | Reject,
        original: Any,
        given: Mapping[str, Any],
        status: str | None = None,
    ) -> None:
        p = self.prefix
        if isinstance(result, Reject):
            out[self.text_field].append(original)
            out[p + "status"].append("rejected")
            out[p + "reason"].append(result.reason)
            metadata: Mapping[str, Any] = given
            changes = result.changes
        else:
            out[self.text_field].append(result.text)
            out[p + "status"].append(status or "kept")
            out[p + "reason"].append(None)
            metadata = _fields(result)
            changes = result.changes
        for name in METADATA_FEATURES:
            out[name].append(metadata.get(name, given.get(name)))
        for name in DEDUP_FEATURES:
            if name in out:
                out[name].append(metadata.get(name) if isinstance(result, Document) else None)
        if self.explain:
            out[p + "changes"].append(json.dumps([c.to_dict() for c in changes], ensure_ascii=False))


def _fields(doc: Document) -> Mapping[str, Any]:
    """The document's fields: what the steps added over the input's (`Document.added` where it exists)."""
    added = getattr(doc, "added", None)
    return {**doc.metadata, **added} if added else doc.metadata


def _rebuild(
    config: CleanConfig, text_field: str, id_field: str, explain: bool, prefix: str, models: Models
) -> BatchCleaner:
    return BatchCleaner(
        config, text_field=text_field, id_field=id_field, explain=explain, prefix=prefix, models=models
    )


def _check_columns(ds: datasets.Dataset, cleaner: BatchCleaner, dedup: bool) -> None:
    if cleaner.text_field not in ds.column_names:
        raise KeyError(
            f"no column {cleaner.text_field!r} in the dataset (columns: {', '.join(ds.column_names)}); "
            "pass text_field="
        )
    ours = [cleaner.prefix + "status", cleaner.prefix + "reason", cleaner.prefix + "changes"]
    ours += list(DEDUP_FEATURES) if dedup else []
    clash = [name for name in ours if name in ds.column_names]
    if clash:
        raise ValueError(
            f"the dataset already has column(s) {', '.join(clash)}: pass prefix= (e.g. prefix='arcorpus_')"
        )


def clean_rows(
    ds: datasets.Dataset,
    config: CleanConfig | None = None,
    *,
    text_field: str = "text",
    id_field: str = "id",
    explain: bool = False,
    prefix: str = "",
    num_proc: int | None = None,
    batch_size: int = 256,
    **options: Any,
) -> datasets.Dataset:
    """Clean every row of ``ds`` with the per-document steps (`Dataset.map`: cached, ``num_proc`` workers).

    No corpus passes: use `clean_dataset` for site-line learning and dedup."""
    cleaner = BatchCleaner(
        config, text_field=text_field, id_field=id_field, explain=explain, prefix=prefix, **options
    )
    _check_columns(ds, cleaner, dedup=False)
    return ds.map(
        cleaner,
        batched=True,
        batch_size=batch_size,
        with_indices=True,
        features=cleaner.features(ds.features),
        num_proc=num_proc,
        desc="arcorpus: cleaning",
    )


def clean_dataset(
    ds: datasets.Dataset,
    config: CleanConfig | None = None,
    *,
    text_field: str = "text",
    id_field: str = "id",
    explain: bool = False,
    prefix: str = "",
    workers: int = 1,
    models: Models | None = None,
    **options: Any,
) -> datasets.Dataset:
    """Clean ``ds`` as ``arcorpus clean`` cleans a corpus: site-line learning, the steps, then dedup.

    One output row per input row, in order; duplicates are marked (``status`` ``duplicate``,
    ``duplicate_of``), not dropped. The added columns are built in memory (about the size of the cleaned
    text); the other columns stay as they are in ``ds``."""
    import datasets
    import pyarrow as pa

    from arcorpus.run.local import run

    cleaner = BatchCleaner(
        config, text_field=text_field, id_field=id_field, explain=explain, prefix=prefix, **options
    )
    _check_columns(ds, cleaner, dedup=True)
    needed = [c for c in (text_field, id_field, *METADATA_FEATURES) if c in ds.column_names]
    narrow = ds.select_columns(needed)

    def source() -> Iterator[Document | Reject]:
        start = 0
        for batch in narrow.iter(batch_size=1024):
            count = len(batch[text_field])
            yield from cleaner._items(batch, list(range(start, start + count)))
            start += count

    features = cleaner.features(dedup=True)
    added = [name for name in features if name in cleaner._empty_columns(dedup=True)]
    tables = []
    columns = cleaner._empty_columns(dedup=True)
    rows = narrow.iter(batch_size=1024)
    pending: list[tuple[Any, dict[str, Any]]] = []
    outcomes = run(source, cleaner.config, models=models, workers=workers)
    for outcome in outcomes:
        if not pending:
            batch = next(rows)
            pending = [
                (batch[text_field][i], {k: batch[k][i] for k in METADATA_FEATURES if k in batch})
                for i in range(len(batch[text_field]))
            ]
            pending.reverse()
        original, given = pending.pop()
        _append_outcome(cleaner, columns, outcome, original, given)
        if len(columns[text_field]) >= 4096:
            tables.append(_arrow(columns, features, added, pa))
            columns = cleaner._empty_columns(dedup=True)
    tables.append(_arrow(columns, features, added, pa))
    new = datasets.Dataset(pa.concat_tables(tables))
    rest = ds.remove_columns([c for c in added if c in ds.column_names])
    order = [*ds.column_names, *(c for c in added if c not in ds.column_names)]
    return datasets.concatenate_datasets([rest, new], axis=1).select_columns(order)


def _append_outcome(
    cleaner: BatchCleaner,
    columns: dict[str, list[Any]],
    outcome: Outcome,
    original: Any,
    given: dict[str, Any],
) -> None:
    if outcome.kind == "rejected":
        assert outcome.reject is not None
        cleaner._append(columns, outcome.reject, original, given)
    else:
        assert outcome.document is not None
        cleaner._append(columns, outcome.document, original, given, status=outcome.kind)


def _arrow(columns: dict[str, list[Any]], features: Any, names: list[str], pa: Any) -> Any:
    schema = features.arrow_schema
    return pa.table({name: pa.array(columns[name], schema.field(name).type) for name in names})


__all__ = ["DEDUP_FEATURES", "METADATA_FEATURES", "BatchCleaner", "clean_dataset", "clean_rows"]
