"""Regularization layers: dropout and noise in training, activity penalties."""

from kernelkit.layers.regularization.activity_regularization import ActivityRegularization
from kernelkit.layers.regularization.alpha_dropout import AlphaDropout
from kernelkit.layers.regularization.dropout import Dropout
from kernelkit.layers.regularization.gaussian_dropout import GaussianDropout
from kernelkit.layers.regularization.gaussian_noise import GaussianNoise
from kernelkit.layers.regularization.spatial_dropout import SpatialDropout1D, SpatialDropout2D
from kernelkit.layers.regularization.spatial_dropout_3d import SpatialDropout3D

__all__ = ["ActivityRegularization", "AlphaDropout", "Dropout", "GaussianDropout", "GaussianNoise",
           "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"]
