"""Judging what was read: a typed value into an exact number (normalize, dates), one returned form
on its own (one_file), the files of one collection together (batch, materials), the `validate`
pipeline, the merge decision (merge_plan) and the replies to the counties (reply_plan). Decides,
never writes.

May import: problems, model, read.
"""
