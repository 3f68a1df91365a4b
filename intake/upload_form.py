"""Reading an upload's multipart body as it arrives: the file goes straight into a staged blob (hashed and
counted on the way, so an oversized file is refused before the rest of it is read); the other parts are
short text fields."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from core.blobs import StagedBlob
from core.errors import InvalidRequest
from models.document import DOC_TYPES

FILE_FIELD = "file"
TEXT_FIELD_LIMITS = {"doc_type": 30, "source": 30, "external_id": 200}
"""The text fields an upload may carry, with their longest accepted length (that of their columns)."""
MAX_PARTS = 10

REQUEST_BODY = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "type": "object",
        "required": [FILE_FIELD],
        "properties": {
            FILE_FIELD: {"type": "string", "format": "binary",
                         "description": "The document: PDF, PNG, JPEG, TIFF, an XML e-invoice or an OFD invoice"},
            "doc_type": {"type": "string", "enum": list(DOC_TYPES), "description": "What the document is, if known"},
            "source": {"type": "string", "maxLength": TEXT_FIELD_LIMITS["source"], "default": "api",
                       "description": "The channel it came through (api, email, scanner ...)"},
            "external_id": {"type": "string", "maxLength": TEXT_FIELD_LIMITS["external_id"],
                            "description": "Its id in the sending system"},
        },
    }}},
}
"""The OpenAPI description of the body that ``read_upload_form`` reads."""


@dataclass
class UploadForm:
    filename: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


async def read_upload_form(content_type: str, body: AsyncIterator[bytes], staged: StagedBlob) -> UploadForm:
    """Parse ``body`` into ``staged`` (the file) and text fields; raises ``InvalidRequest`` or ``FileTooLarge``."""
    collector = _PartCollector(staged)
    parser = MultipartParser(_boundary(content_type), collector.callbacks())
    try:
        async for chunk in body:
            parser.write(chunk)
        parser.finalize()
    except FormParserError as exc:
        raise InvalidRequest(f"The upload is not a well-formed multipart/form-data body ({exc}).") from exc
    return collector.finished()


def _boundary(content_type: str) -> bytes:
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise InvalidRequest(f"Send the document as multipart/form-data in a field named {FILE_FIELD!r}.")
    return options[b"boundary"]


class _PartCollector:
    """python-multipart callbacks: each part's bytes go to the staged file or to a text field."""

    def __init__(self, staged: StagedBlob):
        self.staged, self.form = staged, UploadForm()
        self._headers: dict[bytes, bytes] = {}
        self._header_name = self._header_value = b""
        self._part: str | None = None
        self._text = bytearray()
        self._parts = 0
        self._file_seen = False

    def callbacks(self) -> dict:
        return {"on_part_begin": self._begin, "on_header_field": self._header_field,
                "on_header_value": self._header_value_data, "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished, "on_part_data": self._data, "on_part_end": self._end}

    def finished(self) -> UploadForm:
        if not self._file_seen:
            raise InvalidRequest(f"The upload has no file: send it in a form field named {FILE_FIELD!r}.")
        return self.form

    def _begin(self) -> None:
        self._parts += 1
        if self._parts > MAX_PARTS:
            raise InvalidRequest(f"An upload has at most {MAX_PARTS} form fields.")
        self._headers, self._part, self._text = {}, None, bytearray()

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _header_value_data(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._header_name.lower()] = self._header_value
        self._header_name = self._header_value = b""

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._part = options.get(b"name", b"").decode("utf-8", "replace")
        if self._part == FILE_FIELD:
            if self._file_seen:
                raise InvalidRequest("Send one file per upload.")
            self._file_seen = True
            self.form.filename = options.get(b"filename", b"").decode("utf-8", "replace") or None

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._part == FILE_FIELD:
            self.staged.write(data[start:end])
        elif self._part in TEXT_FIELD_LIMITS:
            self._text += data[start:end]
            if len(self._text) > 4 * TEXT_FIELD_LIMITS[self._part]:
                raise InvalidRequest(f"{self._part} is longer than {TEXT_FIELD_LIMITS[self._part]} characters.")

    def _end(self) -> None:
        if self._part in TEXT_FIELD_LIMITS:
            self.form.fields[self._part] = _text_field(self._part, bytes(self._text))


def _text_field(name: str, raw: bytes) -> str:
    try:
        value = raw.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise InvalidRequest(f"{name} is not UTF-8 text.") from exc
    if len(value) > TEXT_FIELD_LIMITS[name]:
        raise InvalidRequest(f"{name} is longer than {TEXT_FIELD_LIMITS[name]} characters.")
    if name == "doc_type" and value and value not in DOC_TYPES:
        raise InvalidRequest(f"doc_type must be one of {', '.join(DOC_TYPES)}.")
    return value
