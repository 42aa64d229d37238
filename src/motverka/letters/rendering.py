"""Rendering a composed letter to HTML and to PDF/A with WeasyPrint.

The PDF variant is PDF/A-2b (ISO 19005-2, level B): fonts are embedded, colours are tied to
an sRGB output intent and the XMP metadata carries ``pdfaid:part=2`` and
``pdfaid:conformance=B``. PDF/A-2 rather than PDF/A-3 because a letter carries no embedded
files; level B because it is what archives (e.g. Riksarkivet's format guidance) ask for and
WeasyPrint produces it reliably.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

# WeasyPrint reports every rendering step at INFO (already while importing), one line per
# stylesheet per letter, which drowns the application log. Its warnings still come through.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

PDF_VARIANT = "pdf/a-2b"


@dataclass(frozen=True)
class Block:
    """A paragraph of the body, or a heading (a line starting with "## ")."""

    text: str
    heading: bool = False


def body_blocks(text: str) -> list[Block]:
    """Split plain text into paragraphs at blank lines; "## " starts a heading.

    A heading followed by another heading or by nothing is dropped: no empty sections.
    """
    blocks: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        lines = chunk.strip("\n").split("\n")
        while lines and lines[0].startswith("## "):
            blocks.append(Block(text=lines.pop(0)[3:].strip(), heading=True))
        rest = "\n".join(lines).strip()
        if rest:
            blocks.append(Block(text=rest))
    # A heading with nothing under it (its only line was an empty value) is left out.
    return [
        block
        for index, block in enumerate(blocks)
        if not block.heading or (index + 1 < len(blocks) and not blocks[index + 1].heading)
    ]


def letter_html(context: dict[str, Any]) -> str:
    return render_to_string("letters/document.html", context)


def pdf_from_html(html: str) -> bytes:
    # Letters embed everything they need (the logo) as data: URIs; a letter never makes
    # WeasyPrint read a file or fetch a URL.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant=PDF_VARIANT)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
