"""The error tree every orgnet module raises (library code raises and logs; entry points print).

::

    OrgnetError                    base of everything orgnet raises on purpose
    ├── DataRefused                a data set breaks the data format (carries every Problem)
    ├── DatabaseError              Neo4j cannot be reached or refused a statement
    │   ├── DatasetChanged         the data set being read was replaced meanwhile (read the current one again)
    │   └── LoadInProgress         another load holds the load lock (who, since when); loads go one at a time
    ├── ServerError                the project's own local Neo4j server could not be installed, started or stopped
    └── RenderError                a report could not be rendered (the PDF printer, Chromium, failed)

>>> issubclass(DataRefused, OrgnetError)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class OrgnetError(Exception):
    """Base class of all errors orgnet raises on purpose.

    ``zh`` is the Chinese message shown first to users, ``str(err)`` the English one.
    """

    def __init__(self, en: str, zh: str | None = None) -> None:
        super().__init__(en)
        self.en = en
        self.zh = zh or en

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled whole (its own fields too), so an error raised in a worker process arrives as itself.

        >>> import pickle
        >>> err = pickle.loads(pickle.dumps(LoadInProgress("orgnet load on host (pid 7)", "08:00")))
        >>> type(err).__name__, err.holder, err.zh[:9]
        ('LoadInProgress', 'orgnet load on host (pid 7)', '另一个载入正在进行')
        """
        return _restore, (type(self), self.args, dict(self.__dict__))

    def bilingual(self) -> str:
        """Return ``"中文 / English"`` for printing.

        >>> OrgnetError("boom", "出错").bilingual()
        '出错 / boom'
        """
        return self.zh if self.zh == self.en else f"{self.zh} / {self.en}"


def _restore(cls: type[OrgnetError], args: tuple[Any, ...], state: dict[str, Any]) -> OrgnetError:
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    err.__dict__.update(state)
    return err


class DataRefused(OrgnetError):
    """A data set was refused; ``problems`` lists every problem found (not only the first).

    ``reading`` is what the reader made of the files (loaders.report_read.Reading), when it got that far.
    """

    def __init__(self, problems: Sequence[Any], source: str = "", reading: Any = None) -> None:
        self.problems = list(problems)
        self.source = source
        self.reading = reading
        n = len(self.problems)
        super().__init__(
            f"data set refused: {n} problem(s) in {source or 'the input'}; nothing was written",
            f"数据集被拒收：{source or '输入'} 中有 {n} 处问题，未写入任何数据",
        )


class DatabaseError(OrgnetError):
    """Neo4j could not be reached, or it refused a statement."""


class DatasetChanged(DatabaseError):
    """The data set being read was replaced (and removed) while it was read: read the current one again."""


class LoadInProgress(DatabaseError):
    """Another load holds the load lock in Neo4j: ``holder`` (who, where) has held it since ``since``.

    >>> LoadInProgress("orgnet load on host (pid 7)", "2026-01-01T08:00:00Z").bilingual()[:16]
    '另一个载入正在进行：orgnet'
    """

    def __init__(self, holder: str, since: str) -> None:
        self.holder, self.since = holder, since
        super().__init__(f"another load is in progress: {holder}, since {since}; try again when it is done",
                         f"另一个载入正在进行：{holder}，始于 {since}；请待其完成后再试")


class ServerError(OrgnetError):
    """The project's local Neo4j server could not be installed, started or stopped."""


class RenderError(OrgnetError):
    """A report could not be rendered (e.g. Chromium failed to print the PDF)."""
