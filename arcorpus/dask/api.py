"""The Python API of the Dask engine: `clean` a Dask DataFrame of documents on a cluster.

    import dask.dataframe as dd
    from distributed import Client
    import arcorpus.dask

    client = Client("tcp://scheduler:8786")          # or a LocalCluster; without one, dask's default
    ddf = dd.read_parquet("s3://bucket/crawl/")      # a text column, an id column, anything else
    out = arcorpus.dask.clean(ddf, dedup="near")     # a Dask DataFrame, one row per output document
    out.to_parquet("s3://bucket/clean/")

`clean` runs the corpus passes (learning, dedup resolution) eagerly — they need the whole corpus — and
returns a lazy frame for the last step. Rows come out in input order; the index ``pos`` is the row's
position in the input. Needs ``pip install 'arcorpus[dask]'``.
"""

from __future__ import annotations

from typing import Any

import dask.dataframe as dd
import pandas as pd

from arcorpus.config import CleanConfig
from arcorpus.dask.engine import DEFAULT_MAX_DRIVER_CANDIDATES, Prepared, objects_stay_objects, prepare
from arcorpus.dask.inputs import ITEM_META, rows_to_items
from arcorpus.io.writers import dumps
from arcorpus.steps import Models

RECORD_META = pd.DataFrame(
    {
        "kind": pd.Series([], dtype=object),
        "id": pd.Series([], dtype=object),
        "text": pd.Series([], dtype=object),
        "record": pd.Series([], dtype=object),
    },
    index=pd.Index([], dtype="int64", name="pos"),
)


@objects_stay_objects
def clean(
    ddf: dd.DataFrame,
    config: CleanConfig | None = None,
    *,
    text_column: str = "text",
    id_column: str | None = "id",
    models: Models | None = None,
    explain: bool = False,
    include_rejects: bool = False,
    max_driver_candidates: int = DEFAULT_MAX_DRIVER_CANDIDATES,
    **options: Any,
) -> dd.DataFrame:
    """Clean the documents of ``ddf``; return a Dask DataFrame of the output records, in input order.

    Columns: ``kind`` (kept, duplicate — only with ``keep_duplicates`` — or rejected, only with
    ``include_rejects``), ``id``, ``text`` (the cleaned text; ``None`` for a reject) and ``record``:
    the JSON line ``arcorpus clean`` writes for it (with ``changes`` when ``explain``). Columns other
    than ``text_column`` and ``id_column`` become metadata. Options are `CleanConfig` fields.
    """
    cfg = _config(config, options)
    prepared = prepare_frame(
        ddf,
        cfg,
        text_column=text_column,
        id_column=id_column,
        models=models,
        max_driver_candidates=max_driver_candidates,
    )
    return prepared.outcomes.map_partitions(
        _records, explain, include_rejects, cfg.keep_duplicates, meta=RECORD_META
    )


@objects_stay_objects
def prepare_frame(
    ddf: dd.DataFrame,
    config: CleanConfig,
    *,
    text_column: str = "text",
    id_column: str | None = "id",
    models: Models | None = None,
    max_driver_candidates: int = DEFAULT_MAX_DRIVER_CANDIDATES,
) -> Prepared:
    """`clean` before the records are rendered: the lazy frame of `Outcome`s and run statistics."""
    if text_column not in ddf.columns:
        raise KeyError(
            f"no column {text_column!r} in the DataFrame (columns: {', '.join(map(str, ddf.columns))})"
        )
    if id_column is not None and id_column not in ddf.columns:
        id_column = None
    items = ddf.map_partitions(rows_to_items, text_column, id_column, meta=ITEM_META, enforce_metadata=False)
    return prepare(items, config, models, max_driver_candidates=max_driver_candidates)


def _records(
    frame: pd.DataFrame, explain: bool, include_rejects: bool, keep_duplicates: bool
) -> pd.DataFrame:
    rows: list[tuple[Any, ...]] = []
    index: list[int] = []
    for pos, outcome in zip(frame.index.tolist(), frame["outcome"], strict=True):
        if outcome.kind == "rejected":
            if include_rejects:
                reject = outcome.reject
                rows.append(("rejected", reject.id, None, dumps(reject.to_record())))
                index.append(pos)
        elif outcome.kind == "kept" or keep_duplicates:
            doc = outcome.document
            rows.append((outcome.kind, doc.id, doc.text, dumps(doc.to_record(explain=explain))))
            index.append(pos)
    out = pd.DataFrame(rows, columns=list(RECORD_META.columns), dtype=object)
    return out.set_axis(pd.Index(index, dtype="int64", name="pos"))


def _config(config: CleanConfig | None, options: dict[str, Any]) -> CleanConfig:
    if config is None:
        profile = options.pop("profile", "standard")
        return CleanConfig.from_profile(profile, **options)
    return config.with_options(**options) if options else config


__all__ = ["clean", "prepare_frame"]
