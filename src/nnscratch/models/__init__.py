"""Networks built from layers: the general base, then the lectures' models."""

from nnscratch.models.convnet import convnet
from nnscratch.models.mlp import mlp
from nnscratch.models.network import Network
from nnscratch.models.sequential import Sequential
from nnscratch.models.simple_conv_net import SimpleConvNet
from nnscratch.models.softmax_classifier import SoftmaxClassifier
from nnscratch.models.two_layer_net import TwoLayerNet

__all__ = ["convnet", "mlp", "Network", "Sequential", "SimpleConvNet", "SoftmaxClassifier", "TwoLayerNet"]
