"""Durable file writes: write a temporary file, fsync it, rename it into place."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from kiosk.errors import UnsafeFileError

#: Write permission for every user. (Not the group's: Ubuntu gives each user a group of
#: their own and a umask of 002, so group-writable is the norm there.)
_OTHERS_WRITE = stat.S_IWOTH


def read_own_file(path: Path) -> bytes:
    """The bytes of one of the kiosk's own key or trust files, never through a symbolic
    link, and refused when every user may write the file or its directory (it could
    have been swapped: a rogue root key lets a rogue bundle in).
    FileNotFoundError when it does not exist."""
    directory = os.stat(path.parent)
    if directory.st_mode & _OTHERS_WRITE and not directory.st_mode & stat.S_ISVTX:
        raise UnsafeFileError(
            f"{path.parent} may be written by every user: refused (chmod o-w {path.parent})",
            code="trust_file_unsafe",
            values={"file": str(path.parent)},
        )
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFileError(
                f"{path} is a symbolic link: refused",
                code="trust_file_unsafe",
                values={"file": str(path)},
            ) from exc
        raise
    with os.fdopen(fd, "rb") as file:
        if os.fstat(file.fileno()).st_mode & _OTHERS_WRITE:
            raise UnsafeFileError(
                f"{path} may be written by every user: refused (chmod o-w {path})",
                code="trust_file_unsafe",
                values={"file": str(path)},
            )
        return file.read()


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` so a crash leaves either the old or the new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(name)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
