"""`FeatureSpace`: preprocessing and encoding of structured data, with its `Feature` and
`Cross` specifications."""

from kernelkit.layers.feature_space.feature_space import FeatureSpace
from kernelkit.layers.feature_space.specs import Cross, Feature

__all__ = ["Cross", "Feature", "FeatureSpace"]
