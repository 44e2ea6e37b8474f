"""The ``names`` step: one spelling per entity for transliterated names.

Each name found in a spelling other than the entity's chosen one (`Entity.spelling` for ``names_style``) is
rewritten, recording ``Change(step="names", rule="names.<entity id>", action="rewrite", ...)`` with the line
and the span inside that line. The metadata field ``entities`` is set when the text mentions at least one
gazetteer entity: the sorted ids of every entity mentioned, whether it was rewritten or already in the
chosen spelling. A document without any entity is returned as it came (no ``entities`` field).

It deliberately does NOT touch anything else: proclitics, diacritics outside a rewritten name, and words
that are not gazetteer names stay as they are. See `arcorpus.text.names.matcher` for the matching rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from arcorpus.document import Change, Document
from arcorpus.text.fold import fold
from arcorpus.text.names.gazetteer import Entity, load_builtin, load_file, load_native_words, merge
from arcorpus.text.names.matcher import Match, Matcher

STEP = "names"


@dataclass(frozen=True)
class NamesStep:
    """Apply a `Matcher` to documents."""

    matcher: Matcher
    name: str = field(default=STEP)
    folded: bool = False
    """Write the chosen spellings folded (`arcorpus.fold.fold`): set when ``search_fold`` is on, which ran
    before this step, so that a ``search`` output stays equal to ``fold()`` of itself."""

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        found, rewrites = self.matcher.scan(text)
        if rewrites and self.folded:
            rewrites = _folded(text, rewrites)
        if not rewrites:
            return doc.evolve(metadata={"entities": sorted(set(found))}) if found else doc
        parts: list[str] = []
        changes: list[Change] = []
        pos = 0
        line = 0
        for m in rewrites:
            line += text.count("\n", pos, m.start)
            line_start = text.rfind("\n", 0, m.start) + 1
            parts.append(text[pos : m.start])
            parts.append(m.replacement)  # type: ignore[arg-type]  # scan() returns rewrites only
            changes.append(
                Change(
                    step=STEP,
                    rule=f"{STEP}.{m.entity}",
                    action="rewrite",
                    before=text[m.start : m.end],
                    after=m.replacement or "",
                    line=line,
                    start=m.start - line_start,
                    end=m.end - line_start,
                )
            )
            pos = m.end
        parts.append(text[pos:])
        return doc.evolve(text="".join(parts), changes=changes, metadata={"entities": sorted(set(found))})


def _folded(text: str, rewrites: list[Match]) -> list[Match]:
    """The rewrites with folded replacements, without those that then leave the text as it is."""
    out = []
    for m in rewrites:
        replacement = fold(m.replacement or "")
        if replacement != text[m.start : m.end]:
            out.append(m._replace(replacement=replacement))
    return out


def load_entities(names_file: str | None = None) -> tuple[Entity, ...]:
    """The built-in gazetteer, with the rows of ``names_file`` added (same id: the user row wins)."""
    entities = load_builtin()
    if names_file:
        entities = merge(entities, load_file(names_file))
    return entities


_CACHE: dict[tuple[str, str | None], Matcher] = {}


def matcher_for(style: str = "pan_arab", names_file: str | None = None) -> Matcher:
    """A `Matcher` for the built-in (+ user) gazetteer; built once per process and (style, file)."""
    key = (style, names_file)
    if key not in _CACHE:
        _CACHE[key] = Matcher(load_entities(names_file), style=style, native=load_native_words())
    return _CACHE[key]


def build(config: Any, models: Any) -> NamesStep | None:
    if not config.names:
        return None
    return NamesStep(matcher_for(config.names_style, config.names_file), folded=config.search_fold)
