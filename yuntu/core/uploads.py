"""Uploads are judged by their content, not their name (GB/T 22239-2019 8.1.4.4 / 8.1.4.5).

`sniff` reads the first bytes (and, for zip-based Office files, the zip's table of contents)
and says what the file really is; `check_upload` refuses a file whose content is not one of the
allowed kinds or does not match its extension — a script renamed `.jpg` or a `.docx` that is
really a zip of something else. Every module that stores uploads calls it.
"""

import os
import zipfile

from django.core.exceptions import ValidationError

SIGNATURES = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # legacy .doc / .xls / .ppt
    (b"PK\x03\x04", "zip"),
)
# Which extensions a sniffed kind may carry.
EXTENSIONS = {
    "jpeg": {".jpg", ".jpeg"},
    "png": {".png"},
    "gif": {".gif"},
    "webp": {".webp"},
    "pdf": {".pdf"},
    "ole": {".doc", ".xls", ".ppt"},
    "docx": {".docx"},
    "xlsx": {".xlsx"},
    "pptx": {".pptx"},
    "zip": {".zip"},
}
OFFICE_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}


def sniff(upload) -> str:
    """The kind of file by its content: jpeg, png, gif, webp, pdf, ole, docx, xlsx, pptx, zip or ''."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        upload.seek(0)
        head = upload.read(16)
        if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
            return "webp"
        kind = next((name for signature, name in SIGNATURES if head.startswith(signature)), "")
        if kind == "zip":
            upload.seek(0)
            try:
                with zipfile.ZipFile(upload) as archive:
                    names = archive.namelist()
            except (zipfile.BadZipFile, OSError, ValueError):
                return ""
            if "[Content_Types].xml" in names:
                for prefix, office in OFFICE_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return office
        return kind
    finally:
        upload.seek(position)


def check_upload(upload, *, allowed: set[str], field: str = "file", label: str = "文件") -> str:
    """Raise a Chinese ValidationError unless the content is an allowed kind that matches the extension."""
    name = upload.name or ""
    extension = os.path.splitext(name)[1].lower()
    kind = sniff(upload)
    if kind not in allowed or extension not in EXTENSIONS.get(kind, set()):
        raise ValidationError({field: f"{label}“{name}”的内容与文件类型不符或类型不支持。"})
    return kind
