"""perfdoc: compile a 部门预算绩效文本 from a folder of YAML into Word and PDF."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("perfdoc")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
