"""Every public name (each module's `__all__`) carries a runnable `>>>` example in its docstring."""

import importlib
import inspect

import pytest

MODULES = [
    "kernelkit", "kernelkit.layers", "kernelkit.models", "kernelkit.losses", "kernelkit.metrics",
    "kernelkit.optimizers", "kernelkit.optimizers.schedules", "kernelkit.callbacks",
    "kernelkit.activations", "kernelkit.initializers", "kernelkit.regularizers",
    "kernelkit.constraints", "kernelkit.utils", "kernelkit.data", "kernelkit.ops",
    "kernelkit.export", "kernelkit.saving", "kernelkit.display",
    "kernelkit.ops.numpy", "kernelkit.ops.nn", "kernelkit.ops.math", "kernelkit.ops.core",
    "kernelkit.ops.linalg", "kernelkit.ops.image", "kernelkit.ops.image_windows",
    "kernelkit.random", "kernelkit.tree", "kernelkit.backend", "kernelkit.config",
    "kernelkit.dtype_policies", "kernelkit.mixed_precision", "kernelkit.preprocessing",
    "kernelkit.visualization", "kernelkit.applications", "kernelkit.layers.structured",
    "kernelkit.layers.text", "kernelkit.layers.augmentation", "kernelkit.display.weights_view",
    "kernelkit.ops.dtypes", "kernelkit.ops.numpy_conversion", "kernelkit.preprocessing.image",
    "kernelkit.preprocessing.sequence", "kernelkit.data.bounding_boxes",
    "kernelkit.saving.legacy_serialization", "kernelkit.layers.feature_space.feature_space",
    "kernelkit.layers.feature_space.constructors", "kernelkit.layers.feature_space.specs",
    "kernelkit.layers.feature_space.passthrough", "kernelkit.layers.feature_space.encoding",
    "kernelkit.layers.feature_space.adapt_data", "kernelkit.data.source",
    "kernelkit.training.session", "kernelkit.training.passes", "kernelkit.training.overrides",
    "kernelkit.registry", "kernelkit.shapes", "kernelkit.errors", "kernelkit.compilation_cache",
    "kernelkit.variables", "kernelkit.layers.stateless_call", "kernelkit.optimizers.state_variables",
    "kernelkit.optimizers.stateless_apply", "kernelkit.applications.inception_v3",
    "kernelkit.applications.inception_resnet_v2", "kernelkit.applications.xception",
    "kernelkit.applications.nasnet", "kernelkit.applications.nasnet_cells",
    "kernelkit.applications.mobilenet_v3", "kernelkit.applications.stride_padding",
    "kernelkit.applications.image_arguments", "kernelkit.distribution",
    "kernelkit.layers.op_serialization",
]


@pytest.mark.parametrize("module_name", MODULES)
def test_every_public_name_has_an_example(module_name):
    module = importlib.import_module(module_name)
    missing = []
    for name in getattr(module, "__all__", []):
        obj = getattr(module, name, None)
        if obj is None or inspect.ismodule(obj):
            continue
        if ">>>" not in (inspect.getdoc(obj) or ""):
            missing.append(f"{module_name}.{name}")
    assert not missing, f"public names without a `>>>` example: {missing}"
