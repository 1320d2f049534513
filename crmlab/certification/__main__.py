"""``python -m crmlab.certification [FOLDER]``: check a question bank (default: the packaged one)."""

from .bank import main

raise SystemExit(main())
