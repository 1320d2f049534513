"""安全写文件 safe file writing: atomic replacement and no silent overwrites.

Every crmlab tool that writes (gradebooks, generated notebooks, the HTML site) goes through
these two functions: the content is written to a temporary file in the same folder and moved
into place with :func:`os.replace`, so a reader never sees a half-written file and a crash
leaves the previous version intact.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import InputError

__all__ = ["atomic_write_bytes", "atomic_write_text", "place_file"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, overwrite: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically; refuse to replace an existing file unless ``overwrite``.

    Raises :class:`InputError` (文件已存在 file exists) when ``overwrite`` is false and the file exists.
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise InputError(f"文件已存在 file exists，不会覆盖 (use --force to overwrite)：{target}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        # mkstemp creates the file private (0600); give it the mode a normal write would have
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if not overwrite and target.exists():  # appeared while we were writing
            raise InputError(f"文件已存在 file exists，不会覆盖 (use --force to overwrite)：{target}")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def atomic_write_text(
    path: str | os.PathLike[str], text: str, *, overwrite: bool = True, encoding: str = "utf-8"
) -> Path:
    """Text version of :func:`atomic_write_bytes` (UTF-8 by default)."""
    return atomic_write_bytes(path, text.encode(encoding), overwrite=overwrite)


def place_file(tmp: str | os.PathLike[str], target: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Move a finished file ``tmp`` (in the same folder as ``target``) into place atomically.

    For files built by another library (an SQLite or DuckDB database): build into ``tmp``, then call this.
    Without ``overwrite`` the move is an atomic "create only if absent" (a hard link, then the temporary name is
    removed), so an existing file — even one that appeared meanwhile — is never replaced; :class:`InputError`
    (文件已存在 file exists) is raised instead and ``tmp`` is left for the caller to clean up.
    """
    src, dst = Path(tmp), Path(target)
    exists = f"文件已存在 file exists，不会覆盖 (pass overwrite=True / --force to replace it)：{dst}"
    os.chmod(src, 0o666 & ~_umask())
    if overwrite:
        os.replace(src, dst)
        return dst
    try:
        os.link(src, dst)
    except FileExistsError:
        raise InputError(exists) from None
    except OSError:  # a file system without hard links
        if dst.exists():
            raise InputError(exists) from None
        os.replace(src, dst)
        return dst
    src.unlink()
    return dst
