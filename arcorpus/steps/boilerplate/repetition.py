"""Step ``repetition``: drop what a page printed twice inside one document.

Rules (compared on a folded key: letters only, spelling variants equal, digits and punctuation ignored):

- ``title_repeat``: a line at the top equal to the document's ``title`` (after `extract_metadata`).
- ``repeat_adjacent``: a line equal to the previous non-empty line (captions and titles printed twice);
  a sentence (ending in ``.`` ``:`` ``،``) printed twice is left alone.
- ``repeat_block``: a short line (a label, a name, a caption) repeated before the first body paragraph
  (a masthead block printed twice).
- ``pull_quote``: a fragment of at least `PULL_QUOTE_MIN_WORDS` words, not ending like a sentence, that
  also appears inside a longer paragraph of the same document (a pull quote); the paragraph stays. A full
  sentence found twice is left alone (a scraper may have merged paragraphs).

The first copy always stays. Deliberately NOT removed: a long paragraph or a quotation repeated further
down (a Quran verse cited twice, a refrain), lines starting with a quotation mark or bracket, and anything
shorter than a few words in the body.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from arcorpus.document import Document
from arcorpus.steps.boilerplate import boilerplate as bp

STEP = "repetition"
PULL_QUOTE_MIN_WORDS = 10
TOP_LINES = 15
_WORDS = re.compile(r"[^\W\d_]+")
_QUOTED_START = re.compile(
    r"^\s*[\"'\N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}\N{LEFT DOUBLE QUOTATION MARK}({\[\-]"
)


def line_key(line: str) -> str:
    from arcorpus.text.fold import fold

    return " ".join(_WORDS.findall(fold(line)))


class RepetitionStep:
    name = STEP

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        lines = text.split("\n")
        stripped = [line.strip() for line in lines]
        nonempty = [i for i, s in enumerate(stripped) if s]
        if len(nonempty) < 2:
            return doc
        title = doc.field("title")
        title_key = line_key(title) if isinstance(title, str) else ""
        drop: dict[int, str] = {}
        previous = ""
        seen_top: set[str] = set()
        in_top = True
        for pos, i in enumerate(nonempty):
            line = stripped[i]
            if in_top and (pos >= TOP_LINES or line.count(" ") >= 20):
                in_top = False
            if in_top and title_key and line.count(" ") < 30 and line_key(line) == title_key:
                drop[i] = "title_repeat"
            elif line == previous and bp.is_headline(line, 40):
                drop[i] = "repeat_adjacent"
            elif in_top and line in seen_top and bp.is_headline(line, 12):
                drop[i] = "repeat_block"
            if i not in drop:
                previous = line  # compare with the last line that stays
            if in_top:
                seen_top.add(line)
        # pull quotes: a sentence printed again inside a longer paragraph (raw text: C-speed counting);
        # cheapest tests first, and the copies of each line are counted only once a line needs it
        counts: Counter[str] | None = None
        for i in nonempty:
            line = stripped[i]
            if i in drop or line.count(" ") < PULL_QUOTE_MIN_WORDS - 1 or len(line) < 40:
                continue
            if bp.is_headline(line, 1000) and not _QUOTED_START.match(line):
                if counts is None:
                    counts = Counter([stripped[j] for j in nonempty])
                if text.count(line) > counts[line]:
                    drop[i] = "pull_quote"
        return bp.drop_lines(doc, lines, drop, STEP)


def build(config: Any, models: Any) -> RepetitionStep | None:
    if not getattr(config, "repetition", False):
        return None
    return RepetitionStep()
