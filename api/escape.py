r"""Text from data made harmless for a terminal: control characters removed, rich markup escaped.

>>> safe("[link=http://x]a[/link]\x1b[31m")
'\\[link=http://x]a\\[/link][31m'
>>> safe("[/bold]")
'\\[/bold]'
"""

from __future__ import annotations

import re

from rich.markup import escape

#: C0 and C1 control characters but tab and newline (ESC starts terminal sequences; CR rewrites lines)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: object) -> str:
    """``text`` with control characters removed and rich markup escaped, so ``[/bold]`` or ``[link=…]`` in a
    ledger prints as itself and no escape sequence reaches the terminal."""
    return escape(CONTROL.sub("", str(text)))
