"""JSON from a request, parsed with a bound on how deeply it may nest."""

from __future__ import annotations

import json
from typing import Any

# The pages nest four deep at most (autosave: body, changes, one change, a list of quotes).
# Deeper is not ours; and deep enough, parsing it or saving it would exhaust Python's stack.
MAX_DEPTH = 20


def json_parse(text: str | bytes) -> Any:
    """The value, or ValueError when the text is not JSON or nests more than MAX_DEPTH deep."""
    try:
        value = json.loads(text)
    except RecursionError as error:
        raise ValueError("JSON nested too deep") from error
    # Walked with a list, not recursion, for the same reason.
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise ValueError("JSON nested too deep")
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return value
