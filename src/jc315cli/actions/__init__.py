"""What the clerk does with a collection, as library functions both the command line and the
page call: merge, write the replies, confirm a value, take in a returned form, the board as it
stands. One place for each, so the page never does a thing the commands do not.

May import: problems, model, read, check, collection, figures, write, console.
"""
