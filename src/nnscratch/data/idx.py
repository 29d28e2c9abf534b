"""The IDX format of MNIST and Fashion-MNIST, read with every field checked.

An IDX file is: two zero bytes, a type code (0x08 = unsigned byte), the number
of dimensions k, then k big-endian uint32 sizes, then the values in C order.
Files may be gzip-compressed (``.gz``).

Files are read in chunks, never more than the header promises (and never
more than a caller's ``max_bytes``), so a small ``.gz`` that would inflate to
gigabytes is refused after reading only what the header allows.
"""

import gzip
import struct
import zlib
from pathlib import Path

import numpy as np

TYPE_CODES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
DTYPE_CODES = {dtype: code for code, dtype in TYPE_CODES.items()}
CHUNK = 1 << 20
# No array may hold more bytes than an index can count.
MAX_ARRAY_BYTES = np.iinfo(np.intp).max


def _parse_header(data, source):
    """Return ``(header_bytes, shape, dtype, total_bytes)`` from the start of an IDX file."""
    if len(data) < 4:
        raise ValueError(f"{source} is too short to be an IDX file ({len(data)} bytes)")
    zero, type_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or type_code not in TYPE_CODES:
        raise ValueError(f"{source} is not an IDX file: bad magic number 0x{data[:4].hex()}")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{source} is truncated inside its header")
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = TYPE_CODES[type_code]
    # Python integers do not overflow. NumPy refuses a shape whose non-zero sizes multiply past
    # what an index can count even when one size is 0, so the check skips zeros as NumPy does.
    values, nonzero = 1, 1
    for size in shape:
        values, nonzero = values * size, nonzero * max(size, 1)
    if nonzero * dtype.itemsize > MAX_ARRAY_BYTES:
        raise ValueError(f"{source} has impossible dimensions {shape}: an array of that shape cannot exist")
    return header, shape, dtype, header + values * dtype.itemsize


def read_idx_bytes(data, source="IDX data"):
    """Parse IDX bytes into an array; ``ValueError`` naming ``source`` if they are malformed."""
    header, shape, dtype, expected = _parse_header(data, source)
    if len(data) != expected:
        raise ValueError(
            f"{source} has {len(data)} bytes but its header {shape} of {dtype} promises {expected}; "
            "the file is truncated or damaged"
        )
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def read_idx_content(path, max_bytes=None, digest=None):
    """The bytes of an IDX file (decompressed if ``*.gz``), read in chunks and capped.

    Parameters
    ----------
    path : Path
    max_bytes : int, optional
        Refuse a file whose content is longer, without reading past it.
    digest : hashlib hash, optional
        Updated with the content as it is read.

    Returns
    -------
    bytes
        The header and the values; at most one byte more than the header
        promises, so that :func:`read_idx_bytes` reports the excess.

    Raises
    ------
    ValueError
        If the header is malformed or promises more than ``max_bytes``, or the gzip stream is damaged.
    """
    source = str(path)
    try:
        with gzip.open(path, "rb") if Path(path).suffix == ".gz" else open(path, "rb") as handle:
            data = _read_at_most(handle, 4, digest)
            if len(data) == 4:
                data += _read_at_most(handle, 4 * data[3], digest)
            expected = _parse_header(data, source)[3]
            if max_bytes is not None and expected > max_bytes:
                raise ValueError(f"{source} promises {expected} bytes of data; at most {max_bytes} were expected")
            return data + _read_at_most(handle, expected - len(data) + 1, digest)
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(f"{source} is not a valid gzip file ({error})") from None


def _read_at_most(handle, n, digest):
    """Up to ``n`` bytes, read a chunk at a time (``read(n)`` would reserve all ``n`` bytes first)."""
    parts, left = [], n
    while left > 0 and (block := handle.read(min(left, CHUNK))):
        parts.append(block)
        left -= len(block)
        if digest is not None:
            digest.update(block)
    return b"".join(parts)


def read_idx(path, max_bytes=None):
    """Read a raw or gzip-compressed IDX file.

    Parameters
    ----------
    path : str or Path
        ``*.gz`` files are decompressed, a chunk at a time.
    max_bytes : int, optional
        Refuse files whose (decompressed) content is longer.

    Returns
    -------
    ndarray
        Shape from the header, e.g. (60000, 28, 28) uint8 images or (60000,) uint8 labels.

    Raises
    ------
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the magic number, the dimensions or the length are wrong, or the gzip stream is damaged.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such IDX file: {path}")
    return read_idx_bytes(read_idx_content(path, max_bytes), source=str(path))


def write_idx(path, array):
    """Write ``array`` as an IDX file (gzip-compressed when ``path`` ends in ``.gz``)."""
    array = np.asarray(array)
    code = DTYPE_CODES[array.dtype.newbyteorder(">") if array.dtype.itemsize > 1 else array.dtype]
    header = struct.pack(f">HBB{array.ndim}I", 0, code, array.ndim, *array.shape)
    data = header + array.astype(TYPE_CODES[code]).tobytes()
    path = Path(path)
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
    return path
