"""perfdoc: compile a 部门预算绩效文本 from a folder of YAML into Word and PDF."""

import os

# perfdoc uses no pydantic plugins; looking for them scans every installed
# distribution's entry points, about 25 ms of each run's start-up.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

# The single source of the version: pyproject.toml reads it from here, which
# also spares every run the ~35 ms of importlib.metadata.
__version__ = "0.1.0"
