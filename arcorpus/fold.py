"""`fold(text)`: the search-folding matching key other steps use (dedup keys, site-line hashes).

Folds alef/hamza forms to bare alef, alef maqsura to ya, ta marbuta to ha, removes diacritics and
tatweel. Placeholder implementation, refined by the orthography work.
This function deliberately does not normalise whitespace or punctuation: callers decide that.
"""

from __future__ import annotations

_FOLD_TABLE = {
    0x0622: "\N{ARABIC LETTER ALEF}",
    0x0623: "\N{ARABIC LETTER ALEF}",
    0x0625: "\N{ARABIC LETTER ALEF}",
    0x0671: "\N{ARABIC LETTER ALEF}",
    0x0649: "\N{ARABIC LETTER YEH}",
    0x0629: "\N{ARABIC LETTER HEH}",
    0x0640: None,
    **{cp: None for cp in range(0x064B, 0x0660)},
    0x0670: None,
}


def fold(text: str) -> str:
    """The search-folded form of ``text``."""
    return text.translate(_FOLD_TABLE)
