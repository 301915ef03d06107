import re
from pathlib import Path

from conftest import ROOT, problems

from book.project.reading import load_book

SEED = ROOT.parent / "shared" / "seed" / "000_79c10cdac472be8e.txt"
ROLES = {
    "หัวหน้าโครงการ": ("pdr", ["สามารถ สุวรรณรัตน์"]),
    "บรรณาธิการ": ("edt", ["นพดล พงษ์สุขถาวร"]),
    "เรื่องเล่าจากผู้คน (เสียงเชียงใหม่)": (
        "aut",
        ["นพดล พงษ์สุขถาวร", "จิรัฎฐ์ ประเสริฐทรัพย์", "ปิยะลักษณ์ นาคะโยธิน", "ธิตินัดดา จินาจันทร์", "สามารถ สุวรรณรัตน์"],
    ),
    "ออกแบบปก/รูปเล่ม": ("bkd", ["สังวรณ์ หอชัยศิวะนนท์"]),
    "อินโฟกราฟิกส์": ("ill", ["etceen studio"]),
    "ถ่ายภาพ": ("pht", ["กรินทร์ มงคลพันธุ์", "พรพจน์ นันทจีวรวัฒน์"]),
    "วิดีโอ": ("vdg", ["ธรณิศ กีรติปาล", "วัชระพันธ์ ปัญญา", "เอกรินทร์ นันปินตา"]),
    "ประสานงาน": ("ctb", ["ลลิตา จิตเมตตาบริสุทธิ์"]),
}


def test_the_books_credits_are_the_seeds_roles_and_names():
    credits = load_book(ROOT).credits
    assert {r.role: (r.relator, list(r.names)) for r in credits.roles} == ROLES
    assert ("อีเมล", "wecitizen2022@gmail.com") in credits.contacts


def test_every_name_of_the_seed_team_is_credited():
    seed = SEED.read_text(encoding="utf-8")
    team = seed[seed.index("ทีมงานของเราประกอบด้วย") : seed.index("สามารถติดต่อทีมงาน")]
    names = {
        line.strip() for line in team.splitlines() if re.fullmatch(r"[^\s()]+ [^\s()]+|etceen studio", line.strip())
    }
    assert len(names) == 13
    assert names <= set(load_book(ROOT).credits.people)


def test_people_with_two_roles_keep_both():
    credits = load_book(ROOT).credits
    assert credits.relators("สามารถ สุวรรณรัตน์") == ["pdr", "aut"]
    assert credits.people.count("สามารถ สุวรรณรัตน์") == 1


def test_relator_override_and_unknown_role(project: Path):
    credits = load_book(project).credits
    assert [(r.role, r.relator) for r in credits.roles] == [
        ("บรรณาธิการ", "edt"),
        ("ถ่ายภาพ", "pht"),
        ("ประสานงาน", "pro"),
    ]
    path = project / "chapters" / "90-credits.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n## นักดนตรี\n\n- คนหนึ่ง\n", encoding="utf-8")
    assert problems(project) == [
        "chapters/90-credits.md:24: credits: no MARC relator known for role 'นักดนตรี'; "
        "write '## นักดนตรี {relator=ctb}' [K002]"
    ]


def test_a_role_without_names(project: Path):
    path = project / "chapters" / "90-credits.md"
    path.write_text(path.read_text(encoding="utf-8").replace("- ผู้ทดสอบ สาม\n", ""), encoding="utf-8")
    assert problems(project) == [
        "chapters/90-credits.md:16: credits: role 'ประสานงาน' lists no names; add '- name' lines [K001]"
    ]
