"""A transliteration skeleton: the letters two press spellings of one foreign name share.

Two spellings get the same key when they differ only by

- the /g/ letters GHAIN, JEEM, QAF, KAF, GAF (all written ``G``);
- long vowels ALEF, WAW, YEH inside the word (dropped; the first and last letter are kept), so an inserted
  or dropped YEH/WAW in a foreign syllable (ميركل/ميركيل, بوتين/بوتن) does not matter;
- hamza and alef forms (all alefs and HAMZA one letter; YEH and WAW with hamza as YEH, WAW);
- a final YEH or ALEF MAKSURA, a final TEH MARBUTA or HEH;
- TEH + SHEEN or SHEEN alone (تشيلسي/شيلسي);
- joins: spaces, hyphens and ZWNJ are removed.

Deliberately coarse: native words collide too (قدرة/قادرة). The key only *groups* candidates; whether two
spellings are one name is decided on evidence (`arcorpus.text.names.learn`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

ALEF = "\N{ARABIC LETTER ALEF}"
WAW = "\N{ARABIC LETTER WAW}"
YEH = "\N{ARABIC LETTER YEH}"
HEH = "\N{ARABIC LETTER HEH}"
SHEEN = "\N{ARABIC LETTER SHEEN}"
TEH = "\N{ARABIC LETTER TEH}"
G = "G"

_TABLE = str.maketrans(
    {
        "\N{ARABIC LETTER ALEF WITH HAMZA ABOVE}": ALEF,
        "\N{ARABIC LETTER ALEF WITH HAMZA BELOW}": ALEF,
        "\N{ARABIC LETTER ALEF WITH MADDA ABOVE}": ALEF,
        "\N{ARABIC LETTER HAMZA}": ALEF,
        "\N{ARABIC LETTER YEH WITH HAMZA ABOVE}": YEH,
        "\N{ARABIC LETTER WAW WITH HAMZA ABOVE}": WAW,
        "\N{ARABIC LETTER ALEF MAKSURA}": YEH,
        "\N{ARABIC LETTER FARSI YEH}": YEH,
        "\N{ARABIC LETTER TEH MARBUTA}": HEH,
        "\N{ARABIC LETTER GHAIN}": G,
        "\N{ARABIC LETTER JEEM}": G,
        "\N{ARABIC LETTER QAF}": G,
        "\N{ARABIC LETTER KAF}": G,
        "\N{ARABIC LETTER KEHEH}": G,
        "\N{ARABIC LETTER GAF}": G,
        " ": None,
        "-": None,
        "\N{ZERO WIDTH NON-JOINER}": None,
    }
)
_LONG = frozenset((ALEF, WAW, YEH))


def skeleton(form: str) -> str:
    """The key of ``form`` (see the module docstring)."""
    s = form.translate(_TABLE).replace(TEH + SHEEN, SHEEN)
    if len(s) <= 2:
        return s
    return s[0] + "".join(ch for ch in s[1:-1] if ch not in _LONG) + s[-1]


_INNER_LONG = re.compile(f"(?<=[^\n])[{ALEF}{WAW}{YEH}](?=[^\n])")


def skeletons(forms: Sequence[str]) -> list[str]:
    """`skeleton` of each of ``forms`` (words without newlines), computed in a few passes over all of them
    at once: the learner keys tens of thousands of corpus words."""
    if not forms:
        return []
    joined = "\n".join(forms).translate(_TABLE).replace(TEH + SHEEN, SHEEN)
    return _INNER_LONG.sub("", joined).split("\n")
