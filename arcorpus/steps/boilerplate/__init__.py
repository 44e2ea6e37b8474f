"""Boilerplate steps: the rule catalogue (`boilerplate`), lines a site repeats (`site_lines`), repeats
inside a document (`repetition`), and metadata lines moved into fields (`extract_metadata`)."""
