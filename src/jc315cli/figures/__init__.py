"""A finished report read back as figures (read_back, with validate's checks), two reports side by
side (comparison), and the 活动总结 paragraph written from them (paragraph).

May import: problems, model, read, check, collection.
"""
