"""jc315: generate, validate and merge the yearly “3·15” 活动情况统计表."""

import os

# The one place of the version (pyproject.toml reads it from here): reading it from the
# installed metadata costs every command a third of its start-up.
__version__ = "0.2.0"

# The layers, bottom up, one folder each: a module imports its own layer and the ones below it,
# never one above (tests/test_layers.py; docs/architecture.md is printed from them).
LAYERS = (
    "problems",
    "model",
    "read",
    "check",
    "collection",
    "figures",
    "write",
    "console",
    "actions",
    "web",
    "commands",
)

# openpyxl writes through lxml when lxml happens to be installed, and then writes other bytes
# (attribute order, declarations). Same inputs, same bytes: jc315 always uses the standard
# library's writer. This must be set before openpyxl is first imported.
os.environ["OPENPYXL_LXML"] = "False"
