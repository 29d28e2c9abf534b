"""Verified downloads: try each mirror, check size and checksum, then rename into place.

A download goes to a temporary file beside its destination; only a file whose
size and MD5 match the official values is renamed to its final name, so a
half-written or wrong file never sits where a loader would trust it.
"""

import hashlib
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20


class DownloadError(OSError):
    """No mirror delivered a file with the expected size and checksum."""


@dataclass(frozen=True)
class Resource:
    """One file of a data set, with its official size and checksums.

    Attributes
    ----------
    filename : str
        As published, e.g. ``train-images-idx3-ubyte.gz``.
    md5 : str
        MD5 of the published file.
    size : int
        Bytes of the published file.
    content_md5 : str, optional
        MD5 of the decompressed content, which identifies a re-compressed copy
        (Debian repacks the ``.gz`` files) as the same data.
    """

    filename: str
    md5: str
    size: int
    content_md5: str | None = None


def md5_of_file(path):
    """Hex MD5 digest of the file at ``path``, read in chunks."""
    digest = hashlib.md5(usedforsecurity=False)  # the published checksums are MD5; integrity only
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path, resource):
    """Raise ``ValueError`` unless ``path`` has the resource's official size and MD5."""
    size, md5 = Path(path).stat().st_size, md5_of_file(path)
    if size != resource.size or md5 != resource.md5:
        raise ValueError(
            f"{path} is not the official {resource.filename}: expected {resource.size} bytes with MD5 "
            f"{resource.md5}, got {size} bytes with MD5 {md5}"
        )


def download(resource, directory, mirrors, timeout=60):
    """Fetch ``resource`` from the first mirror that serves it correctly.

    Parameters
    ----------
    resource : Resource
    directory : path
        Created if needed; the file lands at ``directory / resource.filename``.
    mirrors : sequence of str
        Base URLs, tried in order; ``<mirror>/<filename>`` is requested.
    timeout : float, default=60
        Seconds per connection attempt.

    Returns
    -------
    Path
        The verified file.

    Raises
    ------
    DownloadError
        Naming the file, every mirror tried and what went wrong there.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    failures = []
    for mirror in mirrors:
        url = f"{mirror.rstrip('/')}/{resource.filename}"
        try:
            return _fetch_verified(url, resource, directory, timeout)
        except (urllib.error.URLError, OSError, ValueError) as error:
            failures.append(f"{url}: {getattr(error, 'reason', error)}")
    tried = "\n  ".join(failures) or "(no mirrors given)"
    raise DownloadError(f"could not download {resource.filename}; tried:\n  {tried}")


def _fetch_verified(url, resource, directory, timeout):
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{resource.filename}.", suffix=".part")
    try:
        digest, size = hashlib.md5(usedforsecurity=False), 0
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            for block in iter(lambda: response.read(CHUNK), b""):
                out.write(block)
                digest.update(block)
                size += len(block)
        if size != resource.size or digest.hexdigest() != resource.md5:
            raise ValueError(
                f"wrong file: expected {resource.size} bytes with MD5 {resource.md5}, "
                f"got {size} bytes with MD5 {digest.hexdigest()}"
            )
        final = directory / resource.filename
        os.replace(tmp_name, final)
        return final
    finally:
        Path(tmp_name).unlink(missing_ok=True)
