"""`thaibook preview`: the book in a browser while it is written. A local web server shows an index of the
book, each page on screen, each page's print proofs (PDF and page images), and refreshes the open page when a
file is saved; problems show over the page until they are fixed.

Safe by default: it listens on 127.0.0.1, and on another address only when told twice (`--host` and
`--allow-remote`). It answers only requests addressed to a host it knows, the local names and those listed
(a web page elsewhere cannot rebind a name to it), and serves nothing but its own views, the project's
`assets/` and the book's declared fonts: `..`, absolute or encoded paths, hidden files and symlinks that lead
out of the project get 404, and a folder is never listed. Its threads are a fixed few however many
connections are open, and silent or slow ones are closed (connections.py).
"""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import site
import socket
import sysconfig
import threading
import traceback
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..diagnostics import EXIT_USAGE, BookError, diagnostic, say
from ..project import FONT_TYPES
from .connections import BoundedServer, OneRequest
from .proofs import Proofs
from .state import LiveBook, font_files
from .views import Views, is_view_name

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
KEEPALIVE_SECONDS = 10.0


def request_path(target: str) -> list[str] | None:
    """The path of a request as its segments, or None when it is not a plain path inside the site: absolute
    or scheme URLs, `..` and `.` segments, empty segments (`//`), backslashes, NUL, colons, and anything that
    is still percent-encoded after one decoding (double encoding)."""
    path = urlsplit(target).path if target.startswith("/") and not target.startswith("//") else None
    if path is None:
        return None
    try:
        decoded = unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if any(bad in decoded for bad in ("%", "\\", "\x00", ":")):
        return None
    segments = decoded.split("/")[1:]
    if segments == [""]:
        return []
    if any(segment in ("", ".", "..") for segment in segments):
        return None
    return segments


def is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(header: str) -> str:
    """The name in a Host header, without its port: `[::1]:8000` -> `::1`, `Book.LAN.:80` -> `book.lan`."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1 : header.find("]")] if "]" in header else header
    name = header.rsplit(":", 1)[0] if header.count(":") == 1 else header
    return name.rstrip(".")


def _package_folders() -> list[Path]:
    """Where installed Python packages are, the font packages among them (the project may hold them, as the
    default book holds its .venv: a font there is a package's, not a hidden file of the book)."""
    return [Path(folder).resolve() for folder in {*site.getsitepackages(), sysconfig.get_paths()["purelib"]}]


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


class PreviewServer(BoundedServer):
    """The preview of the book project at `project`, served on `host`:`port` (port 0: any free one).
    `start()` reads the book and serves it from background threads; `stop()` ends them. Its pages and lines
    speak `language` (th, en), else book.yaml's `interface` as it is now, the locale, Thai.

    A `host` other than a loopback address is refused (`BookError` V101) unless `allow_remote`; requests are
    answered only when their Host header names a loopback name, the address listened on, or one of `hosts`."""

    def __init__(
        self,
        project: Path | str,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        out: Path | str | None = None,
        log: Callable[[str], None] = print,
        language: str | None = None,
        allow_remote: bool = False,
        hosts: Iterable[str] = (),
    ) -> None:
        if not is_loopback(host) and not allow_remote:
            raise BookError([diagnostic("preview", None, "V101", host=host)], EXIT_USAGE)
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), PreviewRequest, log)
        self.host = host
        wildcard = host.strip("[]") in ("0.0.0.0", "::", "")
        self.allowed_hosts = [*LOCAL_NAMES, *([] if wildcard else [host_name(host)]), *map(host_name, hosts)]
        self.live = LiveBook(project, log, language)
        self.out = Path(out) if out else self.live.root / "dist"
        self.proofs = Proofs(self.out)
        self.views = Views(self.live, self.proofs)
        self.log = log
        self._stop = threading.Event()
        self._background: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"

    def addressed_here(self, header: str | None) -> bool:
        """A request's Host header names this server: a loopback name or address, or an allowed host. A request
        without one (HTTP/1.0 from a script) cannot come from a page that rebound a name."""
        return header is None or is_loopback(host_name(header)) or host_name(header) in self.allowed_hosts

    @property
    def local_only(self) -> bool:
        """Listening on the loopback interface only: then requests must name a local host."""
        return is_loopback(self.host)

    def start(self) -> PreviewServer:
        """Read the book, then serve and watch it in background threads. Raises `BookError` only when the
        folder is not a book project; content problems are shown in the browser."""
        self.live.load()
        for name, target in (("serve", self.serve_forever), ("watch", lambda: self.live.watch(self._stop))):
            thread = threading.Thread(target=target, name=f"preview-{name}", daemon=True)
            thread.start()
            self._background.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        self.live.close()
        self.proofs.close()
        if self._background:
            self.shutdown()
        self.server_close()
        for thread in self._background:
            thread.join(timeout=10)

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class PreviewRequest(OneRequest):
    """One request: the host rule first, then the path rules, then the route."""

    server: PreviewServer
    server_version = "thaibook-preview"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.answer(body=False)

    def answer(self, body: bool) -> None:
        self.with_body = body
        if not self.server.addressed_here(self.headers.get("Host")):
            return self.send(HTTPStatus.FORBIDDEN, b"the preview answers only requests for the hosts it was given\n")
        segments = request_path(self.path)
        if segments is None:
            return self.not_found()
        try:
            self.route(segments)
        except (OSError, ValueError):  # the browser went (a closed tab), or took too long to read
            self.close_connection = True
        except Exception as error:  # noqa: BLE001 - one failed request, the server goes on
            # The terminal gets the details; the browser a plain page: an exception's words can show paths.
            self.server.log(f"preview: {self.path[:200]}: internal error: {type(error).__name__}: {error}")
            self.server.log("".join(traceback.format_exception(error)).rstrip())
            self.close_connection = True
            words = say("preview failed request", self.server.live.language())
            self.send(HTTPStatus.INTERNAL_SERVER_ERROR, f"{words}\n".encode())

    def route(self, segments: list[str]) -> None:
        snapshot = self.server.live.snapshot
        match segments:
            case []:
                self.send_view("index")
            case ["page", page_id] if page_id in snapshot.pages:
                self.send_view(f"page:{page_id}")
            case ["page", *asset]:
                self.send_asset(asset)
            case ["print", name] if name.endswith(".pdf"):
                self.send_pdf(name.removesuffix(".pdf"))
            case ["print", page_id]:
                self.send_view(f"print:{page_id}")
            case ["print", page_id, image] if image.endswith(".png"):
                self.send_image(page_id, image.removesuffix(".png"))
            case ["_preview", "book.css"]:
                self.send(HTTPStatus.OK, snapshot.css.encode(), "text/css; charset=utf-8")
            case ["_preview", "fonts", number] if number.isdigit():
                self.send_font(int(number))
            case ["_preview", "events"]:
                view = parse_qs(urlsplit(self.path).query).get("view", [""])[0]
                self.send_events(view) if is_view_name(view) else self.not_found()
            case _:
                self.not_found()

    # -- answers

    def not_found(self) -> None:
        self.send(HTTPStatus.NOT_FOUND, b"not found\n")

    def send_view(self, name: str) -> None:
        status, html = self.server.views.document(self.server.live.snapshot, name)
        self.send(HTTPStatus(status), html.encode("utf-8"), "text/html; charset=utf-8")

    def send_asset(self, segments: list[str]) -> None:
        """A file under the project's assets/ (where the pages' relative addresses point, as in print),
        only if it really is a file in assets/ once symlinks are followed, and neither it nor a folder on its
        way is hidden (`.env`, `.drafts/`)."""
        root = self.server.live.root.resolve()
        try:
            assets = (root / "assets").resolve(strict=True)
            file = assets.joinpath(*segments).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):  # ValueError: a name the file system cannot hold
            assets = file = None
        if (
            file is None
            or _hidden(Path(*segments))
            or not assets.is_relative_to(root)
            or not file.is_relative_to(assets)
            or _hidden(file.relative_to(root))
            or not file.is_file()
        ):
            # A page that has left the book (its slug changed, its file went) says so, and stays live.
            return self.send_view(f"page:{segments[0]}") if len(segments) == 1 else self.not_found()
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        self.send(HTTPStatus.OK, file.read_bytes(), content_type)

    def send_font(self, number: int) -> None:
        """The book's declared font files, by their place in the stylesheet: never a path from the request."""
        book = self.server.live.snapshot.book
        files = font_files(book) if book else []
        if number >= len(files):
            return self.not_found()
        # A designer's font file may be a symlink, or its name in fonts.yaml a path: served only when it really
        # is a font file in the project or in an installed font package.
        root = self.server.live.root.resolve()
        file = files[number].resolve()
        packaged = any(file.is_relative_to(folder) for folder in _package_folders())
        in_project = file.is_relative_to(root) and not _hidden(file.relative_to(root))
        if not (packaged or in_project) or file.suffix.lower() not in FONT_TYPES or not file.is_file():
            return self.not_found()
        self.send(HTTPStatus.OK, file.read_bytes(), FONT_TYPES[file.suffix.lower()])

    def send_pdf(self, page_id: str) -> None:
        snapshot = self.server.live.snapshot
        page = snapshot.pages.get(page_id)
        if page is None:
            return self.not_found()
        proof = self.server.proofs.proof(snapshot.book, page)
        self.send(HTTPStatus.OK, proof.pdf, "application/pdf")

    def send_image(self, page_id: str, number: str) -> None:
        snapshot = self.server.live.snapshot
        page = snapshot.pages.get(page_id)
        if page is None or not number.isdigit():
            return self.not_found()
        proofs = self.server.proofs
        image = proofs.image(proofs.proof(snapshot.book, page), int(number))
        self.send(HTTPStatus.OK, image, "image/png") if image else self.not_found()

    def send_events(self, view: str) -> None:
        """Server-sent events: the view's state now, then each time it changes, until the page or the server
        goes. A comment line every few seconds finds out when the browser has gone."""
        live, views = self.server.live, self.server.views
        self.close_connection = True  # a stream has no length: it ends with its connection
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        if not self.with_body:
            return
        if not self.server.streams.acquire(blocking=False):
            # Every stream thread is taken (many open tabs): this page gets the state now and asks again in a
            # few seconds, so it still follows the book, a little later, and requests keep their threads.
            state = views.state(live.snapshot, view)
            self.wfile.write(f"retry: 3000\ndata: {json.dumps(state, ensure_ascii=False)}\n\n".encode())
            return
        try:
            self._stream(view)
        finally:
            self.server.streams.release()

    def _stream(self, view: str) -> None:
        live, views = self.server.live, self.server.views
        self.wfile.write(b"retry: 500\n\n")
        snapshot, sent = live.snapshot, None
        while not live.closed:
            state = views.state(snapshot, view)
            if state != sent:
                self.wfile.write(f"data: {json.dumps(state, ensure_ascii=False)}\n\n".encode())
                sent = state
            else:
                self.wfile.write(b": still here\n\n")
            self.wfile.flush()
            snapshot = live.wait(snapshot.generation, KEEPALIVE_SECONDS)


def serve(
    project: Path,
    out: Path | None = None,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    language: str | None = None,
    allow_remote: bool = False,
    hosts: Iterable[str] = (),
) -> int:
    """The `preview` command: serve until Ctrl+C, in `language` (--lang) or the book's own choice. Another
    address than loopback needs `allow_remote` (--allow-remote); `hosts` (--allow-host) are the names a
    browser elsewhere may use for it."""
    try:
        server = PreviewServer(
            project,
            host,
            port,
            out,
            log=lambda line: print(line, flush=True),
            language=language,
            allow_remote=allow_remote,
            hosts=hosts,
        )
    except OSError as error:
        taken = diagnostic("preview", None, "V001", host=host, port=port, reason=error.strerror or error)
        raise BookError([taken], EXIT_USAGE) from None
    try:
        server.start()
    except BookError:
        server.server_close()
        raise
    print(say("preview serving", server.live.language(), url=server.url), flush=True)
    if not server.local_only:
        print(say("preview public", server.live.language(), host=host), flush=True)
        hosts_named = ", ".join(dict.fromkeys(server.allowed_hosts))
        print(say("preview hosts", server.live.language(), hosts=hosts_named), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\n" + say("preview stopped", server.live.language()), flush=True)
    finally:
        server.stop()
    return 0
