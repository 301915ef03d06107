"""The PDFs of one build, each preflighted: the print interior, the screen edition, the cover (with the front
cover as a JPEG), or the cities' booklets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .cover import build_cover_pdf, front_cover_jpeg
from .diagnostics import EXIT_USAGE, BookError, Diagnostic
from .model import Book
from .outputs import write_atomic
from .pdf import PdfResult, build_booklet, build_print_pdf, build_screen_pdf
from .preflight import Report, preflight, rules_for
from .rendering import Page


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


def build_editions(
    book: Book, pages: list[Page], out: Path, name: Callable[[str], str], progress: Callable[[str], None]
) -> Editions:
    """Write `name('-print.pdf')`, `-screen.pdf`, `-cover.pdf` and `-cover.jpg` into `out` and preflight them."""
    done = Editions()
    progress("จัดหน้า PDF สำหรับงานพิมพ์ (laying out the print PDF)")
    interior = build_print_pdf(book, pages, out / name("-print.pdf"))
    done.interior = interior
    done.written.append((interior.path, padding_note(interior)))
    progress("PDF สำหรับอ่านบนจอ (writing the screen PDF)")
    screen = build_screen_pdf(book, interior, out / name("-screen.pdf"))
    done.written.append((screen.path, f"{screen.pages} pages, tagged PDF/UA-1"))
    progress("ปกหน้า สัน ปกหลัง (laying out the cover)")
    cover = build_cover_pdf(book, interior.pages, out / name("-cover.pdf"))
    done.written.append((cover.path, f"spine {cover.spine:g} mm for {cover.interior_pages} pages"))
    jpeg = write_atomic(out / name("-cover.jpg"), lambda path: path.write_bytes(front_cover_jpeg(book)))
    done.written.append((jpeg, "front cover for the EPUB"))
    progress("ตรวจความพร้อมก่อนพิมพ์ (preflight)")
    for path, kind in ((interior.path, "print"), (screen.path, "screen"), (cover.path, "cover")):
        done.reports.append(preflight(path, rules_for(book, kind, interior.pages), shown=_show(path)))
    return done


def build_booklets(
    book: Book, pages: list[Page], out: Path, slugs: list[str] | None, progress: Callable[[str], None]
) -> Editions:
    """Write a print-ready booklet for each city in `slugs` (every city when None) into `out/booklets/`."""
    cities = [c.slug for c in book.cities]
    unknown = [s for s in slugs or [] if s not in cities]
    if unknown:
        message = f"--chapter: no city chapter '{unknown[0]}'; the city chapters are: {', '.join(cities)}"
        raise BookError([Diagnostic("--chapter", None, "U003", message)], EXIT_USAGE)
    done = Editions()
    for slug in slugs or cities:
        progress(f"จัดหน้าเล่มเล็ก {slug} (laying out the booklet)")
        target = out / "booklets" / f"{book.config['id']}-{slug}-booklet.pdf"
        booklet = build_booklet(book, pages, slug, target)
        done.written.append((booklet.path, padding_note(booklet)))
        done.reports.append(preflight(booklet.path, rules_for(book, "booklet"), shown=_show(booklet.path)))
    return done


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
