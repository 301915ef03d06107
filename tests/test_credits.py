from pathlib import Path

import yaml
from conftest import ROOT, problems

from book.project.reading import load_book

# The seed's team credits and contact e-mail, as a fact list (the source is named in the file).
SEED = yaml.safe_load((Path(__file__).parent / "data" / "seed-credits.yaml").read_text(encoding="utf-8"))
# The MARC relator the book gives each of the seed's roles: the book's choice, not a fact of the seed.
RELATORS = {
    "หัวหน้าโครงการ": "pdr",
    "บรรณาธิการ": "edt",
    "เรื่องเล่าจากผู้คน (เสียงเชียงใหม่)": "aut",
    "ออกแบบปก/รูปเล่ม": "bkd",
    "อินโฟกราฟิกส์": "ill",
    "ถ่ายภาพ": "pht",
    "วิดีโอ": "vdg",
    "ประสานงาน": "ctb",
}


def test_the_books_credits_are_the_seeds_roles_and_names():
    credits = load_book(ROOT).credits
    assert [(r.role, list(r.names)) for r in credits.roles] == [(t["role"], t["names"]) for t in SEED["team"]]
    assert {r.role: r.relator for r in credits.roles} == RELATORS
    assert ("อีเมล", SEED["email"]) in credits.contacts


def test_every_name_of_the_seed_team_is_credited():
    names = {name for t in SEED["team"] for name in t["names"]}
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
