"""The IDX format of MNIST and Fashion-MNIST, read with every field checked.

An IDX file is: two zero bytes, a type code (0x08 = unsigned byte), the number
of dimensions k, then k big-endian uint32 sizes, then the values in C order.
Files may be gzip-compressed (``.gz``).
"""

import gzip
import struct
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


def read_idx_bytes(data, source="IDX data"):
    """Parse IDX bytes into an array; ``ValueError`` naming ``source`` if they are malformed."""
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
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        raise ValueError(
            f"{source} has {len(data)} bytes but its header {shape} of {dtype} promises {expected}; "
            "the file is truncated or damaged"
        )
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def read_idx(path):
    """Read a raw or gzip-compressed IDX file.

    Parameters
    ----------
    path : str or Path
        ``*.gz`` files are decompressed.

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
    try:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except (OSError, EOFError) as error:
        raise ValueError(f"{path} is not a valid gzip file ({error})") from None
    return read_idx_bytes(data, source=str(path))


def write_idx(path, array):
    """Write ``array`` as an IDX file (gzip-compressed when ``path`` ends in ``.gz``)."""
    array = np.asarray(array)
    code = DTYPE_CODES[array.dtype.newbyteorder(">") if array.dtype.itemsize > 1 else array.dtype]
    header = struct.pack(f">HBB{array.ndim}I", 0, code, array.ndim, *array.shape)
    data = header + array.astype(TYPE_CODES[code]).tobytes()
    path = Path(path)
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)
    return path
