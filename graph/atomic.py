"""Files written whole or not at all: a temporary file beside the target, renamed over it once complete."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def written_whole(path: Path, binary: bool = False) -> Iterator[IO[Any]]:
    """A file to write ``path``'s new content to (text in UTF-8, or ``binary``): when the block ends it replaces
    ``path`` in one rename, so readers see the old file or the new one, never part of either; when the block
    fails it is removed and ``path`` stays as it was. The file is its owner's only (0600).

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "a.txt"
    >>> with written_whole(p) as fh:
    ...     _ = fh.write("甲")
    >>> try:
    ...     with written_whole(p) as fh:
    ...         _ = fh.write("乙")
    ...         raise ValueError("half written")
    ... except ValueError:
    ...     pass
    >>> p.read_text(encoding="utf-8"), [x.name for x in p.parent.iterdir()], oct(p.stat().st_mode & 0o777)
    ('甲', ['a.txt'], '0o600')
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
