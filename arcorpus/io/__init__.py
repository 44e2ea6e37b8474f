"""Reading inputs into documents and writing JSONL output (atomically)."""

from arcorpus.io.readers import InputError, ReadOptions, read_inputs
from arcorpus.io.writers import AtomicJsonlWriter, write_json_atomic

__all__ = ["AtomicJsonlWriter", "InputError", "ReadOptions", "read_inputs", "write_json_atomic"]
