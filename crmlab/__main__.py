"""``python -m crmlab`` is the same as the ``crmlab`` command."""

import sys

from .cli import main

sys.exit(main())
