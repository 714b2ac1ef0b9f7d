"""The page: `jc315 web` serves the collection to the clerk's browser, and to each county through
its own link. A thin layer over the actions: it checks nothing, counts nothing and words no
state itself. The web framework is imported only here, and only by `jc315 web`.

May import: problems, model, read, check, collection, figures, write, console, actions.
"""
