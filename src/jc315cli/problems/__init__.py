"""The problems a file or a command can have, as data: the one registry of problem kinds (code,
severity, Chinese title, message and hint), the report values that carry them (Problem,
FileReport, BatchReport) and the one exception, Jc315Error, for when a command cannot go on.

May import: nothing of jc315.
"""
