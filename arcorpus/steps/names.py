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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from arcorpus.document import Change, Document
from arcorpus.text.fold import fold
from arcorpus.text.names.gazetteer import Entity, load_builtin, load_file, load_native_words, merge
from arcorpus.text.names.learn import LEARNER, Cluster, NamesModel
from arcorpus.text.names.learn import learner as learner
from arcorpus.text.names.matcher import Match, Matcher, strip_marks

STEP = "names"


LEARNED = "learned"
"""Rule ``names.learned``: a spelling unified by a cluster learned from the corpus."""


@dataclass(frozen=True)
class NamesStep:
    """Apply a `Matcher` to documents. ``evidence`` maps a learned row's id to its `Cluster` (the counts and
    similarity a ``names.learned`` change records)."""

    spec: tuple[str, str | None, NamesModel | None]
    """(style, names file, learned model): what `matcher_for` builds the matcher from."""
    name: str = field(default=STEP)
    evidence: Mapping[str, Cluster] = field(default_factory=dict)
    folded: bool = False
    """Write the chosen spellings folded (`arcorpus.fold.fold`): set when ``search_fold`` is on, which ran
    before this step, so that a ``search`` output stays equal to ``fold()`` of itself."""
    _built: list[Matcher] = field(default_factory=list, repr=False, compare=False)

    @property
    def matcher(self) -> Matcher:
        """Built at the first document (`build` only checks the tables), once per process and spec."""
        if not self._built:
            self._built.append(matcher_for(*self.spec))
        return self._built[0]

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        found, rewrites = (self._built[0] if self._built else self.matcher).scan(text)
        if rewrites and self.folded:
            rewrites = _folded(text, rewrites)
        if not rewrites:
            return doc.evolve(metadata={"entities": sorted(set(found))}) if found else doc
        parts: list[str] = []
        changes: list[Change] = []
        explained: set[str] = set()
        pos = 0
        line = 0
        for m in rewrites:
            line += text.count("\n", pos, m.start)
            line_start = text.rfind("\n", 0, m.start) + 1
            parts.append(text[pos : m.start])
            parts.append(m.replacement)  # type: ignore[arg-type]  # scan() returns rewrites only
            before = text[m.start : m.end]
            cluster = self.evidence.get(m.entity)
            changes.append(
                Change(
                    step=STEP,
                    rule=f"{STEP}.{LEARNED if cluster else m.entity}",
                    action="rewrite",
                    before=before,
                    after=m.replacement or "",
                    line=line,
                    start=m.start - line_start,
                    end=m.end - line_start,
                )
            )
            if cluster is not None and before not in explained:
                explained.add(before)
                why = cluster.evidence(strip_marks(before))
                note = f"{before}: {why}"
                rule = f"{STEP}.{LEARNED}"
                changes.append(Change(step=STEP, rule=rule, action="note", before=note, line=line))
            pos = m.end
        parts.append(text[pos:])
        metadata = {"entities": sorted(set(found))} if found else {}
        return doc.evolve(text="".join(parts), changes=changes, metadata=metadata)


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


_CACHE: dict[tuple[str, str | None, NamesModel | None], Matcher] = {}
_CACHE_SIZE = 4


def matcher_for(
    style: str = "pan_arab", names_file: str | None = None, model: NamesModel | None = None
) -> Matcher:
    """A `Matcher` for the built-in (+ user) gazetteer and the rows of a learned ``model``; built once per
    process and (style, file, model)."""
    key = (style, names_file, model)
    if key not in _CACHE:
        entities = load_entities(names_file)
        learned: tuple[Entity, ...] = ()
        if model is not None and model.clusters:
            learned = model.rows({e.id: e.spelling(style) for e in entities})
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = Matcher(
            entities,
            style=style,
            native=load_native_words(),
            learned=learned,
            learned_native=model.native if model is not None else frozenset(),
        )
    return _CACHE[key]


def build(config: Any, models: Any) -> NamesStep | None:
    if not config.names:
        return None
    model = (models or {}).get(LEARNER) if getattr(config, "names_learn", False) else None
    if not isinstance(model, NamesModel) or not model.clusters:
        model = None
    load_entities(config.names_file)  # a bad table fails here, before any document
    evidence = dict(zip((row.id for row in model.rows()), model.clusters, strict=True)) if model else {}
    spec = (config.names_style, config.names_file, model)
    return NamesStep(spec, evidence=evidence, folded=config.search_fold)
