"""Render an EPUB content document in WebKitGTK, a second engine beside Chromium (the engine of Apple Books and
of Kobo's and many Linux readers), and print as JSON what the tests check: the fonts the document loaded with
their state, the family the body text is drawn in and how wide a sample of it is in that family and in the
fallbacks, the lines each protected name (`span.nobr`) spans on the page, and the lines each name spans in a
box one pixel wide with its protection and without.

Run by Debian's own Python (`/usr/bin/python3`, which has PyGObject, the WebKit2 4.1 introspection data of
`gir1.2-webkit2-4.1` and `python3-gi-cairo` for the screenshot) under `xvfb-run`: WebKitGTK draws into a GTK
window, which needs a display even offscreen. Usage: webkit_reader.py DOCUMENT SCREENSHOT [WIDTH].
"""

import json
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import GLib, Gtk, WebKit2  # noqa: E402 - after the versions are chosen

WIDTH, HEIGHT = 600, 900
TIMEOUT_S = 60

# What the document looks like to a reader, asked of the page once its fonts are loaded.
READ = """
document.body.getBoundingClientRect();  // laid out first: that asks for every face its text uses, which
await document.fonts.ready;             // a machine under load may not have done yet when the load finished
const faces = [...document.fonts].map(face => [face.family.replace(/["']/g, ""), face.status]);
const paragraph = document.querySelector(".chapter-body > p");
const canvas = document.createElement("canvas").getContext("2d");
const family = getComputedStyle(paragraph).fontFamily;
const sample = paragraph.textContent.slice(0, 40);
const widths = {};
for (const stack of [family, "serif", "monospace"]) {
  canvas.font = "20px " + stack;
  widths[stack] = canvas.measureText(sample).width;
}
const tops = element => [...element.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top));
const lines = element => new Set(tops(element)).size;
const spans = [...document.querySelectorAll("span.nobr")];
const names = spans.map(span => [span.textContent, lines(span)]);
// Each name again in a box one pixel wide, where the engine breaks wherever it may: as the page has it
// (protected), and without its class (plain), which shows where the engine would break the name.
const squeezed = [...new Set(spans.map(span => span.textContent))].map(text => {
  const box = document.createElement("div");
  box.style.width = "1px";
  const result = [text];
  for (const kind of ["nobr", ""]) {
    const span = document.createElement("span");
    if (kind) span.className = kind;
    span.textContent = text;
    box.replaceChildren(span);
    paragraph.after(box);
    result.push(lines(span));
    box.remove();
  }
  return result;
});
return JSON.stringify({faces, family, sample, widths, names, squeezed, width: document.documentElement.clientWidth});
"""


def main(document: str, screenshot: str, width: int = WIDTH) -> int:
    window = Gtk.OffscreenWindow()
    view = WebKit2.WebView()
    view.set_size_request(width, HEIGHT)
    view.get_settings().set_allow_file_access_from_file_urls(True)
    window.add(view)
    window.show_all()
    found: dict = {}

    def finish(error: str | None = None) -> None:
        if error:
            found["error"] = error
        Gtk.main_quit()

    def shot(view: WebKit2.WebView, result: object) -> None:
        try:
            surface = view.get_snapshot_finish(result)
            surface.write_to_png(screenshot)
        except (GLib.Error, TypeError) as error:  # TypeError: no python3-gi-cairo
            found["snapshot"] = str(error)
        finish()

    def read(view: WebKit2.WebView, result: object) -> None:
        try:
            found.update(json.loads(view.call_async_javascript_function_finish(result).to_string()))
        except GLib.Error as error:
            finish(f"script: {error}")
            return
        view.get_snapshot(WebKit2.SnapshotRegion.VISIBLE, WebKit2.SnapshotOptions.NONE, None, shot)

    def loaded(view: WebKit2.WebView, event: WebKit2.LoadEvent) -> None:
        if event == WebKit2.LoadEvent.FINISHED:
            view.call_async_javascript_function(READ, -1, None, None, None, None, read)

    def failed(view: WebKit2.WebView, event: object, uri: str, error: GLib.Error) -> bool:
        finish(f"load: {error}")
        return True

    view.connect("load-changed", loaded)
    view.connect("load-failed", failed)
    GLib.timeout_add_seconds(TIMEOUT_S, lambda: finish("timed out") or False)
    view.load_uri(GLib.filename_to_uri(document, None))
    Gtk.main()
    found["engine"] = f"WebKitGTK {WebKit2.get_major_version()}.{WebKit2.get_minor_version()}"
    print(json.dumps(found, ensure_ascii=False))
    return 1 if "error" in found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], *(int(v) for v in sys.argv[3:4])))
