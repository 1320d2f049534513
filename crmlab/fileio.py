"""安全写文件 safe file writing: atomic replacement and no silent overwrites.

Every crmlab tool that writes (gradebooks, generated notebooks, the HTML site) goes through
these two functions: the content is written to a temporary file in the same folder and moved
into place with :func:`os.replace`, so a reader never sees a half-written file and a crash
leaves the previous version intact.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError

__all__ = ["atomic_write_bytes", "atomic_write_text", "place_file", "staged_file"]


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
    exists = _exists_message(dst)
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


def _exists_message(target: Path) -> str:
    return f"文件已存在 file exists，不会覆盖 (pass overwrite=True / --force to replace it)：{target}"


@contextmanager
def staged_file(target: str | os.PathLike[str], *, overwrite: bool = False) -> Iterator[Path]:
    """Build a file that another library writes (an SQLite or DuckDB database) and put it in place atomically.

    ``with staged_file(path) as tmp: build(tmp)`` — ``tmp`` lies in a private folder next to ``target`` (so side
    files such as journals and write-ahead logs stay there too). When the block ends without an exception the file
    is moved into place with :func:`place_file`; in every case the private folder is removed, so a failed build
    leaves nothing behind. An existing ``target`` (or a folder at its path) is an :class:`InputError` before
    anything is built, unless ``overwrite``.
    """
    dst = Path(target)
    if dst.is_dir():
        raise InputError(f"目标路径是一个文件夹 (is a directory)：{dst}")
    if dst.exists() and not overwrite:
        raise InputError(_exists_message(dst))
    dst.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dst.name}.", suffix=".tmp", dir=dst.parent))
    try:
        tmp = work / dst.name
        yield tmp
        place_file(tmp, dst, overwrite=overwrite)
    finally:
        shutil.rmtree(work, ignore_errors=True)
