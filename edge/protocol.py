"""uvicorn's HTTP protocol (httptools), with a bounded request head and coded JSON refusals.

Left alone, uvicorn reads a request's head however long it is (a 1 MB header is read whole) and
answers what it cannot parse with a plain-text 400. Here the URL and the whole head are bounded,
and every refusal at this level is JSON with an `extensions.code`, as the application's are.
`serve` passes this class as uvicorn's `http` protocol.
"""

import json

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

MAX_URL_BYTES = 32 * 1024  # a GET may carry a document: room for one at MAX_TOKENS
MAX_HEAD_BYTES = 64 * 1024  # request line and headers together
LINGER_S = 2.0
_REASONS = {400: b"Bad Request", 414: b"URI Too Long", 431: b"Request Header Fields Too Large"}


class _TooLarge(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


def _too_large_head() -> _TooLarge:
    return _TooLarge(431, "HEADERS_TOO_LARGE", f"the headers are over {MAX_HEAD_BYTES} bytes")


class BoundedHttpTools(HttpToolsProtocol):
    """Relies on HttpToolsProtocol's parser callbacks and `send_400_response`;
    tests/test_protocol.py pins that behaviour."""

    _head_bytes = 0  # the request line and headers parsed so far
    _received_in_head = 0  # bytes received while the head was incomplete
    _in_head = True
    _refusal: _TooLarge | None = None
    _refused = False

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return  # what a refused client still sends is read and dropped (see _refuse)
        in_head = self._in_head
        super().data_received(data)
        # httptools hands over a header only once it is complete: a value that spans many
        # reads is bounded here, by what arrived while the head was still incomplete.
        if in_head and self._in_head and not self._refused:
            self._received_in_head += len(data)
            if self._received_in_head > MAX_HEAD_BYTES:
                self._refuse(_too_large_head())

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head, self._head_bytes, self._received_in_head = True, 0, 0

    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        self._head_bytes += len(url)
        if len(self.url) > MAX_URL_BYTES:
            self._refusal = _TooLarge(414, "URI_TOO_LONG", f"the URL is over {MAX_URL_BYTES} bytes")
            raise self._refusal

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_bytes += len(name) + len(value) + 4
        if self._head_bytes > MAX_HEAD_BYTES:
            self._refusal = _too_large_head()
            raise self._refusal
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        refusal = self._refusal or _TooLarge(
            400, "BAD_REQUEST", "the HTTP request is malformed and was not read"
        )
        self._refuse(refusal)

    def _refuse(self, refusal: _TooLarge) -> None:
        body = json.dumps(
            {"errors": [{"message": str(refusal), "extensions": {"code": refusal.code}}]}
        ).encode()
        head = [
            b"HTTP/1.1 %d %s\r\n" % (refusal.status, _REASONS[refusal.status]),
            b"content-type: application/json\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
        ]
        self.transport.write(b"".join(head) + body)
        # Closing at once, with the client's bytes unread, makes the kernel reset the
        # connection, and the client may never see the answer: end our side, drop what still
        # arrives, and close a moment later.
        self._refused = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(LINGER_S, self.transport.close)
