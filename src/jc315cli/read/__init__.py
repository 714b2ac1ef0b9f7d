"""Reading what came back: finding the input files (inputs), checking a zip-based workbook before
the native reader sees it (preflight), reading workbooks into plain cells (workbook, isolation
for .xls), what a number format shows (formats), finding the form in a sheet by its labels
(locate) and matching a typed reporter name (matching). Nothing here judges a value.

May import: problems, model.
"""
