"""The words of `thaibook --help`, in Thai and English: each command, each option, and argparse's own words
("usage:", its section titles, -h and --version), chosen by the same rule as every message
(book/diagnostics/messages.py: --lang, book.yaml's `interface`, the locale, Thai). Kept beside the command
line rather than in the diagnostics' catalogue because only the parser asks for them; tests/test_messages.py
checks that both languages have the same keys and the same values in braces.
"""

from __future__ import annotations

import re

HELP: dict[str, dict[str, str]] = {
    "en": {
        # argparse's own words
        "usage": "usage: ",
        "positional": "arguments",
        "options": "options",
        "help": "show this help message and exit",
        "version": "show the version number and exit",
        "error": "error",
        "commands title": "commands",
        # the parser
        "description": "Build a Thai book from Markdown: a print PDF and an EPUB 3.",
        "where": "Run it in the book's folder (the one with book.yaml), or name the folder with --project DIR.",
        "command": "what to do: one of the commands above (default: all)",
        "args": "init: the folder; new: chapter and the chapter's file name (slug); import: the .docx",
        # the commands
        "all": "build the print PDF, the EPUB and the infographics manifest (the default)",
        "pdf": "build the print, screen and cover PDFs and the infographics manifest (or, with --chapter SLUG or "
        "--split, the chapters' booklets)",
        "print": "build the print PDF alone (and the infographics manifest)",
        "epub": "build the EPUB",
        "watch": "build everything, then again each time a source is saved, until Ctrl+C (the toolkit stays loaded "
        "between builds, so a rebuild after an edit takes about a second)",
        "html": "write the print edition as one HTML file with its fonts and assets (into OUT/html), for plain "
        "WeasyPrint",
        "check": "check the project and report every problem, without building (with --pdf FILE: preflight a PDF)",
        "preview": "serve the book in a browser, refreshed as files are saved (see --port, --host)",
        "init": "init DIR: start a new book project in DIR (a new or empty folder, outside the toolkit's own)",
        "new": "new chapter SLUG [--title T] [--kind K] [--set FIELD=VALUE]...: add a chapter to the project",
        "schema": "write the JSON Schemas of book.yaml and front matter (into --out, default PROJECT/schemas)",
        "docs": "write docs/reference/book-yaml.md from the schema (into --out, default PROJECT/docs/reference)",
        "import": "import FILE.docx [--slug S] [--force]: write a Word document as the project's next chapter, its "
        "pictures into assets/SLUG/, then run the Thai lint on it",
        # the options
        "--project": "the book's folder (default: the current folder, when it has book.yaml)",
        "--out": "where outputs go (default: PROJECT/dist)",
        "--chapter": "pdf: a booklet of this chapter",
        "--split": "pdf: a booklet of every numbered chapter",
        "--pdf": "check: preflight this PDF against the project's rules",
        "--final": "pdf, print, all (and check --pdf): the print PDF is final: an infographic placeholder left in "
        "it fails preflight",
        "--strict": "all, pdf, print, epub, watch: a Thai lint finding fails the build (exit 1) before anything is "
        "written",
        "--fix": "check: apply the safe fixes of the Thai lint to the chapters",
        "--port": "preview: the port to listen on (default: 8000; 0: any)",
        "--host": "preview: the address to listen on (default: 127.0.0.1)",
        "--allow-remote": "preview: let --host be an address other machines can reach",
        "--allow-host": "preview: a name browsers may use for this machine (with --allow-remote; again for more)",
        "--title": "new chapter: the title (default: the slug)",
        "--kind": "new chapter: its kind, the toolkit's or one book.yaml declares (default: chapter)",
        "--set": "new chapter: a front matter field of its kind (again for more), e.g. --set author=สมศรี",
        "--slug": "import: the chapter's slug (default: made from the file's name)",
        "--force": "import: replace a chapter or pictures of the same slug; init: make the book even inside the "
        "toolkit's own folder",
        "--format": "check and builds: json prints diagnostics as JSON",
        "--lang": "the language of messages, diagnostics, this help and the preview (default: book.yaml's "
        "interface, the locale, th)",
        "--no-cache": "builds: lay out everything anew, without reading or writing the cache",
        "--debug": "show a traceback for unexpected errors",
        # usage mistakes the command line finds itself (exit 2)
        "chapter with pdf": "--chapter and --split go with the pdf command",
        "pdf with check": "--pdf goes with the check command",
        "unexpected argument": "unexpected argument: {argument}",
        "json with watch": "--format json does not go with watch",
        "strict with builds": "--strict goes with the all, pdf, print, epub and watch commands",
        "no such pdf": "--pdf: no such file: {pdf}",
        "init form": "init takes one folder: thaibook init DIR (or --project DIR)",
        "new form": "new takes: new chapter SLUG [--title T] [--kind K] [--set FIELD=VALUE]...",
        "set form": "--set takes FIELD=VALUE, e.g. --set author=สมศรี",
    },
    "th": {
        "usage": "วิธีใช้: ",
        "positional": "อาร์กิวเมนต์",
        "options": "ตัวเลือก",
        "help": "แสดงคำอธิบายนี้แล้วจบ",
        "version": "แสดงรุ่นของโปรแกรมแล้วจบ",
        "error": "ผิดพลาด",
        "commands title": "คำสั่ง",
        "description": "สร้างหนังสือภาษาไทยจากไฟล์ Markdown: ไฟล์ PDF สำหรับโรงพิมพ์ และไฟล์ EPUB 3",
        "where": "ให้รันในโฟลเดอร์ของหนังสือ (โฟลเดอร์ที่มีไฟล์ book.yaml) หรือระบุโฟลเดอร์ด้วย --project DIR",
        "command": "สิ่งที่จะทำ: หนึ่งในคำสั่งข้างบน (ไม่ระบุคือ all)",
        "args": "init: โฟลเดอร์ของหนังสือเล่มใหม่ new: คำว่า 'chapter' ตามด้วยชื่อย่อของบท import: ไฟล์ .docx",
        "all": "สร้างไฟล์ PDF สำหรับโรงพิมพ์ ไฟล์ EPUB และรายการอินโฟกราฟิก (คำสั่งนี้คือค่าเริ่มต้น)",
        "pdf": "สร้างไฟล์ PDF สำหรับโรงพิมพ์ สำหรับอ่านบนจอ และไฟล์ปก พร้อมรายการอินโฟกราฟิก "
        "(ถ้าใส่ --chapter SLUG หรือ --split จะสร้างเล่มเล็กแยกบทแทน)",
        "print": "สร้างเฉพาะไฟล์ PDF สำหรับโรงพิมพ์ (และรายการอินโฟกราฟิก)",
        "epub": "สร้างไฟล์ EPUB",
        "watch": "สร้างทุกไฟล์ แล้วสร้างใหม่ทุกครั้งที่บันทึกต้นฉบับ จนกว่าจะกด Ctrl+C "
        "(โปรแกรมเปิดค้างไว้ระหว่างรอ สร้างใหม่หลังแก้ไฟล์จึงใช้เวลาราวหนึ่งวินาที)",
        "html": "เขียนฉบับพิมพ์เป็นไฟล์ HTML ไฟล์เดียวพร้อมแบบอักษรและภาพ (ลงใน OUT/html) สำหรับ WeasyPrint ทั่วไป",
        "check": "ตรวจหนังสือและรายงานทุกปัญหาโดยไม่สร้างไฟล์ (ถ้าใส่ --pdf FILE: ตรวจไฟล์ PDF ก่อนส่งโรงพิมพ์)",
        "preview": "เปิดดูหนังสือในเบราว์เซอร์ หน้าจะเปลี่ยนตามทุกครั้งที่บันทึกไฟล์ (ดู --port และ --host)",
        "init": "init DIR: เริ่มหนังสือเล่มใหม่ในโฟลเดอร์ DIR (โฟลเดอร์ใหม่หรือโฟลเดอร์ว่าง ที่อยู่นอกโฟลเดอร์ของชุดเครื่องมือ)",
        "new": "new chapter SLUG [--title T] [--kind K] [--set FIELD=VALUE]...: เพิ่มบทใหม่ลงในหนังสือ",
        "schema": "เขียน JSON Schema ของ book.yaml และข้อมูลหัวบท (ลงใน --out ไม่ระบุคือ PROJECT/schemas)",
        "docs": "เขียน docs/reference/book-yaml.md จาก schema (ลงใน --out ไม่ระบุคือ PROJECT/docs/reference)",
        "import": "import FILE.docx [--slug S] [--force]: นำเอกสาร Word เข้ามาเป็นบทถัดไปของหนังสือ "
        "ภาพในเอกสารไปไว้ใน assets/SLUG/ แล้วตรวจภาษาไทยในบทนั้น",
        "--project": "โฟลเดอร์ของหนังสือ (ไม่ระบุคือโฟลเดอร์ที่อยู่ตอนนี้ ถ้ามีไฟล์ book.yaml)",
        "--out": "โฟลเดอร์ที่จะเขียนไฟล์ผลงานลงไป (ไม่ระบุคือ PROJECT/dist)",
        "--chapter": "pdf: สร้างเล่มเล็กของบทนี้",
        "--split": "pdf: สร้างเล่มเล็กของทุกบทที่มีเลขบท",
        "--pdf": "check: ตรวจไฟล์ PDF นี้ก่อนส่งโรงพิมพ์ตามเกณฑ์ของหนังสือ",
        "--final": "pdf, print, all (และ check --pdf): ไฟล์พิมพ์นี้เป็นฉบับสมบูรณ์ ถ้ายังมีกรอบแทนที่อินโฟกราฟิก จะตรวจไม่ผ่าน",
        "--strict": "all, pdf, print, epub, watch: ถ้าการตรวจภาษาไทยพบข้อสังเกตแม้ข้อเดียว การสร้างเล่มจะไม่ผ่าน "
        "และไม่เขียนไฟล์ใดเลย",
        "--fix": "check: แก้สิ่งที่การตรวจภาษาไทยแก้ได้อย่างปลอดภัยลงในไฟล์บท",
        "--port": "preview: พอร์ตที่จะเปิดรับ (ไม่ระบุคือ 8000 ใส่ 0 คือพอร์ตใดก็ได้)",
        "--host": "preview: ที่อยู่ที่จะเปิดรับ (ไม่ระบุคือ 127.0.0.1)",
        "--allow-remote": "preview: ยอมให้ --host เป็นที่อยู่ที่เครื่องอื่นเข้าถึงได้",
        "--allow-host": "preview: ชื่อที่เบราว์เซอร์ใช้เรียกเครื่องนี้ (ใช้คู่กับ --allow-remote ใส่ซ้ำได้หลายชื่อ)",
        "--title": "new chapter: ชื่อบท (ไม่ระบุคือใช้ชื่อย่อของบท)",
        "--kind": "new chapter: ชนิดของบท ชนิดที่มีในชุดเครื่องมือหรือที่ book.yaml ประกาศไว้ (ไม่ระบุคือ 'chapter')",
        "--set": "new chapter: ฟิลด์ในข้อมูลหัวบทตามชนิดของบท (ใส่ซ้ำได้) เช่น --set author=สมศรี",
        "--slug": "import: ชื่อย่อของบท (ไม่ระบุคือตั้งจากชื่อไฟล์)",
        "--force": "import: แทนที่บทหรือภาพที่ใช้ชื่อย่อเดียวกัน init: สร้างหนังสือแม้อยู่ในโฟลเดอร์ของชุดเครื่องมือเอง",
        "--format": "check และการสร้างเล่ม: 'json' คือแสดงผลการตรวจเป็น JSON",
        "--lang": "ภาษาของข้อความ ผลการตรวจ คำอธิบายนี้ และพรีวิว (ไม่ระบุคือตาม interface: ใน book.yaml, "
        "ภาษาของเครื่อง แล้วจึงภาษาไทย)",
        "--no-cache": "การสร้างเล่ม: จัดหน้าใหม่ทั้งหมด ไม่อ่านและไม่เขียนแคช",
        "--debug": "แสดงรายละเอียดภายในโปรแกรม (traceback) เมื่อขัดข้องโดยไม่คาดคิด",
        "chapter with pdf": "--chapter และ --split ใช้กับคำสั่ง pdf เท่านั้น",
        "pdf with check": "--pdf ใช้กับคำสั่ง check เท่านั้น",
        "unexpected argument": "มีอาร์กิวเมนต์เกินมา: {argument}",
        "json with watch": "--format json ใช้กับคำสั่ง watch ไม่ได้",
        "strict with builds": "--strict ใช้กับคำสั่ง all, pdf, print, epub และ watch เท่านั้น",
        "no such pdf": "--pdf: ไม่พบไฟล์ {pdf}",
        "init form": "init ต้องตามด้วยโฟลเดอร์เดียว: thaibook init DIR (หรือ --project DIR)",
        "new form": "new ต้องเขียนเป็น: new chapter SLUG [--title T] [--kind K] [--set FIELD=VALUE]...",
        "set form": "--set ต้องเขียนเป็น FIELD=VALUE เช่น --set author=สมศรี",
    },
}

# The words for usage mistakes: said when one is made, not shown by --help.
MISTAKES = (
    "chapter with pdf", "pdf with check", "unexpected argument", "json with watch", "no such pdf", "init form",
    "new form", "set form", "strict with builds",
)  # fmt: skip

# argparse's own complaints, in Thai: what it found, then the Thai words (its values in order). One that is
# not here is shown in argparse's English.
ARGPARSE_TH: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)"), "{0}: ไม่มี {1} ให้เลือก เลือกได้จาก {2}"),
    (re.compile(r"argument (\S+): expected one argument"), "{0} ต้องตามด้วยค่าหนึ่งค่า"),
    (re.compile(r"argument (\S+): invalid \w+ value: (.*)"), "{0}: ใช้ค่า {1} ไม่ได้"),
    (re.compile(r"unrecognized arguments: (.*)"), "ไม่รู้จักอาร์กิวเมนต์: {0}"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), "{0} กำกวม อาจหมายถึง {1}"),
)


def argparse_words(message: str, language: str) -> str:
    """argparse's `message` in `language`: Thai where ARGPARSE_TH has it, else as argparse said it."""
    for pattern, thai in ARGPARSE_TH if language == "th" else ():
        found = pattern.fullmatch(message)
        if found:
            return thai.format(*found.groups())
    return message


# The commands, in the order --help lists them; each one's words are HELP[language][command].
COMMANDS = (
    "all",
    "pdf",
    "print",
    "epub",
    "watch",
    "html",
    "check",
    "preview",
    "init",
    "new",
    "schema",
    "docs",
    "import",
)
