"""The interface language: the toolkit's own words in Thai or English, and which of the two to speak.

Chosen, first match wins, by the `--lang` option, `interface:` in book.yaml, the locale (LC_ALL, LC_MESSAGES,
LANG: `en_*` gives English, `th_*` Thai), and otherwise Thai, the language of the editorial team. When book.yaml
cannot be read, the choice goes on to the locale. The words here are what the command line prints around the
diagnostics (`wrote ...`, the verdict of `check`, preflight, the summary, the progress steps) and the preview's
pages; the diagnostics' own words are in book/diagnostics/catalogue.py. Both catalogues have every key with the
same values (tests/test_messages.py checks it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

LANGUAGES = ("th", "en")
DEFAULT = "th"

CATALOGUES: dict[str, dict[str, str]] = {
    "th": {
        # the closing summary of a build (book.progress.summary_lines)
        "summary": "สรุป",
        "pages": "หน้า",
        "warnings": "คำเตือน",
        "none": "ไม่มี",
        "built in": "สร้างเสร็จใน",
        # the command line
        "problems": "พบปัญหา {count} ข้อ ยังไม่ได้เขียนไฟล์ใดเลย",
        "interrupted": "หยุดกลางคัน ไฟล์ผลลัพธ์ชุดก่อนยังอยู่ครบ ไม่ถูกแก้ไข",
        "internal error": "thaibook: โปรแกรมขัดข้องภายใน: {error} (ใส่ --debug เพื่อดูรายละเอียด)",
        "wrote": "เขียน {path} แล้ว ({detail}, {size})",
        "wrote file": "เขียน {path} แล้ว",
        "fixed": "แก้ {path} แล้ว",
        "check ok": "ผ่าน",
        "check findings": "ข้อสังเกตจากการตรวจ {count} ข้อ",
        "check verdict": "{verdict}: {title}: {chapters} บท, {documents} เอกสาร, อินโฟกราฟิก {infographics} ภาพ, "
        "{characters:,} ตัวอักษร",
        "check failed": "ไม่ผ่าน: ข้อผิดพลาด {errors} ข้อ ข้อสังเกต {findings} ข้อ ต้องแก้ข้อผิดพลาดทั้งหมดก่อนจึงจะสร้างเล่มได้",
        "lint summary": "ตรวจภาษาไทย: ข้อสังเกต {count} ข้อ ({codes}) สั่ง check เพื่อดูว่าอยู่ตรงไหน",
        "init done": "สร้างหนังสือเล่มใหม่ไว้ที่ {folder} แล้ว ({count} ไฟล์) วิธีใช้อยู่ในไฟล์ README.md ของเล่ม",
        "init next": "ขั้นต่อไป ให้รันทีละบรรทัด:",
        "init check": "ตรวจหนังสือ",
        "init build": "สร้าง PDF และ EPUB ลงในโฟลเดอร์ dist/",
        "init preview": "เปิดดูหนังสือในเบราว์เซอร์",
        # preflight (book.preflight)
        "preflight ready": "ตรวจก่อนพิมพ์: {name}: {ready}",
        "preflight ready with warnings": "ตรวจก่อนพิมพ์: {name}: {ready} (คำเตือน {count} ข้อ)",
        "preflight not ready": "ตรวจก่อนพิมพ์: {name}: ยังไม่{ready}: พบปัญหา {count} ข้อ",
        "print-ready": "พร้อมส่งโรงพิมพ์",
        "ready for readers": "พร้อมให้อ่านบนจอ",
        "on page": "หน้า {pages}: ",
        "on pages": "หน้า {pages}: ",
        "warning": "คำเตือน: ",
        # the preview: what it prints on the terminal
        "preview serving": "พรีวิว: {url}  (กด Ctrl+C เพื่อหยุด)",
        "preview public": "พรีวิว: เปิดรับที่ {host} ใครก็ตามที่เข้าถึงเครื่องนี้ได้จะอ่านหนังสือได้",
        "preview hosts": "พรีวิว: ตอบเฉพาะคำขอที่เรียกชื่อ {hosts} (เพิ่มชื่อได้ด้วย --allow-host)",
        "preview failed request": "พรีวิวแสดงหน้านี้ไม่ได้ ดูสาเหตุในเทอร์มินัลที่เปิดพรีวิวไว้",
        "preview stopped": "พรีวิว: หยุดแล้ว",
        "preview read": "พรีวิว: อ่าน {name} แล้ว: {count} หน้า ({seconds:.2f} วินาที)",
        "preview changed": "พรีวิว: {cause}: เปลี่ยน {count} หน้า ({seconds:.2f} วินาที, {read})",
        "preview read chapter": "อ่านเฉพาะบทนั้น",
        "preview read book": "อ่านทั้งเล่ม",
        "preview read pages": "จัดหน้าใหม่ทั้งหมด",
        "preview problems": "พรีวิว: {cause}: พบปัญหา {count} ข้อ ยังแสดงหน้าที่อ่านผ่านครั้งล่าสุด",
        "preview styles": "พรีวิว: {cause}: ปรับสไตล์ใหม่แล้ว",
        "preview watch failed": "พรีวิว: การเฝ้าดูไฟล์ขัดข้อง ({error}) กำลังเริ่มใหม่",
        # build.py watch (book.watching)
        "watching": "เฝ้าดูต้นฉบับใน {folder}: บันทึกไฟล์เมื่อไรจะสร้างเล่มใหม่ทันที (กด Ctrl+C เพื่อหยุด)",
        "watch saved": "บันทึก {files} แล้ว: สร้างเล่มใหม่",
        "watch saved meanwhile": "มีไฟล์ถูกบันทึกระหว่างรอ: สร้างเล่มใหม่",
        "watch failed": "การเฝ้าดูไฟล์ขัดข้อง ({error}) กำลังเริ่มใหม่",
        "watch stopped": "หยุดเฝ้าดูแล้ว ไฟล์ผลลัพธ์ชุดล่าสุดอยู่ใน {folder}",
        "preview lint failed": "พรีวิว: ตรวจภาษาไทยใน {file} ไม่สำเร็จ: {error}",
        # the preview: its pages (book/templates/preview*.html)
        "nav": "พรีวิว",
        "screen": "หน้าจอ",
        "print pages": "หน้าพิมพ์",
        "problems title": "อ่านต้นฉบับไม่ผ่าน: พบปัญหา {count} ข้อ",
        "problems note": "หน้าที่เห็นอยู่คือฉบับล่าสุดที่อ่านผ่าน กล่องนี้จะหายไปเองเมื่อแก้ไฟล์แล้วบันทึก",
        "hide": "ซ่อน",
        "chapters count": "{count} บท",
        "counting words": "กำลังนับคำ…",
        "words count": "{count} คำ",
        "placeholders count": "อินโฟกราฟิกที่ยังขาด {count} ภาพ",
        "findings count": "ข้อสังเกตจากการตรวจ {count}",
        "number": "ที่",
        "page": "หน้า",
        "kind": "ชนิด",
        "words": "คำ",
        "missing infographics": "อินโฟกราฟิกที่ยังขาด",
        "findings": "ข้อสังเกต",
        "print": "พิมพ์",
        "has problem": "มีปัญหา",
        "nothing read": "ยังไม่มีหน้าที่อ่านผ่าน",
        "not found": "ไม่พบหน้านี้",
        "not found title": "ไม่พบหน้า “{page}”",
        "not found text": "หน้านี้ไม่อยู่ในเล่มแล้ว อาจเปลี่ยนชื่อย่อของบทหรือลบไฟล์ไป",
        "back to index": "กลับไปหน้ารวม",
        "status": "สถานะ",
        "page placeholders": "อินโฟกราฟิกที่ยังขาด {count}",
        "page findings": "ข้อสังเกต {count}",
        "show findings": "ดูข้อสังเกต",
        "proofs title": "{title}: หน้าพิมพ์",
        "proofs failed": "จัดหน้าไม่สำเร็จ:",
        "proofs pages": "{count} หน้า",
        "numbered from build": "เลขหน้าตามเล่มที่สร้างไว้ล่าสุด ({build})",
        "numbered from 1": "เลขหน้าเริ่มที่ 1 เพราะยังไม่มีเล่มที่สร้างเต็ม หรือหน้านี้ไม่อยู่ในเล่มนั้น",
        "page number": "หน้า {folio}",
    },
    "en": {
        "summary": "summary",
        "pages": "pages",
        "warnings": "warnings",
        "none": "none",
        "built in": "built in",
        "problems": "{count} problem(s); nothing was written.",
        "interrupted": "interrupted; the previous outputs are untouched",
        "internal error": "thaibook: internal error: {error} (run with --debug for details)",
        "wrote": "wrote {path} ({detail}, {size})",
        "wrote file": "wrote {path}",
        "fixed": "fixed {path}",
        "check ok": "ok",
        "check findings": "{count} lint finding(s)",
        "check verdict": "{verdict}: {title}: {chapters} chapters, {documents} documents, {infographics} infographics, "
        "{characters:,} characters",
        "check failed": "not ok: {errors} error(s), {findings} finding(s); every error must be fixed before the "
        "book can be built",
        "lint summary": "Thai lint: {count} finding(s) ({codes}); run `check` to see them",
        "init done": "made a new book in {folder} ({count} files); its README.md says how to use it",
        "init next": "next, run these one by one:",
        "init check": "check the book",
        "init build": "build the PDF and the EPUB into dist/",
        "init preview": "see the book in a browser",
        "preflight ready": "preflight: {name}: {ready}",
        "preflight ready with warnings": "preflight: {name}: {ready} ({count} warning(s))",
        "preflight not ready": "preflight: {name}: NOT {ready}: {count} problem(s)",
        "print-ready": "print-ready",
        "ready for readers": "ready for readers",
        "on page": "page {pages}: ",
        "on pages": "pages {pages}: ",
        "warning": "warning: ",
        "preview serving": "preview: {url}  (Ctrl+C to stop)",
        "preview public": "preview: listening on {host}: anyone who can reach this machine can read the book",
        "preview hosts": "preview: answers only requests that name {hosts} (add names with --allow-host)",
        "preview failed request": "the preview could not show this; the terminal where it runs says why",
        "preview stopped": "preview: stopped",
        "preview read": "preview: read {name}: {count} pages ({seconds:.2f}s)",
        "preview changed": "preview: {cause}: {count} page(s) changed ({seconds:.2f}s, {read})",
        "preview read chapter": "read the chapter alone",
        "preview read book": "read the book",
        "preview read pages": "read the pages",
        "preview problems": "preview: {cause}: {count} problem(s); showing the last good pages",
        "preview styles": "preview: {cause}: styles refreshed",
        "preview watch failed": "preview: file watching failed ({error}); starting it again",
        "watching": "watching the sources in {folder}: each save rebuilds the book (Ctrl+C to stop)",
        "watch saved": "saved {files}: rebuilding",
        "watch saved meanwhile": "files were saved meanwhile: rebuilding",
        "watch failed": "file watching failed ({error}); starting it again",
        "watch stopped": "stopped watching; the latest outputs are in {folder}",
        "preview lint failed": "preview: lint failed on {file}: {error}",
        "nav": "preview",
        "screen": "screen",
        "print pages": "print pages",
        "problems title": "The book could not be read: {count} problem(s)",
        "problems note": "Showing the last version that read cleanly; this goes away once the file is fixed and saved.",
        "hide": "hide",
        "chapters count": "{count} chapters",
        "counting words": "counting words…",
        "words count": "{count} words",
        "placeholders count": "{count} infographics missing",
        "findings count": "{count} lint findings",
        "number": "No.",
        "page": "Page",
        "kind": "Kind",
        "words": "Words",
        "missing infographics": "Missing infographics",
        "findings": "Lint",
        "print": "Print",
        "has problem": "problem",
        "nothing read": "No page has read cleanly yet.",
        "not found": "not found",
        "not found title": "Page “{page}” not found",
        "not found text": "This page is not in the book: its slug may have changed, or its file is gone.",
        "back to index": "Back to the index",
        "status": "status",
        "page placeholders": "missing infographics: {count}",
        "page findings": "lint findings: {count}",
        "show findings": "show the lint findings",
        "proofs title": "{title}: print pages",
        "proofs failed": "The pages could not be laid out:",
        "proofs pages": "{count} pages",
        "numbered from build": "page numbers from the full build {build}",
        "numbered from 1": "numbered from 1: no full build has this page",
        "page number": "page {folio}",
    },
}

# What the builders say about each file they wrote (book/building.py, book/pdf/editions.py), in English; the
# Thai for each form. A detail that matches none is shown as it is.
DETAILS_TH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(\d+) pages \((\d+) signatures? of (\d+)\)"), "{0} หน้า ({1} ยก ยกละ {2} หน้า)"),
    (
        re.compile(r"(\d+) pages \((\d+) signatures? of (\d+); (\d+) blank pages added\)"),
        "{0} หน้า ({1} ยก ยกละ {2} หน้า เติมหน้าว่าง {3} หน้า)",
    ),
    # -- floats and page economy (issue 19): the print PDF's blank pages, and why
    (
        re.compile(
            r"(\d+) pages \((\d+) signatures? of (\d+)\); (\d+) blank: (\d+) versos? before right-hand openings, "
            r"(\d+) to fill the last signature"
        ),
        "{0} หน้า ({1} ยก ยกละ {2} หน้า) หน้าว่าง {3} หน้า: หน้าซ้ายก่อนบทที่เปิดหน้าขวา {4} หน้า เติมให้เต็มยกสุดท้าย {5} หน้า",
    ),
    (
        re.compile(r"(\d+) pages \((\d+) signatures? of (\d+)\); no blank page"),
        "{0} หน้า ({1} ยก ยกละ {2} หน้า) ไม่มีหน้าว่าง",
    ),
    (re.compile(r"(\d+) pages, tagged PDF/UA-1"), "{0} หน้า มีแท็กตาม PDF/UA-1"),
    (
        re.compile(r"(\d+) pages \((\d+) blank left out\), tagged PDF/UA-1"),
        "{0} หน้า (ไม่รวมหน้าว่างของฉบับพิมพ์ {1} หน้า) มีแท็กตาม PDF/UA-1",
    ),
    (re.compile(r"spine ([\d.]+) mm for (\d+) pages"), "สัน {0} มม. สำหรับเนื้อใน {1} หน้า"),
    (re.compile(r"(\d+) documents, (\d+) print pages"), "{0} เอกสาร อ้างอิงเลขหน้าฉบับพิมพ์ {1} หน้า"),
    (re.compile(r"(\d+) infographics, (\d+) ready"), "อินโฟกราฟิก {0} ภาพ พร้อมแล้ว {1} ภาพ"),
    (re.compile(r"download page; upload its folder as it is"), "หน้าดาวน์โหลด อัปโหลดทั้งโฟลเดอร์นี้ขึ้นเว็บได้ทันที"),
    (re.compile(r"OPDS acquisition feed"), "ฟีด OPDS สำหรับดาวน์โหลด"),
)

# A progress step given as "Thai (English)", as the builders name them.
STEP_PAIR = re.compile(r"(?P<th>.*[\u0e00-\u0e7f].*?)\s*\((?P<en>[^()]+)\)")


def locale_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The interface language the locale asks for (the first of LC_ALL, LC_MESSAGES, LANG that is set), if
    it is one we have; None for C, POSIX and other languages."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            language = value.split("_")[0].split(".")[0].lower()
            return language if language in LANGUAGES else None
    return None


def interface_language(option: str | None = None, config: Mapping | None = None) -> str:
    """The language to speak: `option` (--lang), then book.yaml's `interface`, then the locale, then Thai."""
    configured = (config or {}).get("interface")
    return option or (configured if configured in LANGUAGES else None) or locale_language() or DEFAULT


def book_interface(project: Path | str) -> str | None:
    """`interface:` in the project's book.yaml when it names a language we have; None when it is absent or
    wrong, or book.yaml cannot be read (a quick read that never fails: `check` reports what is wrong)."""
    import yaml

    path = Path(project) / "book.yaml"
    try:
        if not path.is_file() or path.stat().st_size > 2**20:  # a FIFO would hang here: `check` names it (B101)
            return None
        config = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError, RecursionError, yaml.YAMLError):
        return None
    value = config.get("interface") if isinstance(config, dict) else None
    return value if value in LANGUAGES else None


def project_language(option: str | None, project: Path | str) -> str:
    """`interface_language` for a project folder: `option`, its book.yaml's `interface`, the locale, Thai."""
    return option or book_interface(project) or locale_language() or DEFAULT


def say(key: str, language: str, /, **values: object) -> str:
    """The words of `key` in `language`, with `values` filled in."""
    return CATALOGUES[language][key].format(**values)


def words(language: str) -> dict[str, str]:
    """The catalogue of `language`, for book.progress.summary_lines."""
    return CATALOGUES[language]


def step_text(step: str, language: str | None) -> str:
    """A progress step in one language: "อ่านต้นฉบับ (reading the sources)" is "อ่านต้นฉบับ" in Thai and
    "reading the sources" in English; a step in one language only, or no language given, is left as it is."""
    pair = STEP_PAIR.fullmatch(step) if language else None
    if pair is None:
        return step
    return pair["th"] if language == "th" else pair["en"]


def detail_text(detail: str, language: str) -> str:
    """What a build says about a file it wrote (`148 pages (...)`), in `language`; as it is when unknown."""
    if language != "th":
        return detail
    for pattern, thai in DETAILS_TH:
        found = pattern.fullmatch(detail)
        if found:
            return thai.format(*found.groups())
    return detail
