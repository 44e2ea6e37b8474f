"""arcorpus: clean, normalize and deduplicate scraped Arabic news and web text, explaining every change.

    >>> import arcorpus
    >>> arcorpus.clean(text)                      # one string, standard profile
    >>> arcorpus.clean_document(doc).changes      # what each step did
    >>> arcorpus.clean_documents(docs, config)    # a corpus: site learning and dedup included
"""

from arcorpus.api import clean, clean_document, clean_documents, run_outcomes
from arcorpus.config import PROFILES, CleanConfig, ConfigError
from arcorpus.document import Change, Document, Reject
from arcorpus.text.fold import fold

__version__ = "0.1.0"

__all__ = [
    "PROFILES",
    "Change",
    "CleanConfig",
    "ConfigError",
    "Document",
    "Reject",
    "__version__",
    "clean",
    "clean_document",
    "clean_documents",
    "fold",
    "run_outcomes",
]
