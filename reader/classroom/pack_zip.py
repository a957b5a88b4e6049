"""Unzipping an exercise pack someone sent: into a private temporary folder, once per process
and zip file, refusing zips too big, too many-membered or with members that would land
outside it. No UI."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from stat import S_ISLNK

from reader.errors import UserError
from reader.ingest.sanitize import display_line

MAX_ZIP_BYTES = 64 * 1024 * 1024
"""Uncompressed size above which a zipped pack is refused."""
MAX_ZIP_MEMBERS = 1000
"""Files and folders a zipped pack may hold (a million empty members would still unzip)."""

_extracted: dict[tuple[str, int, int], Path] = {}


def _manifest_member(names: Sequence[str], manifest: str) -> str | None:
    """`manifest` at the top of the zip, or inside its single top-level folder."""
    if manifest in names:
        return manifest
    candidates = [n for n in names if PurePosixPath(n).name == manifest and len(PurePosixPath(n).parts) == 2]
    return candidates[0] if len(candidates) == 1 else None


def zip_has_manifest(path: Path, manifest: str) -> bool:
    """Whether the zip `path` holds a pack: a file named `manifest` (see `extract_zip`)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _manifest_member(archive.namelist(), manifest) is not None
    except (OSError, zipfile.BadZipFile):
        return False


def extract_zip(path: Path, manifest: str) -> Path:
    """The folder holding the pack's `manifest` file once the zip `path` is extracted
    (extracted once per process), or a UserError naming the zip."""
    try:
        stat = path.stat()
        cache_key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        if cache_key in _extracted and (_extracted[cache_key] / manifest).is_file():
            return _extracted[cache_key]
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            member = _manifest_member([i.filename for i in infos], manifest)
            if member is None:
                raise UserError(f"{path}: not an exercise pack (no {manifest} in the zip)")
            if len(infos) > MAX_ZIP_MEMBERS:
                raise UserError(f"{path}: over {MAX_ZIP_MEMBERS} files in the zip; too many for a pack")
            if sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
                raise UserError(f"{path}: over {MAX_ZIP_BYTES // (1024 * 1024)} MB unzipped; too big for a pack")
            for info in infos:
                name = PurePosixPath(info.filename)
                shown = display_line(repr(info.filename))
                drive = PureWindowsPath(info.filename).anchor  # C: is a way out on Windows
                if name.is_absolute() or ".." in name.parts or "\\" in info.filename or drive:
                    raise UserError(f"{path}: member {shown} would be written outside the pack; refused")
                if S_ISLNK(info.external_attr >> 16):
                    raise UserError(f"{path}: member {shown} is a symbolic link; a pack holds files only, refused")
            target = Path(tempfile.mkdtemp(prefix="presscheck-pack-"))
            atexit.register(shutil.rmtree, target, True)
            archive.extractall(target)
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except zipfile.BadZipFile:
        raise UserError(f"{path}: not a valid zip file; zip the pack folder again") from None
    except OSError as error:
        raise UserError(f"{path}: cannot read it ({error.strerror})") from None
    folder = target / PurePosixPath(member).parent
    _extracted[cache_key] = folder
    return folder
