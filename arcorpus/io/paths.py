"""File names made from untrusted strings (document ids), for any output that writes one file per document.

`safe_filename` never returns a name that leaves the directory it is joined to: no separators, no ``..``,
no leading dot, no NUL or control characters, no Windows device names, at most 255 bytes. A name that
had to be changed gets a short hash of the original id, so two different ids never share a file.

arcorpus's own outputs (the output, rejects, report and ``--resume`` shard files) never use ids in paths at
all; this is for per-document output modes and for tools built on arcorpus.
"""

from __future__ import annotations

import re

import xxhash

_UNSAFE = re.compile(r"[^\w.\-]|_(?=h[0-9a-f]{12}$)")
_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)
_MAX_BYTES = 200


def safe_filename(doc_id: str, suffix: str = "") -> str:
    """A file name for ``doc_id`` (plus ``suffix``, e.g. ``.txt``) that is safe inside any directory."""
    name = _UNSAFE.sub("_", doc_id).lstrip(".")
    stem = name.split(".", 1)[0].lower()
    changed = name != doc_id or not name or stem in _RESERVED
    if len(name.encode("utf-8")) > _MAX_BYTES:
        name = name.encode("utf-8")[:_MAX_BYTES].decode("utf-8", errors="ignore")
        changed = True
    if changed:
        digest = xxhash.xxh3_64_hexdigest(doc_id.encode("utf-8", errors="surrogatepass"))[:12]
        name = f"{name}_h{digest}" if name else f"h{digest}"
    return name + suffix
