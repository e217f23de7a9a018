"""Make the PDF reproducible: same input, same bytes (the stage after paginate).

LibreOffice stamps every export with the time (``/CreationDate``, and XMP
dates in a PDF/A), gives it a random ``/ID`` (and random XMP document ids),
and names the bookmarks it makes for the 目录's entries with a number that
changes from process to process (``__RefHeading___Toc1496_2499995092``).
Nothing links to those names: the 目录's links use explicit destinations.

So the PDF is rewritten with pikepdf (qpdf): LibreOffice's own heading
bookmarks are dropped from the named destinations (perfdoc's anchors stay),
the dates become the document's date (``settings.date``, then
``SOURCE_DATE_EPOCH``, then 1 January: the same as the .docx's), and the
``/ID`` is derived from the content (LibreOffice's ``/DocChecksum``, a hash
of the export with its dates, goes).  Two builds of the same input then give
byte-identical PDFs.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import re
import uuid

#: The named destinations LibreOffice makes for the 目录's own links (written
#: with "_" as the hex code 5F).
_LIBREOFFICE_DESTINATION = re.compile(r"^/(?:_|5F)(?:_|5F)RefHeading")


def reproducible_pdf(pdf: bytes, when: datetime.datetime) -> bytes:
    """Return *pdf* with fixed dates, a content-derived ID and no volatile names."""
    # Imported here: only PDF builds need it, and it costs ~30 ms to load.
    import pikepdf

    stamp = when.replace(tzinfo=datetime.timezone.utc)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        dests = doc.Root.get("/Dests")
        if isinstance(dests, pikepdf.Dictionary):
            for key in list(dests.keys()):
                if _LIBREOFFICE_DESTINATION.match(str(key)):
                    del dests[key]
        # LibreOffice's own checksum of the export, dates included, and its
        # random /ID (qpdf would keep its first half): both go.
        for key in ("/DocChecksum", "/ID"):
            if key in doc.trailer:
                del doc.trailer[key]
        if "/Metadata" in doc.Root:
            _fix_xmp(doc, stamp)
        info = doc.docinfo
        date = pikepdf.String(f"D:{stamp:%Y%m%d%H%M%S}Z")
        info[pikepdf.Name.CreationDate] = date
        if pikepdf.Name.ModDate in info:
            info[pikepdf.Name.ModDate] = date
        out = io.BytesIO()
        # deterministic_id: the /ID is a hash of the content, not random.
        doc.save(out, deterministic_id=True)
    return out.getvalue()


def _fix_xmp(doc: object, stamp: datetime.datetime) -> None:
    """Give a PDF/A's XMP packet the fixed dates and ids derived from the content."""
    import pikepdf

    assert isinstance(doc, pikepdf.Pdf)
    stream = doc.Root.Metadata
    text = stream.read_bytes().decode("utf-8")
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    for tag in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
        text = re.sub(rf"(<{tag}>)[^<]*(</{tag}>)", rf"\g<1>{iso}\g<2>", text)
        text = re.sub(rf'({tag}=")[^"]*(")', rf"\g<1>{iso}\g<2>", text)
    # The ids only have to be unique per document: derive them from its pages.
    digest = hashlib.sha256()
    for page in doc.pages:
        for contents in page.obj.get("/Contents", []) if isinstance(
                page.obj.get("/Contents"), pikepdf.Array) else [page.obj.get("/Contents")]:
            if contents is not None:
                digest.update(contents.read_raw_bytes())
    ident = f"uuid:{uuid.UUID(bytes=digest.digest()[:16])}"
    for tag in ("xmpMM:DocumentID", "xmpMM:InstanceID"):
        text = re.sub(rf"(<{tag}>)[^<]*(</{tag}>)", rf"\g<1>{ident}\g<2>", text)
        text = re.sub(rf'({tag}=")[^"]*(")', rf"\g<1>{ident}\g<2>", text)
    stream.write(text.encode("utf-8"))
