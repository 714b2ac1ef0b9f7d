"""JSON as a script reads it from stdout: `json.dumps(data, ensure_ascii=False, indent=2)`, the
same text, made faster. With an indent, json.dumps leaves its C encoder for one in Python that
passes every piece of text up through a generator a level (50 ms of a merge of 1,000 forms).
Here each text and key is still encoded by json's own C function, and the document is put
together once; anything but the plain values the commands give (dicts with text keys, lists,
texts, ints, True, False, None) is left to json.dumps itself, so the text is always its."""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

INDENT = "  "


class _NotPlain(Exception):
    """A value this writer leaves to json.dumps (a float, a key that is not text, a cycle)."""


def indented_json(data: object) -> str:
    """`json.dumps(data, ensure_ascii=False, indent=2)`."""
    out: list[str] = []
    try:
        _put(data, "\n", out)
    except (_NotPlain, RecursionError):
        return json.dumps(data, ensure_ascii=False, indent=2)
    return "".join(out)


def _put(value: Any, newline: str, out: list[str]) -> None:
    """`value` at the indent `newline` leads to, in json.encoder's order of questions."""
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + INDENT
        lead = "[" + inner
        for item in value:
            if isinstance(item, str):  # (the usual leaf, written here without a call)
                out.append(lead + encode_basestring(item))
            else:
                out.append(lead)
                _put(item, inner, out)
            lead = "," + inner
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + INDENT
        lead = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            head = lead + encode_basestring(key) + ": "
            if isinstance(item, str):  # (the usual leaves, written here without a call)
                out.append(head + encode_basestring(item))
            elif item is None:
                out.append(head + "null")
            elif type(item) is int:
                out.append(head + int.__repr__(item))
            else:
                out.append(head)
                _put(item, inner, out)
            lead = "," + inner
        out.append(newline + "}")
    else:
        raise _NotPlain
