"""jc315: generate, validate and merge the yearly “3·15” 活动情况统计表."""

# The one place of the version (pyproject.toml reads it from here): reading it from the
# installed metadata costs every command a third of its start-up.
__version__ = "0.2.0"
