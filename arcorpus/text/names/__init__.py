"""Transliterated name variants: gazetteer, variant generation, matching and discovery.

- `gazetteer`: load and validate rows of ``arcorpus/data/names.tsv`` (and a user file of the same format).
- `variants`: the systematic spellings of one canonical form (g-letters, long vowels, hamza, joins).
- `matcher`: one Aho-Corasick pass over a text, word boundaries and proclitics, longest match first.
- `discover`: propose new variant clusters from a corpus (``arcorpus variants``).

The step that applies all this to documents is `arcorpus.steps.names`; ``arcorpus variants``
(`arcorpus.cli.variants`) runs `discover`.
"""
