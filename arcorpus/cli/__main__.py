"""``python -m arcorpus.cli``: the same as the ``arcorpus`` command."""

import sys

from arcorpus.cli import main

if __name__ == "__main__":
    sys.exit(main())
