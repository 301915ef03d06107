"""Joining the parts' PDFs (see `book/pdf/parts.py`) into one PDF, with the folio layer laid over the pages.

What WeasyPrint writes per document is joined with care:
- the pages, in order, each with the folio layer's page drawn over it (an artifact of pagination in the
  tagged screen edition);
- the named destinations, so a link in one part (the contents) reaches its anchor in another;
- the bookmarks, in order;
- the fonts: each part embeds the subsets it uses, and identical font files are kept once; each subset is
  then named with a tag of its own (`tag_font_subsets`, by the join's `finish`), as PDF requires of different
  subsets of one font;
- in the tagged screen edition, the structure tree: one `Document` element holding every part's elements,
  with each page's and each annotation's entry in the parent tree renumbered.
The first part's catalogue (language, metadata, viewer preferences, mark info) is the joined file's.

The joined file keeps its objects in compressed object streams (PDF 1.5, which PDF/X-4 and PDF/UA-1 allow):
the tagged screen edition's thousands of structure elements take a third less room that way (2.2 MB -> 1.5 MB
for the default book, the print edition 2.6 MB -> 2.3 MB), and qpdf writes it faster.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from collections.abc import Callable, Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name

SUBSET_NAME = re.compile(r"/[A-Z]{6}\+.+")
ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"


def join(
    parts: Sequence[bytes],
    faked: Sequence[Sequence[str]],
    folios: Sequence[bytes] | None,
    finish: Callable[[pikepdf.Pdf], None] = lambda pdf: None,
) -> bytes:
    """The parts' PDFs as one, their folio layers' pages drawn over theirs, then `finish`ed (the output intent,
    blank pages to fill the last signature...). The `finish` names each font subset (`tag_font_subsets`): the
    print edition's does it once as it readies the file for the press (`prepress.press_document`)."""
    sources = [pikepdf.open(io.BytesIO(data)) for data in parts]
    out = sources[0]
    tagged = "/StructTreeRoot" in out.Root
    destinations: dict[str, pikepdf.Object] = {}
    outline: list[pikepdf.OutlineItem] = []
    parent_tree: list[tuple[int, pikepdf.Object, int]] = []  # (key, value, source index)
    next_key = 0
    for index, source in enumerate(sources):
        if tagged:
            next_key = _renumber(source, next_key)
            nums = source.Root.StructTreeRoot.ParentTree.Nums
            parent_tree += [(int(nums[i]), nums[i + 1], index) for i in range(0, len(nums), 2)]
        if index:
            with warnings.catch_warnings():  # that named destinations are not copied: they are joined below
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                out.pages.extend(source.pages)
        for name, destination in _destinations(source):
            if name not in faked[index] and name not in destinations:  # a faked anchor never wins
                destinations[name] = _copy(out, source, destination, index)
        outline += [_outline_tree(item, out, source, index) for item in _outline_items(source)]
    if tagged:
        _join_structure(out, sources, parent_tree, next_key)
    _set_destinations(out, destinations)
    _set_outline(out, outline)
    if folios is not None:
        layers = [pikepdf.open(io.BytesIO(data)) for data in folios]
        _overlay(out, [page for layer in layers for page in layer.pages], tagged)
    _one_copy_of_each_font(out)
    finish(out)
    buffer = io.BytesIO()
    out.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)  # see the module docstring
    for source in sources:
        source.close()
    return buffer.getvalue()


def _renumber(source: pikepdf.Pdf, start: int) -> int:
    """Shift the source's parent tree keys (its pages' StructParents and its annotations' StructParent) by
    `start`; the next free key."""
    highest = start - 1
    for page in source.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + start
            highest = max(highest, int(page.obj.StructParents))
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + start
                highest = max(highest, int(annotation.StructParent))
    nums = source.Root.StructTreeRoot.ParentTree.Nums
    for i in range(0, len(nums), 2):
        nums[i] = int(nums[i]) + start
        highest = max(highest, int(nums[i]))
    return highest + 1


def _join_structure(
    out: pikepdf.Pdf, sources: list[pikepdf.Pdf], parent_tree: list[tuple[int, pikepdf.Object, int]], next_key: int
) -> None:
    """One Document element for all parts' elements; one parent tree for all parts' pages and annotations."""
    document = (
        out.Root.StructTreeRoot.K[0] if isinstance(out.Root.StructTreeRoot.K, Array) else out.Root.StructTreeRoot.K
    )
    for source in sources[1:]:
        theirs = source.Root.StructTreeRoot.K
        theirs = theirs[0] if isinstance(theirs, Array) else theirs
        kids = theirs.get("/K", Array())
        for kid in kids:
            if isinstance(kid, Dictionary):
                del kid.P  # cut from their tree before copying, so their root is not copied
        for kid in kids:
            copied = out.copy_foreign(kid)
            if isinstance(copied, Dictionary):
                copied.P = document
            document.K.append(copied)
    nums = Array()
    for key, value, index in parent_tree:
        nums.append(key)
        nums.append(_copy(out, sources[index], value, index))
    out.Root.StructTreeRoot.ParentTree = out.make_indirect(Dictionary(Nums=nums))
    out.Root.StructTreeRoot.ParentTreeNextKey = next_key


def _copy(out: pikepdf.Pdf, source: pikepdf.Pdf, obj: pikepdf.Object, index: int) -> pikepdf.Object:
    """`obj` of `source` as an object of `out` (the first source is `out` itself)."""
    if index == 0:
        return obj
    if not obj.is_indirect:
        obj = source.make_indirect(obj)
    return out.copy_foreign(obj)


def _destinations(source: pikepdf.Pdf) -> list[tuple[str, pikepdf.Object]]:
    names = source.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return []
    tree = pikepdf.NameTree(names.Dests)
    return [(str(name), tree[name]) for name in tree.keys()]


def _set_destinations(out: pikepdf.Pdf, destinations: dict[str, pikepdf.Object]) -> None:
    if not destinations:
        return
    flat = Array()
    for name in sorted(destinations, key=lambda n: n.encode()):
        flat.append(pikepdf.String(name))
        flat.append(destinations[name])
    if "/Names" not in out.Root:
        out.Root.Names = Dictionary()
    out.Root.Names.Dests = out.make_indirect(Dictionary(Names=flat))


def _outline_items(source: pikepdf.Pdf) -> list[pikepdf.Object]:
    outlines = source.Root.get("/Outlines")
    items = []
    item = outlines.get("/First") if outlines is not None else None
    while item is not None:
        items.append(item)
        item = item.get("/Next")
    return items


def _outline_tree(item: pikepdf.Object, out: pikepdf.Pdf, source: pikepdf.Pdf, index: int) -> pikepdf.OutlineItem:
    destination = item.get("/Dest")
    if destination is not None:
        destination = _copy(out, source, destination, index)
    node = pikepdf.OutlineItem(str(item.Title), destination)
    node.is_closed = int(item.get("/Count", 0)) < 0
    child = item.get("/First")
    while child is not None:
        node.children.append(_outline_tree(child, out, source, index))
        child = child.get("/Next")
    return node


def _set_outline(out: pikepdf.Pdf, items: list[pikepdf.OutlineItem]) -> None:
    if "/Outlines" in out.Root:
        del out.Root.Outlines
    if not items:
        return
    with out.open_outline() as outline:
        outline.root.extend(items)


def _one_copy_of_each_font(out: pikepdf.Pdf) -> None:
    """Every font descriptor pointed at one copy of its font file (the parts embed the same files whole)."""
    seen: dict[bytes, pikepdf.Object] = {}
    for font in _fonts(out):
        described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor")
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            if descriptor is not None and key in descriptor:
                data = hashlib.sha256(descriptor[key].read_raw_bytes()).digest()
                descriptor[key] = seen.setdefault(data, descriptor[key])


def tag_font_subsets(pdf: pikepdf.Pdf) -> None:
    """Name every font subset with a tag made from its bytes: `ABCDEF+Sarabun-Regular`, six capital letters.

    WeasyPrint tags a subset by the font it was cut from, so every part of a joined book named its own subset of
    Sarabun with the same tag; PDF (ISO 32000-1, 9.6.4) wants a tag unique to each subset. A tag made from the
    subset's font file, widths and character map is unique to it and the same in every build; font
    dictionaries that say the same are made one first, and two subsets whose six letters met would be told
    apart by hashing again."""
    keys = _one_object_for_each_subset(pdf)
    tags: dict[str, bytes] = {}  # tag -> the font file it names
    for font in _fonts(pdf):
        described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
        descriptor = described.get("/FontDescriptor")
        files = [descriptor[key] for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in (descriptor or {})]
        name = str(font.get("/BaseFont", ""))
        if not files or not SUBSET_NAME.fullmatch(name):
            continue  # not embedded, or not a subset: no tag to give
        data = keys.get(font.objgen) or _font_key(font)  # its file, widths and character map
        tag = _tag(data)
        while tags.setdefault(tag, data) != data:
            data = hashlib.sha256(data).digest()
            tag = _tag(data)
        for obj, key in ((font, "/BaseFont"), (described, "/BaseFont"), (descriptor, "/FontName")):
            if SUBSET_NAME.fullmatch(str(obj.get(key, ""))):
                obj[key] = Name("/" + tag + str(obj[key])[7:])


def _one_object_for_each_subset(pdf: pikepdf.Pdf) -> dict[tuple[int, int], bytes]:
    """Font dictionaries that say the same (one font file, the same widths and character map: two parts that
    used the same characters of a font) made one object, which the pages and forms all name; the key
    (`_font_key`) of each font object kept."""
    first: dict[bytes, pikepdf.Object] = {}
    keys: dict[tuple[int, int], bytes] = {}
    resources = [page.obj.get("/Resources") for page in pdf.pages]
    done = set()
    while resources:
        found = resources.pop()
        if found is None or (found.objgen != (0, 0) and found.objgen in done):
            continue
        done.add(found.objgen)
        fonts = found.get("/Font") or {}
        for name in list(fonts.keys()):
            font = fonts[name]
            if font.is_indirect:
                key = keys.get(font.objgen) or _font_key(font)
                fonts[name] = kept = first.setdefault(key, font)
                keys[kept.objgen] = keys[font.objgen] = key
        for xobject in (found.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == Name.Form:
                resources.append(xobject.get("/Resources"))
    return keys


def _font_key(font: pikepdf.Object) -> bytes:
    described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
    descriptor = described.get("/FontDescriptor") or Dictionary()
    files = [descriptor[key] for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor]
    facts = [
        str(font.get("/Subtype")),
        str(font.get("/BaseFont"))[7:],
        hashlib.sha256(files[0].read_bytes()).hexdigest() if files else repr(font.objgen),
        font.ToUnicode.read_bytes().decode("latin-1") if "/ToUnicode" in font else "",
        repr(described.get("/W")) + repr(font.get("/Widths")) + repr(font.get("/Encoding")),
    ]
    return hashlib.sha256("\0".join(facts).encode()).digest()


def _tag(digest: bytes) -> str:
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def _fonts(out: pikepdf.Pdf) -> list[pikepdf.Object]:
    """Every font the pages use, and the forms drawn on them (the folio layer's), each once."""
    fonts, done = [], set()
    resources = [page.obj.get("/Resources") for page in out.pages]
    while resources:
        found = resources.pop()
        if found is None or (found.objgen != (0, 0) and found.objgen in done):
            continue
        done.add(found.objgen)
        for font in (found.get("/Font") or {}).values():
            if font.objgen == (0, 0) or font.objgen not in done:  # a direct object has no number to remember
                done.add(font.objgen)
                fonts.append(font)
        for xobject in (found.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == Name.Form:
                resources.append(xobject.get("/Resources"))
    return fonts


def _overlay(out: pikepdf.Pdf, folios: list[pikepdf.Page], tagged: bool) -> None:
    """Draw each folio page over the book's page of the same place (when it has anything to draw)."""
    for page, folio in zip(out.pages, folios, strict=True):
        if not folio.obj.get("/Contents") or not _draws(folio):
            continue
        form = out.copy_foreign(folio.as_form_xobject())
        name = page.add_resource(form, Name.XObject, prefix="Folio")
        page.contents_add(out.make_stream(b"q\n"), prepend=True)
        drawn = b"Q\n" + (ARTIFACT if tagged else b"") + f"q {name} Do Q\n".encode() + (b"EMC\n" if tagged else b"")
        page.contents_add(out.make_stream(drawn), prepend=False)


def _draws(page: pikepdf.Page) -> bool:
    """Whether the page's content may draw text (a text-showing operator in it; at worst an empty form is
    drawn, as for a blank page)."""
    contents = page.obj.Contents
    streams = contents if isinstance(contents, Array) else [contents]
    return any(b"Tj" in stream.read_bytes() or b"TJ" in stream.read_bytes() for stream in streams)
