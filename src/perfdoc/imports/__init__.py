"""``perfdoc import``: existing Word and Excel drafts in, a document folder out.

The stages, one module each:

- ``docx.py`` reads a .docx into blocks (paragraphs and table grids) in
  reading order, each with its place in the source;
- ``recognize.py`` finds the document's parts in those blocks by content and
  structure, never by style names;
- ``xlsx.py`` reads the budget system's workbook, or any sheet with the
  indicator columns;
- ``write.py`` writes the folder: one YAML file per part, keys in the
  README's order, comments where a value was inferred;
- ``run.py`` ties them together for the command line.

All of them meet in ``draft.py``: what was found, where it came from, and what
could not be placed.
"""
