"""Every row of arcorpus/data/names.tsv is checked: shape, uniqueness, safety against native words."""

from __future__ import annotations

from unicodedata import lookup

import pytest

from arcorpus.text.names.gazetteer import GazetteerError, load_builtin, load_native_words, parse
from arcorpus.text.names.matcher import Matcher
from arcorpus.text.names.variants import variants

ENTITIES = load_builtin()
NATIVE = load_native_words()
W, F, B, L, K, A = (lookup(f"ARABIC LETTER {n}") for n in ("WAW", "FEH", "BEH", "LAM", "KAF", "ALEF"))
PROCLITICS = sorted(
    {a + b + c for a in ("", W, F) for b in ("", B, L, K) for c in ("", A + L)}
    | {W + L + L, F + L + L, L + L}
)


def test_breadth_and_unique_ids() -> None:
    ids = [e.id for e in ENTITIES]
    assert len(ids) >= 300
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("entity", ENTITIES, ids=lambda e: e.id)
def test_row(entity) -> None:
    assert entity.canonical and entity.canonical == " ".join(entity.canonical.split())
    assert entity.reason, "every row says where it comes from"
    assert entity.canonical not in entity.variants
    assert entity.canonical not in NATIVE, f"{entity.canonical} is a native word"
    for form in entity.forms():
        # a listed variant in names_native.tsv is withdrawn (review found it another word: ماتس, ألمانا)
        assert form not in NATIVE or form in WITHDRAWN, f"{form} is a frequent native word"
        # the generated spellings always include the listed form itself
        assert form in variants(form, entity.flags)


WITHDRAWN = frozenset({"ماتس", "ألمانا"})
"""Listed variants the native list withdraws (names_native.tsv says why); the matcher never keys them."""


def test_withdrawn_variants_are_not_matched() -> None:
    matcher = Matcher(ENTITIES, native=NATIVE)
    keys = {sp.key for sp in matcher.spellings}
    assert not WITHDRAWN & keys
    assert "ماتيس" in keys and "ألمانيا" in keys


def test_no_spelling_shared_by_two_entities() -> None:
    owner: dict[str, str] = {}
    for e in ENTITIES:
        for form in e.forms():
            assert owner.setdefault(form, e.id) == e.id, f"{form}: {owner[form]} and {e.id}"


def test_no_listed_spelling_with_a_proclitic_is_a_native_word() -> None:
    clashes = [
        (e.id, p + f)
        for e in ENTITIES
        for f in e.forms()
        if " " not in f and f not in WITHDRAWN
        for p in PROCLITICS
        if p + f in NATIVE
    ]
    assert clashes == []


def test_every_canonical_is_found_as_itself() -> None:
    matcher = Matcher(ENTITIES, native=NATIVE)
    for e in ENTITIES:
        hits = matcher.find(f"{K}{A}{L} {e.canonical} .")
        assert [(h.entity, h.replacement) for h in hits] == [(e.id, None)], e.id


def test_native_list_is_small_and_plain() -> None:
    assert 1000 < len(NATIVE) < 5000
    assert all(" " not in w for w in NATIVE)


@pytest.mark.parametrize(
    "text, message",
    [
        ("Bad\tcountry\tX\t\t\tr", "must match"),
        ("a\tcountry\t\t\t\tr", "empty canonical"),
        ("a\tcountry\tX\t\tz\tr", "unknown flags"),
        ("a\tcountry\tX\t\t\tr\na\tcity\tY\t\t\tr", "duplicate id"),
    ],
)
def test_parse_rejects_bad_rows(text: str, message: str) -> None:
    with pytest.raises(GazetteerError, match=message):
        parse(text.splitlines(), "t.tsv")
