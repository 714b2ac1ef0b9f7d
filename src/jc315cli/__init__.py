"""jc315: generate, validate and merge the yearly “3·15” 活动情况统计表."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jc315")
except PackageNotFoundError:  # running from a source tree without installing
    __version__ = "0.0.0"
