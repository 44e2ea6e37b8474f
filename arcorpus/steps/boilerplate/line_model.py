"""Step ``line_model``: short lines made of page-furniture words, wherever they sit, in any phrasing.

The rule catalogue (`boilerplate`) knows phrases; `site_lines` knows what one site repeats. This step knows
*words*: a boilerplate line ("تابعونا على انستغرام", "اكتب تعليقك هنا", "وقت القراءة: ٤ دقائق", "(أ ف ب)") is
short and made of a small vocabulary — UI verbs, site nouns, platforms, sections, time/reading units,
credits, agencies — while a short content line (a sub-heading, a list item) is made of the story's words.

- Words, not strings: each token is folded (`arcorpus.text.fold.fold`: hamza seats, alef maqsura, ta marbuta,
  harakat, tanween) and analyzed lightly — the clitics و ف ب ل ك ال, the imperative plural -وا, plural and
  possessive suffixes and the tanween alef are stripped until a form of the concept vocabulary
  (``arcorpus/data/line_vocabulary.tsv``; month and weekday names from ``dates.tsv``) is found, so
  "شاركوا" is *share*, "بالتعليقات" is *comment*, "أضف تعليقاً" is *add comment* like "إضافة تعليق".
  A word outside the vocabulary keys as itself (without its article).
- A learned per-key weight (log-odds of the key in lines the corpus proves to be furniture — catalogue
  matches and site templates — against short content lines; see `learn`), averaged over the line's
  words, plus a bias, a per-word length term and a sentence-ending term fitted by logistic regression:
  the line's score. A line is removed when its score reaches the model's threshold (chosen for precision
  when the model was learned). The model is ``arcorpus/data/line_model.json`` (with its provenance);
  ``benchmarks/learn_line_model.py`` learns one from any corpus, ``line_model_file`` uses it.
- Cheap gate: only lines of at most `MAX_CHARS` characters and fewer than `MAX_SPACES` spaces are scored
  (one length test for a paragraph); tokens go through a memo of their keys (set lookups only).
- Precision guards: a document keeps at least one body line (`BODY_MIN_WORDS` words) or nothing is
  removed (a one-line input is content); a line with no vocabulary word is never removed; a line ending
  like a sentence pays the learned sentence term.

Every removal is a ``line_model.line`` change, followed by a ``line_model.evidence`` note listing each
word's key and weight and the score against the threshold (``arcorpus explain`` shows both).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from arcorpus import data
from arcorpus.document import Change, Document
from arcorpus.text.fold import fold

STEP = "line_model"
VOCABULARY = "line_vocabulary.tsv"
DATES = "dates.tsv"
MODEL = data.path("line_model.jsonl")
FORMAT = "arcorpus-line-model"
VERSION = 1
MAX_CHARS = 160
MAX_SPACES = 12
MEMO_MAX = 500_000
"""Analyzed pieces kept per step (a memo; past this, pieces are analyzed each time)."""
BODY_MIN_WORDS = 8
NUMBER_KEY = "#"
FURNITURE_WEIGHT = 0.5
"""A word weighing at least this much counts toward the line's furniture share."""
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_PREFIXES = (
    "وبال",
    "وال",
    "فال",
    "بال",
    "كال",
    "ولل",
    "فلل",
    "لل",
    "ال",
    "وب",
    "ول",
    "وك",
    "فب",
    "فل",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
_ARTICLES = ("وبال", "وال", "فال", "بال", "كال", "ولل", "لل", "ال")
_SUFFIXES = tuple("كما هما تها يه ات ون ين وا ها هم كم نا ان ه ك ي ا s".split())  # noqa: RUF001
_VERB_PREFIXES = frozenset("يتن")
_G_LETTERS = re.compile("[غق\u06af]")
_LIST_ITEM = re.compile(r"\A\s*+(?:[*\u2022\u25cf\u25aa-]|\d{1,3}\s*[-.)/])")
"""A list item or a starred sub-heading ("5. تطبيق «إنستغرام»", "* التطبيقات المجانية"): the story's own."""
_QUOTED = frozenset('\N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}\N{LEFT DOUBLE QUOTATION MARK}"')
_LIST_SEPARATORS = re.compile(r"[:\u060c,|\u2022/-]")
_SENTENCE_END = (".", "!", "\N{ARABIC FULL STOP}")
_CLOSERS = " \t\"'\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK})"


class ModelError(ValueError):
    """A vocabulary or model file is malformed."""


# --- vocabulary and analysis ----------------------------------------------------------------------


@dataclass(frozen=True)
class Vocabulary:
    forms: Mapping[str, str]
    """folded form -> concept id"""
    category: Mapping[str, str]
    """concept id -> category"""
    prior: Mapping[str, float]
    """concept id -> weight when the model has none"""


def _norm(word: str) -> str:
    return fold(word).lower()


def load_vocabulary(path: str | Path | None = None) -> Vocabulary:
    """The concept vocabulary (``line_vocabulary.tsv``, or the table at ``path``) plus month and weekday
    names (``dates.tsv``, concept ``date``). A form folding to a form of another concept is an error."""
    forms: dict[str, str] = {}
    category: dict[str, str] = {}
    prior: dict[str, float] = {}

    def add(form: str, concept: str, where: str) -> None:
        key = _norm(form)
        if not _TOKEN.fullmatch(key):
            raise ModelError(f"{where}: form {form!r} is not one word")
        if forms.get(key, concept) != concept:
            raise ModelError(f"{where}: form {form!r} already belongs to {forms[key]!r}")
        forms[key] = concept

    table = data.table(VOCABULARY) if path is None else data.read(path)
    for row in table.rows:
        where = f"{table.source}:{row.line}"
        concept, cat, listed = row.get("id").strip(), row.get("category").strip(), row.get("forms").strip()
        if not concept or not cat or not listed:
            raise ModelError(f"{where}: id, category and forms are required")
        if concept in category:
            raise ModelError(f"{where}: duplicate concept {concept!r}")
        category[concept] = cat
        try:
            prior[concept] = 0.0 if cat == "function" else float(row.get("prior") or 0)
        except ValueError:
            raise ModelError(f"{where}: prior must be a number") from None
        for form in listed.split():
            add(form, concept, where)
    category["date"] = "date"
    prior["date"] = 1.0
    for row in data.table(DATES).rows:
        if row.get("kind") == "filler":
            continue
        for word in row.get("name").split():
            key = _norm(word)
            if _TOKEN.fullmatch(key) and key not in forms and len(key) > 2:
                forms[key] = "date"
    return Vocabulary(MappingProxyType(forms), MappingProxyType(category), MappingProxyType(prior))


def surface_table(vocabulary: Vocabulary) -> Mapping[str, str]:
    """Every inflected surface of every form -> its concept: a form with a clitic prefix (و ف ب ل ك ال
    and their combinations) and/or a suffix (plural, possessive, -وا, tanween alef; ة -> ات), and for UI
    verbs the imperfect (يعلق، تشاركون، نتابع) and a stacked object suffix (شاركوها، تابعتها). A form wins
    over an inflected surface of another form; among surfaces, the earlier row of the vocabulary wins."""
    table: dict[str, str] = {}
    forms = vocabulary.forms
    for form, concept in forms.items():
        table.setdefault(form, concept)
    for form, concept in forms.items():
        if len(form) < 2:
            continue
        bases = [form]
        if form.endswith("\N{ARABIC LETTER HEH}") and len(form) >= 3:
            bases.append(form[:-1])  # صفحه -> صفح+ات
        verb = vocabulary.category.get(concept) == "ui_verb"
        for prefix in ("", *_PREFIXES):
            for base in bases:
                suffixes = _SUFFIXES if base == form else ("ات",)
                if base == form:
                    table.setdefault(prefix + base, concept)
                for suffix in suffixes:
                    table.setdefault(prefix + base + suffix, concept)
                    if verb and len(form) >= 3:
                        table.setdefault(prefix + base + "و" + suffix, concept)
                        table.setdefault(prefix + base + "ت" + suffix, concept)
        if verb and len(form) >= 3:
            for vp in sorted(_VERB_PREFIXES):
                table.setdefault(vp + form, concept)
                for suffix in _SUFFIXES:
                    table.setdefault(vp + form + suffix, concept)
    return MappingProxyType(table)


class Analyzer:
    """Token -> key: ``c:<concept>`` for a vocabulary word (through the light analysis), ``#`` for a
    number, else ``w:<word without its article>``. Keys are memoized (a dict per analyzer)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self._memo: dict[str, str] = {}
        self._surfaces = surface_table(vocabulary)

    def key(self, token: str) -> str:
        found = self._memo.get(token)
        if found is None:
            found = self._analyze(token)
            if len(self._memo) < 500_000:
                self._memo[token] = found
        return found

    def _analyze(self, token: str) -> str:
        if token.isdigit():
            return NUMBER_KEY
        surfaces = self._surfaces
        concept = surfaces.get(token)
        if concept is None and _G_LETTERS.search(token):  # تيليغرام / تيليجرام: /g/ is written غ ج ق
            concept = surfaces.get(_G_LETTERS.sub("ج", token))
        if concept is not None:
            return "c:" + concept
        for article in _ARTICLES:
            if token.startswith(article) and len(token) - len(article) >= 2:
                return "w:" + token[len(article) :]
        return "w:" + token

    def keys(self, line: str) -> list[str]:
        return [self.key(t) for t in _TOKEN.findall(_norm(line))]


# --- the model ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineModel:
    """Per-key weights and the line-level coefficients (see the module docstring), with provenance."""

    weights: Mapping[str, float]
    oov: float
    """weight of a word key the model has no weight for"""
    bias: float
    mean_coef: float
    share_coef: float
    length_coef: float
    sentence_coef: float
    threshold: float
    provenance: Mapping[str, Any] = field(default_factory=dict)
    reasons: Mapping[str, str] = field(default_factory=dict)
    """key -> the evidence its weight was learned from (furniture/content line counts, sources)"""

    def weight(self, key: str, vocabulary: Vocabulary) -> float:
        w = self.weights.get(key)
        if w is not None:
            return w
        if key.startswith("c:"):
            return vocabulary.prior.get(key[2:], 0.0)
        return self.oov

    def score(self, keys: Sequence[str], line: str, vocabulary: Vocabulary) -> tuple[float, list[float]]:
        """(score, per-key weights); function words count neither way and are left out of the mean."""
        ws = [self.weight(k, vocabulary) for k in keys]
        counted = [w for k, w in zip(keys, ws, strict=True) if not _is_function(k, vocabulary)]
        if not counted:
            return -math.inf, ws
        furniture = sum(1 for w in counted if w >= FURNITURE_WEIGHT)
        if 2 * furniture < len(counted):
            return -math.inf, ws  # most of the line's words must be furniture words
        mean = sum(counted) / len(counted)
        share = furniture / len(counted)
        ends = line.rstrip(_CLOSERS).endswith(_SENTENCE_END)
        s = self.bias + self.mean_coef * mean + self.share_coef * share + self.length_coef * len(counted)
        if ends:
            s += self.sentence_coef
        return s, ws

    def to_rows(self) -> list[dict[str, Any]]:
        """The model as JSONL rows: a header row (``id`` "model": coefficients, threshold, provenance),
        then one row per key with its weight and the counts it was learned from."""
        prov = dict(self.provenance)
        head = {
            "id": "model",
            "reason": f"learned from {prov.get('corpus', '?')} by {prov.get('command', '?')} "
            f"on {prov.get('date', '?')}",
            "format": FORMAT,
            "version": VERSION,
            "provenance": prov,
            "bias": self.bias,
            "mean_coef": self.mean_coef,
            "share_coef": self.share_coef,
            "length_coef": self.length_coef,
            "sentence_coef": self.sentence_coef,
            "threshold": self.threshold,
            "oov": self.oov,
        }
        rows = [head]
        for key, weight in sorted(self.weights.items()):
            rows.append({"id": key, "weight": weight, "reason": self.reasons.get(key, "")})
        return rows


def _is_function(key: str, vocabulary: Vocabulary) -> bool:
    """Function words and numbers: counted neither way (a line is not furniture for its "على" or "2015")."""
    return key == NUMBER_KEY or (key.startswith("c:") and vocabulary.category.get(key[2:]) == "function")


def load_model(path: str | Path = MODEL) -> LineModel:
    """Read a model written by `save_model` (JSONL: the header row, then one row per key)."""
    from arcorpus.config import ConfigError

    path = Path(path)
    try:
        with path.open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()]
    except FileNotFoundError:
        raise ConfigError(f"{path}: line model not found") from None
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path}: not a line model: {exc}") from None
    head = rows[0] if rows and isinstance(rows[0], dict) else {}
    if head.get("id") != "model" or head.get("format") != FORMAT or head.get("version") != VERSION:
        raise ConfigError(f"{path}: not an arcorpus line model (format {FORMAT} v{VERSION})")
    try:
        weights = {str(r["id"]): float(r["weight"]) for r in rows[1:]}
        reasons = {str(r["id"]): str(r.get("reason", "")) for r in rows[1:]}
        return LineModel(
            MappingProxyType(weights),
            float(head["oov"]),
            float(head["bias"]),
            float(head["mean_coef"]),
            float(head["share_coef"]),
            float(head["length_coef"]),
            float(head["sentence_coef"]),
            float(head["threshold"]),
            MappingProxyType(dict(head.get("provenance") or {})),
            MappingProxyType(reasons),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ConfigError(f"{path}: not a line model: {exc}") from None


def save_model(model: LineModel, path: str | Path) -> None:
    """Write ``model`` as JSONL (`LineModel.to_rows`), atomically."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for row in model.to_rows():
            fh.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    tmp.replace(path)


@lru_cache(maxsize=4)
def _loaded(path: str | None) -> tuple[LineModel, Analyzer]:
    return load_model(path or MODEL), Analyzer(load_vocabulary())


# --- the step -------------------------------------------------------------------------------------------


def candidate(line: str) -> bool:
    """The gate: short enough to be scored at all."""
    return len(line) <= MAX_CHARS and line.count(" ") < MAX_SPACES


Word = tuple[str, str, float, int]
"""(token, key, weight, kind)"""
FUNCTION, CONCEPT, WORD = 0, 1, 2


@dataclass(frozen=True)
class Verdict:
    removed: bool
    rule: str
    """``line`` (the score), ``concepts`` (made of concept words), ``tag_list``, ``date``"""
    score: float
    evidence: list[tuple[str, str, float]]


class LineModelStep:
    name = STEP

    def __init__(self, model: LineModel, analyzer: Analyzer, threshold: float | None = None) -> None:
        self.model = model
        self.analyzer = analyzer
        self.threshold = model.threshold if threshold is None else threshold
        self._memo: dict[str, tuple[Word, ...]] = {}
        self._plain: set[str] = set()
        """pieces of lines (split on whitespace) known to hold no vocabulary word"""
        self.model_file: str | None = None
        """The model file `build` loaded (None: the shipped one); how the step pickles."""

    def __reduce__(self) -> tuple[Any, ...]:
        # eco (issue 17): pickled as where its model comes from (datasets fingerprints steps by their
        # pickle; the model's mapping proxies do not pickle) and reloaded on the other side
        return (_rebuild, (self.model_file, self.threshold))

    def _words(self, raw: str) -> tuple[Word, ...]:
        """The analyzed words of a whitespace-separated piece of a line (memoized per step)."""
        found = self._memo.get(raw)
        if found is None:
            vocabulary = self.analyzer.vocabulary
            out = []
            for token in _TOKEN.findall(_norm(raw)):
                key = self.analyzer.key(token)
                kind = FUNCTION if _is_function(key, vocabulary) else CONCEPT if key[0] == "c" else WORD
                out.append((token, key, self.model.weight(key, vocabulary), kind))
            found = tuple(out)
            if len(self._memo) < MEMO_MAX:
                self._memo[raw] = found
                if all(w[3] != CONCEPT for w in found):
                    self._plain.add(raw)
        return found

    def evaluate(self, line: str) -> Verdict | None:
        """The verdict on a candidate line with a vocabulary word (None: no vocabulary word, or the shape
        of content). ``removed`` when the score reaches the threshold, or the line is made of concept
        words (at least two distinct concepts, at most one counted word in four outside the vocabulary:
        "انسخ رابط الخبر", "تعليقات القراء (٣٢)"), or it is a tag list (a tag word, then a list)."""
        if (
            _LIST_ITEM.match(line)
            or "\N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}" in line
            or '"' in line
            or ("\N{LEFT DOUBLE QUOTATION MARK}" in line)
        ):
            return None  # sentence shape: a list item, or a line quoting a name or words, is content
        pieces = line.split()
        plain = self._plain
        if plain.issuperset(pieces):
            return None  # every piece already known to hold no vocabulary word: the common case
        words: list[Word] = []
        concept = False
        for raw in pieces:
            found = self._words(raw)
            words += found
            if not concept and any(w[3] == CONCEPT for w in found):
                concept = True
        if not concept:
            return None
        counted = [w for w in words if w[3] != FUNCTION]
        furniture = sum(1 for w in counted if w[2] >= FURNITURE_WEIGHT)
        ends = line.rstrip(_CLOSERS).endswith(_SENTENCE_END)
        model = self.model
        if 2 * furniture < len(counted):
            score = -math.inf  # most of the line's words must be furniture words
        else:
            score = (
                model.bias
                + model.mean_coef * sum(w[2] for w in counted) / len(counted)
                + model.share_coef * furniture / len(counted)
                + model.length_coef * len(counted)
                + (model.sentence_coef if ends else 0.0)
            )
        evidence = [(w[0], w[1], w[2]) for w in words]
        if score >= self.threshold:
            return Verdict(True, "line", score, evidence)
        concepts = {w[1] for w in counted if w[3] == CONCEPT}
        outside = len(counted) - sum(1 for w in counted if w[3] == CONCEPT)
        if len(concepts) >= 2 and outside <= len(counted) // 4 and not ends:
            return Verdict(True, "concepts", score, evidence)
        if counted[0][1] == "c:tag" and _LIST_SEPARATORS.search(line) is not None and not ends:
            return Verdict(True, "tag_list", score, evidence)
        return Verdict(False, "line", score, evidence)

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        if "\n" not in text:
            return doc  # a one-line input is content
        lines = text.split("\n")
        short = [i for i, line in enumerate(lines) if len(line) <= MAX_CHARS and line.count(" ") < MAX_SPACES]
        if not short:
            return doc
        body = len(short) < len(lines)  # a long line: a body paragraph
        found: dict[int, Verdict] = {}
        evaluate = self.evaluate
        for i in short:
            line = lines[i]
            if not line or line.isspace():
                continue
            verdict = evaluate(line)
            if (verdict is None or not verdict.removed) and _DATE_HINT.search(line) is not None:
                verdict = _date_verdict(line) or verdict
            if verdict is not None and verdict.removed:
                found[i] = verdict
            elif not body and len(line.split(None, BODY_MIN_WORDS)) >= BODY_MIN_WORDS:
                body = True
        if not found or not body:
            return doc
        changes: list[Change] = []
        for i, verdict in sorted(found.items()):
            changes.append(Change(STEP, f"{STEP}.{verdict.rule}", "remove_line", before=lines[i], line=i))
            changes.append(
                Change(STEP, f"{STEP}.evidence", "note", before=describe(verdict, self.threshold), line=i)
            )
        kept = "\n".join(line for i, line in enumerate(lines) if i not in found)
        return doc.evolve(text=kept, changes=changes)


def describe(verdict: Verdict, threshold: float) -> str:
    """The evidence of a removal, for ``arcorpus explain``: each word's key and weight, the score."""
    words = " ".join(f"{tok}={key}({w:+.2f})" for tok, key, w in verdict.evidence)
    if verdict.rule == "date":
        return f"a date alone on a line ({words}) between body paragraphs"
    if verdict.rule == "concepts":
        return f"made of concept words (score {verdict.score:.2f}, threshold {threshold:.2f}): {words}"
    if verdict.rule == "tag_list":
        return f"a tag word heading a list (score {verdict.score:.2f}): {words}"
    return f"score {verdict.score:.2f} >= {threshold:.2f}: {words}"


_DATE_HINT = re.compile(r"^\W*(?:\w+\W+){0,3}\d{1,4}\W+(?:\w+\W+){0,2}\d{2,4}\W*$")
"""At most eight words with two numbers: may be a date alone on its line (then `date_line` decides)."""


def _date_verdict(line: str) -> Verdict | None:
    """A line that is only a date (with a weekday or time): page furniture when it sits among the body."""
    from arcorpus.steps.boilerplate.extract_metadata import date_line

    iso = date_line(line.strip())
    if iso is None:
        return None
    return Verdict(True, "date", 0.0, [(iso, "date", 0.0)])


def build(config: Any, models: Any) -> LineModelStep | None:
    if not getattr(config, "line_model", False):
        return None
    model, analyzer = _loaded(getattr(config, "line_model_file", None))
    step = LineModelStep(model, analyzer, model.threshold + float(getattr(config, "line_model_margin", 0.0)))
    step.model_file = getattr(config, "line_model_file", None)
    return step


def _rebuild(model_file: str | None, threshold: float) -> LineModelStep:
    model, analyzer = _loaded(model_file)
    step = LineModelStep(model, analyzer, threshold)
    step.model_file = model_file
    return step


# --- learning -------------------------------------------------------------------------------------------

MIN_COUNT = 5
"""A key needs this many training lines to get a weight of its own (else: oov / the concept's prior)."""
MIN_SOURCES = 3
"""... and a positive weight needs positive lines from this many sources (one site's template words
— its name, its editors — must not become furniture words everywhere)."""
PER_SOURCE = 400
"""At most this many distinct positive (and 10x negative) lines per source (deterministic: by hash)."""
WEIGHT_CLIP = 4.0
CONCEPT_BAND = 1.0
SHAPE = (0.0, 1.0, 0.5, -0.05, -1.0)
"""bias, mean weight, furniture share, per word, sentence ending: the line score's fixed coefficients."""
TEASER_WORDS = 5
"""A positive line with this many words and no vocabulary word is left out of training: it is another
article's headline (a teaser a site repeats), whose words are news words, not furniture words."""
NEGATIVE_BUDGET = 0.002
"""The threshold: the lowest score at which at most this share of the (held-out half's) short content lines
score at or above it. Those lines include furniture the catalogue missed, so the share of real content
removed is lower; 0.2 % of short lines is well inside the 0.3 %-of-content-lines budget."""


@dataclass(frozen=True)
class Example:
    line: str
    source: str
    positive: bool


def _stable(text: str) -> int:
    import zlib

    return zlib.crc32(text.encode("utf-8"))


def _cap(examples: Iterable[Example]) -> list[Example]:
    """Distinct lines, at most `PER_SOURCE` positives and 10x that many negatives per source."""
    by: dict[tuple[str, bool], dict[str, Example]] = {}
    for ex in examples:
        by.setdefault((ex.source, ex.positive), {}).setdefault(" ".join(_TOKEN.findall(_norm(ex.line))), ex)
    out: list[Example] = []
    for (_, positive), group in sorted(by.items()):
        limit = PER_SOURCE if positive else 10 * PER_SOURCE
        keys = sorted(group, key=lambda k: (_stable(k), k))[:limit]
        out.extend(group[k] for k in keys)
    return out


def _key_weights(
    rows: Sequence[tuple[list[str], str, bool]], vocabulary: Vocabulary, reasons: dict[str, str] | None = None
) -> tuple[dict[str, float], float]:
    """Naive-Bayes log-odds per key (document frequency over lines) and the pooled weight of rare keys."""
    pos: dict[str, int] = {}
    neg: dict[str, int] = {}
    sources: dict[str, set[str]] = {}
    n_pos = sum(1 for _, _, p in rows if p)
    n_neg = len(rows) - n_pos
    for keys, source, positive in rows:
        for k in set(keys):
            if _is_function(k, vocabulary):
                continue
            if positive:
                pos[k] = pos.get(k, 0) + 1
                sources.setdefault(k, set()).add(source)
            else:
                neg[k] = neg.get(k, 0) + 1
    alpha = 1.0
    beta = alpha * max(n_neg, 1) / max(n_pos, 1)  # pseudo-counts in proportion: an unseen key is neutral

    def log_odds(p: float, n: float) -> float:
        w = math.log((p + alpha) / (n_pos + 2 * alpha)) - math.log((n + beta) / (n_neg + 2 * beta))
        return max(-WEIGHT_CLIP, min(WEIGHT_CLIP, w))

    weights: dict[str, float] = {}
    rare_p = rare_n = 0
    for k in set(pos) | set(neg):
        p, n = pos.get(k, 0), neg.get(k, 0)
        if p + n < MIN_COUNT:
            if not k.startswith("c:"):
                rare_p += p
                rare_n += n
            continue
        w = log_odds(p, n)
        few = len(sources.get(k, ())) < MIN_SOURCES
        if k.startswith("c:"):
            # a concept is knowledge: the corpus moves its weight within CONCEPT_BAND of the prior
            prior = vocabulary.prior.get(k[2:], 0.0)
            if few and w > prior:
                continue
            w = max(prior - CONCEPT_BAND, min(prior + CONCEPT_BAND, w))
        elif w > 0 and (few or 4 * p < n):
            continue  # a furniture word is in furniture lines of several sites, and not mostly in content
        weights[k] = round(w, 3)
        if reasons is not None:
            reasons[k] = f"furniture lines {p}, content lines {n}, sources {len(sources.get(k, ()))}"
    rare_keys = max(1, sum(1 for k in set(pos) | set(neg) if pos.get(k, 0) + neg.get(k, 0) < MIN_COUNT))
    oov = log_odds(rare_p / rare_keys, rare_n / rare_keys) if rare_keys else 0.0
    return weights, round(min(oov, 0.0), 3)


Features = tuple[float, float, float, float]


def _features(model: LineModel, keys: list[str], line: str, vocabulary: Vocabulary) -> Features:
    ws = [model.weight(k, vocabulary) for k in keys if not _is_function(k, vocabulary)]
    mean = sum(ws) / len(ws) if ws else 0.0
    share = sum(1 for w in ws if w >= FURNITURE_WEIGHT) / len(ws) if ws else 0.0
    return mean, share, float(len(ws)), 1.0 if line.rstrip(_CLOSERS).endswith(_SENTENCE_END) else 0.0


def _fit_logistic(xs: list[Features], ys: list[int]) -> tuple[float, ...]:
    """(bias, mean, share, length, sentence) coefficients: batch gradient descent, L2 0.01 (numpy)."""
    import numpy as np

    x = np.array(xs, dtype=float)
    y = np.array(ys, dtype=float)
    x = np.hstack([np.ones((len(x), 1)), x])
    scale = np.maximum(np.abs(x).max(axis=0), 1.0)
    xn = x / scale
    w = np.zeros(x.shape[1])
    pos_w = (len(y) - y.sum()) / max(y.sum(), 1.0)  # balance the classes
    sample = np.where(y > 0, pos_w, 1.0)
    for _ in range(3000):
        p = 1.0 / (1.0 + np.exp(-(xn @ w)))
        grad = xn.T @ ((p - y) * sample) / sample.sum() + 0.01 * np.r_[0.0, w[1:]]
        w -= 2.0 * grad
    w = w / scale
    return tuple(float(v) for v in w)


def learn(
    examples: Iterable[Example],
    vocabulary: Vocabulary | None = None,
    provenance: Mapping[str, Any] | None = None,
    negative_budget: float = NEGATIVE_BUDGET,
) -> LineModel:
    """A line model from labelled lines (positives: lines the corpus proves to be furniture; negatives:
    short content lines). Linear in the number of lines.

    Key weights are learned on one half of the lines (by hash) and the line coefficients fitted on the
    other half, so the fit sees weights as they behave on lines they were not learned from; the final
    weights come from all lines. The threshold: see `NEGATIVE_BUDGET`."""
    vocabulary = vocabulary or load_vocabulary()
    analyzer = Analyzer(vocabulary)
    rows = []
    for ex in _cap(examples):
        keys = analyzer.keys(ex.line)
        if ex.positive and len(keys) >= TEASER_WORDS and not any(k.startswith("c:") for k in keys):
            continue
        rows.append((keys, ex.source, ex.positive, ex.line))
    half_a = [(k, s, p) for k, s, p, line in rows if _stable(line) % 2 == 0]
    half_b = [(k, s, p, line) for k, s, p, line in rows if _stable(line) % 2 == 1]
    weights_a, oov_a = _key_weights(half_a, vocabulary)
    partial = LineModel(MappingProxyType(weights_a), oov_a, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0)

    def scorable(keys: list[str]) -> bool:
        return any(k.startswith("c:") and not _is_function(k, vocabulary) for k in keys)

    fit = [
        (k, p, line)
        for k, _, p, line in half_b
        if scorable(k) and partial.score(k, line, vocabulary)[0] > -math.inf
    ]
    xs = [_features(partial, k, line, vocabulary) for k, _, line in fit]
    ys = [1 if p else 0 for _, p, _ in fit]
    # The line coefficients are fixed (a logistic fit on these noisy labels was unstable: the
    # negatives hold the furniture the catalogue missed); the threshold carries the learned decision.
    bias, mean_c, share_c, length_c, sentence_c = SHAPE
    scored = sorted(
        (
            (bias + mean_c * m + share_c * f + length_c * n + sentence_c * e, y)
            for (m, f, n, e), y in zip(xs, ys, strict=True)
        ),
        reverse=True,
    )
    negatives_b = sum(1 for _, _, p, _ in half_b if not p)
    budget = negative_budget * negatives_b
    threshold = scored[0][0] if scored else 0.0
    fp = 0
    for s, y in scored:
        fp += 1 - y
        if fp > budget:
            break
        threshold = s
    reasons: dict[str, str] = {}
    weights, oov = _key_weights([(k, s, p) for k, s, p, _ in rows], vocabulary, reasons)
    # a word key weighing about what an unknown word weighs says nothing: not stored
    weights = {k: w for k, w in weights.items() if k.startswith("c:") or abs(w - oov) >= 0.25}
    reasons = {k: r for k, r in reasons.items() if k in weights}
    n_pos = sum(1 for _, _, p, _ in rows if p)
    stats = {
        "positive_lines": n_pos,
        "negative_lines": len(rows) - n_pos,
        "fit_lines": len(fit),
        "weighted_keys": len(weights),
        "negative_budget": negative_budget,
    }
    return LineModel(
        MappingProxyType(weights),
        oov,
        round(bias, 4),
        round(mean_c, 4),
        round(share_c, 4),
        round(length_c, 4),
        round(sentence_c, 4),
        round(threshold, 4),
        MappingProxyType({**(provenance or {}), **stats}),
        MappingProxyType(reasons),
    )
