"""Example inputs and the scripts that make them."""

import jc315cli  # noqa: F401  # first, before openpyxl: see src/jc315cli/__init__.py
