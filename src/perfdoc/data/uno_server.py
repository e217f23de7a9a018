r"""perfdoc's converter process: LibreOffice and unoserver's UnoConverter behind XML-RPC.

perfdoc runs this file (not importable as part of perfdoc) with a Python that can
``import uno``, unoserver on ``PYTHONPATH``, as the leader of a new process
group, so killing the group ends this server and its LibreOffice together:

    python uno_server.py --port P --uno-port U --profile DIR --soffice PATH

Why not the ``unoserver`` command itself:

* its start-up sleeps a fixed seven seconds before serving; here the server is
  ready as soon as LibreOffice accepts a UNO connection (about one second);
* the 目录 lists the two part headings (第一部分, 第二部分) without page
  numbers, as the seed does.  Word's TOC switch for that (``\\n``) is not
  imported by LibreOffice, whose index update would number every line.  Just
  before unoserver's converter updates the indexes, this server removes the
  page-number tokens from the levels perfdoc names.  One LibreOffice pass then
  gives a PDF whose 目录 is both true and in the seed's form.

The conversion itself (load, update indexes, export) is unoserver's
``UnoConverter.convert``; only its Desktop is wrapped to reach the indexes.
Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from typing import Any
from xmlrpc.server import SimpleXMLRPCServer

import uno
from com.sun.star.connection import NoConnectException
from unoserver.converter import UnoConverter

# Levels of the content index whose entries carry no page number; set per call.
_UNNUMBERED: set[int] = set()
_DROP = {"TokenPageNumber", "TokenTabStop"}


class _Proxy:
    """Delegate everything to a UNO object, overriding one method in subclasses."""

    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Any:
        return getattr(self._target, name)


class _Indexes(_Proxy):
    def getByIndex(self, i: int) -> Any:  # noqa: N802 - UNO's name
        index = self._target.getByIndex(i)
        _unnumber(index)
        return index


class _Document(_Proxy):
    def getDocumentIndexes(self) -> Any:  # noqa: N802 - UNO's name
        return _Indexes(self._target.getDocumentIndexes())


class _Desktop(_Proxy):
    def loadComponentFromURL(self, *args: Any) -> Any:  # noqa: N802 - UNO's name
        document = self._target.loadComponentFromURL(*args)
        return None if document is None else _Document(document)


def _token_type(token: Any) -> str:
    for prop in token:
        if prop.Name == "TokenType":
            return str(prop.Value)
    return ""


def _unnumber(index: Any) -> None:
    """Drop the tab and page number of the levels in ``_UNNUMBERED`` from a TOC."""
    if not _UNNUMBERED or not index.supportsService("com.sun.star.text.ContentIndex"):
        return
    levels = index.LevelFormat
    for level in sorted(_UNNUMBERED):
        if level >= levels.getCount():
            continue
        kept = tuple(t for t in levels.getByIndex(level) if _token_type(t) not in _DROP)
        # A typed Any must go through uno.invoke: the element type is a
        # sequence of sequences, which pyuno cannot infer from a tuple.
        uno.invoke(levels, "replaceByIndex",
                   (level, uno.Any("[][]com.sun.star.beans.PropertyValue", kept)))
    index.LevelFormat = levels


def main() -> int:
    """Start LibreOffice, wait for its UNO socket, then serve conversions."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--uno-port", type=int, required=True)
    parser.add_argument("--profile", required=True)
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--startup-timeout", type=float, default=90.0)
    args = parser.parse_args()

    accept = (f"socket,host=127.0.0.1,port={args.uno_port},tcpNoDelay=1;"
              "urp;StarOffice.ComponentContext")
    office = subprocess.Popen([
        args.soffice, "--headless", "--invisible", "--nocrashreport", "--nodefault",
        "--nologo", "--nofirststartwizard", "--norestore",
        f"-env:UserInstallation={uno.systemPathToFileUrl(args.profile)}", f"--accept={accept}",
    ])
    deadline = time.monotonic() + args.startup_timeout
    while True:
        try:
            converter = UnoConverter(interface="127.0.0.1", port=str(args.uno_port))
            break
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                print("LibreOffice did not accept a connection", file=sys.stderr)
                return 3
            time.sleep(0.05)
    converter.desktop = _Desktop(converter.desktop)

    def convert(inpath: str, outpath: str, options: list[str], unnumbered: list[int]) -> bool:
        _UNNUMBERED.clear()
        _UNNUMBERED.update(unnumbered)
        converter.convert(inpath=inpath, outpath=outpath, convert_to="pdf",
                          filtername="writer_pdf_Export", filter_options=options,
                          update_index=True)
        return True

    def ping() -> bool:
        return office.poll() is None

    server = SimpleXMLRPCServer(("127.0.0.1", args.port), logRequests=False, allow_none=True)
    server.register_function(convert)  # type: ignore[arg-type]
    server.register_function(ping)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
