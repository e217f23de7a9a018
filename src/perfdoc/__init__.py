"""perfdoc: compile a 部门预算绩效文本 from a folder of YAML into Word and PDF."""

# The single source of the version: pyproject.toml reads it from here, which
# also spares every run the ~35 ms of importlib.metadata.
__version__ = "0.1.0"
