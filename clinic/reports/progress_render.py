"""Write a :class:`~clinic.reports.progress_document.Document` as a self-contained HTML page or as a PDF.

The page has no external resource at all (pictures are ``data:`` PNG images, the style is inline) and prints on A4
or Letter. The PDF (matplotlib's PdfPages, no system library needed) carries the same sections, text and pictures.
Both are written through :mod:`tracking.atomic_files`: complete, or the previous file left as it was.
"""

from __future__ import annotations

import base64
import html
import io
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only

import matplotlib.image as mpimg  # noqa: E402  (after choosing the backend)
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from clinic.reports.progress_document import (  # noqa: E402
    Document,
    Paragraph,
    Picture,
    Preformatted,
    Section,
    Table,
)
from tracking.atomic_files import write_bytes_atomic, write_text_atomic  # noqa: E402

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; margin: 2em auto;
       max-width: 60em; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #bbb; margin-top: 1.6em; }
h3 { font-size: 1.1em; margin-top: 1.2em; }
.subtitle { color: #444; margin-top: 0; }
.notice { background: #fff7e0; border-left: 4px solid #d9a400; padding: 0.5em 0.8em; }
img { max-width: 100%; height: auto; display: block; margin: 0.6em 0; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.6em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
pre { background: #f6f6f6; padding: 0.6em; white-space: pre-wrap; font-size: 0.85em; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  img, table, pre { break-inside: avoid; }
  .wide { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 15mm; }
"""

# The PDF's pages: A4 portrait, in inches; text in lines of this many characters at this size.
PAGE_SIZE_IN = (8.27, 11.69)
MARGIN_IN = 0.6
TEXT_POINTS = 8.5
LINE_HEIGHT_IN = 0.16
# matplotlib's line spacing (a multiple of the font size) that gives LINE_HEIGHT_IN at any size: 0.16 in at 8.5 pt.
LINE_SPACING = LINE_HEIGHT_IN * 72.0 / TEXT_POINTS
WRAP_CHARS = 105
# A table cell in the PDF is cut to this many characters (the HTML shows it whole): a long injection note or
# difficulty reason; a wider table is printed in a smaller font, down to MIN_TABLE_POINTS, then its lines wrap.
PDF_CELL_CHARS = 90
MIN_TABLE_POINTS = 5.5
# Lines of text that must fit below a heading, else the heading starts the next page.
KEEP_LINES = 4


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _block_html(block: Paragraph | Preformatted | Table | Picture) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{html.escape(block.text)}</p>"
    if isinstance(block, Preformatted):
        return f"<pre>{html.escape(block.text)}</pre>"
    if isinstance(block, Picture):
        return f'<img src="{_data_uri(block.png)}" alt="{html.escape(block.alt)}">'
    head = "".join(f"<th>{html.escape(column)}</th>" for column in block.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>" for row in block.rows
    )
    return f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _section_html(section: Section) -> str:
    blocks = "\n".join(_block_html(block) for block in section.blocks)
    anchor = f' id="{html.escape(section.anchor)}"' if section.anchor else ""
    return f"<section{anchor}><h{section.level}>{html.escape(section.title)}</h{section.level}>\n{blocks}</section>"


def render_html(document: Document) -> str:
    """Return the report as one HTML page with everything inline (no network needed to view or print it)."""
    sections = "\n".join(_section_html(section) for section in document.sections)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(document.title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(document.title)}</h1>\n"
        f"<p class=\"subtitle notice\">{html.escape(document.subtitle)}</p>\n{sections}\n</body>\n</html>\n"
    )


def write_html(document: Document, path: str | Path) -> Path:
    """Write the report as an HTML page at ``path``, atomically."""
    return write_text_atomic(path, render_html(document))


class _PdfWriter:
    """Lays out text lines and pictures top to bottom on A4 pages."""

    def __init__(self, pages: PdfPages) -> None:
        self._pages = pages
        self._figure: Figure | None = None
        self._y_in = 0.0

    def _page(self) -> Figure:
        if self._figure is None:
            self._figure = plt.figure(figsize=PAGE_SIZE_IN)
            self._y_in = PAGE_SIZE_IN[1] - MARGIN_IN
        return self._figure

    def finish_page(self) -> None:
        if self._figure is not None:
            self._pages.savefig(self._figure)  # type: ignore[no-untyped-call]
            plt.close(self._figure)
            self._figure = None

    def _room(self, height_in: float) -> Figure:
        if self._figure is not None and self._y_in - height_in < MARGIN_IN:
            self.finish_page()
        return self._page()

    def line(self, text: str, *, size: float = TEXT_POINTS, bold: bool = False, mono: bool = False) -> None:
        self.lines([text], size=size, bold=bold, mono=mono)

    def lines(self, texts: list[str], *, size: float = TEXT_POINTS, bold: bool = False, mono: bool = False) -> None:
        """Write ``texts`` one a line, as one text object per page (drawing each line alone is ten times slower)."""
        height_in = LINE_HEIGHT_IN * size / TEXT_POINTS
        left = MARGIN_IN / PAGE_SIZE_IN[0]
        remaining = list(texts)
        while remaining:
            figure = self._room(height_in)
            fitting = max(1, int((self._y_in - MARGIN_IN) // height_in))
            chunk, remaining = remaining[:fitting], remaining[fitting:]
            figure.text(left, self._y_in / PAGE_SIZE_IN[1], "\n".join(chunk), fontsize=size, va="top",
                        linespacing=LINE_SPACING, fontweight="bold" if bold else "normal",
                        family="monospace" if mono else "sans-serif")
            self._y_in -= height_in * len(chunk)

    def keep_room(self, height_in: float) -> None:
        """Start a new page unless ``height_in`` fits on this one (a heading stays with what follows it)."""
        self._room(height_in)

    def picture(self, png: bytes) -> None:
        image = mpimg.imread(io.BytesIO(png), format="png")
        height_in = picture_height_in(image.shape[0], image.shape[1])
        width_in = PAGE_SIZE_IN[0] - 2 * MARGIN_IN
        figure = self._room(height_in)
        left, bottom = MARGIN_IN / PAGE_SIZE_IN[0], (self._y_in - height_in) / PAGE_SIZE_IN[1]
        axes = figure.add_axes((left, bottom, width_in / PAGE_SIZE_IN[0], height_in / PAGE_SIZE_IN[1]))
        axes.imshow(image)
        axes.axis("off")
        self._y_in -= height_in + LINE_HEIGHT_IN


def picture_height_in(height_px: int, width_px: int) -> float:
    """Return the height on the page of a picture drawn across the text width."""
    return (PAGE_SIZE_IN[0] - 2 * MARGIN_IN) * height_px / width_px


def _first_block_height_in(section: Section) -> float:
    """Return the height that must fit below a section's heading: its picture, or a few lines of text."""
    first = section.blocks[0] if section.blocks else None
    if isinstance(first, Picture):
        image = mpimg.imread(io.BytesIO(first.png), format="png")
        return LINE_HEIGHT_IN * 2 + picture_height_in(image.shape[0], image.shape[1])
    return LINE_HEIGHT_IN * KEEP_LINES


def _cell(text: str) -> str:
    return text if len(text) <= PDF_CELL_CHARS else text[: PDF_CELL_CHARS - 1] + "…"


def _table_lines(table: Table) -> list[str]:
    rows = [tuple(_cell(c) for c in table.columns), *(tuple(_cell(c) for c in row) for row in table.rows)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(table.columns))]
    return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]


def _write_block(writer: _PdfWriter, block: Paragraph | Preformatted | Table | Picture) -> None:
    if isinstance(block, Picture):
        writer.picture(block.png)
        return
    if isinstance(block, Paragraph):
        writer.lines(textwrap.wrap(block.text, WRAP_CHARS) or [""])
    else:
        lines = block.text.splitlines() if isinstance(block, Preformatted) else _table_lines(block)
        # A wide table gets a smaller font rather than being cut, down to MIN_TABLE_POINTS; then its lines wrap.
        longest = max((len(line) for line in lines), default=0)
        size = max(MIN_TABLE_POINTS, min(TEXT_POINTS, TEXT_POINTS * WRAP_CHARS / max(longest, 1)))
        width_chars = int(WRAP_CHARS * TEXT_POINTS / size)
        wrapped = [part for line in lines for part in (textwrap.wrap(line, width_chars, subsequent_indent="    ",
                                                                     drop_whitespace=False) or [""])]
        writer.lines(wrapped, size=size, mono=True)
    writer.line("")


def write_pdf(document: Document, path: str | Path) -> Path:
    """Write the report as a PDF at ``path`` (the same sections, text and pictures as the page), atomically."""
    buffer = io.BytesIO()
    with PdfPages(buffer) as pages:
        writer = _PdfWriter(pages)
        writer.line(document.title, size=14, bold=True)
        writer.lines(textwrap.wrap(document.subtitle, WRAP_CHARS))
        writer.line("")
        for section in document.sections:
            writer.keep_room(_first_block_height_in(section))
            writer.line(section.title, size=12 if section.level == 2 else 10.5, bold=True)
            for block in section.blocks:
                _write_block(writer, block)
        writer.finish_page()
        info = pages.infodict()
        info["Title"] = document.title
    return write_bytes_atomic(path, buffer.getvalue())


def write_report(document: Document, path: str | Path) -> Path:
    """Write the report as PDF when ``path`` ends in ``.pdf``, else as HTML."""
    if Path(path).suffix.lower() == ".pdf":
        return write_pdf(document, path)
    return write_html(document, path)
