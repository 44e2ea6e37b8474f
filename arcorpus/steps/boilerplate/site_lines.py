"""Step ``site_lines`` and its learner: lines a site prints around every article, learned from the corpus.

Pass 1 (`learner`) counts, per *source*, in how many documents each line occurs. A line is identified by
a 64-bit xxhash of its key: `arcorpus.text.fold.fold` (so spelling variants match), its letters only (digits,
punctuation and spacing ignored, so "تبدأ بالرمز (47)" and "(100)" are one line). Each count also
records how many of those occurrences sat at an edge of the document (first two or last two lines).
Only hashes are kept, never line text; documents with a text already seen (a 64-bit xxhash of its UTF-32
code points) are counted once; if the table grows past ``max_entries`` the lines seen only once are dropped
(lossy counting), which bounds memory.

The source of a document is its ``source`` metadata field, else the host of its ``url``, else the file or
directory it was read from.

Pass 2 (the step) removes, inside each source:

- ``site_lines.template``: a line found in at least ``max(site_lines_min_docs, site_lines_min_fraction *
  documents of the source)`` documents. A long, sentence-like line (a wire sentence many articles quote)
  is never removed on frequency alone: it also needs a second signal — it sits at a document edge in at
  least `EDGE_SHARE` of its occurrences (site furniture does, reused sentences do not).
- ``site_lines.tail_run``: a block of at least `RUN_MIN` consecutive lines at the end of the document,
  each recurring in at least ``site_lines_min_docs`` documents of the source (a "more stories" block of
  other articles' leads), when the document keeps at least `OWN_MIN` lines of its own above it.

Lines that `extract_metadata` would move to a field (dates, bylines, credits) are left to that step. Lines
longer than `LINE_MAX` characters are never site lines. A saved profile (`save_profile`, ``arcorpus learn``)
replaces pass 1 when cleaning new crawls of known sites.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import xxhash

from arcorpus.document import Change, Document
from arcorpus.io.formats import holds_many
from arcorpus.steps.boilerplate import boilerplate as bp
from arcorpus.text.fold import FOLD_TABLE, fold

STEP = "site_lines"
LINE_MAX = 300
EDGE_LINES = 2
EDGE_SHARE = 0.8
RUN_MIN = 3
OWN_MIN = 2
TEASER_MIN = 3
"""A headline-shaped line below the lead found in this many other documents of its source (fewer than a
template needs) is a teaser: a related/most-read link to another article."""
TEASER_WORDS = (4, 16)
BLOCK_MAX = 3
LINK_RUN_MAX = 6
EXAMPLES = 2
"""Document ids kept per link-block line (the smallest): enough to name one other than the current one."""
LINKS_MIN_ANCHORED = 20
LINKS_MIN_SHARE = 0.1
"""A source prints blocks of links when this many of its `link_runs` (and this share) hold a line found
in TEASER_MIN+ documents; then its other runs are links too (`link_block`). Shared corpus: BBC 106 of
626; no other source more than 3."""
_BLOCK_SALT = b"\x02block\x02"
_WRITER_OPENERS = frozenset("فلماذا فما فهل فكيف فإن فان فقد فلا فمن فهذا فهذه ولكن لكن إذن اذن".split())
"""A line opening with one of these goes on the writer's argument ("فلماذا الاهتمام إذن ..."): no link."""
BLOCK_ANCHOR_WORDS = 5
"""A teaser anchors a block only when it is a headline of this many words (not a dateline or a label)."""
_WORD = re.compile(r"[^\W\d_]{2,}")
"""At most this many headline-shaped neighbours on each side of a teaser go with it (`teaser_block`)."""
TEASER_CHARS = 160
LINK_CHARS = 120
"""A line of a link block is at most this long (of the corpus's 949 link runs, one has a longer line);
the learner's gate looks for two adjacent lines this short first (12k of the 75k documents have them)."""
_SHORT = LINK_CHARS + 1
HEAD_WINDOW = 60
"""A line head is the part before a colon within this many characters ("رابط الخبر بصحيفة الوئام: ...")."""
_HEAD_SALT = b"\x01head\x01"
MAX_ENTRIES = 8_000_000
FORMAT = "arcorpus-site-lines"
VERSION = 1
_EDGE = 1 << 32
_COUNT = _EDGE - 1
_NOT_LETTERS = re.compile(r"[\W\d_]+")
_hash = xxhash.xxh3_64_intdigest


# --- the line key -------------------------------------------------------------------------------------


def fast_fold(text: str) -> str:
    """`arcorpus.text.fold.fold` (kept as a name other modules use)."""
    return fold(text)


_ASCII_NON_LETTERS = bytes(c for c in range(128) if not chr(c).isalpha())
_SPACES = (
    "\N{NO-BREAK SPACE}",
    "\N{NARROW NO-BREAK SPACE}",
    "\N{THIN SPACE}",
    "\N{EN SPACE}",
    "\N{EM SPACE}",
)


def line_hash(line: str) -> int | None:
    """The 64-bit key of a line, or None for a line with no letters or longer than `LINE_MAX`.

    Key: ``fold(line)`` (spelling variants, marks, tatweel, presentation forms; Arabic digits become
    ASCII) as UTF-8 bytes without ASCII digits, punctuation and spaces (``bytes.translate``, C speed) nor
    Unicode spaces. Non-ASCII punctuation is kept: a site prints its template lines the same way."""
    if len(line) > LINE_MAX:
        return None
    text = fold(line)
    for space in _SPACES:
        if space in text:
            text = text.replace(space, "")
    data = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_NON_LETTERS)
    if not data:
        return None
    return _hash(data)


_KEY_DELETE = bytes(c for c in _ASCII_NON_LETTERS if c != ord("\n"))


def line_keys(lines: Sequence[str]) -> list[bytes]:
    """The bytes `line_hash` hashes, for each of ``lines`` (an empty result: no letters).

    Computed for all lines at once: one `fold`, one encoding and one ``bytes.translate`` of the lines
    joined by newlines, then split (fold keeps newlines and maps no character to one, so the pieces are
    exactly the per-line keys). Does not check `LINE_MAX`: callers pass only lines up to that length, and
    the lines must not contain a newline."""
    if not lines:
        return []
    text = fold("\n".join(lines))
    for space in _SPACES:
        if space in text:
            text = text.replace(space, "")
    return text.encode("utf-8", "surrogatepass").translate(None, _KEY_DELETE).split(b"\n")


_KEY_SPECIAL = 0xFFFF
"""`_key_table` entry of a character the table cannot map: its key is several characters, or it is a
surrogate (an astral character is two in UTF-16) or one of the two code points used as table entries."""
_KEY_DELETED = 0xFFFE
_KEY_TABLE_SIZE = 0x10000
_KEY_CHUNK = 64
"""Documents whose keys `SiteLinesLearner.observe_many` computes with one set of numpy operations."""


@functools.lru_cache(maxsize=1)
def _key_table() -> np.ndarray:
    """`line_keys` as a per-character map of UTF-16 code units: code unit -> the one character the
    character leaves in the key, `_KEY_DELETED`, or `_KEY_SPECIAL`. Derived from `FOLD_TABLE` (`fold` is
    that per-character map; ``tests/steps/test_learn_fast_paths.py`` checks the table and the keys against
    `line_keys`), so it is built without calling `fold` 65 536 times. Read-only."""
    table = np.arange(_KEY_TABLE_SIZE, dtype=np.uint16)
    dropped = frozenset(_SPACES) | {chr(c) for c in _ASCII_NON_LETTERS if c != ord("\n")}
    for cp, folded in FOLD_TABLE.items():
        if cp < _KEY_TABLE_SIZE:
            kept = [c for c in folded if c not in dropped]
            one = len(kept) == 1 and ord(kept[0]) < _KEY_DELETED
            table[cp] = _KEY_DELETED if not kept else (ord(kept[0]) if one else _KEY_SPECIAL)
    for c in dropped:
        table[ord(c)] = _KEY_DELETED
    table[0xD800:0xE000] = _KEY_SPECIAL
    table[_KEY_DELETED:] = _KEY_SPECIAL
    table.setflags(write=False)
    return table


def batch_line_keys(groups: Sequence[Sequence[str]]) -> list[list[bytes]]:
    """`line_keys` of each group of lines, computed for all groups at once with numpy (`_key_table` over
    the UTF-16 code units of all the lines joined by newlines). A group with a character the table cannot
    map takes `line_keys` itself. Same requirements as `line_keys`; does not check `LINE_MAX` either."""
    lines = [line for group in groups for line in group]
    if not lines:
        return [[] for _ in groups]
    table = _key_table()
    mapped = table.take(np.frombuffer("\n".join(lines).encode("utf-16-le", "surrogatepass"), dtype=np.uint16))
    if (mapped == _KEY_SPECIAL).any():
        # rare: find the groups with such a character; they take line_keys, the others are mapped again
        bad = [_special_in("\n".join(group), table) for group in groups]
        good = [group for group, b in zip(groups, bad, strict=True) if not b]
        done = iter(batch_line_keys(good))
        return [line_keys(group) if b else next(done) for group, b in zip(groups, bad, strict=True)]
    mapped = mapped[mapped != _KEY_DELETED]
    keys = mapped.tobytes().decode("utf-16-le").encode("utf-8").split(b"\n")
    out: list[list[bytes]] = []
    at = 0
    for group in groups:
        out.append(keys[at : at + len(group)])
        at += len(group)
    return out


def _keyed(keys: list[bytes], order: range) -> list[int]:
    """The first `EDGE_LINES` indexes in ``order`` of non-empty ``keys`` (lines with letters)."""
    found: list[int] = []
    for at in order:
        if keys[at]:
            found.append(at)
            if len(found) == EDGE_LINES:
                break
    return found


def _special_in(line: str, table: np.ndarray) -> bool:
    units = np.frombuffer(line.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    return bool((table.take(units) == _KEY_SPECIAL).any())


def source_of(doc: Document) -> str:
    """``source`` metadata, else the URL host, else the input file's directory (or the file itself)."""
    value = doc.metadata.get("source")
    if isinstance(value, str) and value.strip():
        return value.strip()
    url = doc.metadata.get("url")
    if isinstance(url, str) and url:
        host = urlsplit(url if "//" in url else "//" + url).hostname
        if host:
            return host.removeprefix("www.")
    if doc.origin:
        origin = Path(doc.origin)
        return str(
            origin
            if holds_many(origin)
            else origin.parent
        )
    return ""


def line_head(line: str) -> str | None:
    """The head of a line: the text before a colon in its first `HEAD_WINDOW` characters, when text
    follows the colon ("رابط الخبر بصحيفة الوئام: <headline>" -> "رابط الخبر بصحيفة الوئام"), else None."""
    at = line.find(":", 0, HEAD_WINDOW)
    if at < 3 or len(line) > LINE_MAX or not line[at + 1 :].strip():
        return None
    return line[:at]


# --- the model ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SourceProfile:
    docs: int
    lines: Mapping[int, int]
    """line hash -> occurrences (low 32 bits) + edge occurrences (high bits)."""
    blocks: tuple[int, int] = (0, 0)
    """(link blocks with a line found in TEASER_MIN+ documents, all link blocks): `link_runs` of the
    source's documents. A source that prints blocks of links shows many anchored ones (`prints_links`)."""
    examples: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """line hash -> the (at most `EXAMPLES`) smallest ids of documents where the line stood in a link block:
    ``arcorpus explain`` names the other document a teaser or link points to."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Read-only views do not pickle; models travel to worker processes and into resume manifests.
        return (_source_profile, (self.docs, dict(self.lines), self.blocks, dict(self.examples)))

    @property
    def prints_links(self) -> bool:
        """The source's pages carry blocks of links between paragraphs: at least `LINKS_MIN_ANCHORED`
        blocks (and `LINKS_MIN_SHARE` of all) hold a line found in other documents."""
        anchored, total = self.blocks
        return anchored >= LINKS_MIN_ANCHORED and anchored >= LINKS_MIN_SHARE * total


@dataclass(frozen=True)
class SiteModel:
    """Per source: its document count and the lines recurring in at least ``min_docs`` of its documents."""

    sources: Mapping[str, SourceProfile]
    min_docs: int

    def __reduce__(self) -> tuple[Any, ...]:
        return (_site_model, (dict(self.sources), self.min_docs))


def _source_profile(
    docs: int,
    lines: dict[int, int],
    blocks: tuple[int, int] = (0, 0),
    examples: dict[int, tuple[str, ...]] | None = None,
) -> SourceProfile:
    return SourceProfile(docs, MappingProxyType(lines), blocks, MappingProxyType(examples or {}))


def _smallest(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(ids))[:EXAMPLES])


def _site_model(sources: dict[str, SourceProfile], min_docs: int) -> SiteModel:
    return SiteModel(MappingProxyType(sources), min_docs)


_Pending = tuple[int, str, list[str], list[int], int, list[str], list[list[str]]]
"""(digest, source, short lines, their positions, line count, edge-line heads, link blocks' lines)"""


class SiteLinesLearner:
    """Counts line hashes per source, each distinct text once. Picklable.

    A text seen before (same digest) is not counted again: copies of one article must not make its lines
    look like a site's template. Within one learner `observe` skips repeats; across learners, `merge` takes
    back what a learner that observed documents itself (`counted`) counted for a text the receiving learner
    has already seen, so fresh learners over consecutive batches merged in input order count exactly what
    one learner over the whole stream counts, whatever the number of workers. Merging two learners that are
    themselves merges cannot do this (their per-document records are not kept, to bound memory) and would
    count such repeats twice: the Dask engine, which merges in a tree, finds repeats by a shuffle on the
    text hash before learning instead (`arcorpus.dask.learn`).
    """

    name = STEP
    counts_texts_once = True
    """See `arcorpus.steps.Learner`: merged out of input order only after `forget_texts`."""

    def __init__(self, min_docs: int = 5, max_entries: int = MAX_ENTRIES) -> None:
        self.min_docs = min_docs
        self.max_entries = max_entries
        self.docs: dict[str, int] = {}
        self.counts: dict[str, dict[int, int]] = {}
        self.seen: set[int] = set()
        self.entries = 0
        self.counted: list[tuple[int, str, dict[int, int]]] = []
        """(digest, source, line keys and increments) of every text this learner counted itself, in order."""
        self.examples: dict[str, dict[int, tuple[str, ...]]] = {}
        """source -> line hash of a link-block line -> the smallest ids of documents holding it (order-free:
        merges keep the smallest, whatever the order)."""
        self.block_lines: dict[str, dict[int, tuple[int, ...]]] = {}
        """source -> block key -> its line hashes: the `link_runs` seen (each also counted in ``counts``
        under its salted key, so repeats and merges count it like a line)."""

    def observe(self, doc: Document) -> None:
        self.observe_many((doc,))

    def forget_texts(self) -> None:
        """Drop the per-text records (the seen set, what each text counted), for an engine that skips
        repeated texts itself and merges in a tree (`arcorpus.dask.learn`): there they would only
        travel up the tree, 8+ bytes per document of the corpus, and take nothing back."""
        self.seen = set()
        self.counted = []

    def observe_many(self, docs: Iterable[Document]) -> None:
        """`observe` each of ``docs`` in turn (the same counts, pruned at the same points), with the line
        keys of up to `_KEY_CHUNK` new documents computed at once (`batch_line_keys`)."""
        pending: list[_Pending] = []
        for doc in docs:
            text = doc.text
            digest = _hash(text.encode("utf-32-le", "surrogatepass"))  # UTF-32: 2.5x faster than UTF-8
            if digest in self.seen:
                continue
            self.seen.add(digest)
            source = source_of(doc)
            self.docs[source] = self.docs.get(source, 0) + 1
            lines = [line for line in text.split("\n") if line and not line.isspace()]
            positions = [pos for pos, line in enumerate(lines) if len(line) <= LINE_MAX]
            short = lines if len(positions) == len(lines) else [lines[pos] for pos in positions]
            heads = [
                head
                for line in (*lines[:EDGE_LINES], *lines[max(EDGE_LINES, len(lines) - EDGE_LINES) :])
                if line.find(":", 0, HEAD_WINDOW) >= 0 and (head := line_head(line))
            ]
            blocks = [[lines[i] for i in run] for run in _link_runs(lines)]  # lines: the non-empty ones
            if blocks:
                examples = self.examples.setdefault(source, {})
                for key in line_keys([line for block in blocks for line in block]):
                    if key:
                        h = _hash(key)
                        examples[h] = _smallest((*examples.get(h, ()), str(doc.id)))
            pending.append((digest, source, short, positions, len(lines), heads, blocks))
            if len(pending) >= _KEY_CHUNK:
                self._count(pending)
                pending = []
        if pending:
            self._count(pending)

    def _count(self, pending: list[_Pending]) -> None:
        """Count the lines of documents already admitted by `observe_many`, in order."""
        all_keys = batch_line_keys([p[2] for p in pending])
        for (digest, source, _, positions, n, heads, blocks), keys in zip(pending, all_keys, strict=True):
            self._count_one(digest, source, positions, n, keys, heads, blocks)

    def _count_one(
        self,
        digest: int,
        source: str,
        positions: list[int],
        n_lines: int,
        keys: list[bytes],
        heads: Sequence[str] = (),
        blocks: Sequence[list[str]] = (),
    ) -> None:
        # every line once (in order of first occurrence), then the edge lines (among the first and last
        # EDGE_LINES lines with a key) raised to an edge occurrence; the heads of edge lines once each
        found = dict.fromkeys(map(_hash, filter(None, keys)), 1)
        for head_key in line_keys(list(heads)) if heads else ():
            if head_key:
                found.setdefault(_hash(_HEAD_SALT + head_key), 1)
        for block in blocks:
            line_hashes = tuple(_hash(k) for k in line_keys(block) if k)
            block_key = _hash(_BLOCK_SALT + b"".join(x.to_bytes(8, "little") for x in line_hashes))
            found.setdefault(block_key, 1)
            self.block_lines.setdefault(source, {})[block_key] = line_hashes
        self.counted.append((digest, source, found))
        if not found:
            return
        last = n_lines - EDGE_LINES
        for at in (*_keyed(keys, range(len(keys))), *_keyed(keys, range(len(keys) - 1, -1, -1))):
            pos = positions[at]
            if pos < EDGE_LINES or pos >= last:
                found[_hash(keys[at])] = 1 + _EDGE
        table = self.counts.setdefault(source, {})
        before = len(table)
        for key, inc in found.items():
            table[key] = table.get(key, 0) + inc
        self.entries += len(table) - before
        if self.entries > self.max_entries:
            self._prune()

    def merge(self, other: SiteLinesLearner) -> None:
        """Add ``other``'s counts, minus the texts it counted itself that this learner has already seen
        (see the class docstring). ``other`` is not modified."""
        repeats = []
        for digest, source, found in other.counted:
            if digest in self.seen:
                repeats.append((source, found))
            else:
                self.seen.add(digest)
        self.seen |= other.seen
        self.counted = []  # no longer a record of everything this learner holds
        for source, n in other.docs.items():
            self.docs[source] = self.docs.get(source, 0) + n
        for source, blocks in other.block_lines.items():
            self.block_lines.setdefault(source, {}).update(blocks)
        for source, listed in other.examples.items():
            mine_ex = self.examples.setdefault(source, {})
            for h, ids in listed.items():
                mine_ex[h] = _smallest((*mine_ex.get(h, ()), *ids))
        for source, table in other.counts.items():
            mine = self.counts.get(source)
            if mine is None:  # a source new to this learner: its table copied as it is
                self.counts[source] = dict(table)
                continue
            for key, value in table.items():
                mine[key] = mine.get(key, 0) + value
        for source, found in repeats:
            self._take_back(source, found)
        self.entries = sum(len(t) for t in self.counts.values())
        if self.entries > self.max_entries:
            self._prune()

    def _take_back(self, source: str, found: dict[int, int]) -> None:
        """Undo the counting of one text of ``source`` (its line keys and increments ``found``)."""
        left = self.docs[source] - 1
        if left:
            self.docs[source] = left
        else:
            del self.docs[source]
        table = self.counts.get(source, {})
        for key, inc in found.items():
            value = table.get(key, 0) - inc
            if value > 0:
                table[key] = value
            else:
                table.pop(key, None)
        if not table:
            self.counts.pop(source, None)

    def _prune(self) -> None:
        for table in self.counts.values():
            for key in [k for k, v in table.items() if v & _COUNT <= 1]:
                del table[key]
        self.entries = sum(len(t) for t in self.counts.values())

    def finish(self) -> SiteModel:
        sources = {}
        for source, n in self.docs.items():
            table = self.counts.get(source, {})
            keep = min(self.min_docs, TEASER_MIN)  # templates need min_docs; teasers TEASER_MIN
            kept = {k: v for k, v in table.items() if v & _COUNT >= keep}
            blocks = [hs for k, hs in self.block_lines.get(source, {}).items() if table.get(k, 0) & _COUNT]
            anchored = sum(1 for hs in blocks if any(kept.get(h, 0) & _COUNT >= TEASER_MIN for h in hs))
            for k in self.block_lines.get(source, {}):
                kept.pop(k, None)
            examples = {h: ids for h, ids in self.examples.get(source, {}).items() if h in kept}
            sources[source] = SourceProfile(
                n, MappingProxyType(kept), (anchored, len(blocks)), MappingProxyType(examples)
            )
        return SiteModel(MappingProxyType(sources), self.min_docs)


def learner(config: Any) -> SiteLinesLearner | None:
    if not getattr(config, "site_lines", False) or getattr(config, "site_lines_profile", None):
        return None
    return SiteLinesLearner(min_docs=config.site_lines_min_docs)


# --- saved profiles -------------------------------------------------------------------------------------


def save_profile(model: SiteModel, path: str | Path) -> None:
    """Write a learned model as JSON (gzip when the name ends in .gz). Only hashes and counts are stored."""
    data = {
        "format": FORMAT,
        "version": VERSION,
        "min_docs": model.min_docs,
        "sources": {
            source: {
                "docs": prof.docs,
                "lines": {f"{k:016x}": v for k, v in sorted(prof.lines.items())},
                "blocks": list(prof.blocks),
                "examples": {f"{k:016x}": list(v) for k, v in sorted(prof.examples.items())},
            }
            for source, prof in sorted(model.sources.items())
        },
    }
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(tmp, "wt", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
    tmp.replace(path)


def load_profile(path: str | Path) -> SiteModel:
    """Read a profile written by `save_profile` (``arcorpus learn``)."""
    from arcorpus.config import ConfigError

    path = Path(path)
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: site profile not found") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not a site profile: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise ConfigError(f"{path}: not an arcorpus site profile (format {FORMAT} v{VERSION})")
    sources = {
        source: SourceProfile(
            int(p["docs"]),
            MappingProxyType({int(k, 16): int(v) for k, v in p["lines"].items()}),
            (int(p.get("blocks", (0, 0))[0]), int(p.get("blocks", (0, 0))[1])),
            MappingProxyType({int(k, 16): tuple(map(str, v)) for k, v in p.get("examples", {}).items()}),
        )
        for source, p in data["sources"].items()
    }
    return SiteModel(MappingProxyType(sources), int(data["min_docs"]))


# --- the step -------------------------------------------------------------------------------------------


_SENTENCE_ENDS = (
    ".", "!", "?", "\N{ARABIC FULL STOP}", "\N{ARABIC QUESTION MARK}", "\N{HORIZONTAL ELLIPSIS}"
)


def _link_shaped(line: str) -> bool:
    """A related-article link: a headline of 4-16 words, not opening with و, not ending like a writer's
    line (`_open_ended`) or with a colon."""
    if len(line) > LINK_CHARS or line.lstrip().startswith("\N{ARABIC LETTER WAW}") or _open_ended(line):
        return False
    if line.split(None, 1)[0] in _WRITER_OPENERS:
        return False
    if line.rstrip(" \t-\u2013\u00a0").endswith(":"):
        return False
    low, high = TEASER_WORDS
    return low <= bp.word_count(line) <= high and bp.is_headline(line, high)


def link_runs(lines: Sequence[str]) -> list[list[int]]:
    """Runs of 2-`LINK_RUN_MAX` link-shaped lines (`_link_shaped`) standing between two body paragraphs
    (`_sentence_like`), as lists of line indices: "paragraph / link / link / paragraph"."""
    nonempty = [i for i, line in enumerate(lines) if line and not line.isspace()]
    return [[nonempty[p] for p in run] for run in _link_runs([lines[i] for i in nonempty])]


def _link_runs(nonempty: Sequence[str]) -> list[range]:
    """`link_runs` over the non-empty lines only (positions in ``nonempty``). Cheap for a document of
    paragraphs: only two or more adjacent lines of at most `LINK_CHARS` characters are looked at."""
    n = len(nonempty)
    if n < 4:
        return []
    flags = bytes(map(_SHORT.__gt__, map(len, nonempty)))  # 1 for a short line, at C speed
    if flags.find(b"\x01\x01", 1, n - 1) < 0:
        return []  # no two adjacent short lines below the first: the common case
    short = list(map(bool, flags))
    pairs = [p for p in range(1, n - 2) if short[p] and short[p + 1]]
    shaped: dict[int, bool] = {}

    def link(p: int) -> bool:
        found = shaped.get(p)
        if found is None:
            found = shaped[p] = short[p] and _link_shaped(nonempty[p])
        return found

    runs: list[range] = []
    end = 0
    for p in pairs:
        if p < end or not _sentence_like(nonempty[p - 1]) or not link(p) or (short[p - 1] and link(p - 1)):
            continue  # a paragraph first (cheapest test: most short pairs are a title and a subtitle)
        q = p
        while q < n and link(q):
            q += 1
        end = q
        if 2 <= q - p <= LINK_RUN_MAX and q < n and _sentence_like(nonempty[q]):
            runs.append(range(p, q))
    return runs


def _open_ended(line: str) -> bool:
    """Ends with ".." "!" "…" or a comma: a writer's line (a column's closing words), not a link."""
    core = line.rstrip(bp._CLOSERS + "\u00a0")
    return core.endswith(("..", "!", "\N{HORIZONTAL ELLIPSIS}", "\N{ARABIC COMMA}", ","))


def _ends_sentence(line: str) -> bool:
    return line.rstrip(bp._CLOSERS).endswith(_SENTENCE_ENDS)


def _sentence_like(line: str) -> bool:
    words = bp.word_count(line)
    return words >= 8 and (len(line) >= 100 or not bp.is_headline(line, 1000))


@dataclass
class SiteLinesStep:
    model: SiteModel
    min_docs: int
    min_fraction: float
    name: str = STEP
    _thresholds: dict[str, int] = field(default_factory=dict)

    def threshold(self, source: str, prof: SourceProfile) -> int:
        t = self._thresholds.get(source)
        if t is None:
            t = max(self.min_docs, math.ceil(self.min_fraction * prof.docs))
            self._thresholds[source] = t
        return t

    def __call__(self, doc: Document) -> Document:
        prof = self.model.sources.get(source_of(doc))
        if prof is None or not prof.lines:
            return doc
        text = doc.text
        if "\n" not in text.strip():
            return doc  # a one-line input is content (a headline-only document is not a template)
        lines = text.split("\n")
        table = prof.lines
        hits: dict[int, int] = {}
        nonempty = [i for i, line in enumerate(lines) if line and not line.isspace()]
        candidates = [i for i in nonempty if len(lines[i]) <= LINE_MAX]
        min_docs = self.min_docs
        weak: dict[int, int] = {}  # recurring, but fewer times than a template: teaser candidates
        for i, data in zip(candidates, line_keys([lines[i] for i in candidates]), strict=True):
            if data:
                value = table.get(_hash(data))
                if value is not None:
                    if value & _COUNT >= min_docs:
                        hits[i] = value
                    elif value & _COUNT >= TEASER_MIN:
                        weak[i] = value
        heads = self._heads(lines, nonempty, table)
        teasers = [i for i in weak if len(lines[i]) <= TEASER_CHARS]
        links = link_runs(lines) if prof.prints_links else []
        if not hits and not heads and not weak and not links:
            return doc
        from arcorpus.steps.boilerplate.extract_metadata import classify

        t1 = self.threshold(source_of(doc), prof)
        drop: dict[int, str] = {}
        evidence: dict[int, str] = {}
        for i, value in hits.items():
            count, edge = value & _COUNT, value >> 32
            if count < t1:
                continue
            line = lines[i]
            if _sentence_like(line) and edge < EDGE_SHARE * count:
                continue
            if classify(line) is None:
                drop[i] = "template"
        for i, (head, count) in heads.items():
            if i not in hits and count >= t1 and classify(lines[i]) is None:
                rest = lines[i][len(head) + 1 :].strip()
                if bp.is_headline(rest, 20):  # a headline after the head, not a paragraph: the line goes
                    drop[i] = "head_template"
                    evidence[i] = f"the head {head.strip()!r} opens this line in {count} of {prof.docs} docs"
        copies = bool(teasers) and any(
            (j in weak or j in hits) and j not in drop and _sentence_like(lines[j]) for j in nonempty
        )  # the document shares paragraphs with others: a copy of a story, whose headlines are its own
        for i in teasers:
            value = weak[i]
            if not copies and i not in drop and self._teaser_shaped(lines, nonempty, i):
                drop[i] = "teaser"
                evidence[i] = f"this line stands in {value & _COUNT} other documents of the source (a link)"
        if drop and not copies:
            self._teaser_blocks(lines, nonempty, drop, evidence)
        if links and not copies:
            anchored, total = prof.blocks
            for block in links:
                for i in block:
                    if i not in drop:
                        drop[i] = "link_block"
                        evidence[i] = (
                            f"a block of {len(block)} headlines between paragraphs; this source prints link "
                            f"blocks ({anchored} of its {total} such blocks hold a line found in other "
                            "documents)"
                        )
        # a run of recurring lines closing the document
        run: list[int] = []
        for i in reversed(nonempty):
            if i in hits or i in drop or (i in weak and not _ends_sentence(lines[i])):
                run.append(i)  # a line of a closing block: a template, a teaser, or an other article's lead
            else:
                break
        above = nonempty[: nonempty.index(run[-1])] if run else []
        if any(
            (j in weak or j in hits) and j not in drop
            and _ends_sentence(lines[j]) and _sentence_like(lines[j])
            for j in above
        ):  # a paragraph found in other documents: a copy of a story, whose closing lines are its own
            run = run[: next((n for n, i in enumerate(run) if i not in hits and i not in drop), len(run))]
        own = sum(1 for i in nonempty if i not in hits and i not in drop and bp.word_count(lines[i]) >= 5)
        if len(run) >= RUN_MIN and own >= OWN_MIN:
            for i in run:
                if i not in drop and classify(lines[i]) is None:
                    drop[i] = "tail_run"
        if len(drop) >= len(nonempty):
            return doc  # never the whole document: what is left of it is its own text
        if prof.examples and evidence:
            self._name_examples(lines, str(doc.id), prof, evidence)
        out = bp.drop_lines(doc, lines, drop, STEP)
        if evidence:
            rule = f"{STEP}.evidence"
            notes = [Change(STEP, rule, "note", before=evidence[i], line=i) for i in sorted(evidence)]
            out = out.evolve(changes=notes)
        return out

    @staticmethod
    def _heads(lines: list[str], nonempty: list[int], table: Mapping[int, int]) -> dict[int, tuple[str, int]]:
        """Edge lines whose head (`line_head`) recurs in the source: index -> (head, documents)."""
        edges = sorted({*nonempty[:EDGE_LINES], *nonempty[-EDGE_LINES:]})
        found: dict[int, tuple[str, int]] = {}
        for i in edges:
            head = line_head(lines[i]) if lines[i].find(":", 0, HEAD_WINDOW) >= 0 else None
            if head:
                keys = line_keys([head])
                if keys and keys[0]:
                    value = table.get(_hash(_HEAD_SALT + keys[0]))
                    if value is not None:
                        found[i] = (head, value & _COUNT)
        return found

    @staticmethod
    def _name_examples(lines: list[str], doc_id: str, prof: SourceProfile, evidence: dict[int, str]) -> None:
        """Add to a removal's evidence another document where the line stands (`SourceProfile.examples`)."""
        order = sorted(evidence)
        for i, key in zip(order, line_keys([lines[i] for i in order]), strict=True):
            other = next((d for d in prof.examples.get(_hash(key), ()) if d != doc_id), None) if key else None
            if other is not None:
                evidence[i] += f"; it also stands in document {other}"

    @classmethod
    def _teaser_blocks(
        cls, lines: list[str], nonempty: list[int], drop: dict[int, str], evidence: dict[int, str]
    ) -> None:
        """Links come in blocks: the headline-shaped lines next to a teaser (`_teaser_shaped`), up to
        `BLOCK_MAX` on each side, go with it when the block stands between body paragraphs (or at the
        end): "paragraph / link / link / paragraph". The neighbours need not recur in the corpus."""
        pos = {i: p for p, i in enumerate(nonempty)}
        for i in [i for i, rule in drop.items() if rule == "teaser"]:
            if pos[i] < 2 or len(_WORD.findall(lines[i])) < BLOCK_ANCHOR_WORDS:
                continue  # the top block (a title, a letter's address); a dateline ("الخرطوم / اخبار اليوم")
            block = [i]
            for step in (-1, 1):
                p = pos[i] + step
                taken: list[int] = []
                while 0 <= p < len(nonempty) and len(taken) < BLOCK_MAX:
                    j = nonempty[p]
                    if (
                        j in drop
                        or not cls._teaser_shaped(lines, nonempty, j)
                        or _open_ended(lines[j])
                        or lines[j].lstrip().startswith("\N{ARABIC LETTER WAW}")  # "وبحسب ...": a story's
                    ):
                        break
                    taken.append(j)
                    p += step
                edge = not 0 <= p < len(nonempty)
                if taken and ((edge and step == 1) or (not edge and _sentence_like(lines[nonempty[p]]))):
                    block += taken
            for j in block:
                if j not in drop:
                    drop[j] = "teaser_block"
                    evidence[j] = f"a headline next to the teaser on line {i + 1} (a block of links)"

    @staticmethod
    def _teaser_shaped(lines: list[str], nonempty: list[int], i: int) -> bool:
        """A headline (4-16 words, no sentence ending) below the document's first paragraph."""
        if i == nonempty[0] or not any(j < i and _sentence_like(lines[j]) for j in nonempty):
            return False
        low, high = TEASER_WORDS
        if lines[i].rstrip(" \t-\u2013\u00a0").endswith(":"):
            return False  # "السلام عليكم ورحمة الله وبركاته :-" opens what follows
        return low <= bp.word_count(lines[i]) <= high and bp.is_headline(lines[i], high)


def build(config: Any, models: Any) -> SiteLinesStep | None:
    if not getattr(config, "site_lines", False):
        return None
    model = (models or {}).get(STEP)
    if not isinstance(model, SiteModel):
        return None
    return SiteLinesStep(
        model, max(config.site_lines_min_docs, model.min_docs), config.site_lines_min_fraction
    )
