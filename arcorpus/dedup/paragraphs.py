"""Paragraphs repeated across the corpus (an agency's standard background paragraph, a site disclaimer).

A paragraph is a line of the cleaned text (the whitespace step leaves one paragraph per line). Its hash
is a polynomial hash of the word hashes of its matching key, so spelling variants, diacritics and
punctuation do not split a paragraph's count. Only paragraphs of at least `MIN_PARAGRAPH_WORDS` words
are counted: shorter lines (datelines, bylines, site names) are the boilerplate steps' business.

Counting is memory-bounded by design: the driver keeps one uint64 per distinct paragraph of each
document (8 bytes, never the text) and counts them with `numpy.unique` over the documents the dedup
keeps, so a wire story copied to ten sites counts once. Example texts for the report are captured in the
final pass, only for paragraphs that turned out to be repeated.

This module deliberately does not decide what a document keeps (see `Deduplicator.finish_document`).
"""

from __future__ import annotations

import numpy as np

from arcorpus.dedup.keys import NEWLINE, map_texts, range_hashes, words_of

MIN_PARAGRAPH_WORDS = 8


def _paragraphs(
    mapped: np.ndarray, bounds: np.ndarray, hashes: np.ndarray, starts: np.ndarray, word_doc: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(document, line index in the document, hash) of every long-enough line of a batch, in order."""
    empty = np.empty(0, dtype=np.int64)
    if len(hashes) == 0:
        return empty, empty, np.empty(0, dtype=np.uint64)
    newlines_before = np.concatenate(([0], np.cumsum(mapped == NEWLINE, dtype=np.int64)))
    word_line = newlines_before[starts]  # global line number of every word
    change = np.flatnonzero(np.diff(word_line)) + 1
    line_first = np.concatenate(([0], change))
    line_end = np.concatenate((change, [len(hashes)]))
    long_enough = (line_end - line_first) >= MIN_PARAGRAPH_WORDS
    line_first, line_end = line_first[long_enough], line_end[long_enough]
    if len(line_first) == 0:
        return empty, empty, np.empty(0, dtype=np.uint64)
    para_doc = word_doc[line_first]
    para_line = word_line[line_first] - newlines_before[bounds[para_doc]]
    return para_doc, para_line, range_hashes(hashes, line_first, line_end)


def _split(values: np.ndarray, doc: np.ndarray, n_docs: int) -> list[np.ndarray]:
    offsets = np.concatenate(([0], np.cumsum(np.bincount(doc, minlength=n_docs))))
    return [values[offsets[d] : offsets[d + 1]] for d in range(n_docs)]


def line_paragraphs(
    mapped: np.ndarray, bounds: np.ndarray, hashes: np.ndarray, starts: np.ndarray, word_doc: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray]]:
    """For each text of a `map_texts` batch: (line indexes, paragraph hashes) of its long-enough lines.

    ``hashes``/``starts`` are the batch's word hashes and word start positions, ``word_doc`` the text of
    each word.
    """
    n_docs = len(bounds) - 1
    doc, line, para = _paragraphs(mapped, bounds, hashes, starts, word_doc)
    return list(zip(_split(line, doc, n_docs), _split(para, doc, n_docs), strict=True))


def distinct_paragraphs(
    mapped: np.ndarray, bounds: np.ndarray, hashes: np.ndarray, starts: np.ndarray, word_doc: np.ndarray
) -> list[np.ndarray]:
    """For each text of a batch: its distinct paragraph hashes, sorted (one sort for the whole batch)."""
    n_docs = len(bounds) - 1
    doc, _, para = _paragraphs(mapped, bounds, hashes, starts, word_doc)
    order = np.lexsort((para, doc))
    doc, para = doc[order], para[order]
    first = np.ones(len(para), dtype=bool)
    first[1:] = (para[1:] != para[:-1]) | (doc[1:] != doc[:-1])
    return _split(para[first], doc[first], n_docs)


def text_paragraphs(text: str) -> tuple[np.ndarray, np.ndarray]:
    """(line indexes, paragraph hashes) of the long-enough lines of one text (``text.split("\\n")``)."""
    mapped, bounds = map_texts([text])
    hashes, starts = words_of(mapped)
    return line_paragraphs(mapped, bounds, hashes, starts, np.zeros(len(hashes), dtype=np.int64))[0]


def repeated(hash_arrays: list[np.ndarray], min_docs: int) -> dict[int, int]:
    """Paragraph hash -> number of documents, for hashes found in at least ``min_docs`` of the arrays.

    Each array holds one document's *distinct* paragraph hashes (as `DocSignature.paragraphs` does), so
    a paragraph repeated inside one document counts once.
    """
    parts = [a for a in hash_arrays if len(a)]
    if not parts:
        return {}
    values, counts = np.unique(np.concatenate(parts), return_counts=True)
    keep = counts >= min_docs
    return {int(h): int(c) for h, c in zip(values[keep], counts[keep], strict=True)}
