"""The words of every diagnostic, in English and in Thai.

A key is a diagnostic's code (`C001`), or its code and a variant after a dot (`C002.unreadable`) when one code
says more than one thing. Each text names its values in braces (`{slug}`); the code that finds the problem
gives the values once and gets both languages back (`book.diagnostics.diagnostic`, `Problems.add`). The
English text is the diagnostic's `message`, stable for tests, scripts and CI; the Thai text is what an editor
reads by default. Codes, file names, YAML keys and commands stay in Latin letters in both.

tests/test_messages.py checks that every code the toolkit emits is here, in both languages, with the same
values in each.
"""

from __future__ import annotations

DIAGNOSTICS: dict[str, dict[str, str]] = {
    # -- the project's files (reading.py)
    "C001": {
        "en": "slug: '{slug}' is already used by {first}; slugs must be unique",
        "th": "slug: ชื่อย่อของบท '{slug}' ซ้ำกับที่ {first} ใช้อยู่แล้ว แต่ละบทต้องมีชื่อย่อไม่ซ้ำกัน",
    },
    "C002": {"en": "file not found", "th": "ไม่พบไฟล์นี้"},
    "C002.unreadable": {"en": "cannot read the file: {reason}", "th": "เปิดอ่านไฟล์นี้ไม่ได้: {reason}"},
    "C003": {
        "en": "not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8",
        "th": "ไฟล์นี้ไม่ได้เข้ารหัสเป็น UTF-8 (พบไบต์ 0x{byte:02x}) ให้บันทึกไฟล์ใหม่เป็น UTF-8",
    },
    "C004": {
        "en": "the chapter is empty: write its text after the front matter",
        "th": "บทนี้ยังไม่มีเนื้อความ ให้เขียนเนื้อความต่อจากข้อมูลหัวบท",
    },
    "C005": {
        "en": "no front matter: the file must start with a '---' line, then YAML, then '---'",
        "th": "ไม่มีข้อมูลหัวบท: ไฟล์ต้องขึ้นต้นด้วยบรรทัด '---' ตามด้วย YAML แล้วปิดด้วย '---'",
    },
    "C005.unclosed": {
        "en": "front matter is never closed: add a '---' line after it",
        "th": "ข้อมูลหัวบทยังไม่ได้ปิด ให้เพิ่มบรรทัด '---' ต่อท้ายข้อมูลหัวบท",
    },
    "C006": {
        "en": "no chapters: add Markdown files to chapters/",
        "th": "ยังไม่มีบทเลย ให้เพิ่มไฟล์ Markdown ไว้ในโฟลเดอร์ chapters/",
    },
    "C007": {
        "en": "kind: a book has one {kind} page; this is the second",
        "th": "kind: หนังสือเล่มหนึ่งมีหน้า {kind} ได้หน้าเดียว หน้านี้เป็นหน้าที่สอง",
    },
    "C008": {
        "en": "the file is {size:.1f} MB, over the {limit} MB a file may be; split it",
        "th": "ไฟล์นี้ใหญ่ {size:.1f} MB เกิน {limit} MB ที่รับได้ ให้แบ่งเป็นหลายไฟล์",
    },
    # -- part 4b, the disk and the output folders: the place is the folder (scheduler/files.py, cli/commands.py)
    "D101": {
        "en": "the disk is full, so nothing more can be written into this folder; free some space and build again "
        "(the files already here are as they were)",
        "th": "ดิสก์เต็ม จึงเขียนไฟล์ลงโฟลเดอร์นี้ต่อไม่ได้ ให้ลบไฟล์ที่ไม่ใช้ออกให้มีที่ว่างแล้วสร้างใหม่อีกครั้ง "
        "(ไม่มีไฟล์ใดในโฟลเดอร์นี้ถูกเขียนค้างไว้ครึ่งเดียว)",
    },
    "D101.quota": {
        "en": "your disk quota is used up, so nothing more can be written into this folder; free some space and "
        "build again (no file here is left half written)",
        "th": "โควตาดิสก์ของคุณเต็มแล้ว จึงเขียนไฟล์ลงโฟลเดอร์นี้ต่อไม่ได้ ให้ลบไฟล์ที่ไม่ใช้ออกแล้วสร้างใหม่อีกครั้ง "
        "(ไม่มีไฟล์ใดในโฟลเดอร์นี้ถูกเขียนค้างไว้ครึ่งเดียว)",
    },
    "D101.limit": {
        "en": "{name} is larger than the system lets a file be, so it cannot be written into this folder; raise "
        "the file size limit (ulimit -f) and build again (no file here is left half written)",
        "th": "{name} ใหญ่เกินขนาดไฟล์ที่ระบบยอมให้เขียน จึงเขียนลงโฟลเดอร์นี้ไม่ได้ ให้เพิ่มขีดจำกัดขนาดไฟล์ (ulimit -f) "
        "แล้วสร้างใหม่อีกครั้ง (ไม่มีไฟล์ใดในโฟลเดอร์นี้ถูกเขียนค้างไว้ครึ่งเดียว)",
    },
    "D102": {
        "en": "you are not allowed to write into this folder; change its permissions or choose another folder "
        "with --out",
        "th": "คุณไม่มีสิทธิ์เขียนไฟล์ลงโฟลเดอร์นี้ ให้แก้สิทธิ์ของโฟลเดอร์ หรือเลือกโฟลเดอร์อื่นด้วย --out",
    },
    "D103": {
        "en": "this folder is on a read-only disk; choose a folder on a writable disk with --out",
        "th": "โฟลเดอร์นี้อยู่บนดิสก์ที่อ่านได้อย่างเดียว ให้เลือกโฟลเดอร์บนดิสก์ที่เขียนได้ด้วย --out",
    },
    "D104": {
        "en": "this is a file, not a folder, so outputs cannot go here; give a folder with --out",
        "th": "ที่นี่เป็นไฟล์ ไม่ใช่โฟลเดอร์ จึงเขียนผลงานลงที่นี่ไม่ได้ ให้ระบุโฟลเดอร์ด้วย --out",
    },
    "D105": {
        "en": "this output folder cannot be made, because {parent} is a file, not a folder; give another with --out",
        "th": "สร้างโฟลเดอร์ผลงานนี้ไม่ได้ เพราะ {parent} เป็นไฟล์ ไม่ใช่โฟลเดอร์ ให้ระบุโฟลเดอร์อื่นด้วย --out",
    },
    "D106": {
        "en": "you are not allowed to read this project folder; change its permissions, or build as its owner",
        "th": "คุณไม่มีสิทธิ์อ่านโฟลเดอร์โปรเจกต์นี้ ให้แก้สิทธิ์ของโฟลเดอร์ หรือสร้างหนังสือด้วยผู้ใช้ที่เป็นเจ้าของ",
    },
    "D107": {
        "en": "cannot write into this folder ({reason}); choose another folder with --out",
        "th": "เขียนไฟล์ลงโฟลเดอร์นี้ไม่ได้ ({reason}) ให้เลือกโฟลเดอร์อื่นด้วย --out",
    },
    "D108": {
        "en": "{name} here is a folder, so the file of that name cannot be written; move that folder away and "
        "build again",
        "th": "{name} ในโฟลเดอร์นี้เป็นโฟลเดอร์ จึงเขียนไฟล์ชื่อนี้ไม่ได้ ให้ย้ายโฟลเดอร์นั้นออกไปแล้วสร้างใหม่อีกครั้ง",
    },
    "D109": {
        "en": "this is a symbolic link to {target}, which does not exist; make that folder, or give another with --out",
        "th": "ที่นี่เป็นลิงก์ไปยัง {target} ซึ่งไม่มีอยู่จริง ให้สร้างโฟลเดอร์นั้นก่อน หรือระบุโฟลเดอร์อื่นด้วย --out",
    },
    "D110": {
        "en": "{name} here is not a file the build publishes; this folder is the readers' site, which each build "
        "makes anew with only the files it lists, so move {name} away (or give another folder with --out) and "
        "build again (the other outputs are written)",
        "th": "{name} ในโฟลเดอร์นี้ไม่ใช่ไฟล์ที่การสร้างหนังสือเผยแพร่ โฟลเดอร์นี้คือเว็บไซต์สำหรับผู้อ่าน ซึ่งสร้างใหม่ทุกครั้ง"
        "และมีเฉพาะไฟล์ที่หน้าดาวน์โหลดระบุ ให้ย้าย {name} ออกไป (หรือระบุโฟลเดอร์อื่นด้วย --out) แล้วสร้างใหม่อีกครั้ง "
        "(ผลงานอื่นเขียนเสร็จแล้ว)",
    },
    "E001": {"en": "{problem}", "th": "เครื่องนี้ยังตัดบรรทัดภาษาไทยไม่ได้: {problem}"},
    # -- the WeasyPrint installed (engine/supported.py)
    "E002": {
        "en": "WeasyPrint {installed} is installed, but the toolkit works only with WeasyPrint >={low},<{high}, "
        "the versions it was tested with; run: python3 build.py setup",
        "th": "เครื่องนี้ติดตั้ง WeasyPrint {installed} ไว้ แต่ชุดเครื่องมือนี้ใช้ได้กับ WeasyPrint >={low},<{high} "
        "ซึ่งเป็นรุ่นที่ทดสอบแล้วเท่านั้น ให้รัน: python3 build.py setup",
    },
    # -- fonts (fonts.py)
    "F001": {
        "en": "fonts/fonts.yaml is missing; declare the book's font families there",
        "th": "ไม่พบไฟล์ fonts/fonts.yaml ให้สร้างไฟล์นี้แล้วประกาศแบบอักษรของเล่มไว้ในนั้น",
    },
    "F002": {
        "en": "font family '{family}' (fonts.{role} in book.yaml) is not declared here",
        "th": "ยังไม่ได้ประกาศแบบอักษร '{family}' ไว้ในไฟล์นี้ (book.yaml ใช้เป็น fonts.{role})",
    },
    "F003": {
        "en": "{family}: font package {package} is not installed; run: pip install {package}",
        "th": "{family}: ยังไม่ได้ติดตั้งแพ็กเกจแบบอักษร {package} ให้รัน: pip install {package}",
    },
    "F004": {
        "en": "{family}: face '{face}' is not in {package}, which has: {found}; list only those under faces:",
        "th": "{family}: แพ็กเกจ {package} ไม่มีแบบตัว '{face}' แบบตัวที่มีคือ {found} ให้ระบุใน faces: เฉพาะแบบที่มี",
    },
    "F004.name": {
        "en": "{family}: '{face}' is not a face name like regular, bold or bold-italic",
        "th": "{family}: '{face}' ไม่ใช่ชื่อแบบตัว ให้ใช้ชื่ออย่าง regular, bold หรือ bold-italic",
    },
    "F005": {
        "en": "{family}: font file fonts/{font_file} is missing or not a .ttf/.otf/.woff/.woff2 file (fonts/ has: "
        "{found})",
        "th": "{family}: ไม่พบไฟล์แบบอักษร fonts/{font_file} หรือไฟล์นั้นไม่ใช่ .ttf/.otf/.woff/.woff2 "
        "(ไฟล์แบบอักษรที่มีใน fonts/ คือ {found})",
    },
    "F006": {
        "en": "{family}: no usable face; give 'package' and 'faces', or 'files'",
        "th": "{family}: ไม่มีแบบตัวที่ใช้ได้เลย ให้ระบุ 'package' กับ 'faces' หรือระบุ 'files'",
    },
    # -- what a build may load (project/containment.py)
    "G001": {
        "en": "refused to load {url}: a build reads only the project's own files and its fonts",
        "th": "ไม่ได้โหลด {url} เพราะการสร้างเล่มอ่านได้เฉพาะไฟล์ในโปรเจกต์และแบบอักษรของเล่มเท่านั้น",
    },
    # -- part 1, containment in every output: what any output may read (containment.py, fonts.py, reading.py,
    #    sanitize.py, markdown.py, epub/ebook.py, publish/htmlexport.py, pdf/prepress.py)
    "G101": {
        "en": "{attribute}={url!r} names a file outside the project's folders or a hidden one; removed",
        "th": "{attribute}={url!r} อ้างถึงไฟล์นอกโฟลเดอร์ของโปรเจกต์หรือไฟล์ที่ซ่อนอยู่ จึงตัดออก",
    },
    "G102": {
        "en": "{family}: font file {font_file} is, or points to, a file outside fonts/ and the font packages",
        "th": "{family}: ไฟล์แบบอักษร {font_file} เป็นหรือชี้ไปยังไฟล์ที่อยู่นอก fonts/ และนอกแพ็กเกจแบบอักษร",
    },
    "G103": {
        "en": '<a rel="attachment"> would attach {url!r} to the PDF; a chapter cannot attach files, removed',
        "th": '<a rel="attachment"> จะแนบไฟล์ {url!r} ไว้ใน PDF แต่บทหนึ่งแนบไฟล์ไม่ได้ จึงตัดออก',
    },
    "G104": {
        "en": "order: {entry!r} must be a chapter file inside chapters/",
        "th": "order: {entry!r} ต้องเป็นไฟล์บทที่อยู่ในโฟลเดอร์ chapters/",
    },
    "G105": {
        "en": "{what} {name}: the file is hidden or lies outside the project's folders (a symlink out?); not read",
        "th": "{what} {name}: ไฟล์นี้ถูกซ่อนอยู่หรืออยู่นอกโฟลเดอร์ของโปรเจกต์ (อาจเป็นลิงก์ที่ชี้ออกไปข้างนอก) จึงไม่อ่าน",
    },
    "G106": {
        "en": "infographic {figure}: artwork {name} is hidden or lies outside assets/infographics/; the placeholder "
        "is shown",
        "th": "อินโฟกราฟิก {figure}: ไฟล์ภาพ {name} ถูกซ่อนอยู่หรืออยู่นอก assets/infographics/ จึงแสดงกรอบแทนภาพแทน",
    },
    "G107": {
        "en": "assets/{name} is hidden or lies outside the project's folders; not copied into the HTML export",
        "th": "assets/{name} ถูกซ่อนอยู่หรืออยู่นอกโฟลเดอร์ของโปรเจกต์ จึงไม่คัดลอกไปกับไฟล์ HTML",
    },
    "G108": {
        "en": "print: profile {profile!r} is hidden or lies outside the project (a symlink out?); not read",
        "th": "print.profile: โปรไฟล์สี {profile!r} ถูกซ่อนอยู่หรืออยู่นอกโปรเจกต์ (อาจเป็นลิงก์ที่ชี้ออกไปข้างนอก) จึงไม่อ่าน",
    },
    # -- HTML and images in a chapter (sanitize.py)
    "H001": {
        "en": "raw HTML is not well formed ({error}); close every tag you open",
        "th": "HTML ที่เขียนแทรกไว้ไม่ครบถ้วน ({error}) แท็กที่เปิดต้องปิดให้ครบทุกตัว",
    },
    "H002": {
        "en": "<{tag}> is not allowed in a chapter; removed",
        "th": "ใช้ <{tag}> ในบทไม่ได้ จึงตัดออกแล้ว",
    },
    "H003": {
        "en": "{attribute}= (a script) is not allowed; removed",
        "th": "ใช้ {attribute}= (สคริปต์) ไม่ได้ จึงตัดออกแล้ว",
    },
    "H004": {
        "en": "a {attribute} with a script address; removed",
        "th": "{attribute} ชี้ไปที่สคริปต์ จึงตัดออกแล้ว",
    },
    "I001": {
        "en": "image {src}: only files in assets/ can be used, not addresses",
        "th": "ภาพ {src}: ใช้ได้เฉพาะไฟล์ในโฟลเดอร์ assets/ ใช้ที่อยู่เว็บไม่ได้",
    },
    "I001.outside": {
        "en": "image {src}: outside the project's assets/ folder",
        "th": "ภาพ {src}: อยู่นอกโฟลเดอร์ assets/ ของโปรเจกต์",
    },
    "I002": {"en": "image {src}: no such file in assets/", "th": "ภาพ {src}: ไม่พบไฟล์นี้ใน assets/"},
    "I003.type": {
        "en": "image {src}: not an image file ({suffixes})",
        "th": "ภาพ {src}: ไม่ใช่ไฟล์ภาพ (ใช้ได้: {suffixes})",
    },
    "I003.svg": {"en": "image {src}: not a valid SVG file ({error})", "th": "ภาพ {src}: ไฟล์ SVG เสีย ({error})"},
    "I003.pixels": {
        "en": "image {src}: {width} x {height} pixels is more than the {limit:,} allowed",
        "th": "ภาพ {src}: ขนาด {width} x {height} พิกเซล เกิน {limit:,} พิกเซลที่รับได้",
    },
    "I003.unreadable": {
        "en": "image {src}: cannot be read as an image ({error})",
        "th": "ภาพ {src}: เปิดเป็นภาพไม่ได้ ({error})",
    },
    # -- the credits page (credits.py)
    "K001": {
        "en": "credits: role '{role}' lists no names; add '- name' lines",
        "th": "credits: หน้าที่ '{role}' ยังไม่มีรายชื่อ ให้เพิ่มบรรทัด '- ชื่อ'",
    },
    "K002": {
        "en": "credits: no MARC relator known for role '{role}'; write '## {role} {{relator=ctb}}'",
        "th": "credits: ไม่รู้จักรหัสหน้าที่ตามมาตรฐาน MARC ของ '{role}' ให้เขียนเป็น '## {role} {{relator=ctb}}'",
    },
    "K003": {
        "en": "credits: relator {relator!r} is not a three-letter MARC code",
        "th": "credits: รหัสหน้าที่ {relator!r} ไม่ใช่รหัส MARC สามตัวอักษร",
    },
    "K004": {
        "en": "credits: a name before any '## role' heading",
        "th": "credits: มีรายชื่ออยู่ก่อนหัวข้อ '## หน้าที่' ตัวแรก ให้ย้ายไปไว้ใต้หัวข้อ",
    },
    "K005": {
        "en": "credits: no roles found; write '## role' headings with '- name' items",
        "th": "credits: ไม่พบหน้าที่ใดเลย ให้เขียนหัวข้อ '## หน้าที่' แล้วตามด้วยรายชื่อ '- ชื่อ'",
    },
    # -- the Markdown of a chapter (markdown.py, sanitize.py)
    "M001": {
        "en": "'::: {kind}' is never closed; end it with a line ':::'",
        "th": "'::: {kind}' ยังไม่ได้ปิด ให้ปิดด้วยบรรทัด ':::'",
    },
    "M002": {
        "en": "unknown block '::: {kind}'; use '::: pullquote' or '::: infographic ID'",
        "th": "ไม่รู้จักบล็อก '::: {kind}' ใช้ได้เฉพาะ '::: pullquote' หรือ '::: infographic ID'",
    },
    "M003": {
        "en": "infographic id {figure!r}: write '::: infographic some-id' with a-z, 0-9 and hyphens",
        "th": "รหัสอินโฟกราฟิก {figure!r} ใช้ไม่ได้ ให้เขียน '::: infographic some-id' ด้วย a-z, 0-9 และขีดกลาง",
    },
    "M004": {
        "en": "infographic {figure}: invalid YAML: {error}",
        "th": "อินโฟกราฟิก {figure}: YAML ผิดรูปแบบ: {error}",
    },
    "M004.fields": {
        "en": "infographic {figure}: expected lines 'caption: ...', 'size: ...', 'brief: ...'",
        "th": "อินโฟกราฟิก {figure}: ให้เขียนเป็นบรรทัด 'caption: ...', 'size: ...', 'brief: ...'",
    },
    "M005": {
        "en": "infographic {figure}: unknown key '{key}'; known keys: {known}",
        "th": "อินโฟกราฟิก {figure}: ไม่รู้จักชื่อค่า '{key}' ชื่อค่าที่ใช้ได้: {known}",
    },
    "M006": {"en": "infographic {figure}: '{key}' is required", "th": "อินโฟกราฟิก {figure}: ต้องมี '{key}'"},
    "M007": {
        "en": "infographic {figure}: unknown size {size!r}; use one of {sizes}",
        "th": "อินโฟกราฟิก {figure}: ไม่รู้จักขนาด {size!r} ให้เลือกจาก {sizes}",
    },
    "M008": {
        "en": "infographic id '{figure}' is used twice (also in {first})",
        "th": "รหัสอินโฟกราฟิก '{figure}' ใช้ซ้ำ (ใช้แล้วใน {first})",
    },
    "M009": {
        "en": "footnote [^{name}] has no text; add a line '[^{name}]: ...'",
        "th": "เชิงอรรถ [^{name}] ยังไม่มีข้อความ ให้เพิ่มบรรทัด '[^{name}]: ...'",
    },
    "M010": {
        "en": "link to #{target}, which is not an id anywhere in the book",
        "th": "ลิงก์ไปที่ #{target} แต่ในเล่มไม่มี id นี้",
    },
    "M011": {
        "en": "footnote [^{name}] is never called in the text; it is left out",
        "th": "เชิงอรรถ [^{name}] ไม่ได้ถูกอ้างถึงในเนื้อความ จึงไม่ได้ใส่ไว้ในเล่ม",
    },
    # -- preflight of a PDF (pdf/preflighting.py)
    "P000": {"en": "cannot be read as a PDF: {error}", "th": "เปิดเป็น PDF ไม่ได้: {error}"},
    "P001": {"en": "font {font} is not embedded", "th": "ไม่ได้ฝังแบบอักษร {font} ไว้ในไฟล์"},
    "P002": {
        "en": "font {font} is embedded whole, not subset",
        "th": "ฝังแบบอักษร {font} ไว้ทั้งชุด ไม่ได้ฝังเฉพาะตัวที่ใช้",
    },
    "P003": {"en": "no TrimBox", "th": "ไม่มี TrimBox"},
    "P004": {"en": "no BleedBox", "th": "ไม่มี BleedBox"},
    "P004.bleed": {
        "en": "BleedBox is {found} mm beyond the TrimBox (left/bottom/right/top); expected {bleed:g} mm",
        "th": "BleedBox เลย TrimBox ออกไป {found} มม. (ซ้าย/ล่าง/ขวา/บน) ที่ถูกคือ {bleed:g} มม.",
    },
    "P005": {
        "en": "trimmed to {width:.1f} x {height:.1f} mm; the book's trim is {trim_width:g} x {trim_height:g} mm",
        "th": "ขนาดหลังตัดเป็น {width:.1f} x {height:.1f} มม. แต่ขนาดเล่มคือ {trim_width:g} x {trim_height:g} มม.",
    },
    "P006": {
        "en": "no PDF/X output intent: the printer cannot know the colour the file was made for",
        "th": "ไม่มีข้อกำหนดสีสำหรับงานพิมพ์ (output intent) ของ PDF/X โรงพิมพ์จึงไม่รู้ว่าไฟล์ทำสีไว้สำหรับการพิมพ์แบบไหน",
    },
    "P006.profile": {
        "en": "the output intent has no CMYK ICC profile (DestOutputProfile)",
        "th": "ข้อกำหนดสีสำหรับงานพิมพ์ (output intent) ไม่มีโปรไฟล์สี ICC แบบ CMYK (DestOutputProfile)",
    },
    "P007": {
        "en": "image {width} x {height} px is RGB; print needs CMYK (or greyscale)",
        "th": "ภาพ {width} x {height} px เป็นสี RGB งานพิมพ์ต้องใช้ CMYK (หรือภาพขาวดำ)",
    },
    "P008": {
        "en": "image {width} x {height} px is placed at {ppi:.0f} ppi; print wants {wanted}",
        "th": "ภาพ {width} x {height} px วางไว้ที่ {ppi:.0f} ppi งานพิมพ์ควรได้ {wanted} ppi",
    },
    "P009": {
        "en": "{pages} pages is not a multiple of the {signature}-page signature ({short} short)",
        "th": "{pages} หน้า แบ่งเป็นยกละ {signature} หน้าไม่ลงตัว (ขาดอีก {short} หน้า)",
    },
    "P010": {
        "en": "the spine cannot be checked: no interior PDF (*-print.pdf) beside the cover gives the page count",
        "th": "ตรวจความกว้างสันไม่ได้ เพราะไม่มีไฟล์เนื้อใน (*-print.pdf) วางอยู่ข้างไฟล์ปกให้นับหน้า",
    },
    "P010.spine": {
        "en": "the spine is {spine:.2f} mm wide; the interior's {pages} pages need {needed:.2f} mm "
        "({leaves} leaves x {caliper:g} mm)",
        "th": "สันกว้าง {spine:.2f} มม. แต่เนื้อใน {pages} หน้าต้องใช้สัน {needed:.2f} มม. ({leaves} แผ่น x {caliper:g} มม.)",
    },
    "P011": {
        "en": "not tagged: screen readers cannot read it (PDF/UA needs a structure tree)",
        "th": "ไม่มีแท็กโครงสร้าง โปรแกรมอ่านหน้าจอจึงอ่านไม่ได้ (PDF/UA ต้องมีโครงสร้างเอกสาร)",
    },
    "P011.title": {"en": "no document title", "th": "ไม่มีชื่อเอกสาร"},
    "P011.language": {"en": "no document language (/Lang)", "th": "ไม่ได้ระบุภาษาของเอกสาร (/Lang)"},
    "P012": {
        "en": "a character is drawn with the font's .notdef glyph (a box) in {font}: the font has no glyph "
        "for it; check names where it is typed (TH011)",
        "th": "มีตัวอักษรที่แบบอักษร {font} ไม่มี จึงพิมพ์ออกมาเป็นกล่องสี่เหลี่ยม (.notdef) สั่ง check เพื่อดูว่าพิมพ์ไว้ที่ไหน (TH011)",
    },
    # -- book.yaml and front matter against the schema (schema.py, reading.py, prepress.py, cover.py)
    "S001": {
        "en": "{name}: unknown key (did you mean '{close}'?)",
        "th": "{name}: ไม่รู้จักชื่อค่านี้ (หมายถึง '{close}' หรือเปล่า)",
    },
    "S001.known": {
        "en": "{name}: unknown key; known keys: {known}",
        "th": "{name}: ไม่รู้จักชื่อค่านี้ ชื่อค่าที่ใช้ได้: {known}",
    },
    "S002": {"en": "{name}: missing required key ({doc})", "th": "{name}: ขาดค่าที่ต้องมี"},
    "S003.text": {"en": "{name}: expected text, got {value!r}", "th": "{name}: ต้องเป็นข้อความ แต่ได้ {value!r}"},
    "S003.length": {
        "en": "{name}: expected a length like '148mm', got {value!r}",
        "th": "{name}: ต้องเป็นความยาวพร้อมหน่วย เช่น '148mm' แต่ได้ {value!r}",
    },
    "S003.slug": {
        "en": "{name}: expected a slug like 'chiang-mai', got {value!r}",
        "th": "{name}: ต้องเป็นชื่อย่อ (a-z ตัวเล็ก 0-9 และขีดกลาง) เช่น 'chiang-mai' แต่ได้ {value!r}",
    },
    "S003.slug-form": {
        "en": "{name}: expected lowercase a-z, 0-9 and hyphens like 'chiang-mai', got {value!r}",
        "th": "{name}: ใช้ได้เฉพาะ a-z ตัวเล็ก 0-9 และขีดกลาง เช่น 'chiang-mai' แต่ได้ {value!r}",
    },
    "S003.date": {
        "en": "{name}: expected a date like '2026-11-27', got {value!r}",
        "th": "{name}: ต้องเป็นวันที่แบบ ค.ศ. เช่น '2026-11-27' แต่ได้ {value!r}",
    },
    "S003.choice": {
        "en": "{name}: expected one of {choices}, got {value!r}",
        "th": "{name}: ต้องเป็นค่าใดค่าหนึ่งใน {choices} แต่ได้ {value!r}",
    },
    "S003.integer": {
        "en": "{name}: expected a whole number, got {value!r}",
        "th": "{name}: ต้องเป็นจำนวนเต็ม แต่ได้ {value!r}",
    },
    "S003.number": {
        "en": "{name}: expected a number greater than 0 like 1.75, got {value!r}",
        "th": "{name}: ต้องเป็นตัวเลขที่มากกว่า 0 เช่น 1.75 แต่ได้ {value!r}",
    },
    "S003.measure": {
        "en": "{name}: expected a length like '1.5em' or '6mm', got {value!r}",
        "th": "{name}: ต้องเป็นความยาวพร้อมหน่วย เช่น '1.5em' หรือ '6mm' แต่ได้ {value!r}",
    },
    "S003.quote": {
        "en": '{name}: {value} is read as a number, not as text; write it in quotes: {key}: "{value}"',
        "th": '{name}: {value} ถูกอ่านเป็นตัวเลข ไม่ใช่ข้อความ ให้ใส่เครื่องหมายคำพูดครอบไว้ แบบนี้ {key}: "{value}"',
    },
    "S003.boolean": {
        "en": "{name}: expected true or false, got {value!r}",
        "th": "{name}: ต้องเป็น true หรือ false แต่ได้ {value!r}",
    },
    "S003.list": {
        "en": "{name}: expected a list of text items, got {value!r}",
        "th": "{name}: ต้องเป็นรายการข้อความ (บรรทัดละ '- ...') แต่ได้ {value!r}",
    },
    "S003.map": {
        "en": "{name}: expected a mapping of names to text, got {value!r}",
        "th": "{name}: ต้องเป็นคู่ชื่อกับข้อความ (ชื่อ: ข้อความ) แต่ได้ {value!r}",
    },
    "S004": {
        "en": "kind: expected one of {kinds}, got {kind!r}",
        "th": "kind: ต้องเป็นค่าใดค่าหนึ่งใน {kinds} แต่ได้ {kind!r}",
    },
    "S005": {"en": "{name}: given twice", "th": "{name}: ระบุซ้ำสองครั้ง"},
    "S006.profile": {
        "en": "print.profile: no ICC profile at {profile}",
        "th": "print.profile: ไม่พบโปรไฟล์ ICC ที่ {profile}",
    },
    "S006.cmyk": {
        "en": "print.profile: {profile} is not a CMYK ICC profile (it is {space})",
        "th": "print.profile: {profile} ไม่ใช่โปรไฟล์ ICC แบบ CMYK (เป็นแบบ {space})",
    },
    "S006.unreadable": {
        "en": "print.profile: {profile} is not a CMYK ICC profile (it is unreadable)",
        "th": "print.profile: {profile} ไม่ใช่โปรไฟล์ ICC แบบ CMYK (อ่านไฟล์ไม่ได้)",
    },
    "S006.margins": {
        "en": "margins.{first} and margins.{second} leave {room} mm of the {page} mm page for the text; leave "
        "{least} mm at least",
        "th": "margins.{first} กับ margins.{second} เหลือที่ให้เนื้อความเพียง {room} มม. จากหน้ากระดาษ {page} มม. "
        "ต้องเหลืออย่างน้อย {least} มม.",
    },
    "S006.signature": {
        "en": "print.{key}: expected an even number of pages such as 16, got {value}",
        "th": "print.{key}: ต้องเป็นจำนวนหน้าเลขคู่ เช่น 16 แต่ได้ {value}",
    },
    "S007": {
        "en": "isbn: {isbn!r} is not a valid ISBN (check digit)",
        "th": "isbn: {isbn!r} ไม่ใช่ ISBN ที่ถูกต้อง (เลขตรวจสอบหลักสุดท้ายไม่ตรง)",
    },
    "S008": {
        "en": "cover.picture: no picture at {picture}",
        "th": "cover.picture: ไม่พบไฟล์ภาพ {picture}",
    },
    "S008.outside": {
        "en": "cover.picture: {picture} is hidden or lies outside the project's folders (put it in assets/); not read",
        "th": "cover.picture: {picture} ถูกซ่อนอยู่หรืออยู่นอกโฟลเดอร์ของโปรเจกต์ (ให้เก็บไว้ใน assets/) จึงไม่อ่าน",
    },
    "S008.unreadable": {
        "en": "cover.picture: {picture} is not a picture that can be read (JPEG, PNG or TIFF)",
        "th": "cover.picture: {picture} ไม่ใช่ไฟล์ภาพที่อ่านได้ (ใช้ไฟล์ JPEG, PNG หรือ TIFF)",
    },
    # -- templates (rendering.py)
    "T001": {"en": "template error: {error}", "th": "แม่แบบ (template) ผิดพลาด: {error}"},
    "T002": {"en": "template error: {error}", "th": "แม่แบบ (template) ผิดพลาด: {error}"},
    # -- the Thai lint (lint.py)
    "TH001": {
        "en": "ำ is typed as ํ + า; type ำ (U+0E33)",
        "th": "สระอำถูกพิมพ์เป็น ํ + า ให้พิมพ์ ำ (U+0E33) ตัวเดียว",
    },
    "TH002": {"en": "the same mark is typed twice", "th": "พิมพ์สระหรือวรรณยุกต์ตัวเดียวกันซ้ำสองครั้ง"},
    "TH003": {
        "en": "tone mark before its vowel; type the vowel first",
        "th": "พิมพ์วรรณยุกต์ก่อนสระ ให้พิมพ์สระก่อนแล้วจึงใส่วรรณยุกต์",
    },
    "TH004": {
        "en": "invisible character (zero-width space, joiner or soft hyphen); remove it",
        "th": "มีอักขระที่มองไม่เห็น เช่น ช่องว่างไร้ความกว้าง ตัวเชื่อมอักษร หรือยัติภังค์ซ่อน "
        "(zero-width space, joiner, soft hyphen) ให้ลบออก",
    },
    "TH005": {"en": "put a space before ๆ (ต่าง ๆ)", "th": "ให้เว้นวรรคก่อน ๆ (ต่าง ๆ)"},
    "TH005.no-space": {"en": "no space before ๆ in this book (ต่างๆ)", "th": "เล่มนี้ไม่เว้นวรรคก่อน ๆ (ต่างๆ)"},
    "TH005.after": {"en": "put a space after ๆ", "th": "ให้เว้นวรรคหลัง ๆ"},
    "TH006": {"en": "put a space after ฯ", "th": "ให้เว้นวรรคหลัง ฯ"},
    "TH007": {"en": "Thai digits in a book set in Arabic numerals", "th": "มีเลขไทยในเล่มที่ใช้เลขอารบิก"},
    "TH007.arabic": {"en": "Arabic digits in a book set in Thai numerals", "th": "มีเลขอารบิกในเล่มที่ใช้เลขไทย"},
    "TH008": {"en": "space at the start of a line", "th": "มีช่องว่างเกินที่ต้นบรรทัด"},
    "TH009": {"en": "space at the end of a line", "th": "มีช่องว่างเกินที่ท้ายบรรทัด"},
    "TH010": {"en": "doubled space", "th": "เว้นวรรคซ้อนกัน ให้เหลือช่องเดียว"},
    "TH011": {
        "en": "the book's fonts cannot draw {chars}: it would print as a box, or in another font this computer "
        "has; remove it or type another character",
        "th": "แบบอักษรของเล่มไม่มีตัว {chars} จะพิมพ์ออกมาเป็นกล่องสี่เหลี่ยม หรือเป็นแบบอักษรอื่นที่เครื่องนี้มี ให้ลบออกหรือพิมพ์ตัวอื่นแทน",
    },
    "TH011.windows": {
        "en": "{chars} is a quote or dash of a Windows file read in the wrong encoding; it would print as a box: "
        "type {fixed} (check --fix does it)",
        "th": "{chars} คือเครื่องหมายคำพูดหรือขีดจากไฟล์ Windows ที่ถูกอ่านผิดรหัส จะพิมพ์ออกมาเป็นกล่องสี่เหลี่ยม "
        "ให้พิมพ์ {fixed} แทน (สั่ง check --fix ให้แก้ให้ได้)",
    },
    "TH011.control": {
        "en": "{chars} is a control character, which no font draws: it would print as a box; remove it",
        "th": "{chars} เป็นอักขระควบคุม ซึ่งไม่มีแบบอักษรใดวาดได้ จะพิมพ์ออกมาเป็นกล่องสี่เหลี่ยม ให้ลบออก",
    },
    # -- the command line (reading.py, scaffold.py, editions.py, cover.py, fontsubset.py)
    "U001": {
        "en": "not a book project: no book.yaml here",
        "th": "ที่นี่ไม่ใช่โปรเจกต์หนังสือ เพราะไม่มีไฟล์ book.yaml",
    },
    "U001.none": {
        "en": "no book here: this folder has no book.yaml; start a new book with: {init}, or name a book's "
        "folder with --project DIR",
        "th": "ที่นี่ไม่มีหนังสือ เพราะโฟลเดอร์นี้ไม่มีไฟล์ book.yaml ให้เริ่มเล่มใหม่ด้วยคำสั่ง {init} "
        "หรือระบุโฟลเดอร์ของหนังสือด้วย --project DIR",
    },
    "U004": {
        "en": "poppler-utils is needed for the cover JPEG; run: python3 build.py setup",
        "th": "ต้องมี poppler-utils จึงจะทำภาพปก JPEG ได้ ให้รัน: python3 build.py setup",
    },
    "U005": {
        "en": "libharfbuzz-subset0 (HarfBuzz's subsetter) is needed for the EPUB's fonts; run: python3 build.py setup",
        "th": "ต้องมีไลบรารี libharfbuzz-subset0 ของ HarfBuzz จึงจะตัดฟอนต์สำหรับ EPUB ได้ ให้รัน: python3 build.py setup",
    },
    "U010": {
        "en": "init: the folder is not empty; give a new or empty folder",
        "th": "init: โฟลเดอร์นี้มีไฟล์อยู่แล้ว ให้ระบุโฟลเดอร์ใหม่หรือโฟลเดอร์ว่าง",
    },
    "U014": {
        "en": "init: this folder is inside the toolkit's own folder, {toolkit}, so the new book would land in the "
        "toolkit's repository; give a folder outside it, e.g. ~/my-book (or add --force to make it here anyway)",
        "th": "init: โฟลเดอร์นี้อยู่ในโฟลเดอร์ของชุดเครื่องมือเอง ({toolkit}) หนังสือเล่มใหม่จะปนอยู่กับโค้ดของชุดเครื่องมือ "
        "ให้ระบุโฟลเดอร์ที่อยู่นอกนั้น เช่น ~/my-book (หรือเพิ่ม --force ถ้าตั้งใจสร้างไว้ที่นี่จริง ๆ)",
    },
    "U011": {
        "en": "new chapter: the slug must be lowercase a-z, 0-9 and hyphens, like 'nan'",
        "th": "new chapter: ชื่อย่อของบทต้องเป็น a-z ตัวเล็ก 0-9 และขีดกลาง เช่น 'nan'",
    },
    "U012": {
        "en": "new chapter: the slug '{slug}' is already used by this chapter",
        "th": "new chapter: บทนี้ใช้ชื่อย่อ '{slug}' อยู่แล้ว",
    },
    "U012.file": {"en": "new chapter: this file already exists", "th": "new chapter: มีไฟล์นี้อยู่แล้ว"},
    "U013": {
        "en": "new chapter: no number is left between {after} and {before}; renumber the files or list them "
        "under order: in book.yaml",
        "th": "new chapter: ไม่เหลือเลขว่างระหว่าง {after} กับ {before} ให้เปลี่ยนเลขนำหน้าชื่อไฟล์ "
        "หรือเรียงบทไว้ใต้ order: ใน book.yaml",
    },
    "U013.first": {
        "en": "new chapter: no number is left between the start and {before}; renumber the files or list them "
        "under order: in book.yaml",
        "th": "new chapter: ไม่เหลือเลขว่างก่อน {before} ให้เปลี่ยนเลขนำหน้าชื่อไฟล์ หรือเรียงบทไว้ใต้ order: ใน book.yaml",
    },
    "U013.order": {
        "en": "new chapter: write order: as a block list (one '- file' a line)",
        "th": "new chapter: ให้เขียน order: เป็นรายการทีละบรรทัด (บรรทัดละ '- ไฟล์')",
    },
    # -- the preview (preview.py, preview_state.py)
    "V001": {
        "en": "cannot listen on {host}:{port}: {reason}; choose another with --port or --host",
        "th": "เปิดพรีวิวที่ {host}:{port} ไม่ได้: {reason} ให้เลือกที่อื่นด้วย --port หรือ --host",
    },
    "V002": {
        "en": "internal error: {error} (the terminal shows the details)",
        "th": "โปรแกรมขัดข้องภายใน: {error} (ดูรายละเอียดในเทอร์มินัล)",
    },
    # -- part 5, the preview under load and attack: listening beyond this machine (preview/server.py)
    "V101": {
        "en": "--host {host} would show the book to every machine that can reach this one; to mean it, add "
        "--allow-remote (and --allow-host NAME for each name a browser will use for this machine)",
        "th": "--host {host} จะเปิดให้ทุกเครื่องที่เข้าถึงเครื่องนี้ได้อ่านหนังสือได้ ถ้าตั้งใจเช่นนั้นให้เพิ่ม "
        "--allow-remote (และ --allow-host ชื่อ สำหรับแต่ละชื่อที่เบราว์เซอร์จะใช้เรียกเครื่องนี้)",
    },
    # -- word lists and YAML (reading.py, schema.py)
    "W001": {"en": "words: {pattern} does not exist", "th": "words: ไม่พบ {pattern}"},
    "W002": {
        "en": "words: {pattern!r} must be a file or glob inside the project",
        "th": "words: {pattern!r} ต้องเป็นไฟล์หรือรูปแบบชื่อไฟล์ (glob) ที่อยู่ในโปรเจกต์",
    },
    "Y001": {"en": "invalid YAML: {what}", "th": "เขียน YAML ไม่ถูกรูปแบบ (YAML แจ้งว่า: {what})"},
    "Y001.colon": {
        "en": "the value of {key} has a colon in it, which YAML reads as a new key: put the whole value in "
        'quotes, {key}: "{value}"',
        "th": "ค่าของ {key} มีเครื่องหมายทวิภาค (:) อยู่ข้างใน ซึ่ง YAML อ่านเป็นการขึ้นชื่อค่าใหม่ "
        'ให้ครอบค่าทั้งหมดด้วยเครื่องหมายคำพูด เป็น {key}: "{value}"',
    },
    "Y001.tab": {
        "en": "a tab on this line: YAML indents and separates with spaces only; use spaces instead",
        "th": "บรรทัดนี้มีแท็บ ซึ่ง YAML ไม่รับ ให้ใช้เว้นวรรคธรรมดาแทนแท็บ ทั้งตอนย่อหน้าและหลังเครื่องหมายทวิภาค (:)",
    },
    "Y001.space": {
        "en": "no space after the colon of {key}: write {key}: value, with a space after the colon",
        "th": "หลังเครื่องหมายทวิภาค (:) ของ {key} ยังไม่ได้เว้นวรรค ให้เขียนเป็น {key}: ค่า โดยเว้นวรรคหนึ่งช่องหลังเครื่องหมาย",
    },
    "Y002": {
        "en": "expected a mapping of keys to values",
        "th": "ต้องเขียนเป็นชื่อค่ากับค่า บรรทัดละคู่ (ชื่อ: ค่า)",
    },
    "Y002.key": {
        "en": "{key}: expected a mapping of keys to values",
        "th": "{key}: ต้องเขียนเป็นชื่อค่ากับค่า บรรทัดละคู่ (ชื่อ: ค่า)",
    },
    # -- part 3 and 4a, bounded input and bad bytes (project/limits.py, schema.py, markdown.py, sanitize.py)
    "B101": {
        "en": "this is a named pipe (FIFO), not a regular file; only regular files are read",
        "th": "สิ่งนี้เป็นไปป์ (FIFO) ไม่ใช่ไฟล์ธรรมดา โปรแกรมอ่านได้เฉพาะไฟล์ธรรมดา",
    },
    "B101.device": {
        "en": "this is a device, not a regular file; only regular files are read",
        "th": "สิ่งนี้เป็นอุปกรณ์ (device) ไม่ใช่ไฟล์ธรรมดา โปรแกรมอ่านได้เฉพาะไฟล์ธรรมดา",
    },
    "B101.socket": {
        "en": "this is a socket, not a regular file; only regular files are read",
        "th": "สิ่งนี้เป็นซ็อกเก็ต (socket) ไม่ใช่ไฟล์ธรรมดา โปรแกรมอ่านได้เฉพาะไฟล์ธรรมดา",
    },
    "B101.folder": {
        "en": "this is a folder, not a regular file; only regular files are read",
        "th": "สิ่งนี้เป็นโฟลเดอร์ ไม่ใช่ไฟล์ธรรมดา โปรแกรมอ่านได้เฉพาะไฟล์ธรรมดา",
    },
    "B101.other": {
        "en": "this is not a regular file; only regular files are read",
        "th": "สิ่งนี้ไม่ใช่ไฟล์ธรรมดา โปรแกรมอ่านได้เฉพาะไฟล์ธรรมดา",
    },
    "B103": {
        "en": "YAML aliases (*{name}) are not allowed; write the value out in full",
        "th": "ไม่อนุญาตให้ใช้ชื่อแทนค่า (alias) ของ YAML (*{name}) ให้เขียนค่าเต็มแทน",
    },
    "B104": {
        "en": "YAML nested more than {limit} levels deep; write it flatter",
        "th": "YAML ซ้อนกันลึกเกิน {limit} ชั้น ให้เขียนให้ซ้อนน้อยลง",
    },
    "B105": {
        "en": "a control character ({char}) that no text should hold; remove it",
        "th": "พบอักขระควบคุม ({char}) ซึ่งไม่ควรมีในข้อความ ให้ลบออก",
    },
    "B105.reference": {
        "en": "the character reference {reference} stands for {char}, a control character or a lone surrogate "
        "no text should hold; remove it",
        "th": "การอ้างอิงอักขระ {reference} แทนอักขระ {char} ซึ่งเป็นอักขระควบคุมหรืออักขระตัวแทน (surrogate) "
        "ที่ไม่มีคู่ ไม่ควรมีในข้อความ ให้ลบออก",
    },
    "B106": {
        "en": "not valid UTF-8: a lone surrogate (half of a UTF-16 pair); save the file as UTF-8",
        "th": "ไฟล์นี้ไม่ได้เข้ารหัสเป็น UTF-8 ที่ถูกต้อง: พบอักขระตัวแทนที่ไม่มีคู่ (ครึ่งหนึ่งของคู่ UTF-16) ให้บันทึกไฟล์ใหม่เป็น UTF-8",
    },
    "B107": {
        "en": "block quotes nested {depth} levels deep, more than the {limit} a chapter may have; nest them less",
        "th": "คำพูดอ้างอิง (>) ซ้อนกันลึก {depth} ชั้น เกิน {limit} ชั้นที่บทหนึ่งมีได้ ให้ซ้อนน้อยลง",
    },
    "B107.list": {
        "en": "lists nested {depth} levels deep, more than the {limit} a chapter may have; nest them less",
        "th": "รายการซ้อนกันลึก {depth} ชั้น เกิน {limit} ชั้นที่บทหนึ่งมีได้ ให้ซ้อนน้อยลง",
    },
    "B107.html": {
        "en": "HTML elements nested {depth} levels deep, more than the {limit} a chapter may have; nest them less",
        "th": "แท็ก HTML ซ้อนกันลึก {depth} ชั้น เกิน {limit} ชั้นที่บทหนึ่งมีได้ ให้ซ้อนน้อยลง",
    },
    "B107.brackets": {
        "en": "square brackets [ ] nested {depth} levels deep, more than the {limit} a chapter may have; "
        "close each one (write \\[ for a bracket that opens nothing)",
        "th": "วงเล็บเหลี่ยม [ ] ซ้อนกันลึก {depth} ชั้น เกิน {limit} ชั้นที่บทหนึ่งมีได้ ให้ปิดวงเล็บทุกอัน (เขียน \\[ แทนวงเล็บที่ไม่ได้เปิดอะไร)",
    },
    "B108": {
        "en": "the Markdown is nested too deeply to convert; nest lists and quotes less",
        "th": "Markdown ซ้อนกันลึกเกินกว่าจะแปลงได้ ให้ซ้อนรายการและคำพูดอ้างอิงน้อยลง",
    },
    "B109": {
        "en": "a YAML escape stands for {char}, a control character or a lone surrogate no text should hold; remove it",
        "th": "มีรหัสหลีก (escape) ของ YAML ที่แทนอักขระ {char} ซึ่งเป็นอักขระควบคุมหรืออักขระตัวแทน (surrogate) "
        "ที่ไม่มีคู่ ไม่ควรมีในข้อความ ให้ลบออก",
    },
    "B110": {
        "en": "image {src}: an SVG with a <script> element, which could run code; remove it from the file",
        "th": "ภาพ {src}: ไฟล์ SVG มีแท็ก <script> ซึ่งอาจสั่งให้โปรแกรมทำงานได้ ให้ลบออกจากไฟล์",
    },
    "B110.handler": {
        "en": "image {src}: an SVG with an event handler ({name}=), which could run code; remove it from the file",
        "th": "ภาพ {src}: ไฟล์ SVG มีตัวจัดการเหตุการณ์ ({name}=) ซึ่งอาจสั่งให้โปรแกรมทำงานได้ ให้ลบออกจากไฟล์",
    },
    "B110.javascript": {
        "en": "image {src}: an SVG with a javascript: address, which could run code; remove it from the file",
        "th": "ภาพ {src}: ไฟล์ SVG มีที่อยู่แบบ javascript: ซึ่งอาจสั่งให้โปรแกรมทำงานได้ ให้ลบออกจากไฟล์",
    },
    "B110.entity": {
        "en": "image {src}: an SVG with an entity (&{name};) that hides markup or an address; write it out instead",
        "th": "ภาพ {src}: ไฟล์ SVG มีเอนทิตี (&{name};) ที่ซ่อนแท็กหรือที่อยู่ไว้ ให้เขียนค่าเต็มแทน",
    },
    "B111": {
        "en": "image {src}: an SVG that loads {target} from elsewhere; put everything it needs inside it",
        "th": "ภาพ {src}: ไฟล์ SVG ดึง {target} มาจากที่อื่น ให้รวมทุกอย่างที่ใช้ไว้ในไฟล์เดียว",
    },
    "B112": {
        "en": "image {src}: the file is {size:.1f} MB, over the {limit} MB an image may be",
        "th": "ภาพ {src}: ไฟล์ใหญ่ {size:.1f} MB เกิน {limit} MB ที่ภาพหนึ่งมีได้",
    },
    "B114": {
        "en": "image {src}: {pixels:,} pixels is more than the {limit:,} allowed",
        "th": "ภาพ {src}: ภาพมี {pixels:,} พิกเซล เกิน {limit:,} พิกเซลที่รับได้",
    },
    "B113": {
        "en": "image {src}: this is a named pipe (FIFO), not a regular file",
        "th": "ภาพ {src}: สิ่งนี้เป็นไปป์ (FIFO) ไม่ใช่ไฟล์ธรรมดา",
    },
    "B113.device": {
        "en": "image {src}: this is a device, not a regular file",
        "th": "ภาพ {src}: สิ่งนี้เป็นอุปกรณ์ (device) ไม่ใช่ไฟล์ธรรมดา",
    },
    "B113.socket": {
        "en": "image {src}: this is a socket, not a regular file",
        "th": "ภาพ {src}: สิ่งนี้เป็นซ็อกเก็ต (socket) ไม่ใช่ไฟล์ธรรมดา",
    },
    "B113.folder": {
        "en": "image {src}: this is a folder, not a regular file",
        "th": "ภาพ {src}: สิ่งนี้เป็นโฟลเดอร์ ไม่ใช่ไฟล์ธรรมดา",
    },
    "B113.other": {
        "en": "image {src}: not a regular file",
        "th": "ภาพ {src}: ไม่ใช่ไฟล์ธรรมดา",
    },
    # -- tables and cross-references (issue 18)
    "R101": {
        "en": "cross-reference [@{target}]: the book has no figure, table, chapter or heading with the id {target}",
        "th": "การอ้างอิง [@{target}]: ในเล่มไม่มีภาพ ตาราง บท หรือหัวข้อใดที่มี id เป็น {target}",
    },
    "R101.close": {
        "en": "cross-reference [@{target}]: the book has no figure, table, chapter or heading with the id "
        "{target}; did you mean {close}?",
        "th": "การอ้างอิง [@{target}]: ในเล่มไม่มีภาพ ตาราง บท หรือหัวข้อใดที่มี id เป็น {target} หรือหมายถึง {close}",
    },
    # -- import from Word (issue 18): the place is the .docx, or the chapter written (cli/importing.py)
    "U101": {"en": "import: no such file", "th": "import: ไม่พบไฟล์นี้"},
    "U101.unreadable": {"en": "import: cannot read the file: {reason}", "th": "import: เปิดอ่านไฟล์นี้ไม่ได้: {reason}"},
    "U101.folder": {
        "en": "import: this is a folder; give a Word file (.docx)",
        "th": "import: นี่เป็นโฟลเดอร์ ให้ระบุไฟล์ Word (.docx)",
    },
    "U101.other": {
        "en": "import: not a regular file; give a Word file (.docx)",
        "th": "import: นี่ไม่ใช่ไฟล์ธรรมดา ให้ระบุไฟล์ Word (.docx)",
    },
    "U102": {
        "en": "import: not a Word file (.docx); open it in Word and save it as a Word Document (.docx)",
        "th": "import: ไฟล์นี้ไม่ใช่ไฟล์ Word (.docx) ให้เปิดใน Word แล้วบันทึกเป็น Word Document (.docx)",
    },
    "U102.doc": {
        "en": "import: this is an old Word file (.doc); open it in Word and save it as a Word Document (.docx)",
        "th": "import: ไฟล์นี้เป็นไฟล์ Word รุ่นเก่า (.doc) ให้เปิดใน Word แล้วบันทึกเป็น Word Document (.docx)",
    },
    "U102.parts": {
        "en": "import: a zip file, but not a Word document (it has no word/document.xml)",
        "th": "import: ไฟล์นี้เป็นไฟล์ zip แต่ไม่ใช่เอกสาร Word (ไม่มี word/document.xml)",
    },
    "U103": {
        "en": "import: the Word file is damaged ({reason}); open it in Word and save it again",
        "th": "import: ไฟล์ Word นี้เสียหาย ({reason}) ให้เปิดใน Word แล้วบันทึกใหม่อีกครั้ง",
    },
    "U104": {
        "en": "import: the file is {size:.1f} MB, over the {limit} MB a Word file may be; split the chapter",
        "th": "import: ไฟล์นี้ใหญ่ {size:.1f} MB เกิน {limit} MB ที่รับได้ ให้แบ่งบทเป็นหลายไฟล์",
    },
    "U105": {
        "en": "import: {name} inside the file would unpack to {size:.1f} MB, far more than a document holds; "
        "refused as a zip bomb",
        "th": "import: {name} ในไฟล์นี้จะขยายออกเป็น {size:.1f} MB มากเกินกว่าเอกสารจริงจะมีได้ จึงไม่รับไฟล์นี้ "
        "(อาจเป็นไฟล์ zip ที่ทำมาให้ขยายจนล้นเครื่อง)",
    },
    "U106": {
        "en": "import: the file holds a part named '{name}', which points outside the document; refused",
        "th": "import: ไฟล์นี้มีส่วนที่ชื่อ '{name}' ซึ่งชี้ออกไปนอกเอกสาร จึงไม่รับไฟล์นี้",
    },
    "U107": {
        "en": "import: {name} inside the file declares a DOCTYPE, which no Word document has; refused",
        "th": "import: {name} ในไฟล์นี้ประกาศ DOCTYPE ซึ่งเอกสาร Word ไม่มี จึงไม่รับไฟล์นี้",
    },
    "U108": {
        "en": "import: --slug must be lowercase a-z, 0-9 and hyphens, like 'nan'",
        "th": "import: ชื่อย่อของบทใน --slug ต้องเป็น a-z ตัวเล็ก 0-9 และขีดกลาง เช่น 'nan'",
    },
    "U108.name": {
        "en": "import: no slug can be made from the file's name; give one with --slug, like --slug nan",
        "th": "import: ตั้งชื่อย่อของบทจากชื่อไฟล์นี้ไม่ได้ ให้ระบุเองด้วย --slug เช่น --slug nan",
    },
    "U109": {
        "en": "import: this chapter already has the slug '{slug}'; give another with --slug, or add --force to "
        "replace the chapter",
        "th": "import: บทนี้ใช้ชื่อย่อ '{slug}' อยู่แล้ว ให้ตั้งชื่อย่ออื่นด้วย --slug หรือเพิ่ม --force เพื่อแทนที่บทนี้",
    },
    "U110": {
        "en": "import: this chapter file already exists; give another --slug, or add --force to replace it",
        "th": "import: มีไฟล์บทนี้อยู่แล้ว ให้ตั้ง --slug อื่น หรือเพิ่ม --force เพื่อแทนที่",
    },
    "U111": {
        "en": "import: this picture already exists; give another --slug, or add --force to replace it",
        "th": "import: มีไฟล์ภาพนี้อยู่แล้ว ให้ตั้ง --slug อื่น หรือเพิ่ม --force เพื่อแทนที่",
    },
    "U112": {
        "en": "import: no number is left between {after} and {before}; renumber the files or list them under "
        "order: in book.yaml",
        "th": "import: ไม่เหลือเลขว่างระหว่าง {after} กับ {before} ให้เปลี่ยนเลขนำหน้าชื่อไฟล์ หรือเรียงบทไว้ใต้ order: ใน book.yaml",
    },
    "U112.order": {
        "en": "import: write order: as a block list (one '- file' a line), so the new chapter can be listed",
        "th": "import: ให้เขียน order: เป็นรายการทีละบรรทัด (บรรทัดละ '- ไฟล์') จึงจะเพิ่มบทใหม่ลงไปได้",
    },
    "U113": {
        "en": "import: this folder leads outside the project (a link); an import writes only inside the project",
        "th": "import: โฟลเดอร์นี้ชี้ออกไปนอกโปรเจกต์ (เป็นลิงก์) การนำเข้าจะเขียนไฟล์ภายในโปรเจกต์เท่านั้น",
    },
    "U114": {
        "en": "import: the document has no text besides its title; there is no chapter to write",
        "th": "import: เอกสารนี้ไม่มีเนื้อความนอกจากชื่อเรื่อง จึงไม่มีบทให้เขียน",
    },
    "U120": {
        "en": "picture {name} has no description in Word; write one between the brackets of ![...] for readers "
        "who cannot see it",
        "th": "ภาพ {name} ไม่มีคำบรรยายภาพ (alt text) ใน Word ให้เขียนไว้ในวงเล็บเหลี่ยมของ ![...] สำหรับผู้อ่านที่มองไม่เห็นภาพ",
    },
    "U121": {
        "en": "table {number} has merged cells, which a Markdown table cannot hold: each merged cell's text is in "
        "its first cell and the cells it covered are empty; check the table",
        "th": "ตารางที่ {number} มีเซลล์ที่ผสานกัน ซึ่งตาราง Markdown เก็บไว้ไม่ได้ ข้อความของเซลล์ที่ผสานอยู่ในเซลล์แรก "
        "ส่วนเซลล์ที่เคยถูกผสานจะว่าง ให้ตรวจตารางนี้",
    },
    "U121.block": {
        "en": "table {number} has a cell with a list, a table or several paragraphs, joined into one line here; "
        "check the table",
        "th": "ตารางที่ {number} มีเซลล์ที่มีรายการ ตาราง หรือหลายย่อหน้า ซึ่งถูกรวมเป็นบรรทัดเดียว ให้ตรวจตารางนี้",
    },
    "U122": {
        "en": "picture {number} is {kind}, which a book cannot use, so it was left out; save it as PNG or JPEG "
        "and add it by hand",
        "th": "ภาพที่ {number} เป็น {kind} ซึ่งใช้ในหนังสือไม่ได้ จึงไม่ได้นำเข้ามา ให้บันทึกเป็น PNG หรือ JPEG แล้วใส่เพิ่มเอง",
    },
    "U122.broken": {
        "en": "picture {number} cannot be read as a picture, so it was left out; add it again by hand",
        "th": "ภาพที่ {number} อ่านเป็นภาพไม่ได้ จึงไม่ได้นำเข้ามา ให้ใส่ภาพนี้เพิ่มเอง",
    },
    "U123": {
        "en": "picture {number} is {width} x {height} pixels, more than a book's picture may be, so it was left "
        "out; make it smaller and add it by hand",
        "th": "ภาพที่ {number} มีขนาด {width} x {height} พิกเซล ใหญ่เกินกว่าภาพในหนังสือจะมีได้ จึงไม่ได้นำเข้ามา ให้ย่อภาพแล้วใส่เพิ่มเอง",
    },
    "U124": {
        "en": "Word: {said}; its text is imported as plain text, and the book's own styles set its look",
        "th": "Word: {said} ข้อความส่วนนี้นำเข้ามาเป็นข้อความธรรมดา หน้าตาของข้อความเป็นไปตามรูปแบบของหนังสือ",
    },
    "U125.properties": {
        "en": "no Heading 1 in the document: the title '{title}' is taken from its properties; check it",
        "th": "ในเอกสารไม่มีหัวเรื่องระดับ 1 (Heading 1) จึงใช้ชื่อเรื่อง '{title}' จากคุณสมบัติของเอกสาร ให้ตรวจอีกครั้ง",
    },
    "U125.file": {
        "en": "no Heading 1 in the document: the title '{title}' is taken from the file's name; check it",
        "th": "ในเอกสารไม่มีหัวเรื่องระดับ 1 (Heading 1) จึงใช้ชื่อไฟล์ '{title}' เป็นชื่อเรื่อง ให้ตรวจอีกครั้ง",
    },
    "U127": {
        "en": "imported from {source}: pictures {pictures}, tables {tables}, footnotes {notes}",
        "th": "นำเข้าจาก {source} แล้ว: ภาพ {pictures} ภาพ ตาราง {tables} ตาราง เชิงอรรถ {notes} รายการ",
    },
    "U128": {
        "en": "the chapter is imported; the Thai lint has {count} findings to look at (above): fix them, or "
        "run check --fix for the safe fixes",
        "th": "นำเข้าบทเรียบร้อยแล้ว แต่การตรวจภาษาไทยพบ {count} จุดที่ควรดู (ตามรายการข้างบน) ให้แก้เอง "
        "หรือสั่ง check --fix เพื่อแก้จุดที่แก้ให้ได้อย่างปลอดภัย",
    },
    "U128.clean": {
        "en": "the chapter is imported; the Thai lint found nothing ({count} findings)",
        "th": "นำเข้าบทเรียบร้อยแล้ว การตรวจภาษาไทยไม่พบสิ่งที่ต้องแก้ ({count} จุด)",
    },
    # -- chapter kinds and parts (issue 18)
    "K101": {
        "en": "kinds: expected a mapping of kind names (or the name of a YAML file of them)",
        "th": "kinds: ต้องเป็นรายการชื่อชนิดของบท (หรือชื่อไฟล์ YAML ที่ประกาศชนิดของบทไว้)",
    },
    "K102": {
        "en": "kinds: '{kind}' is one of the toolkit's own kinds; give yours another name",
        "th": "kinds: '{kind}' เป็นชนิดของบทที่เครื่องมือมีอยู่แล้ว ให้ตั้งชื่อชนิดของหนังสือเป็นชื่ออื่น",
    },
    "K103": {
        "en": "kinds: '{kind}' is not a valid kind name: use a-z, 0-9 and hyphens",
        "th": "kinds: '{kind}' ใช้เป็นชื่อชนิดของบทไม่ได้ ให้ใช้ a-z, 0-9 และขีดกลาง",
    },
    "K104": {
        "en": "kinds: only one kind may be the default, but these all are: {kinds}",
        "th": "kinds: ชนิดที่เป็นค่าเริ่มต้น (default) มีได้ชนิดเดียว แต่ที่ตั้งไว้มี: {kinds}",
    },
    "K105": {
        "en": "kinds: '{name}' must be a file inside the project",
        "th": "kinds: '{name}' ต้องเป็นไฟล์ที่อยู่ในโฟลเดอร์ของโครงการ",
    },
    "K106": {
        "en": "kinds: the file '{name}' does not exist",
        "th": "kinds: ไม่พบไฟล์ '{name}'",
    },
    "K107": {
        "en": "kinds: {kind}.{key}: '{{{name}}}' is not a field of the kind (its fields: {known})",
        "th": "kinds: {kind}.{key}: '{{{name}}}' ไม่ใช่ฟิลด์ของชนิดนี้ (ฟิลด์ที่มีคือ: {known})",
    },
    "K108": {
        "en": "fields: expected a mapping of field names to what is said of each",
        "th": "fields: ต้องเป็นรายการชื่อฟิลด์ แต่ละชื่อตามด้วยรายละเอียดของฟิลด์นั้น",
    },
    "K109": {
        "en": "fields: '{name}' cannot be a field name: use a-z, 0-9 and _, and none of {reserved}",
        "th": "fields: '{name}' ใช้เป็นชื่อฟิลด์ไม่ได้ ให้ใช้ a-z, 0-9 และ _ และต้องไม่ใช่ {reserved}",
    },
    "K110": {
        "en": "a {kind} needs a title: give it 'title:' in its front matter or start its text with a '# heading'",
        "th": "บทชนิด {kind} ต้องมีชื่อ: ใส่ 'title:' ในข้อมูลหัวบท หรือขึ้นต้นเนื้อความด้วยหัวเรื่อง '# ชื่อบท'",
    },
    "K111": {
        "en": "no kind '{kind}'; the kinds are: {kinds}",
        "th": "ไม่มีชนิดของบท '{kind}' ชนิดที่มีคือ: {kinds}",
    },
    "K112": {
        "en": "a {kind} has no field '{name}'; its fields are: {known}",
        "th": "บทชนิด {kind} ไม่มีฟิลด์ '{name}' ฟิลด์ที่มีคือ: {known}",
    },
    "K113": {
        "en": "a {kind} needs {missing}",
        "th": "บทชนิด {kind} ต้องระบุ {missing}",
    },
    "K114": {
        "en": "{name}: expected a whole number, got {value!r}",
        "th": "{name}: ต้องเป็นจำนวนเต็ม แต่ได้ {value!r}",
    },
    "K115": {
        "en": "--chapter: no chapter '{slug}'; the chapters are: {chapters}",
        "th": "--chapter: ไม่มีบท '{slug}' บทที่มีคือ: {chapters}",
    },
    # -- pictures (issue 18)
    "I101": {
        "en": "picture {src} has no alt text: write what it shows between the brackets, ![...]({src}), "
        "or mark a picture that only decorates with {{decorative}}",
        "th": "ภาพ {src} ไม่มีคำบรรยายแทนภาพ (alt) ให้เขียนว่าภาพแสดงอะไรไว้ในวงเล็บเหลี่ยม ![...]({src}) "
        "หรือถ้าเป็นภาพตกแต่งเท่านั้นให้ใส่ {{decorative}}",
    },
    "I102": {
        "en": "picture {src}: size '{size}' is not one of {sizes}; it is placed at column width",
        "th": "ภาพ {src}: ขนาด '{size}' ไม่มีในรายการ ({sizes}) จึงวางภาพไว้กว้างเท่าคอลัมน์",
    },
    "I103": {
        "en": "picture {src}: unknown attribute '{key}' is left out (known: {known})",
        "th": "ภาพ {src}: ไม่รู้จักคุณสมบัติ '{key}' จึงไม่ได้ใช้ (ที่ใช้ได้: {known})",
    },
    "I104": {
        "en": "picture {src}: {width} x {height} px printed {print_width} x {print_height} mm (size {size}) is "
        "{ppi} ppi; under {wanted} ppi it may print soft: use a larger file or a smaller size",
        "th": "ภาพ {src}: {width} x {height} พิกเซล พิมพ์ที่ {print_width} x {print_height} มม. (ขนาด {size}) "
        "ได้ความละเอียด {ppi} ppi ต่ำกว่า {wanted} ppi อาจพิมพ์ออกมาไม่คม ควรใช้ไฟล์ที่ใหญ่ขึ้นหรือวางให้เล็กลง",
    },
    "I105": {
        "en": "picture {src}: {width} x {height} px printed {print_width} x {print_height} mm (size {size}) is "
        "only {ppi} ppi, under {least}: it would print blurred; use a larger file or a smaller size "
        "({wanted} ppi or more prints sharp)",
        "th": "ภาพ {src}: {width} x {height} พิกเซล พิมพ์ที่ {print_width} x {print_height} มม. (ขนาด {size}) "
        "ได้ความละเอียดเพียง {ppi} ppi ต่ำกว่า {least} ppi จะพิมพ์ออกมาแตก ควรใช้ไฟล์ที่ใหญ่ขึ้นหรือวางให้เล็กลง "
        "(ตั้งแต่ {wanted} ppi ขึ้นไปจึงคมชัด)",
    },
    "P101": {
        "en": "a drawing (a rule, a border, a background) runs {by:.1f} mm past the trim without being meant "
        "to bleed: it would be cut through, or show in the sheet's margin",
        "th": "มีเส้นหรือพื้นสี (เส้น กรอบ หรือพื้นหลัง) ล้นเส้นตัดเจียนไป {by:.1f} มม. โดยไม่ได้ตั้งใจให้ล้นขอบ "
        "จะถูกตัดขาดหรือไปโผล่ที่ขอบกระดาษ",
    },
    "P101.text": {
        "en": "text runs {by:.1f} mm past the trim: it would be cut off",
        "th": "มีข้อความล้นเส้นตัดเจียนไป {by:.1f} มม. จะถูกตัดขาด",
    },
    "P101.image": {
        "en": "an image of {width} x {height} px runs {by:.1f} mm past the trim without reaching the bleed "
        "edge as a bleed picture does: it would be cut off where it should not",
        "th": "ภาพขนาด {width} x {height} พิกเซลล้นเส้นตัดเจียนไป {by:.1f} มม. แต่ไม่ได้ล้นถึงขอบตัดตก "
        "อย่างภาพที่ตั้งใจให้ล้นขอบ จึงจะถูกตัดในที่ที่ไม่ควรตัด",
    },
    # -- print colour (issue 19)
    "P141": {
        "en": "“{text}” is {size:.1f} pt, reversed out of a background of {inks} inks: under {least:.0f} pt, "
        "letters knocked out of several plates fill in where the plates miss each other by a hair; set it "
        "at {least:.0f} pt or more, or on a background of one ink",
        "th": "“{text}” ขนาด {size:.1f} พอยต์ เป็นตัวอักษรกลับขาวบนพื้นสีที่ผสมจากหมึก {inks} "
        "ตัวอักษรที่เล็กกว่า {least:.0f} พอยต์ซึ่งเว้นว่างไว้บนแม่พิมพ์หลายสี จะถูกสีเข้ามาอุดเส้นบาง ๆ "
        "และวรรณยุกต์ เมื่อแม่พิมพ์แต่ละสีพิมพ์เหลื่อมกันเพียงเล็กน้อย ควรขยายเป็น {least:.0f} พอยต์ขึ้นไป "
        "หรือวางบนพื้นหมึกสีเดียว",
    },
    # -- floats and page economy (issue 19)
    "F101": {
        "en": "the book runs {over} page(s) over {signatures} signature(s) of {signature}: {padding} blank pages "
        "fill the last one; what saves them: {settings}",
        "th": "หนังสือเกิน {signatures} ยก (ยกละ {signature} หน้า) มา {over} หน้า จึงต้องเติมหน้าว่าง {padding} หน้า"
        "ให้เต็มยกสุดท้าย ตั้งค่าต่อไปนี้ช่วยประหยัดได้: {settings}",
    },
    "F101.any": {
        "en": "opening: any (up to {versos} blank verso(s) before chapters go)",
        "th": "opening: any (หน้าว่างด้านซ้ายก่อนบทหายไปได้ถึง {versos} หน้า)",
    },
    "F101.signature": {
        "en": "print.signature: {half} ({fill} blank pages instead of {padding})",
        "th": "print.signature: {half} (หน้าว่าง {fill} หน้าแทน {padding} หน้า)",
    },
    "F101.fewer": {
        "en": "{over} page(s) fewer: the colophon on a blank verso, a chapter that ends a page sooner",
        "th": "ลดลง {over} หน้า เช่น ย้ายหน้าข้อมูลการพิมพ์ไปไว้บนหน้าซ้ายที่ว่างอยู่ หรือให้บทใดบทหนึ่งจบเร็วขึ้นหนึ่งหน้า",
    },
    # -- placeholders and contents (issue 19)
    "P121": {
        "en": "an infographic placeholder stands where its artwork should be: this print PDF is not final "
        "(put the artwork in assets/infographics/; `--final` makes this an error)",
        "th": "ยังมีกรอบแทนที่อินโฟกราฟิกอยู่ในตำแหน่งที่ควรเป็นภาพจริง ไฟล์พิมพ์นี้จึงยังไม่ใช่ฉบับสมบูรณ์ "
        "(วางไฟล์ภาพไว้ใน assets/infographics/ และถ้าสั่ง `--final` ข้อนี้จะนับเป็นข้อผิดพลาด)",
    },
    "P121.final": {
        "en": "an infographic placeholder stands where its artwork should be: a final print PDF may have none "
        "(put the artwork in assets/infographics/, or build without `--final`)",
        "th": "ยังมีกรอบแทนที่อินโฟกราฟิกอยู่ในตำแหน่งที่ควรเป็นภาพจริง ไฟล์พิมพ์ฉบับสมบูรณ์ต้องไม่มีกรอบนี้ "
        "(วางไฟล์ภาพไว้ใน assets/infographics/ หรือสร้างโดยไม่สั่ง `--final`)",
    },
}


def code_of(key: str) -> str:
    """The diagnostic code of a catalogue key: `C002.unreadable` -> `C002`."""
    return key.partition(".")[0]


def texts(key: str, /, **values: object) -> dict[str, str]:
    """The diagnostic `key` said in every language, its values filled in: {"en": ..., "th": ...}.
    Raises KeyError for a key that has no texts (a new code must be added here first)."""
    return {language: text.format(**values) for language, text in DIAGNOSTICS[key].items()}
