"""Step ``extract_metadata``: lines that are facts about the article leave the body for metadata fields.

Fields: ``title`` (a headline line at the top, or a line repeating the input's ``title``), ``subtitle``
(further headline lines above the body), ``date`` (ISO ``YYYY-MM-DD`` where parseable: numeric dates,
Arabic, Levantine and Maghrebi month names, Hijri months converted with the tabular Islamic calendar),
``byline`` ("بقلم ...", "<site> - <city>", an author note at the end) and ``source_credit``
("المصدر: وكالات", "* خدمة «نيويورك تايمز»", "<channel>/ <agency>"). Each moved line is a
``Change(action="to_metadata", field=...)``.

Only the top of a document (until the first body paragraph, at most `TOP_LINES` lines) and its last
`BOTTOM_LINES` lines are examined: a dateline that opens a real paragraph ("القاهرة - أعلن ...") is a
body line and stays. Metadata patterns are the catalogue rows with a ``field`` (see `boilerplate`);
month and weekday names come from ``arcorpus/data/dates.tsv``.

This step deliberately removes nothing that is not metadata, and never overwrites a ``title`` or
``date`` the input record already has (the moved line is still recorded).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from arcorpus import data
from arcorpus.document import Change, Document
from arcorpus.steps.boilerplate import boilerplate as bp

STEP = "extract_metadata"
TOP_LINES = 10
BOTTOM_LINES = 3
TITLE_MAX_WORDS = 22
BODY_MIN_WORDS = 12


@dataclass(frozen=True)
class _DateTables:
    pattern: re.Pattern[str]
    months: Mapping[str, tuple[str, int]]  # fold key -> (calendar, month)
    filler: re.Pattern[str]


def _key(text: str) -> str:
    from arcorpus.text.fold import fold

    return " ".join(fold(text).split())


@lru_cache(maxsize=1)
def _dates() -> _DateTables:
    months: dict[str, tuple[str, int]] = {}
    weekdays: list[str] = []
    fillers: list[str] = []
    for row in data.table("dates.tsv").rows:
        if row["kind"] == "weekday":
            weekdays.append(row["name"])
        elif row["kind"] == "filler":
            fillers.append(row["name"])
        else:
            months[_key(row["name"])] = (row["kind"], int(row["value"]))
    names = sorted(months, key=len, reverse=True)
    month = "(?:" + "|".join(bp.expand(n) for n in names) + ")"
    sep = r"\s*[-/.,\u060c]?\s*"
    named = (
        rf"(?<!\d)(?P<nd>\d{{1,2}}){sep}(?P<nm>{month})(?:\s*[/\-\u060c,(]\s*(?P<nm2>{month})\)?)?"
        rf"{sep}(?P<ny>\d{{4}})(?!\d)"
    )
    dmy = r"(?<!\d)(?P<d>\d{1,2})\s*(?P<s1>[-/.])\s*(?P<m>\d{1,2})\s*(?P=s1)\s*(?P<y>\d{4})(?!\d)"
    ymd = r"(?<!\d)(?P<y2>\d{4})\s*(?P<s2>[-/.])\s*(?P<m2>\d{1,2})\s*(?P=s2)\s*(?P<d2>\d{1,2})(?!\d)"
    pattern = re.compile(f"{named}|{dmy}|{ymd}")
    filler_words = [*weekdays, *fillers]
    filler = re.compile(
        r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?|(?<!\w)(?:"
        + "|".join(bp.expand(w) for w in sorted(filler_words, key=len, reverse=True))
        + r")(?!\w)"
    )
    return _DateTables(pattern, months, filler)


def hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Tabular Islamic calendar (civil epoch). Observed calendars may differ by a day or two."""
    jd = day + math.ceil(29.5 * (month - 1)) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948438.5 - 1
    return dt.date.fromordinal(int(jd - 1721424.5))


def _iso(year: int, month: int, day: int, calendar: str) -> str | None:
    try:
        if calendar == "hijri":
            if not (1300 <= year <= 1600 and 1 <= month <= 12 and 1 <= day <= 30):
                return None
            return hijri_to_gregorian(year, month, day).isoformat()
        return dt.date(year, month, day).isoformat()
    except (ValueError, OverflowError):
        return None


def parse_dates(line: str) -> tuple[list[str], str]:
    """ISO dates found in ``line`` (Gregorian first) and the line with them and date filler removed."""
    tables = _dates()
    gregorian: list[str] = []
    hijri: list[str] = []
    for m in tables.pattern.finditer(line):
        if m.group("ny"):
            cal, month = tables.months.get(_key(m.group("nm")), ("", 0))
            if m.group("nm2"):
                cal2, month2 = tables.months.get(_key(m.group("nm2")), ("", 0))
                if cal != "gregorian" and cal2 == "gregorian":
                    cal, month = cal2, month2
            iso = _iso(int(m.group("ny")), month, int(m.group("nd")), cal)
        elif m.group("y"):
            year, month_n, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            cal = "hijri" if year < 1600 else "gregorian"
            iso = _iso(year, month_n, day, cal)
            if iso is None and month_n > 12 and cal == "gregorian":  # US order: 06-19-2012
                iso = _iso(year, day, month_n, cal)
        else:
            year, month_n, day = int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))
            cal = "hijri" if year < 1600 else "gregorian"
            iso = _iso(year, month_n, day, cal)
        if iso:
            (hijri if cal == "hijri" else gregorian).append(iso)
    residue = tables.pattern.sub(" ", line)
    residue = tables.filler.sub(" ", residue)
    return gregorian + hijri, residue


def date_line(line: str) -> str | None:
    """The ISO date when ``line`` is only a date (with weekday, city or agency around it), else None."""
    if len(line) > 120 or not any(map(str.isdigit, line)):
        return None
    dates, residue = parse_dates(line)
    if not dates:
        return None
    words = [w for w in re.split(r"[\W_]+", residue) if w]
    return dates[0] if len(words) <= 3 else None


@lru_cache(maxsize=8)
def metadata_rules(extra: str | None = None) -> bp.Compiled:
    return bp.compile_rules([r for r in bp.catalogue(extra) if r.field], prefix="m", use_gates=False)


def classify(line: str, rules: bp.Compiled | None = None) -> tuple[str, str, str | None] | None:
    """(field, rule id, value) when ``line`` is a date/byline/source line, else None. Used by site_lines
    to leave such lines to this step."""
    stripped = line.strip()
    if not stripped or len(stripped.split(None, 16)) > 16:  # more than 16 words (counted up to 17)
        return None
    iso = date_line(stripped)
    if iso is not None:
        return "date", "date_line", iso
    rule = (rules or metadata_rules()).match_line(stripped)
    if rule is not None:
        core = stripped.rstrip(bp._CLOSERS)
        if (
            rule.field == "byline"
            and core.endswith((".", "!", "?", "\N{ARABIC QUESTION MARK}"))
            and not core.endswith("..")
        ):
            return None  # "القاهرة - أعلن الرئيس استقالته." is a (short) paragraph, not a byline
        return rule.field, rule.id, None
    return None


_LETTER = re.compile(r"[^\W\d_]")
_NAME_WORD = re.compile(r"[^\W\d_]{2,}")
_NAME_TITLE = re.compile(r"^(?:(?:د|م|أ)\s*\.\s*|(?:الدكتور|الدكتورة|الأستاذ|الاستاذ|المهندس|الشيخ)\s+)")
_NOT_NAME = frozenset(
    _key(w) for w in "في من على إلى الى عن مع أن ان هذا هذه التي الذي و أو ثم قد لا لم لن كل بعد قبل".split()
)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Fold keys of the given names in ``byline_given.tsv`` (learned from the corpus, reviewed)."""
    return frozenset(_key(row["id"]) for row in data.table("byline_given.tsv").rows)


def name_shaped(line: str) -> bool:
    """A person's name alone: 2-5 words of letters (a title such as "د." before them), no digits or
    sentence punctuation, no function word, the first word a known given name ("عبد" + a word counts)."""
    stripped = line.strip()
    if not stripped or len(stripped) > 50 or any(map(str.isdigit, stripped)):
        return False
    rest = _NAME_TITLE.sub("", stripped)
    words = rest.split()
    if not 2 <= len(words) <= 5 or not all(_NAME_WORD.fullmatch(w) for w in words):
        return False
    keys = [_key(w) for w in words]
    if any(k in _NOT_NAME for k in keys):
        return False
    return keys[0] in given_names() or (keys[0] == _key("عبد") and len(keys) >= 3)


_BIO_PUNCT = re.compile(r"[:.!?\N{ARABIC QUESTION MARK}\N{ARABIC FULL STOP}@]")


def _bio_shaped(line: str) -> bool:
    """A writer's bio under the name: a short description (2-24 words of letters), no quotation, no
    sentence punctuation inside (a paragraph about the person named above is not a bio)."""
    stripped = line.strip()
    if not stripped or stripped[:1] in _QUOTE_OPEN or len(stripped.split(None, 24)) > 24:
        return False
    return len(_NAME_WORD.findall(stripped)) >= 2 and _BIO_PUNCT.search(stripped) is None
_BIO = re.compile(r"^\s*[*\-\N{EN DASH}\N{EM DASH}]\s*[^\W\d_]")


_GENERIC = frozenset(
    _key(w)
    for w in (
        "المصدر المصادر مصدر الخبر مصدر بقلم كتب كتبت إعداد اعداد تحرير الكاتب المحرر متابعة تقرير "
        "تصوير وكالات"
    ).split()
)
"""Words that label a credit or byline but are no value of one (وكالات alone is a value: "agencies")."""
_AGENCIES = _key("وكالات")


def _generic(value: str) -> bool:
    """The value is empty or only label words ("المصدر", "بقلم:", "مصدر الخبر")."""
    words = [w for w in re.split(r"[\W\d_]+", _key(value)) if w]
    return not words or (_AGENCIES not in words and all(w in _GENERIC for w in words))


_QUOTE_OPEN = "\"'\N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}\N{LEFT DOUBLE QUOTATION MARK}({[\uFD3F"
_SPEECH = re.compile(r"^\s*(?:قال|يقول|وقال|قوله|قال تعالى|قال الله|يقول الله)\b")


def _subtitle_shaped(line: str) -> bool:
    """A line under the title may be a subtitle unless it is the story's own words: a quotation (starts
    with a quote mark or bracket, or a speech verb), a question (a reader's question, answered below), or
    a verse (hemistichs split by ... / * / a run of spaces)."""
    stripped = line.strip()
    if _SPEECH.match(stripped) or _quotation(stripped):
        return False
    core = stripped.rstrip(_QUOTE_CLOSE + " \t")
    if core.endswith(("?", "\N{ARABIC QUESTION MARK}")):
        return False
    return not _HEMISTICH.search(stripped)


def _quotation(line: str) -> bool:
    """«...» the whole line (or most of it) is a quotation (or a bracketed aside): the story's words."""
    stripped = line.strip()
    if stripped[:1] not in _QUOTE_OPEN:
        return False
    return max(stripped.rfind(c) for c in _QUOTE_CLOSE) >= 0.6 * len(stripped)


_HEMISTICH = re.compile(r"\S(?:\s{3,}|\s+\*+\s+)\S")
_QUOTE_CLOSE = "\"'\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK})}]\uFD3E"
_REFERS = re.compile(
    r"^\W*(?:و|ف)?(?:هذه|هذا|هذان|هاتان|تلك|ذلك|بهذه|بهذا|بهذين|بتلك|بذلك|هكذا|كذا)\s+"
    r"(?:الأبيات|الابيات|القصيدة|الكلمات|السطور|الأسئلة|الاسئلة|السؤال|الآيات|الايات|الآية|الاية|العبارات|"
    r"العبارة|الأسطر|الاسطر|التساؤلات|الرسالة|الأسئلة)"
)
"""A paragraph pointing back at what stands above it ("هذه الأبيات ...", "بهذه الكلمات ..."): the lines
above are the story's, not a title block."""


def _drop_referred(lines: list[str], nonempty: list[int], claimed: dict[int, tuple[str, str, str]]) -> None:
    """Un-claim the title/subtitle lines when the first unclaimed line after them refers back to them."""
    top = [i for i in nonempty if i in claimed and claimed[i][0] in ("title", "subtitle")]
    if not top:
        return
    after = next((i for i in nonempty if i > top[-1] and i not in claimed), None)
    if after is not None and _REFERS.match(lines[after]):
        for i in top:
            del claimed[i]


class MetadataStep:
    name = STEP

    def __init__(self, rules: bp.Compiled) -> None:
        self.rules = rules

    def __call__(self, doc: Document) -> Document:
        if "\n" not in doc.text.strip():
            return doc  # a one-line input is content: moving it to a field would empty the document
        lines = doc.text.split("\n")
        nonempty = [i for i, line in enumerate(lines) if line and not line.isspace()]  # no strip copies
        if not nonempty:
            return doc
        claimed: dict[int, tuple[str, str, str]] = {}  # index -> (field, rule, value)
        meta_title = doc.field("title")  # the input's own title (or one a step added) is a hint
        given_key = _key(meta_title) if isinstance(meta_title, str) and meta_title.strip() else ""
        title_key = given_key
        has_body = any(self._is_body(lines[i]) for i in nonempty)
        title_taken = False
        subtitle_keys: set[str] = set()
        top_end = 0
        for pos, i in enumerate(nonempty[:TOP_LINES]):
            line = lines[i].strip()
            top_end = pos + 1
            found = classify(line, self.rules)
            if found is not None:
                field, rule, value = found
                claimed[i] = (field, rule, value or line)
                continue
            if self._is_body(line):
                break
            key = _key(line)
            if given_key:
                if self._same_title(key, given_key):
                    claimed[i] = ("title", "title_repeat", line)
                    title_taken = True
                    continue
                break
            if (
                not has_body
                or not bp.is_headline(line, TITLE_MAX_WORDS)
                or line.rstrip().endswith(":")
                or not _LETTER.search(line)
            ):
                break
            if not title_taken:
                if _quotation(line) or not self._headline_over_body(lines, nonempty[pos + 1 :], line):
                    break
                claimed[i] = ("title", "title_line", line)
                title_key = key
                title_taken = True
            elif self._same_title(key, title_key):
                claimed[i] = ("title", "title_repeat", line)
            elif key in subtitle_keys:
                continue  # a copy: left to the repetition step
            elif not _subtitle_shaped(line):
                break  # a quotation, a verse, a question: the story's own words
            else:
                subtitle_keys.add(key)
                claimed[i] = ("subtitle", "subtitle_line", line)
        # the last lines: credits, bylines, dates, author notes
        for i in reversed(nonempty[max(top_end, len(nonempty) - BOTTOM_LINES) :]):
            if i in claimed:
                continue
            line = lines[i].strip()
            found = classify(line, self.rules)
            if found is not None:
                field, rule, value = found
                claimed[i] = (field, rule, value or line)
                continue
            above = lines[nonempty[-2]].strip() if len(nonempty) > 1 else ""
            name = self._name_byline(lines, nonempty, i, claimed)
            if name is not None:
                claimed.update(name)
                continue
            if (
                _BIO.match(line)
                and bp.is_headline(line, 14)
                and i == nonempty[-1]
                and not above.startswith(line[0])  # the last item of a bulleted list is not a note
            ):
                claimed[i] = ("author_note", "author_note", line.lstrip("*-\N{EN DASH}\N{EM DASH} "))
                continue
            break
        _drop_referred(lines, nonempty, claimed)
        if not claimed or len(claimed) >= len(nonempty):
            return doc  # nothing, or everything: a document is never emptied into its fields
        changes: list[Change] = []
        meta: dict[str, Any] = {}
        for i in sorted(claimed):
            field, rule, value = claimed[i]
            if field in ("source_credit", "byline") and _generic(value):
                # "المصدر" or "بقلم" alone: the line goes (it is furniture), no field gets a label for a value
                changes.append(Change(STEP, f"{STEP}.label_only", "remove_line", before=lines[i], line=i))
                continue
            changes.append(
                Change(STEP, f"{STEP}.{rule}", "to_metadata", before=lines[i], line=i, field=field)
            )
            if field in ("title", "date"):
                if not doc.field(field) and field not in meta:  # the input's title/date wins
                    meta[field] = value
            else:
                prior = meta.get(field) or doc.added.get(field)  # accumulate ours, never the input's
                meta[field] = f"{prior}; {value}" if prior else value
        return doc.evolve(text=bp.rebuild(lines, set(claimed)), changes=changes, metadata=meta)

    @classmethod
    def _name_byline(
        cls, lines: list[str], nonempty: list[int], i: int, claimed: dict[int, tuple[str, str, str]]
    ) -> dict[int, tuple[str, str, str]] | None:
        """A writer's name alone on a closing line ("طه عبد الواحد"), under the body's last paragraph: the
        byline; with the writer's bio on the line below it, the last line ("باحث تربوي ومختص في ..."), that
        line goes to ``author_note``. A name is `name_shaped`: 2-5 words of letters, the first a given name
        the corpus uses after titles (``byline_given.tsv``)."""
        pos = nonempty.index(i)
        if pos < 1:
            return None
        if name_shaped(lines[i]):
            above = nonempty[pos - 1]
            if above not in claimed and cls._is_body(lines[above].strip()):
                return {i: ("byline", "name_byline", lines[i].strip())}
            return None
        if i != nonempty[-1] or pos < 2 or not _bio_shaped(lines[i]):
            return None
        name, above = nonempty[pos - 1], nonempty[pos - 2]
        if name_shaped(lines[name]) and above not in claimed and cls._is_body(lines[above].strip()):
            return {
                name: ("byline", "name_byline", lines[name].strip()),
                i: ("author_note", "author_bio", lines[i].strip()),
            }
        return None

    @classmethod
    def _headline_over_body(cls, lines: list[str], following: list[int], line: str) -> bool:
        """A headline is short and shorter than the paragraph that follows it (the first later line that
        is not a copy of it): a short first paragraph of the body is not a title."""
        words = len(line.split(None, TITLE_MAX_WORDS))  # exact up to TITLE_MAX_WORDS, else one more
        if words > TITLE_MAX_WORDS:
            return False
        key = _key(line)
        for j in following[:TOP_LINES]:
            nxt = lines[j].strip()
            if _key(nxt) == key:
                continue
            if cls._is_body(nxt):
                return words <= 12 or len(line) <= 0.6 * len(nxt)
            return words <= 18
        return False

    @staticmethod
    def _is_body(line: str) -> bool:
        words = len(line.split(None, TITLE_MAX_WORDS))  # exact up to TITLE_MAX_WORDS, else one more
        return words > TITLE_MAX_WORDS or (words >= BODY_MIN_WORDS and not bp.is_headline(line))

    @staticmethod
    def _same_title(key: str, title_key: str) -> bool:
        if not key or not title_key:
            return False
        if key == title_key:
            return True
        short, long_ = sorted((key, title_key), key=len)
        return len(short) >= 0.6 * len(long_) and short in long_


def build(config: Any, models: Any) -> MetadataStep | None:
    if not getattr(config, "extract_metadata", False):
        return None
    _dates()  # compiled now, not on first use: a driver builds the steps before forking its workers
    return MetadataStep(metadata_rules(getattr(config, "boilerplate_file", None)))
