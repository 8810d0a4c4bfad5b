"""Reading an uploaded file's text, in a process of its own.

A PDF is a program more than a document: a 36 KB file can hold content streams that take
minutes of CPU or gigabytes of memory to read. So the reading runs here, in a child process
started by ``nansen.coi.extraction``, which first caps its own address space and CPU time
(``resource.setrlimit``) and is killed by the parent when it overruns its wall-clock time.
The child answers one JSON object on stdout: the pages and metadata, or the reason it could
not read the file (a code the parent turns into a translated message).

This module imports no Django: the child starts in a fraction of a second and touches no
database, settings or secrets.
"""

from __future__ import annotations

import io
import json
import re
import resource
import sys
from html.parser import HTMLParser

# pypdf's parsing budget for one content stream (operands, operators, array elements). A
# dense page of text is tens of thousands; the default (2 million) lets three pages take a
# minute of CPU.
STREAM_PARSING_BUDGET = 400_000
STREAM_OUTPUT_BYTES = 20_000_000


class Unreadable(Exception):
    """The file cannot be read within the limits; ``reason`` is a code the parent
    translates, ``params`` fill its message."""

    def __init__(self, reason: str, **params):
        super().__init__(reason)
        self.reason = reason
        self.params = params


def limit_resources(*, seconds: int, memory_bytes: int) -> None:
    """Cap this process: past ``seconds`` of CPU the kernel stops it (SIGXCPU, then
    SIGKILL a second later); past ``memory_bytes`` of address space allocations fail."""
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def read(content: bytes, file_type: str, *, max_pages: int, max_chars: int) -> dict:
    if file_type == "pdf":
        result = read_pdf(content, max_pages=max_pages)
    else:
        text = decode(content)
        result = read_html(text) if file_type == "html" else {"pages": [text]}
    if sum(len(page) for page in result["pages"]) > max_chars:
        raise Unreadable("too_much_text", limit=max_chars)
    return result


def decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(content).best()
    if best is None:
        raise Unreadable("encoding")
    return str(best)


def read_pdf(content: bytes, *, max_pages: int) -> dict:
    import pypdf
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PyPdfError

    pypdf.overwrite_configuration(
        stream_parsing_work_maximum_count=STREAM_PARSING_BUDGET,
        zlib_maximum_output_length=STREAM_OUTPUT_BYTES,
        lzw_maximum_output_length=STREAM_OUTPUT_BYTES,
        run_length_maximum_output_length=STREAM_OUTPUT_BYTES,
        array_based_stream_maximum_output_length=STREAM_OUTPUT_BYTES,
    )
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("encrypted")
        count = len(reader.pages)
        if count > max_pages:
            raise Unreadable("too_many_pages", count=count, limit=max_pages)
        pages = [tidy_pdf_page(page.extract_text() or "") for page in reader.pages]
        meta = reader.metadata or {}
        title = str(meta.get("/Title") or "").strip()
        author = str(meta.get("/Author") or "").strip()
        raw_date = meta.get("/CreationDate")
    except FileNotDecryptedError as exc:
        raise Unreadable("encrypted") from exc
    except PyPdfError as exc:
        if "limit" in str(exc).lower() or "maximum" in str(exc).lower():
            raise Unreadable("too_complex") from exc
        raise Unreadable("malformed") from exc
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise Unreadable("malformed") from exc
    if not any(p.strip() for p in pages):
        raise Unreadable("no_text")
    created = ""
    if isinstance(raw_date, str):
        found = re.match(r"D:(\d{4})(\d{2})(\d{2})", raw_date)
        if found:
            created = "-".join(found.groups())
    return {"pages": pages, "title": title[:500], "author": author[:300], "created": created}


def tidy_pdf_page(text: str) -> str:
    """A PDF page's text with words split at line ends joined again, and each line that
    ends a sentence closing its paragraph (PDFs mark no paragraphs)."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    lines = [line.strip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        out.append(line)
        if not line or re.search(r"[.!?。！？؟:]$", line):
            out.append("")
    return "\n".join(out)


_BLOCK_TAGS = (
    "p div section article header footer li ul ol table tr h1 h2 h3 h4 h5 h6 br "
    "blockquote pre dd dt figcaption"
)
_BLOCKS = frozenset(_BLOCK_TAGS.split())
_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "nav"})


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip:
            self.parts.append(re.sub(r"\s+", " ", data))


def read_html(text: str) -> dict:
    parser = _TextParser()
    parser.feed(text)
    parser.close()
    body = re.sub(r"\n[ \t]+", "\n", "".join(parser.parts))
    return {"pages": [body.strip()], "title": parser.title.strip()[:500]}


def main() -> int:
    """The child's entry point: limits as JSON in argv[1], the file on stdin."""
    limits = json.loads(sys.argv[1])
    limit_resources(seconds=limits["cpu_seconds"], memory_bytes=limits["memory_bytes"])
    content = sys.stdin.buffer.read()
    try:
        result = {
            "ok": True,
            **read(
                content,
                limits["file_type"],
                max_pages=limits["max_pages"],
                max_chars=limits["max_chars"],
            ),
        }
    except Unreadable as exc:
        result = {"ok": False, "reason": exc.reason, "params": exc.params}
    except MemoryError:
        result = {"ok": False, "reason": "memory", "params": {}}
    except RecursionError:
        result = {"ok": False, "reason": "malformed", "params": {}}
    out = json.dumps(result, ensure_ascii=True)
    sys.stdout.write(out)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
