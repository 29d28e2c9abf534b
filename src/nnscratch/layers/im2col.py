"""im2col and col2im: a convolution turned into one matrix product (the book's chapter 7).

Letters used here and in the convolution layers: N batch, C channels, H x W image,
FH x FW filter (or pooling window), s stride, p zero padding on every side, and
OH x OW output positions::

    OH = (H + 2p - FH) // s + 1        OW = (W + 2p - FW) // s + 1

Positions where the window would run past the padded edge are dropped (the floor), as in
the book and PyTorch.

Each function is written twice. ``im2col_loops`` and ``col2im_loops`` walk the output
positions one by one and say what a row is; they are the definition. ``im2col_t`` and
``col2im_t`` give the same numbers transposed, ``(C*FH*FW, OH*OW*N)``, with FH*FW slice
copies (or slice additions) instead of N*OH*OW. The layers use that pair: it lets them do
one matrix product and no transposing copy (see ``Convolution``). ``im2col`` and ``col2im``,
the book's shapes, are readings of the fast pair; the tests check all of them equal.

The fast pair keeps images *batch-last*, stored (C, H, W, N) and seen as (N, C, H, W)
views: a row of pixels of the whole batch is then one contiguous run of W*N numbers, so
each slice copy moves long runs instead of W numbers at a time.
"""

import numbers

from nnscratch.backend import get_array_module
from nnscratch.parallel import split
from nnscratch.validation import check_positive_int


def output_size(input_shape, filter_h, filter_w, stride=1, pad=0):
    """``(OH, OW)``, the output positions of a ``filter_h x filter_w`` window over ``input_shape``.

    Parameters
    ----------
    input_shape : tuple of 4 int
        (N, C, H, W).
    filter_h, filter_w : int
    stride : int, default=1
    pad : int, default=0

    Raises
    ------
    ValueError
        When ``input_shape`` is not 4-D, a size is not a positive integer (``pad`` may be 0),
        or the window is larger than the padded image; the message names the shapes.
    """
    if len(input_shape) != 4:
        raise ValueError(f"expected an input of shape (N, C, H, W), got an array of shape {tuple(input_shape)}")
    check_positive_int(filter_h, "filter_h")
    check_positive_int(filter_w, "filter_w")
    check_positive_int(stride, "stride")
    if isinstance(pad, bool) or not isinstance(pad, numbers.Integral) or pad < 0:
        raise ValueError(f"pad must be a non-negative integer, got {pad!r}")
    H, W = input_shape[2] + 2 * pad, input_shape[3] + 2 * pad
    if filter_h > H or filter_w > W:
        raise ValueError(
            f"a {filter_h}x{filter_w} window does not fit the input of shape {tuple(input_shape)} "
            f"padded by {pad} to {H}x{W}; use a smaller window or more padding"
        )
    return (H - filter_h) // stride + 1, (W - filter_w) // stride + 1


def im2col_loops(input_data, filter_h, filter_w, stride=1, pad=0):
    """The readable im2col: one row per output position, one loop step per row.

    ::

        image n (C, H, W), zero-padded         row n*OH*OW + y*OW + x of the result
        +-----------------+
        |  +---------+    |                    [ the C x FH x FW window at (y, x),
        |  | window  |    |          ->          flattened channel by channel:
        |  | at y, x |    |                      c=0: FH*FW values, c=1: ..., ... ]
        |  +---------+    |
        +-----------------+                    the window's top-left is (y*s, x*s)

    Parameters
    ----------
    input_data : ndarray, shape (N, C, H, W)
    filter_h, filter_w : int
    stride : int, default=1
    pad : int, default=0

    Returns
    -------
    col : ndarray, shape (N*OH*OW, C*filter_h*filter_w)
    """
    OH, OW = output_size(input_data.shape, filter_h, filter_w, stride, pad)
    xp = get_array_module(input_data)
    N, C = input_data.shape[:2]
    img = xp.pad(input_data, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    col = xp.empty((N, OH, OW, C * filter_h * filter_w), dtype=input_data.dtype)
    for y in range(OH):
        for x in range(OW):
            window = img[:, :, y * stride : y * stride + filter_h, x * stride : x * stride + filter_w]
            col[:, y, x] = window.reshape(N, -1)
    return col.reshape(N * OH * OW, -1)


def col2im_loops(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """The readable col2im: add each row back onto the window it came from.

    The adjoint of :func:`im2col_loops`: where windows overlap, their values add up
    (which is what backprop needs: a pixel used by several windows gets all their gradients).

    Parameters
    ----------
    col : ndarray, shape (N*OH*OW, C*filter_h*filter_w)
    input_shape : tuple (N, C, H, W)
    filter_h, filter_w, stride, pad : int

    Returns
    -------
    ndarray, shape (N, C, H, W)
    """
    OH, OW = output_size(input_shape, filter_h, filter_w, stride, pad)
    N, C, H, W = input_shape
    _check_col_shape(col, (N * OH * OW, C * filter_h * filter_w), input_shape)
    xp = get_array_module(col)
    img = xp.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=col.dtype)
    rows = col.reshape(N, OH, OW, C, filter_h, filter_w)
    for y in range(OH):
        for x in range(OW):
            img[:, :, y * stride : y * stride + filter_h, x * stride : x * stride + filter_w] += rows[:, y, x]
    return img[:, :, pad : pad + H, pad : pad + W]


def im2col_t(x, filter_h, filter_w, stride=1, pad=0, fill=0.0, out=None):
    """``im2col(x).T`` built directly, batch-last: (C*FH*FW, OH*OW*N), one slice copy per filter offset.

    Row ``(c, i, j)``, column ``(y, x, n)`` holds pixel ``(c, y*s + i, x*s + j)`` of image
    ``n``: for a fixed offset ``(i, j)`` that is the strided slice ``x_padded[:, c, i::s, j::s]``
    of every image, copied in one step, so the loop runs FH*FW times instead of N*OH*OW.
    It equals ``im2col(x).T`` with the columns in (y, x, n) order instead of (n, y, x).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    filter_h, filter_w : int
    stride : int, default=1
    pad : int, default=0
    fill : float, default=0.0
        The padding's value (max pooling pads with ``-inf``, so that padding never wins).
    out : ndarray, shape (C*filter_h*filter_w, OH*OW*N), C-contiguous, optional
        Where to write the columns (a convolution passes the top rows of a matrix that has
        one more row, of ones, for its bias).

    Returns
    -------
    ndarray, shape (C*filter_h*filter_w, OH*OW*N), C-contiguous (``out`` when given)
    """
    OH, OW = output_size(x.shape, filter_h, filter_w, stride, pad)
    N, C = x.shape[:2]
    shape = (C * filter_h * filter_w, OH * OW * N)
    if out is None:
        out = get_array_module(x).empty(shape, dtype=x.dtype)
    elif tuple(out.shape) != shape or not out.flags.c_contiguous:
        got = f"shape {tuple(out.shape)}" if tuple(out.shape) != shape else "a non-contiguous array of that shape"
        raise ValueError(f"out must be a C-contiguous array of shape {shape}, got {got}")
    img = _batch_last(x, pad, fill)
    cols = out.reshape(C, filter_h, filter_w, OH, OW, N)  # a view: out is contiguous
    offsets = [(i, j) for i in range(filter_h) for j in range(filter_w)]

    def copy(part):  # the offsets in `part`; each writes its own rows of out
        for i, j in offsets[part]:
            cols[:, i, j] = img[:, i : i + stride * (OH - 1) + 1 : stride, j : j + stride * (OW - 1) + 1 : stride]

    split(copy, len(offsets), out)  # the cores share the offsets (see nnscratch.parallel)
    return out


def col2im_t(cols, input_shape, filter_h, filter_w, stride=1, pad=0):
    """The adjoint of :func:`im2col_t`: add its columns back onto their windows of the image.

    One slice addition per filter offset, each clipped to the image: what fell on the
    padding is dropped rather than added to a padded image and cut off. The result is an
    (N, C, H, W) view of an array stored batch-last, (C, H, W, N), the layout
    :func:`im2col_t` reads without a copy.

    Parameters
    ----------
    cols : ndarray, shape (C*filter_h*filter_w, OH*OW*N)
    input_shape : tuple (N, C, H, W)
    filter_h, filter_w, stride, pad : int

    Returns
    -------
    ndarray, shape (N, C, H, W)
    """
    OH, OW = output_size(input_shape, filter_h, filter_w, stride, pad)
    N, C, H, W = input_shape
    _check_col_shape(cols, (C * filter_h * filter_w, OH * OW * N), input_shape)
    blocks = cols.reshape(C, filter_h, filter_w, OH, OW, N)
    img = get_array_module(cols).zeros((C, H, W, N), dtype=cols.dtype)
    down = [_inside(i, stride, OH, pad, H) for i in range(filter_h)]
    across = [_inside(j, stride, OW, pad, W) for j in range(filter_w)]

    def add(part):  # the channels in `part`: offsets overlap in the image, channels never do
        for i, (ys, rows) in enumerate(down):
            for j, (xs, columns) in enumerate(across):
                img[part, rows, columns] += blocks[part, i, j, ys, xs]

    split(add, C, cols)  # the cores share the channels (see nnscratch.parallel)
    return img.transpose(3, 0, 1, 2)


def _inside(offset, stride, out_len, pad, size):
    """For one filter offset along one axis: (output positions, image positions) that land inside the image.

    Output position y reads padded pixel ``offset + stride*y``, image pixel ``offset + stride*y - pad``;
    returns the slice of y for which that pixel is in [0, size), and the slice of those pixels.
    """
    first = max(0, -(-(pad - offset) // stride))  # the ceiling of (pad - offset) / stride
    last = min(out_len, -(-(pad + size - offset) // stride))
    if last <= first:  # this offset sees only padding (a filter wider than the image)
        return slice(0, 0), slice(0, 0)
    start = offset + stride * first - pad
    return slice(first, last), slice(start, start + stride * (last - first - 1) + 1, stride)


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """The book's im2col: every filter window of every image as one row.

    Same result as :func:`im2col_loops` (see its picture of a row), computed by
    :func:`im2col_t` and reordered to the book's rows (one more copy).

    Parameters
    ----------
    input_data : ndarray, shape (N, C, H, W)
    filter_h, filter_w : int
    stride : int, default=1
    pad : int, default=0

    Returns
    -------
    col : ndarray, shape (N*OH*OW, C*filter_h*filter_w)

    Examples
    --------
    >>> import numpy as np
    >>> from nnscratch import im2col
    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> im2col(x, 2, 2, stride=2)
    array([[ 0.,  1.,  4.,  5.],
           [ 2.,  3.,  6.,  7.],
           [ 8.,  9., 12., 13.],
           [10., 11., 14., 15.]])
    """
    _check_image(input_data, "input_data")
    OH, OW = output_size(input_data.shape, filter_h, filter_w, stride, pad)
    cols = im2col_t(input_data, filter_h, filter_w, stride, pad)  # (C*FH*FW, OH*OW*N)
    K = cols.shape[0]  # C*FH*FW; no -1 in these reshapes: an empty batch (N = 0) stays well defined
    return cols.reshape(K, OH * OW, input_data.shape[0]).transpose(2, 1, 0).reshape(-1, K)


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """The book's col2im: add every row of ``col`` back onto its window of an (N, C, H, W) image.

    Same result as :func:`col2im_loops`, computed by :func:`col2im_t`.

    Parameters
    ----------
    col : ndarray, shape (N*OH*OW, C*filter_h*filter_w)
    input_shape : tuple (N, C, H, W)
    filter_h, filter_w : int
    stride : int, default=1
    pad : int, default=0

    Returns
    -------
    ndarray, shape (N, C, H, W)
    """
    if getattr(col, "ndim", None) != 2:
        raise ValueError(f"col must be 2-D, (N*OH*OW, C*FH*FW), got shape {getattr(col, 'shape', None)}")
    OH, OW = output_size(input_shape, filter_h, filter_w, stride, pad)
    N, C = input_shape[:2]
    _check_col_shape(col, (N * OH * OW, C * filter_h * filter_w), input_shape)
    K = C * filter_h * filter_w
    cols = col.reshape(N, OH * OW, K).transpose(2, 1, 0).reshape(K, OH * OW * N)  # im2col_t's layout
    return col2im_t(cols, tuple(input_shape), filter_h, filter_w, stride, pad)


def _check_image(x, name):
    if getattr(x, "ndim", None) != 4:
        raise ValueError(f"{name} must be 4-D, (N, C, H, W), got an array of shape {getattr(x, 'shape', None)}")


def _check_col_shape(col, expected, input_shape):
    if tuple(col.shape) != expected:
        raise ValueError(f"col must have shape {expected} for input_shape {tuple(input_shape)}, got {tuple(col.shape)}")


def _batch_last(x, pad, fill):
    """``x`` (N, C, H, W) as (C, H + 2*pad, W + 2*pad, N), padded with ``fill``; no copy when it already is."""
    x = x.transpose(1, 2, 3, 0)
    if pad == 0 and x.flags.c_contiguous:  # the output of a layer of this package
        return x
    C, H, W, N = x.shape
    img = get_array_module(x).full((C, H + 2 * pad, W + 2 * pad, N), fill, dtype=x.dtype)
    img[:, pad : pad + H, pad : pad + W] = x
    return img
