"""Shared text machinery that is no step: character sets (`chars`), search folding (`fold`), the output
guard (`guard`), line edits with their recorded changes (`edits`), and the name-variant machinery
(`names`). Modules here import only `arcorpus.document`, `arcorpus.config` and each other."""
