"""How the command line fails: one line on stderr, in Chinese and English; the whole story only with ``--debug``."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.markup import escape

from graph.errors import OrgnetError

err = Console(stderr=True, soft_wrap=True)  # a message is one line, however narrow the terminal
HINT = "加 --debug 查看详情 / use --debug for details"


@dataclass
class State:
    """Set by the global options: ``--debug`` shows tracebacks and the full text of errors."""

    debug: bool = False


state = State()


def flat(text: str, limit: int = 300) -> str:
    """``text`` on one line, cut at ``limit`` characters.

    >>> flat("a\\n  b   c")
    'a b c'
    >>> flat("x" * 10, limit=4)
    'xxx…'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def first_line(text: str) -> str:
    """The first non-empty line of ``text`` (a message may carry a log tail below it).

    >>> first_line("Neo4j exited during start:\\n--- console.log")
    'Neo4j exited during start'
    """
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    return line.rstrip(":：")


def one_line(exc: BaseException) -> str:
    """The one line a user sees for an error: what and why, then where to find more.

    >>> one_line(OrgnetError("port 7687 is taken", "端口 7687 已被占用"))
    '错误 / error: 端口 7687 已被占用 / port 7687 is taken'
    >>> one_line(FileNotFoundError(2, "No such file or directory", "x.csv")).split("（")[0]
    '错误 / error: 无法访问文件 / cannot use the file x.csv: No such file or directory'
    """
    if isinstance(exc, OrgnetError):
        zh, en = first_line(exc.zh), first_line(exc.en)
        more = "\n" in exc.zh.strip() or "\n" in exc.en.strip()
        text = zh if zh == en else f"{zh} / {en}"
        return f"错误 / error: {flat(text)}" + (f"（{HINT}）" if more else "")
    if isinstance(exc, OSError) and exc.filename:
        return f"错误 / error: 无法访问文件 / cannot use the file {exc.filename}: {exc.strerror}（{HINT}）"
    return f"错误 / error: 意外错误 / unexpected error: {type(exc).__name__}: {flat(str(exc))}（{HINT}）"


def say(line: str) -> None:
    """Print one line on stderr (escaped: messages carry data, never markup)."""
    err.print(f"[red]{escape(line)}[/red]", highlight=False, soft_wrap=True)


def report(exc: OrgnetError) -> None:
    """Print an error the command expected: one line, or its full text with ``--debug``."""
    if state.debug:
        say(f"错误 / error: {exc.bilingual()}")
    else:
        say(one_line(exc))
