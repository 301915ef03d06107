"""The team credits: parsed from the credits chapter's Markdown into a `Credits` model.

## บรรณาธิการ                  a role; `{relator=edt}` after it sets the MARC relator code
- นพดล พงษ์สุขถาวร              one name per item
## ติดต่อทีมงาน {contacts}       a contacts section: `- label: value` items
"""

from __future__ import annotations

import re

from ..diagnostics import Problems
from .model import Chapter, CreditRole, Credits

# MARC relator codes (id.loc.gov/vocabulary/relators) for the roles a Thai book team usually has.
RELATORS = {
    "หัวหน้าโครงการ": "pdr",
    "บรรณาธิการ": "edt",
    "เรื่องเล่า": "aut",
    "เขียน": "aut",
    "ออกแบบปก": "bkd",
    "ออกแบบรูปเล่ม": "bkd",
    "อินโฟกราฟิก": "ill",
    "ภาพประกอบ": "ill",
    "ถ่ายภาพ": "pht",
    "วิดีโอ": "vdg",
    "ประสานงาน": "ctb",
}
RELATOR_CODE = re.compile(r"^[a-z]{3}$")
HEADING = re.compile(r"^##\s+(?P<role>.+?)\s*(?:\{(?P<attrs>[^}]*)\})?\s*$")
ITEM = re.compile(r"^[-*]\s+(?P<text>.+?)\s*$")


def relator_for(role: str) -> str | None:
    return next((code for prefix, code in RELATORS.items() if role.startswith(prefix)), None)


def parse_credits(chapter: Chapter, problems: Problems) -> Credits:
    """Read roles, names and contacts; report roles with no names or no known relator."""
    roles: list[CreditRole] = []
    contacts: list[tuple[str, str]] = []
    role: str | None = None
    relator: str | None = None
    names: list[str] = []
    in_contacts = False
    contacts_title = ""
    role_line = chapter.body_line

    def close() -> None:
        if role is None or in_contacts:
            return
        if not names:
            problems.add(chapter.path, role_line, "K001", role=role)
        roles.append(CreditRole(role, relator or "ctb", tuple(names)))

    for offset, line in enumerate(chapter.source.split("\n")):
        number = chapter.body_line + offset
        heading = HEADING.match(line)
        if heading:
            close()
            role, names, role_line = heading["role"].strip(), [], number
            attrs = (heading["attrs"] or "").split()
            in_contacts = "contacts" in attrs
            if in_contacts:
                contacts_title = role
            relator = next((a.split("=", 1)[1] for a in attrs if a.startswith("relator=")), None) or relator_for(role)
            if relator is None and not in_contacts:
                problems.add(chapter.path, number, "K002", role=role)
            elif not in_contacts and not RELATOR_CODE.match(relator):
                problems.add(chapter.path, number, "K003", relator=relator)
            continue
        item = ITEM.match(line)
        if item and role is None:
            problems.add(chapter.path, number, "K004")
        elif item and in_contacts:
            label, _, value = item["text"].partition(":")
            contacts.append((label.strip(), value.strip()) if value else ("", label.strip()))
        elif item:
            names.append(item["text"])
    close()
    if not roles:
        problems.add(chapter.path, chapter.body_line, "K005")
    return Credits(tuple(roles), tuple(contacts), contacts_title)
