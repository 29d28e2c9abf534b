"""Verified downloads: try each mirror, check size and checksum, then rename into place.

A download goes to a temporary file beside its destination; only a file whose
size and MD5 match the official values is renamed to its final name, so a
half-written or wrong file never sits where a loader would trust it.

A mirror is given up on, and the next one tried, whatever goes wrong there:
no connection, an HTTP error, a garbled or cut-off response, a
``Content-Length`` other than the known size, more bytes than the known size
(the download stops at once, so a lying server cannot fill the disk), or a
transfer that has not finished by its deadline (so a server that trickles a
byte at a time cannot hold the download forever).
"""

import hashlib
import http.client
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from nnscratch.io import create_temp_file

CHUNK = 1 << 20
# A download may take this long to start plus the time its size needs at this rate (bytes per
# second), averaged: 4.5 minutes for MNIST's largest file, 45 minutes for CIFAR-10's archive.
DEADLINE_ALLOWANCE_S = 120.0
MIN_RATE = 64 * 1024
# What one mirror can throw: URLError, HTTPError, timeouts and SSL errors are OSErrors;
# BadStatusLine, IncompleteRead and friends are HTTPExceptions; ValueError is a wrong file.
MIRROR_ERRORS = (OSError, http.client.HTTPException, ValueError)


class DownloadError(OSError):
    """No mirror delivered a file with the expected size and checksum."""


class _MirrorError(ValueError):
    """What one mirror did wrong, in words."""


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
        (Debian repacks the ``.gz`` files) or a raw copy as the same data.
    content_size : int, optional
        Bytes of the decompressed content: no more is ever decompressed.
    """

    filename: str
    md5: str
    size: int
    content_md5: str | None = None
    content_size: int | None = None


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


def default_deadline(size):
    """Seconds a download of ``size`` bytes may take in all: a fixed allowance plus ``size / MIN_RATE``."""
    return DEADLINE_ALLOWANCE_S + size / MIN_RATE


def download(resource, directory, mirrors, timeout=30, deadline=None):
    """Fetch ``resource`` from the first mirror that serves it correctly.

    Parameters
    ----------
    resource : Resource
    directory : path
        Created if needed; the file lands at ``directory / resource.filename``.
    mirrors : sequence of str
        Base URLs, tried in order; ``<mirror>/<filename>`` is requested.
    timeout : float, default=30
        Seconds to wait for a connection or for any single read.
    deadline : float, optional
        Seconds one mirror may take for the whole file; by default
        :func:`default_deadline` of the resource's size.

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
    deadline = default_deadline(resource.size) if deadline is None else deadline
    failures = []
    for mirror in mirrors:
        url = f"{mirror.rstrip('/')}/{resource.filename}"
        try:
            return _fetch_verified(url, resource, directory, timeout, deadline)
        except MIRROR_ERRORS as error:
            failures.append(f"{url}: {_reason(error)}")
    tried = "\n  ".join(failures) or "(no mirrors given)"
    raise DownloadError(f"could not download {resource.filename}; tried:\n  {tried}")


def _reason(error):
    """One line saying what went wrong at a mirror."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return f"cannot connect ({error.reason})"
    if isinstance(error, _MirrorError):
        return str(error)
    return f"{type(error).__name__}: {' '.join(str(error).split())}"  # one line, even for a garbled status


def _fetch_verified(url, resource, directory, timeout, deadline):
    fd, tmp_path = create_temp_file(directory, f".{resource.filename}.", ".part")
    try:
        with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
            _check_length(response.headers.get("Content-Length"), resource.size)
            size, md5 = _copy_capped(response, out, resource.size, time.monotonic() + deadline)
        if size != resource.size or md5 != resource.md5:
            raise _MirrorError(
                f"wrong file: expected {resource.size} bytes with MD5 {resource.md5}, got {size} bytes with MD5 {md5}"
            )
        final = directory / resource.filename
        os.replace(tmp_path, final)
        return final
    finally:
        tmp_path.unlink(missing_ok=True)


def _check_length(header, size):
    """Refuse a response whose announced length is not the known size (a wrong or truncated file)."""
    if header is not None and header.strip() != str(size):
        raise _MirrorError(f"the server announces Content-Length {header.strip()!r}, the file has {size} bytes")


def _copy_capped(response, out, limit, stop_at):
    """Copy the body to ``out``, hashing it, and stop past ``limit`` bytes or after ``stop_at``.

    ``read1`` returns what one read from the socket gives, so the deadline is
    checked after every packet, not after a whole chunk a trickling server
    might never finish.
    """
    digest, size = hashlib.md5(usedforsecurity=False), 0
    while block := response.read1(CHUNK):
        size += len(block)
        if size > limit:
            raise _MirrorError(f"the server sent more than the file's {limit} bytes; stopped there")
        if time.monotonic() > stop_at:
            raise _MirrorError(f"too slow: {size} of {limit} bytes arrived before the deadline; gave up")
        out.write(block)
        digest.update(block)
    if size < limit:
        raise _MirrorError(f"the connection closed after {size} of {limit} bytes")
    return size, digest.hexdigest()
