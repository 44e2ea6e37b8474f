"""`CleanConfig`: the one configuration object, its named profiles, and TOML overrides.

Every pipeline step has a boolean (or choice) field with exactly the step's name; the same name is the
CLI flag (``--fix-encoding`` / ``--no-fix-encoding``) and the ``step`` of the changes it records. Options
that tune a step are prefixed with the step's name (``dedup_threshold``, ``names_style``).

A config is frozen: `with_options` returns a new one. Profiles are plain data (`PROFILES`), never mutated.
This module deliberately does not know how steps are implemented.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, get_args, get_type_hints


def option(default: Any, help: str) -> Any:
    """A `CleanConfig` field: its default and its help, the one-line description the CLI flag shows
    (``dataclasses.field`` metadata, so it is there at run time, with or without the sources)."""
    return dataclasses.field(default=default, metadata={"help": help})


class ConfigError(ValueError):
    """A configuration value, profile name or TOML file is invalid."""


ProfileName = Literal["minimal", "standard", "search", "pretraining"]


@dataclass(frozen=True)
class CleanConfig:
    """All options of a cleaning run. Build one with `CleanConfig.from_profile` or `CleanConfig()`.

    The defaults are the ``standard`` profile.
    """

    profile: ProfileName = "standard"

    # --- repair (issue: orthography and damage repair) -------------------------------------------
    fix_encoding: bool = option(
        True,
        "Repair mojibake: UTF-8 read as cp1252/latin-1 (ftfy) or as windows-1256; cp1256 read as latin-1.",
    )
    fix_markup: bool = option(True, "Decode HTML entities and remove stray tags left by extraction.")
    remove_invisible: bool = option(
        True, "Remove zero-width characters, bidi controls, BOM, soft hyphen, NUL and other C0/C1 controls."
    )

    # --- orthography -----------------------------------------------------------------------------------
    presentation_forms: bool = option(
        True, "Arabic presentation forms (U+FB50-FDFF, U+FE70-FEFF) to base letters."
    )
    remove_tatweel: bool = option(True, "Remove tatweel (kashida) elongation.")
    lookalikes: bool = option(
        True, "Persian/Urdu look-alike letters (and Persian digits) to their Arabic counterparts."
    )
    digits: Literal["keep", "arabic", "ascii"] = option(
        "keep", "Digit system: keep as written, convert all to Arabic-Indic, or all to ASCII."
    )
    fix_spacing: bool = option(
        True, "Unicode spaces to a plain space, collapse runs of spaces, spacing around Arabic punctuation."
    )
    split_glued: bool = option(
        True, "Split words glued together where orthography proves a boundary (ة/ى + letter, Latin|Arabic)."
    )
    split_glued_corpus: bool = option(
        False, "Also split glued tokens that corpus word frequencies justify (needs a corpus pass)."
    )
    tanween: bool = option(
        True, "One canonical order for fathatan with alef: the mark on the letter before the alef."
    )
    search_fold: bool = option(
        False,
        "Fold letters for matching (hamza forms, alef maqsura, ta marbuta, diacritics). Search profile only.",
    )

    # --- boilerplate -------------------------------------------------------------------------------------
    boilerplate: bool = option(
        True, "Remove lines (and line tails) matched by the boilerplate rule catalogue."
    )
    boilerplate_file: str | None = option(
        None, "An extra user rule catalogue (same format as arcorpus/data/boilerplate.tsv)."
    )
    repetition: bool = option(
        True, "Drop repeated titles, captions, pull quotes and masthead blocks inside one document."
    )
    site_lines: bool = option(
        True, "Remove lines that recur across many documents of the same site (learned from the corpus)."
    )
    site_lines_profile: str | None = option(
        None, "A saved site profile (from ``arcorpus learn``) to use instead of learning from the input."
    )
    site_lines_min_docs: int = option(
        5, "A line must recur in at least this many documents of a source to count as template."
    )
    site_lines_min_fraction: float = option(
        0.02, "... and in at least this fraction of the source's documents."
    )
    extract_metadata: bool = option(
        True, "Move title, date, byline and source-credit lines into metadata fields."
    )
    line_model: bool = option(
        True,
        "Remove short lines made of page-furniture words (UI verbs, site nouns, platforms, credits), scored "
        "by a learned per-word model, wherever they sit.",
    )
    line_model_file: str | None = option(
        None,
        "A line model learned on your corpus (``benchmarks/learn_line_model.py``) instead of the shipped "
        "one.",
    )
    line_model_margin: float = option(
        0.0,
        "Added to the model's own threshold (chosen for precision when it was learned): > 0 removes less.",
    )

    # --- names -------------------------------------------------------------------------------------------
    names: bool = option(True, "Unify transliterated name variants to one spelling per entity (gazetteer).")
    names_style: Literal["pan_arab", "egyptian"] = option(
        "pan_arab", "House style for /g/ in canonical spellings: pan-Arab (غ) or Egyptian (ج)."
    )
    names_file: str | None = option(None, "An extra user gazetteer (same format as arcorpus/data/names.tsv).")
    names_learn: bool = option(
        True, "Also unify spellings of names nobody listed, learned from the corpus (needs a corpus pass)."
    )
    names_profile: str | None = option(
        None, "A saved names profile (arcorpus learn --names-output) used instead of learning from the input."
    )
    names_learn_sample: int = option(8, "Learn from one document in this many (deterministic; 1 = all).")
    names_learn_min_count: int = option(3, "A learned spelling must be seen this often in the sample.")
    names_learn_min_similarity: float = option(
        0.5, "Context (neighbour words) cosine similarity a learned variant needs with the chosen spelling."
    )

    # --- whitespace --------------------------------------------------------------------------------------
    whitespace: bool = option(
        True, "Final layout: one paragraph per line, no empty lines, no trailing spaces."
    )

    # --- dedup -------------------------------------------------------------------------------------------
    dedup: Literal["none", "exact", "near"] = option("near", "Duplicate removal across the corpus.")
    dedup_threshold: float = option(
        0.8, "Jaccard similarity of word shingles above which two documents are near-duplicates."
    )
    dedup_num_perm: int = option(128, "MinHash permutations.")
    dedup_ngram: int = option(5, "Words per shingle.")
    keep_duplicates: bool = option(
        False,
        "Keep duplicates in the output, marked with ``duplicate_of``, ``cluster_id`` and ``cluster_size``.",
    )
    repeated_paragraphs: Literal["off", "report", "remove"] = option(
        "report", "Paragraphs repeated across many documents: report them with counts, or also remove them."
    )
    repeated_paragraphs_min_docs: int = option(
        20, "A paragraph (8+ words) counts as repeated when this many kept documents contain it."
    )

    # --- document filters (pretraining profile; docs/filters.md) -----------------------------------------
    quality_filters: bool = option(
        False, "Drop documents a pretraining set does not want (too few words, not Arabic, repeated lines)."
    )
    quality_min_words: int = option(50, "Fewer words than this after cleaning: rejected as too_few_words.")
    quality_min_arabic: float = option(
        0.5, "A smaller share of letters in Arabic script: rejected as not_arabic."
    )
    quality_max_repeated_lines: float = option(
        0.3,
        "A larger share of lines that repeat an earlier line of the document: rejected as repeated_lines.",
    )
    quality_max_repeated_chars: float = option(
        0.2, "A larger share of characters in such repeated lines: rejected as repeated_lines too."
    )

    # --------------------------------------------------------------------------------------------------

    def __post_init__(self) -> None:
        _validate(self)

    @classmethod
    def from_profile(cls, profile: str = "standard", **options: Any) -> CleanConfig:
        """The named profile with ``options`` applied on top."""
        if profile not in PROFILES:
            raise ConfigError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
        base = dict(PROFILES[profile])
        base.update(options)
        return cls(profile=profile, **base)  # type: ignore[arg-type]

    def with_options(self, **options: Any) -> CleanConfig:
        """A copy with ``options`` changed. ``profile=...`` re-bases on that profile first."""
        unknown = sorted(set(options) - OPTION_NAMES)
        if unknown:
            raise ConfigError(f"unknown option(s): {', '.join(unknown)}")
        if "profile" in options:
            profile = options.pop("profile")
            explicit = {k: v for k, v in self.to_dict().items() if k != "profile"}
            defaults = CleanConfig.from_profile(self.profile).to_dict()
            changed = {k: v for k, v in explicit.items() if defaults.get(k) != v}
            return CleanConfig.from_profile(profile, **{**changed, **options})
        return dataclasses.replace(self, **options)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_toml(cls, path: str | Path, **overrides: Any) -> CleanConfig:
        """Read a TOML file: an optional ``profile`` key and any option, at top level or under ``[clean]``.

        The file is data; nothing in it is executed.
        """
        data = load_toml(path)
        data.pop("read", None)  # how inputs are read: arcorpus.io.options.ReadOptions.from_toml
        if isinstance(data.get("clean"), dict):
            data = {**{k: v for k, v in data.items() if k != "clean"}, **data["clean"]}
        unknown = sorted(set(data) - OPTION_NAMES)
        if unknown:
            raise ConfigError(f"{path}: unknown option(s): {', '.join(unknown)}")
        merged = {**data, **overrides}
        profile = merged.pop("profile", "standard")
        try:
            return cls.from_profile(profile, **merged)
        except ConfigError as exc:
            raise ConfigError(f"{path}: {exc}") from None


def load_toml(path: str | Path) -> dict[str, Any]:
    """A TOML config file as data (nothing in it is executed); a clear `ConfigError` when it cannot be."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


OPTION_NAMES: frozenset[str] = frozenset(f.name for f in fields(CleanConfig))

PROFILES: Mapping[str, Mapping[str, Any]] = MappingProxyType(
    {
        # Only damage repair: encoding, invisible characters and whitespace. Nothing removed by rule.
        "minimal": MappingProxyType(
            {
                "fix_encoding": True,
                "fix_markup": False,
                "remove_invisible": True,
                "presentation_forms": False,
                "remove_tatweel": False,
                "lookalikes": False,
                "fix_spacing": True,
                "split_glued": False,
                "tanween": False,
                "search_fold": False,
                "boilerplate": False,
                "repetition": False,
                "site_lines": False,
                "extract_metadata": False,
                "line_model": False,
                "names": False,
                "whitespace": True,
                "dedup": "none",
                "repeated_paragraphs": "off",
            }
        ),
        # The default: fix what is damage, keep what is spelling; boilerplate, names and dedup included.
        "standard": MappingProxyType({}),
        # Standard plus letter folding for matching and indexing.
        "search": MappingProxyType({"search_fold": True}),
        # Standard plus the document filters and paragraph-level dedup: a pretraining set.
        "pretraining": MappingProxyType({"quality_filters": True, "repeated_paragraphs": "remove"}),
    }
)


def _validate(config: CleanConfig) -> None:
    hints = get_type_hints(CleanConfig)
    for f in fields(config):
        value = getattr(config, f.name)
        hint = hints[f.name]
        choices = get_args(hint) if getattr(hint, "__origin__", None) is Literal else ()
        if choices:
            if value not in choices:
                raise ConfigError(f"{f.name}: {value!r} is not one of {', '.join(map(str, choices))}")
        elif hint is bool:
            if not isinstance(value, bool):
                raise ConfigError(f"{f.name}: expected true/false, got {value!r}")
        elif hint is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"{f.name}: expected an integer, got {value!r}")
        elif hint is float:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"{f.name}: expected a number, got {value!r}")
        elif value is not None and not isinstance(value, str):
            raise ConfigError(f"{f.name}: expected a string, got {value!r}")
    if not 0.0 < config.dedup_threshold <= 1.0:
        raise ConfigError(f"dedup_threshold (--dedup-threshold): {config.dedup_threshold} must be in (0, 1]")
    if not 0.0 <= config.site_lines_min_fraction <= 1.0:
        raise ConfigError(
            f"site_lines_min_fraction (--site-lines-min-fraction): {config.site_lines_min_fraction} "
            "must be in [0, 1]"
        )
    if config.names_learn_sample < 1 or config.names_learn_min_count < 2:
        raise ConfigError("names_learn_sample must be >= 1 and names_learn_min_count >= 2")
    if not 0.0 < config.names_learn_min_similarity <= 1.0:
        raise ConfigError("names_learn_min_similarity must be in (0, 1]")
    shares = (config.quality_min_arabic, config.quality_max_repeated_lines, config.quality_max_repeated_chars)
    if config.quality_min_words < 0 or not all(0.0 <= share <= 1.0 for share in shares):
        raise ConfigError("quality_min_words must be >= 0 and the quality_* shares in [0, 1]")
    for name, (low, high) in INT_RANGES.items():
        value = getattr(config, name)
        if not low <= value <= high:
            flag = "--" + name.replace("_", "-")
            raise ConfigError(f"{name} ({flag}): {value} must be from {low} to {high}")


INT_RANGES: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        # 8 permutations is the least LSH can band; beyond 1024 the estimate no longer improves (the
        # signature matrix is documents x num_perm uint32s: memory grows, precision does not)
        "dedup_num_perm": (8, 1024),
        # a shingle longer than a typical paragraph never repeats: 32 words is far past any useful value
        "dedup_ngram": (1, 32),
        "site_lines_min_docs": (2, 1_000_000_000),
        "repeated_paragraphs_min_docs": (2, 1_000_000_000),
    }
)
"""The valid range of every integer option (checked for the API, the TOML file and the CLI alike)."""
