"""Repair steps: undo damage done before the text reached us (mojibake, markup, invisible characters)."""
