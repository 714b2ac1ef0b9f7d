"""Writing files: safe names and all-or-nothing sets of outputs (files), large tables as text
(bulk), the form sheet, blank forms, the merged report and its side sheets, the comparison
workbook and the 退回/催报 replies. The only layer that imports openpyxl.

May import: problems, model, read, check, collection, figures.
"""
