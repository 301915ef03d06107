"""The PDF's text layer gives back the source text, which WeasyPrint alone does not for Thai."""

import subprocess
from pathlib import Path

import fontpkg_sarabun
from weasyprint import HTML

from book import textlayer

SOURCE = "ดำเนินการ น้ำ ผู้คน ทั่วประเทศ อำนาจ ปี่ ฟื้น Learning City 2563"


def extract(tmp_path: Path) -> str:
    font = (fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf").as_uri()
    style = f"@font-face {{ font-family: S; src: url({font}) }} p {{ font-family: S }}"
    html = f'<html lang="th"><style>{style}</style><p>{SOURCE}</p>'
    pdf = tmp_path / "t.pdf"
    HTML(string=html).write_pdf(pdf)
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.strip()


def test_text_layer_equals_the_source(tmp_path):
    textlayer.install()
    assert extract(tmp_path) == SOURCE


def test_weasyprint_alone_loses_thai_text(tmp_path):
    """What the fix is for: without it the extracted text is wrong (if this starts failing, WeasyPrint fixed
    the defect upstream and `book/textlayer.py` can go)."""
    with textlayer.without_fix():
        assert extract(tmp_path) != SOURCE
