"""Scale-out: the arcorpus pipeline on a Dask cluster (the optional ``arcorpus[dask]`` extra).

- `arcorpus.dask.clean` — the Python API on a Dask DataFrame with a text column.
- ``arcorpus clean --engine dask [--scheduler tcp://HOST:PORT]`` — the CLI (`runner.clean_on_dask`).

Modules: `inputs` (files and frames to partitions of documents), `learn` (corpus learners, tree-merged),
`dedup` (keys, shuffle, candidate components, resolution), `engine` (the passes), `runner` (the CLI).
See docs/scale.md. Nothing here is imported by ``import arcorpus``; dask is needed only when used.
"""
