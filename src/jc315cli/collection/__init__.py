"""The collection's memory: the collection folder (its campaign file found from below, as git
finds `.git`, and the folders of the process), the ledger (an embedded SQLite database of every
file seen, every reply sent, every merge written and every confirmation), and what follows from
them (each reporter's rounds and state, each value's history, the headline rates, the next step).
The files stay the truth for numbers; the ledger remembers what the files cannot.

May import: problems, model, read, check.
"""
