"""Load stage helper: content files are read only when they are regular files inside the content root.

No symlink may lead out of the content folder, FIFOs and devices are never opened for reading (a FIFO would
block, /dev/zero would never end), and every file is read up to a size limit.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..base.limits import MAX_FILE_BYTES, MAX_IMAGE_BYTES


class ContentFileError(Exception):
    """Why a content file cannot be read; `code` is the problem code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def _real(path: Path) -> str:
    return os.path.realpath(path)


def inside(path: Path, root: Path) -> bool:
    """True when path, with every symlink followed, lies inside root (also followed)."""
    real, base = _real(path), _real(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def read_content_file(path: Path, root: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Bytes of a regular file inside root, at most `limit` bytes; ContentFileError otherwise."""
    if not inside(path, root):
        raise ContentFileError("berkas-di-luar-konten",
                               "Berkas ini (atau tautan simbolis di jalurnya) menunjuk ke luar folder konten; "
                               "salin berkasnya ke dalam folder konten")
    try:
        info = os.stat(path)
    except OSError as exc:
        raise ContentFileError("berkas-tidak-terbaca", f"Berkas tidak dapat dibaca: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ContentFileError("berkas-tidak-terbaca", "Bukan berkas biasa (folder, pipa atau perangkat); "
                                                       "ganti dengan berkas teks biasa")
    if info.st_size > limit:
        raise ContentFileError("berkas-terlalu-besar", f"Berkas {info.st_size} byte, melebihi batas {limit} byte")
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ContentFileError("berkas-tidak-terbaca", f"Berkas tidak dapat dibaca: {exc.strerror}") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):          # swapped for something else since the stat above
            raise ContentFileError("berkas-tidak-terbaca", "Bukan berkas biasa; ganti dengan berkas teks biasa")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise ContentFileError("berkas-tidak-terbaca", f"Berkas tidak dapat dibaca: {exc.strerror}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise ContentFileError("berkas-terlalu-besar", f"Berkas melebihi batas {limit} byte")
    return b"".join(chunks)


def list_dir(path: Path) -> list[Path]:
    """Entries of a folder, sorted; [] when it cannot be listed (reported elsewhere)."""
    try:
        return sorted(path.iterdir())
    except OSError:
        return []


def is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


PNG, JPEG = b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"


def read_logo(value: str, year_dir: Path, root: Path) -> bytes:
    """The cover logo: a relative path inside the year folder to a PNG or JPEG picture; ContentFileError otherwise."""
    return read_picture(value, year_dir, root, "logo-tidak-valid", "logo")


def read_picture(value: str, year_dir: Path, root: Path, code: str = "gambar-tidak-valid", what: str = "gambar") -> bytes:
    """A picture named by content (the cover logo, a prose image): a relative path inside the year folder to a whole
    PNG or JPEG file of at most MAX_IMAGE_BYTES; ContentFileError(code) otherwise."""
    parts = value.replace("\\", "/").split("/")
    if not value.strip() or value.startswith(("/", "\\")) or (len(value) > 1 and value[1] == ":") or ".." in parts \
            or "://" in value:
        raise ContentFileError(code, f"{what} harus jalur relatif di dalam folder tahun (mis. gambar/foto.jpg), "
                                     f"bukan '{value}'")
    path = year_dir.joinpath(*[p for p in parts if p not in ("", ".")])
    if not inside(path, year_dir):
        raise ContentFileError(code, f"{what} menunjuk ke luar folder tahun (tautan simbolis); salin berkasnya ke dalam "
                                     "folder tahun")
    if not path.exists():
        raise ContentFileError(code, f"Berkas {what} '{value}' tidak ditemukan di folder tahun")
    try:
        data = read_content_file(path, root, MAX_IMAGE_BYTES)
    except ContentFileError as exc:
        raise ContentFileError(code, f"Berkas {what} '{value}': {exc.message}") from None
    if not data.startswith((PNG, JPEG)):
        raise ContentFileError(code, f"Berkas {what} '{value}' bukan gambar PNG atau JPEG")
    try:
        from docx.image.image import Image
        image = Image.from_blob(data)
        if not (image.px_width > 0 and image.px_height > 0):
            raise ValueError("ukuran nol")
    except Exception:  # noqa: BLE001 - any parse failure means a broken picture
        raise ContentFileError(code, f"Berkas {what} '{value}' rusak (tidak dapat dibaca sebagai gambar)") from None
    return data
