"""What a person reads in the terminal: the rich renderings of every command's result, Chinese text
wrapped by display width, the progress bar, and Chinese for the words Typer and Click print
themselves.

May import: problems, model, read, check, collection, figures, write.
"""
