"""Orthography steps: one spelling for what Unicode and Arabic typing write several ways (forms, tatweel,
look-alike letters, digits, spacing, glued words, tanween, search folding)."""
