"""Write the JSON Schemas generated from the models (``perfdoc schema``).

The committed copies under ``schemas/`` are what editors use through the
``# yaml-language-server: $schema=…`` line; a drift test keeps them in step.
"""

from __future__ import annotations

import json
from pathlib import Path

from perfdoc.model import FILE_MODELS


def schema_texts() -> dict[str, str]:
    """Return each schema's file name and its JSON text."""
    out: dict[str, str] = {}
    for name, model in FILE_MODELS.items():
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://perfdoc.invalid/schemas/{name}.schema.json"
        out[f"{name}.schema.json"] = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
    return out


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into *folder*; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, text in schema_texts().items():
        target = folder / filename
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
