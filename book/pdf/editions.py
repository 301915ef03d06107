"""The PDFs of one build, each preflighted: the print interior, the screen edition, the cover (with the front
cover as a JPEG), or the chapters' booklets."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import EXIT_USAGE, BookError, diagnostic
from ..project import Book
from ..render import Page
from ..scheduler import Cache, write_atomic
from .cover import build_cover_pdf
from .document import PdfResult, build_booklet, figure_size
from .interior import Interior
from .preflighting import Report, preflight, rules_for


@dataclass
class Editions:
    """What was written (path and what to say about it) and what preflight found in each PDF."""

    written: list[tuple[Path, str]] = field(default_factory=list)
    reports: list[Report] = field(default_factory=list)
    interior: PdfResult | None = None


def padding_note(result: PdfResult) -> str:
    """'160 pages (10 signatures of 16; 13 blank pages added)'."""
    signatures = result.pages // result.signature if result.signature else 0
    note = f"{result.pages} pages ({signatures} signature{'' if signatures == 1 else 's'} of {result.signature}"
    return note + (f"; {result.padding} blank pages added)" if result.padding else ")")


def blank_note(interior: Interior) -> str:
    """'160 pages (10 signatures of 16); 30 blank: 15 versos before right-hand openings, 15 to fill the last
    signature'."""
    pages = interior.pages + interior.padding
    signatures = pages // interior.signature if interior.signature else 0
    note = f"{pages} pages ({signatures} signature{'' if signatures == 1 else 's'} of {interior.signature})"
    blank = interior.blank + interior.padding
    if not blank:
        return note + "; no blank page"
    return (
        f"{note}; {blank} blank: {interior.blank} verso{'' if interior.blank == 1 else 's'} before right-hand "
        f"openings, {interior.padding} to fill the last signature"
    )


def print_edition(book: Book, interior: Interior, path: Path, final: bool = False) -> Editions:
    """Write the print edition (`*-print.pdf`) of the laid-out `interior` and preflight it (as the `final` one:
    no infographic placeholder left)."""
    write_atomic(path, lambda p: p.write_bytes(interior.pdf("print")))
    pages = interior.pages + interior.padding
    done = Editions(interior=PdfResult(path, pages, interior.figure_pages, interior.padding, interior.signature))
    done.written.append((path, blank_note(interior)))
    rules, trim = rules_for(book, "print", pages, final), interior.trim_problems()
    done.reports.append(preflight(path, rules, shown=_show(path), trim=trim))
    return done


def screen_edition(book: Book, interior: Interior, path: Path) -> Editions:
    """Write the screen edition (`*-screen.pdf`) of the laid-out `interior` and preflight it."""
    write_atomic(path, lambda p: p.write_bytes(interior.pdf("screen")))
    left_out = f" ({interior.blank} blank left out)" if interior.blank else ""
    done = Editions(written=[(path, f"{interior.screen_pages} pages{left_out}, tagged PDF/UA-1")])
    done.reports.append(preflight(path, rules_for(book, "screen", interior.screen_pages), shown=_show(path)))
    return done


def cover_edition(book: Book, interior_pages: int, pdf: Path, jpeg: Path, cover: bytes, cache: Cache) -> Editions:
    """Write the cover sheet for an interior of `interior_pages` pages and the front cover as JPEG (`cover`),
    and preflight the sheet."""
    sheet = build_cover_pdf(book, interior_pages, pdf, cache)
    write_atomic(jpeg, lambda path: path.write_bytes(cover))
    done = Editions(written=[(sheet.path, f"spine {sheet.spine:g} mm for {sheet.interior_pages} pages")])
    done.written.append((jpeg, "front cover for the EPUB"))
    done.reports.append(preflight(pdf, rules_for(book, "cover", interior_pages), shown=_show(pdf)))
    return done


def build_booklets(
    book: Book,
    pages: list[Page],
    out: Path,
    slugs: list[str] | None,
    progress: Callable[[str], None],
    final: bool = False,
) -> Editions:
    """Write a print-ready booklet for each chapter in `slugs` (every numbered chapter of the body when None)
    into `out/booklets/` (as `final` ones: no placeholder left)."""
    chapters = [c.slug for c in book.numbered]
    unknown = [s for s in slugs or [] if s not in chapters]
    if unknown:
        problem = diagnostic("--chapter", None, "K115", slug=unknown[0], chapters=", ".join(chapters))
        raise BookError([problem], EXIT_USAGE)
    done = Editions()
    for slug in slugs or chapters:
        progress(f"จัดหน้าเล่มเล็ก {slug} (laying out the booklet of {slug})")
        target = out / "booklets" / f"{book.config['id']}-{slug}-booklet.pdf"
        booklet = build_booklet(book, pages, slug, target)
        done.written.append((booklet.path, padding_note(booklet)))
        done.reports.append(preflight(booklet.path, rules_for(book, "booklet", final=final), shown=_show(booklet.path)))
    return done


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# The infographics manifest's columns (docs/producer.md, "infographics.csv").
MANIFEST_COLUMNS = [
    "id", "chapter", "caption", "brief", "size", "width_mm", "height_mm", "status", "folio", "pdf_page",
]  # fmt: skip


def infographics_csv(book: Book, pages: dict[str, int], folios: dict[int, str]) -> str:
    """The infographics manifest: one row per figure with its whole brief, the size of its box as printed (mm,
    width and height), the folio printed on its page (`folios`: 1-based PDF page -> folio) and that page's
    place in the print PDF (`pages`: figure id -> 1-based PDF page)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for figure in book.infographics:
        width, height = figure_size(book, figure.size)
        page = pages.get(figure.id)
        row = [figure.id, figure.chapter, figure.caption, figure.brief, figure.size, f"{width:g}", f"{height:g}"]
        writer.writerow([*row, figure.status, folios.get(page, "") if page else "", page or ""])
    return out.getvalue()
