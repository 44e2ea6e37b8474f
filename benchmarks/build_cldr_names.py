"""Regenerate arcorpus/data/names_cldr.tsv: gazetteer rows derived from Unicode CLDR and corpus counts.

    pip install -e '.[cldr]'    # babel: CLDR's locale data (build time only; arcorpus never imports it)
    python benchmarks/build_cldr_names.py > arcorpus/data/names_cldr.tsv

Sources, each named in the row's ``reason``:

- countries and territories (CLDR territory names, two-letter codes), cities (CLDR time-zone exemplar
  cities), languages (written ``اللغة X``, the phrase that names the language and not the adjective),
  currencies (CLDR currency names, current ones) — all in the Arabic locale of babel ``BABEL_VERSION``;
- adjective (nisba) forms of every single-word country, hand-listed or CLDR: masculine, feminine, the
  two plural cases, each bare and with the article (فرنسا → فرنسي, فرنسية, فرنسيون, فرنسيين, الفرنسي...),
  made by the regular rule (final ALEF or TEH MARBUTA dropped, YEH added) and kept only when the corpus
  has the form at least `MIN_COUNT` times (irregular ones, نمساوي, never come out wrong: they are absent);
  their ``of`` column is the country, so ``entities`` lists the country;
- corpus counts: every CLDR name and its systematic variants (hamza, final letters, joins) are counted in
  the shared corpus; the most frequent press spelling becomes the canonical one and the other observed
  spellings are listed, with the counts in ``reason``.

A CLDR row is left out when any spelling of it is already a key of the hand gazetteer (``names.tsv`` covers
that entity; a nisba row of a hand country still gets ``of`` = the hand id), when a spelling is a native
word (``names_native.tsv``, ``wordlist.tsv``) or a name the hand gazetteer leaves out as ambiguous
(`AMBIGUOUS`), and (cities, languages, currencies) when the corpus never has it `MIN_COUNT` times.
"""

from __future__ import annotations

import collections
import gzip
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import ahocorasick_rs  # noqa: E402
import babel  # noqa: E402
from babel import Locale  # noqa: E402

from arcorpus.text.names.gazetteer import Entity, load_hand, load_native_words  # noqa: E402
from arcorpus.text.names.learn import clitic_form, frequent_words, native_morphology  # noqa: E402
from arcorpus.text.names.matcher import Matcher, strip_marks  # noqa: E402
from arcorpus.text.names.variants import variants  # noqa: E402

SHARED = Path(os.environ.get("ARCORPUS_SHARED", ROOT.parent / "shared"))
if not SHARED.exists():
    SHARED = Path("/work/shared")
CORPUS = SHARED / "corpora" / "arabic_news_all.jsonl.gz"
MIN_COUNT = 3
ARTICLE = "ال"
LANGUAGE = "اللغة"
SKIP_TERRITORIES = frozenset({"ZZ", "XA", "XB", "QO", "EZ", "UN", "EU", "AQ"})
AMBIGUOUS = frozenset(
    {
        "عمان",  # Oman / Amman
        "مالي",  # Mali / financial
        "تشاد",  # Chad / a given name
        "جيرسي",  # Jersey / jersey
        "غيرنزي",
        "توغو",
        "بنين",  # Benin / sons
        "الرأس الأخضر",
        "كوراساو",
        "النيجر",  # Niger / the Niger river and Nigeria in some outlets
        "سول",  # Seoul
        "ليما",  # Lima / for what
        "بالي",
        "ماهي",  # Mahé / what is it
        "جوبا",
        "عدن",  # Aden / Eden
        "غزة",
        "دبي",
        # reviewed in the first build: CLDR exemplar cities that are other words or other names
        "العيون",  # Laayoune / the eyes
        "نوم",  # Nome / sleep
        "سمراء",  # Samara / brunette
        "ديلي",  # Dili / Daily (ديلي ميل)
        "جوني",  # Johnny
        "سنتر",  # Center
        "واك",
        "بلم",
        "سيتا",
        "جوجو",
        "كناري",  # canary
        "فارو",
        "أورال",  # Oral / the Urals
        "ليندمان",
        "كريستون",
        "أندير",
        "كانتون",  # Canton / canton
        "بليز",  # Belize / please
        "سارك",
        "أكتوب",
        "نيامي",
        "أبيا",
        "روماني",  # Romanian / Roman: the nisba of Romania is left out (القانون الروماني)
        "تركي",  # Turkish / the given name Turki (الأمير تركي)
        "جورجي",  # Georgian / George
        "كوبي",  # Cuban / Kobe
        "يمني",  # Yemeni / اليمنى "the right one" (الركبة اليمنى) and the given name Yumna (review sample)
    }
)
"""Names that are also native words or that the hand gazetteer leaves out on purpose (docs/names.md)."""


def _clean(name: str) -> str:
    return " ".join(strip_marks(re.sub(r"\s*\(.*?\)", "", name)).replace(" - ", " ").split())


def _id(prefix: str, text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return prefix + "_" + re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def _stem(adjective: str) -> str:
    """The masculine indefinite form of a nisba adjective (الرومانية -> روماني), to test `AMBIGUOUS`."""
    word = adjective[2:] if adjective.startswith(ARTICLE) else adjective
    for ending in ("ة", "ون", "ين"):
        if word.endswith("ي" + ending):
            return word[: -len(ending)]
    return word


def nisba(country: str) -> str | None:
    """The masculine adjective stem of a one-word country name by the regular rule, or None."""
    base = country[2:] if country.startswith(ARTICLE) else country
    if " " in base or len(base) < 3:
        return None
    if base.endswith("يا"):
        return base[:-1]
    if base.endswith("\N{ARABIC LETTER ALEF}"):
        return base[:-1] + "ي"
    if base.endswith("ية"):
        return base[:-1]
    if base.endswith("ة"):
        return base[:-1] + "ي"
    if base.endswith("ي"):
        return None
    return base + "ي"


def _candidates(hand: tuple[Entity, ...]) -> list[tuple[str, str, str, str, str]]:
    """(id, type, CLDR name, of, source) for every CLDR entity and every nisba form."""
    ar, en = Locale("ar"), Locale("en")
    out: list[tuple[str, str, str, str, str]] = []
    countries: list[tuple[str, str, str]] = []  # (id, canonical, source)
    by_english = {e.id: e for e in hand if e.type == "country"}
    for code, name in sorted(ar.territories.items()):
        if not (len(code) == 2 and code.isalpha()) or code in SKIP_TERRITORIES:
            continue
        eid = _id("cldr", en.territories.get(code, code))
        of = eid[len("cldr_") :] if eid[len("cldr_") :] in by_english else ""
        out.append((eid, "country", _clean(name), of, f"CLDR territory {code}"))
        countries.append((of or eid, _clean(name), f"CLDR territory {code}"))
    for e in hand:
        if e.type == "country":
            countries.append((e.id, e.canonical, f"names.tsv {e.id}"))
    for zone, data in sorted(ar.time_zones.items()):
        city = data.get("city")
        if city and not zone.startswith(("Etc/", "Antarctica/")):
            eid = _id("cldr_city", zone.split("/")[-1])
            out.append((eid, "city", _clean(city), "", f"CLDR exemplar city {zone}"))
    for code, name in sorted(ar.languages.items()):
        if name.startswith(ARTICLE) and " " not in name and "_" not in code:
            eid = _id("cldr_lang", code)
            out.append((eid, "language", f"{LANGUAGE} {name}", "", f"CLDR language {code}"))
    for code, name in sorted(ar.currencies.items()):
        if not re.search(r"[\d\-\u2013]", name) and code in _CURRENT and " " in name:
            out.append((_id("cldr_cur", code), "currency", _clean(name), "", f"CLDR currency {code}"))
    seen: set[str] = set()
    for country_id, name, source in countries:
        stem = nisba(name)
        if stem is None or stem in seen:
            continue
        seen.add(stem)
        why = f"nisba of {name} ({source})"
        for suffix, form in (("m", ""), ("f", "ة"), ("pl", "ون"), ("pl_obl", "ين")):
            word = stem + form
            out.append((f"{country_id}_adj_{suffix}", "adjective", word, country_id, why))
            out.append((f"{country_id}_adj_{suffix}_def", "adjective", ARTICLE + word, country_id, why))
    return out


_CURRENT = frozenset(
    "AED AFN ALL AMD ARS AUD AZN BDT BGN BHD BRL CAD CHF CLP CNY COP CZK DKK DZD EGP ETB EUR GBP GEL HKD HUF "
    "IDR ILS INR IQD IRR ISK JOD JPY KES KRW KWD KZT LBP LKR LYD MAD MXN MYR NGN NOK NZD OMR PHP PKR PLN QAR "
    "RON RSD RUB SAR SDG SEK SGD SYP THB TND TRY TWD UAH USD UZS VND YER ZAR".split()
)
"""ISO 4217 codes of currencies in use that the Arabic press writes about (historical ones left out)."""


TOKEN = re.compile("[\u0621-\u064a]+")


def _count(spellings: set[str]) -> tuple[collections.Counter[str], collections.Counter[str]]:
    """Occurrences of each spelling in the shared corpus as whole words (marks removed), and of every word."""
    keys = sorted(spellings)
    automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    counts: collections.Counter[str] = collections.Counter()
    words: collections.Counter[str] = collections.Counter()
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = strip_marks(json.loads(line)["text"])
            words.update(TOKEN.findall(text))
            n = len(text)
            for i, start, end in automaton.find_matches_as_indexes(text):
                if (start and text[start - 1].isalnum()) or (end < n and text[end].isalnum()):
                    continue
                counts[keys[i]] += 1
    return counts, words


def _native(word: str, words: collections.Counter[str]) -> bool:
    """A corpus word the learner's tests judge native (inflected as a native word, or proclitic + word)."""
    n = words.get(word, 0)
    floor = max(2, n // 20)
    return bool(n) and (clitic_form(word, floor, words) or native_morphology(word, n, words))


def main() -> None:
    hand = load_hand()
    taken = {sp.key for sp in Matcher(hand).spellings}
    native = load_native_words() | frozenset(frequent_words())
    rows = []
    for eid, etype, name, of, source in _candidates(hand):
        forms = sorted(variants(name, ""))
        if any(f in taken for f in forms) or name in AMBIGUOUS or _stem(name) in AMBIGUOUS:
            continue
        if any(w in AMBIGUOUS for w in name.split()):
            continue
        if etype not in ("adjective", "country") and name in native:
            continue  # a CLDR country name is a proper noun even when it is a frequent word (مصر)
        rows.append((eid, etype, name, of, source, forms))
    counts, words = _count({f for row in rows for f in row[5]})
    print("\t".join(("id", "type", "canonical", "variants", "flags", "reason", "of")))
    used: set[str] = set()
    for eid, etype, name, of, source, forms in rows:
        seen = sorted((f for f in forms if counts[f]), key=lambda f: (-counts[f], f))
        total = sum(counts[f] for f in seen)
        if etype != "country" and total < MIN_COUNT:
            continue
        if eid in used or any(f in used for f in forms):
            continue
        if etype == "adjective":
            # the rule's form is written; a variant more frequent than it is another word (مجرى "course"
            # for مجري "Hungarian") and would be rewritten: the row is left out
            if any(f != name and counts[f] > counts[name] for f in seen):
                continue
            seen = [name, *(f for f in seen if f != name)]
        elif etype != "country" and " " not in name and _native(name, words):
            continue  # CLDR's country names are proper nouns (سوريا is not the accusative of سوري)
        used.add(eid)
        used.update(forms)
        canonical = seen[0] if seen else name
        listed = [f for f in seen if f != canonical and counts[f] >= MIN_COUNT]
        observed = ", ".join(f"{f}={counts[f]}" for f in seen[:5]) or "not in the corpus"
        reason = f"{source}, babel {babel.__version__}; corpus counts: {observed}"
        # a name of several words is generated joined or hyphenated only when the corpus writes it so
        joined = any(len(f.split()) < len(canonical.split()) for f in listed)
        flags = "s" if len(canonical.split()) >= 2 and not joined else ""
        print("\t".join((eid, etype, canonical, "|".join(listed), flags, reason, of)))


if __name__ == "__main__":
    main()
