"""The preview's connections: one thread waits on every open socket, a fixed pool of threads answers.

`http.server.ThreadingHTTPServer` gives each connection a thread for as long as it stays open, so a few
hundred silent sockets (kept-alive browser connections, or someone who opens them on purpose) mean a few
hundred threads, and a request that never finishes its headers holds one forever. Here a socket costs a
thread only while a whole request is being answered: one dispatcher thread reads request heads without
blocking and hands each complete one to a bounded pool, and the answered connection comes back to wait for
its next request. A connection silent for `IDLE_SECONDS`, or one whose head is not whole after
`REQUEST_SECONDS`, is closed; past `MAX_CONNECTIONS` the longest-silent one makes room for the newcomer.
"""

from __future__ import annotations

import io
import queue
import resource
import selectors
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer

WORKERS = 24  # threads answering requests
STREAMS = 16  # of those, how many may hold a page's event stream; the others stay free for requests
BACKLOG = 1024  # connections the kernel queues before they are accepted: a browser opens many at once
IDLE_SECONDS = 15.0  # a kept-alive connection with no new request is closed after this
REQUEST_SECONDS = 10.0  # a request's head must be whole within this; each write must move within it too
HEAD_LIMIT = 64 * 1024  # the request line and headers together
MAX_CONNECTIONS = max(64, min(1000, resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 100))  # kept under the fd limit


class Connection:
    """A client's socket and what it has sent that was not yet answered."""

    __slots__ = ("sock", "address", "buffer", "silent_since", "started")

    def __init__(self, sock: socket.socket, address: tuple) -> None:
        self.sock = sock
        self.address = address
        self.buffer = b""
        self.silent_since = time.monotonic()
        self.started: float | None = None  # when the first byte of the pending request came

    def head_end(self) -> int | None:
        """Where the pending request's head ends (after its blank line), or None while it is not whole."""
        ends = [found + len(mark) for mark in (b"\r\n\r\n", b"\n\n") if (found := self.buffer.find(mark)) >= 0]
        return min(ends) if ends else None

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


class SocketWriter(io.RawIOBase):
    """What `wfile` writes to: the whole of each write goes out (`sendall`), within the socket's timeout."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.sock.sendall(data)
        return len(data)


class OneRequest(BaseHTTPRequestHandler):
    """Answers the one request whose head the dispatcher read; keeps HTTP/1.1 connections for the next.

    Odd requests get a 4xx, never a 5xx, and never more words than the status: a method other than GET and
    HEAD gets 405, an HTTP version it does not speak 400, a head too large 414 or 431."""

    protocol_version = "HTTP/1.1"
    with_body = True

    def setup(self) -> None:
        connection: Connection = self.request
        end = connection.head_end()
        end = end if end is not None and end <= HEAD_LIMIT else None
        head = connection.buffer[:end] if end is not None else b""
        self.line_too_long = end is None and b"\n" not in connection.buffer[:HEAD_LIMIT]
        connection.buffer = connection.buffer[end:] if end is not None else b""
        self.connection = connection.sock
        self.rfile = io.BytesIO(head)
        self.wfile = SocketWriter(connection.sock)
        self.complete = end is not None
        self.command, self.request_version, self.requestline = None, "HTTP/1.0", ""  # until parse_request

    def handle(self) -> None:
        self.close_connection = True
        if not self.complete:  # the dispatcher gave up waiting for the end of the head: it is too large
            too_long = self.line_too_long
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG if too_long else HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE)
            return self._drain()
        self.handle_one_request()

    def finish(self) -> None:
        pass

    def _drain(self) -> None:
        """Read and drop what the client is still sending, a little while: closing on unread data resets the
        connection, and the client would lose the answer it was sent."""
        try:
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(1.0)
            deadline, received = time.monotonic() + 2.0, 0
            while time.monotonic() < deadline and received < 1 << 20:
                chunk = self.connection.recv(65536)
                if not chunk:
                    return
                received += len(chunk)
        except OSError:
            pass

    def handle_one_request(self) -> None:
        self.raw_requestline = self.rfile.readline(HEAD_LIMIT + 1)
        if not self.raw_requestline.strip():
            return
        if not self.parse_request():  # it has answered (through send_error)
            return
        if len(self.headers.get_all("Host") or []) > 1:  # which one would the Host rule believe?
            return self.send_error(HTTPStatus.BAD_REQUEST)
        if self.headers.get("Content-Length", "0").strip() not in ("", "0") or "Transfer-Encoding" in self.headers:
            self.close_connection = True  # a body this server never reads must not be taken for the next request
        if self.command == "GET":
            self.do_GET()
        elif self.command == "HEAD":
            self.do_HEAD()
        else:
            self.close_connection = True
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        raise NotImplementedError

    def do_HEAD(self) -> None:  # noqa: N802
        raise NotImplementedError

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A plain page with the status alone: http.server's own page can quote the request back. A status it
        would send as 5xx (an HTTP version it does not speak) is the client's request, so 400."""
        status = HTTPStatus(code)
        if status >= 500:
            status = HTTPStatus.BAD_REQUEST
        self.close_connection = True
        self.with_body = self.command != "HEAD"
        if len(self.requestline.split()) != 2:  # only a real HTTP/0.9 request ("GET /") gets an answer without status
            self.request_version = "HTTP/1.1"
        self.send(status, f"{status.value} {status.phrase}\n".encode())

    def send(self, status: HTTPStatus, data: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.with_body:
            self.wfile.write(data)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet: the terminal is for the book
        pass


class BoundedServer(HTTPServer):
    """An HTTP server with a fixed number of threads, whatever the number of open connections.
    `serve_forever()` runs the dispatcher until `shutdown()`; `handler` answers one request at a time."""

    request_queue_size = BACKLOG
    idle_seconds = IDLE_SECONDS
    request_seconds = REQUEST_SECONDS

    def __init__(self, address: tuple, handler: type[OneRequest], log: Callable[[str], None]) -> None:
        self._wake_read, self._wake_write = socket.socketpair()  # before binding: a failed bind closes them
        self._wake_read.setblocking(False)
        super().__init__(address, handler)
        self.log = log
        self.streams = threading.BoundedSemaphore(STREAMS)
        self._jobs: queue.SimpleQueue[Connection | None] = queue.SimpleQueue()
        self._returned: deque[Connection | None] = deque()
        self._waiting: dict[socket.socket, Connection] = {}
        self._busy = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._workers: list[threading.Thread] = []

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Accept, read heads, hand whole ones to the workers, until `shutdown()`."""
        for number in range(WORKERS):
            worker = threading.Thread(target=self._work, name=f"preview-worker-{number}", daemon=True)
            worker.start()
            self._workers.append(worker)
        selector = selectors.DefaultSelector()
        self.socket.setblocking(False)
        selector.register(self.socket, selectors.EVENT_READ)
        selector.register(self._wake_read, selectors.EVENT_READ)
        swept = time.monotonic()
        try:
            while not self._stopping.is_set():
                for key, _ in selector.select(timeout=min(poll_interval, 1.0)):
                    if key.fileobj is self.socket:
                        self._accept(selector)
                    elif key.fileobj is self._wake_read:
                        self._take_back(selector)
                    else:
                        self._read(selector, key.data)
                if time.monotonic() - swept > 0.25:
                    swept = time.monotonic()
                    self._sweep(selector, swept)
        finally:
            for connection in list(self._waiting.values()):
                self._drop(selector, connection)
            selector.close()
            self._take_back(selectors.DefaultSelector())  # closes those answered meanwhile
            for _ in self._workers:
                self._jobs.put(None)
            self._stopped.set()

    def shutdown(self) -> None:
        self._stopping.set()
        self._wake()
        self._stopped.wait(timeout=10)
        for worker in self._workers:
            worker.join(timeout=2)

    def server_close(self) -> None:
        super().server_close()
        self._wake_read.close()
        self._wake_write.close()

    # -- the dispatcher's steps

    def _accept(self, selector: selectors.BaseSelector) -> None:
        for _ in range(256):  # a burst is taken at once; the rest waits for the next turn
            try:
                sock, address = self.socket.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of descriptors or a reset before accept: the next turn tries again
                return
            with self._lock:
                busy = self._busy
            if len(self._waiting) + busy >= MAX_CONNECTIONS:
                if not self._waiting:
                    sock.close()
                    continue
                self._drop(selector, min(self._waiting.values(), key=lambda c: c.started or c.silent_since))
            sock.setblocking(False)
            connection = Connection(sock, address)
            self._waiting[sock] = connection
            selector.register(sock, selectors.EVENT_READ, connection)

    def _read(self, selector: selectors.BaseSelector, connection: Connection) -> None:
        try:
            data = connection.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            return self._drop(selector, connection)
        if connection.started is None:
            connection.started = time.monotonic()
        connection.buffer += data
        if connection.head_end() is not None or len(connection.buffer) > HEAD_LIMIT:
            self._hand_over(selector, connection)

    def _sweep(self, selector: selectors.BaseSelector, now: float) -> None:
        for connection in list(self._waiting.values()):
            if connection.started is not None and now - connection.started > self.request_seconds:
                try:  # a last word if the socket takes it at once; the dispatcher never waits on a client
                    connection.sock.send(
                        b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                except OSError:
                    pass
                self._drop(selector, connection)
            elif connection.started is None and now - connection.silent_since > self.idle_seconds:
                self._drop(selector, connection)

    def _take_back(self, selector: selectors.BaseSelector) -> None:
        try:
            while self._wake_read.recv(4096):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        while self._returned:
            connection = self._returned.popleft()
            with self._lock:
                self._busy -= 1
            if connection is None:  # a worker closed it
                continue
            if self._stopping.is_set():
                connection.close()
                continue
            if connection.head_end() is not None:  # a pipelined request already here
                with self._lock:
                    self._busy += 1
                self._jobs.put(connection)
                continue
            connection.sock.setblocking(False)
            connection.silent_since = time.monotonic()
            connection.started = time.monotonic() if connection.buffer else None
            self._waiting[connection.sock] = connection
            selector.register(connection.sock, selectors.EVENT_READ, connection)

    def _hand_over(self, selector: selectors.BaseSelector, connection: Connection) -> None:
        selector.unregister(connection.sock)
        del self._waiting[connection.sock]
        with self._lock:
            self._busy += 1
        self._jobs.put(connection)

    def _drop(self, selector: selectors.BaseSelector, connection: Connection) -> None:
        try:
            selector.unregister(connection.sock)
        except (KeyError, ValueError):
            pass
        self._waiting.pop(connection.sock, None)
        connection.close()

    def _wake(self) -> None:
        try:
            self._wake_write.send(b"x")
        except OSError:  # already full (the dispatcher will read it) or closed (stopping)
            pass

    # -- the workers

    def _work(self) -> None:
        while (connection := self._jobs.get()) is not None:
            keep = False
            try:
                connection.sock.setblocking(True)
                connection.sock.settimeout(self.request_seconds)
                handler = self.RequestHandlerClass(connection, connection.address, self)
                keep = not handler.close_connection
            except (OSError, ValueError):  # the client went, or was too slow to take the answer
                pass
            except Exception as error:  # noqa: BLE001 - one connection failed; the worker goes on
                self.log(f"preview: {connection.address[0]}: {type(error).__name__}: {error}")
            if keep and not self._stopping.is_set():
                self._returned.append(connection)
            else:
                connection.close()
                self._returned.append(None)
            self._wake()
