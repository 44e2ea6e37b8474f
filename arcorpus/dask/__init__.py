"""Scale-out: the arcorpus plan on a Dask cluster (the optional ``arcorpus[dask]`` extra).

- `arcorpus.dask.clean` — the Python API on a Dask DataFrame with a text column (`api`).
- ``arcorpus clean --engine dask [--scheduler tcp://HOST:PORT]`` — the CLI (`runner.clean_on_dask`).

Modules: `inputs` (files and frames to partitions of documents), `learn` (corpus learners, tree-merged),
`dedup` (keys, shuffle, candidate components, resolution), `paragraphs` (repeated paragraphs), `engine`
(the passes: it only schedules the calls of `arcorpus.run.plan.Plan`), `api`, `runner` (the CLI).
See docs/scale.md. Nothing here is imported by ``import arcorpus``; importing this package needs dask.
"""

from arcorpus.dask.api import clean, prepare_frame

__all__ = ["clean", "prepare_frame"]
