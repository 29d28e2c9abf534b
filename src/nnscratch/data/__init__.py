"""Data sets: toy sets generated on the fly, Iris shipped, image sets found or downloaded.

Reading order: ``toy``, ``iris``, ``idx``, ``download`` and ``locations``,
``mnist``, ``cifar10``, ``digits``, ``batching``.
"""

from nnscratch.data.cifar10 import load_cifar10
from nnscratch.data.digits import load_digits
from nnscratch.data.download import DownloadError
from nnscratch.data.idx import read_idx, write_idx
from nnscratch.data.iris import load_iris, stratified_split
from nnscratch.data.mnist import load_fashion_mnist, load_mnist
from nnscratch.data.toy import make_spiral, make_xor

__all__ = [
    "DownloadError",
    "load_cifar10",
    "load_digits",
    "load_fashion_mnist",
    "load_iris",
    "load_mnist",
    "make_spiral",
    "make_xor",
    "read_idx",
    "stratified_split",
    "write_idx",
]
