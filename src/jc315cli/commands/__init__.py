"""The Typer application: one module per command, the options they share, the one handler that
turns a Jc315Error into a message and an exit code (0 ok, 1 data problem, 2 usage). Each command
parses its options, calls one library function, renders the result.

May import: problems, model, read, check, collection, figures, write, console, actions, web.
"""
