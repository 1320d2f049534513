"""评分用内核 the kernel that runs a submission: an IPython kernel with a memory ceiling.

``python -m crmlab.exercises.limited_kernel -f CONNECTION_FILE`` sets the address-space limit given in
``$CRMLAB_KERNEL_MEMORY_MB`` (so a cell that allocates without bound gets a ``MemoryError`` instead of taking
the machine down) and then starts ipykernel as usual.
"""

from __future__ import annotations

import os


def _limit_memory() -> None:
    mb = os.environ.get("CRMLAB_KERNEL_MEMORY_MB")
    if not mb:
        return
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return
    limit = int(mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def main() -> None:
    _limit_memory()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
