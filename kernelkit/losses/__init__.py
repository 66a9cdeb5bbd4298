"""Losses with Keras 3 names: classes (`MeanSquaredError`), functions (`mse`), and `get`."""

from kernelkit.losses.circle_loss import Circle, circle
from kernelkit.losses.generalized_crossentropy import (
    CategoricalGeneralizedCrossEntropy,
    categorical_generalized_cross_entropy,
)
from kernelkit.losses.lookup import (
    deserialize,
    get,
    is_binary_or_sparse_categorical,
    resolve_crossentropy,
    resolve_loss,
    serialize,
)
from kernelkit.losses.loss import Loss, LossFunctionWrapper
from kernelkit.losses.margin import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from kernelkit.losses.overlap import Dice, Tversky, dice, tversky
from kernelkit.losses.probabilistic import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from kernelkit.losses.reduction import reduce_weighted_values
from kernelkit.losses.regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from kernelkit.losses.sequence import CTC, ctc

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence
bce = BCE = binary_crossentropy

__all__ = sorted([
    "CategoricalGeneralizedCrossEntropy", "Circle", "Dice", "Tversky",
    "categorical_generalized_cross_entropy", "circle", "dice", "tversky",
    "BCE", "BinaryCrossentropy", "BinaryFocalCrossentropy", "CTC", "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy", "CategoricalHinge", "CosineSimilarity", "Hinge", "Huber",
    "KLD", "KLDivergence", "LogCosh", "Loss", "LossFunctionWrapper", "MAE", "MAPE", "MSE",
    "MSLE", "MeanAbsoluteError", "MeanAbsolutePercentageError", "MeanSquaredError",
    "MeanSquaredLogarithmicError", "Poisson", "SparseCategoricalCrossentropy", "SquaredHinge",
    "bce", "binary_crossentropy", "binary_focal_crossentropy", "categorical_crossentropy",
    "categorical_focal_crossentropy", "categorical_hinge", "cosine_similarity", "ctc",
    "deserialize", "get", "hinge", "huber", "is_binary_or_sparse_categorical", "kl_divergence",
    "kld", "log_cosh", "mae", "mape", "mean_absolute_error", "mean_absolute_percentage_error",
    "mean_squared_error", "mean_squared_logarithmic_error", "mse", "msle", "poisson",
    "reduce_weighted_values", "resolve_crossentropy", "resolve_loss", "serialize",
    "sparse_categorical_crossentropy", "squared_hinge",
])
