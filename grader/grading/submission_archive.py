"""Unpack a submitted archive (a .zip, or the tar stream of `git archive`) into a scratch folder, safely.

Only regular Python files are written: the grader reads nothing else, so a student's data files, notebooks
or build outputs cost neither disk nor time. Every entry name is checked first, and one unsafe name (absolute,
with a drive letter, or climbing out with `..`) refuses the whole archive before anything is written.
Symbolic links and other special entries are ignored. What is written is capped in bytes and in files, so a
zip bomb stops at the cap instead of filling the disk.
"""

from __future__ import annotations

import shutil
import stat
import tarfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import IO, Callable

from grader.core.i18n import t

MAX_BYTES = 50 * 1024 * 1024
"""At most this much is written per submission (the whole kit's exercises are well under 1 MB)."""
MAX_FILES = 5000
"""At most this many files are written per submission."""
_CHUNK = 1 << 16


class ArchiveRefused(ValueError):
    """The archive cannot be unpacked safely or at all; the message is a sentence for the teacher."""


def safe_parts(name: str, lang: str = "en") -> tuple[str, ...]:
    """The path components of entry `name`, or ArchiveRefused when it is absolute or climbs out of the folder."""
    unified = name.replace("\\", "/")  # zips made on Windows may use backslashes
    path = PurePosixPath(unified)
    first = path.parts[0] if path.parts else ""
    if unified.startswith("/") or (len(first) >= 2 and first[1] == ":") or ".." in path.parts:
        raise ArchiveRefused(t("batch.archive_unsafe", lang, name=name))
    return tuple(p for p in path.parts if p not in ("", "."))


class _Budget:
    """Counts bytes and files written and refuses the archive once either cap is passed."""

    def __init__(self, max_bytes: int, lang: str) -> None:
        self.left, self.files, self.max_bytes, self.lang = max_bytes, 0, max_bytes, lang

    def new_file(self) -> None:
        self.files += 1
        if self.files > MAX_FILES:
            raise ArchiveRefused(t("batch.archive_too_many", self.lang, count=MAX_FILES))

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise ArchiveRefused(t("batch.archive_too_big", self.lang, megabytes=self.max_bytes // (1024 * 1024)))


def _copy(source: IO[bytes], target: Path, dest: Path, budget: _Budget) -> None:
    """Write one file below `dest`, counting every chunk against the budget."""
    if not target.resolve().is_relative_to(dest.resolve()):  # never outside, whatever the checks above missed
        raise ArchiveRefused(t("batch.archive_unsafe", budget.lang, name=str(target)))
    budget.new_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as out:
        while chunk := source.read(_CHUNK):
            budget.spend(len(chunk))
            out.write(chunk)


def _wanted(parts: tuple[str, ...]) -> bool:
    """Python files only, and none from macOS's resource-fork folder."""
    return bool(parts) and parts[-1].endswith(".py") and parts[0] != "__MACOSX"


def _is_zip_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def extract_zip(archive: Path, dest: Path, *, lang: str = "en", max_bytes: int = MAX_BYTES) -> Path:
    """Unpack the Python files of zip `archive` into the existing folder `dest`; returns `dest`."""
    try:
        with zipfile.ZipFile(archive) as zf:
            entries = zf.infolist()
            checked = [(info, safe_parts(info.filename, lang)) for info in entries]  # all names first
            budget = _Budget(max_bytes, lang)
            for info, parts in checked:
                if info.is_dir() or _is_zip_symlink(info) or not _wanted(parts):
                    continue
                with zf.open(info) as source:
                    _copy(source, dest.joinpath(*parts), dest, budget)
    except ArchiveRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError, ValueError) as err:
        # Not a zip, a truncated one, an unsupported compression or an encrypted entry: one sentence.
        raise ArchiveRefused(t("batch.zip_unreadable", lang, path=archive.name, detail=err)) from None
    return dest


def extract_tar_stream(stream: IO[bytes], dest: Path, *, lang: str = "en", max_bytes: int = MAX_BYTES,
                       on_refused: Callable[[], None] | None = None) -> Path:
    """Unpack the Python files of an uncompressed tar read from `stream` (as `git archive` writes it) into `dest`.

    Entries arrive one by one, so names are checked as they come; an unsafe one still refuses the whole
    archive, and `dest` is emptied so that nothing from it is graded. `on_refused` runs first (to stop the writer).
    """
    budget = _Budget(max_bytes, lang)
    try:
        with tarfile.open(fileobj=stream, mode="r|") as tf:
            for member in tf:  # a streamed tar is read once, in order
                parts = safe_parts(member.name, lang)
                if not member.isreg() or not _wanted(parts):
                    continue  # directories, links, devices, and everything that is not Python
                source = tf.extractfile(member)
                if source is not None:
                    _copy(source, dest.joinpath(*parts), dest, budget)
    except (ArchiveRefused, tarfile.TarError, OSError) as err:
        if on_refused:
            on_refused()
        for child in dest.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        if isinstance(err, ArchiveRefused):
            raise
        raise ArchiveRefused(t("batch.tar_unreadable", lang, detail=err)) from None
    return dest
