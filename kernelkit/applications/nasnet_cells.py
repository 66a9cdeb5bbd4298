"""NASNet-A's normal and reduction cells, with Keras's layer names and scoped weight paths.

Keras builds these cells inside name scopes (`normal_A_block_0/block_1/...`), which become
the prefix of every weight's `path`. Each function here takes that scope as a string and
gives the weights of the layers it creates the same paths.
"""

from __future__ import annotations

from kernelkit import config, layers
from kernelkit.applications.stride_padding import correct_pad

__all__ = ["batch_norm", "normal_a_cell", "reduction_a_cell", "scoped"]


def _channel_dim():
    return 1 if config.image_data_format() == "channels_first" else -1


def scoped(layer, inputs, scope):
    """Calls `layer` on `inputs`, then prefixes its weights' paths with `scope` as Keras does.

    Args:
        layer: An unbuilt layer.
        inputs: Its input (symbolic tensor or list).
        scope: `"a/b"` for weights at `a/b/<layer name>/<weight name>`; `""` for none.

    Returns:
        The layer's output.

    Example:
        >>> import kernelkit as kk
        >>> dense = kk.layers.Dense(2, name="d")
        >>> _ = scoped(dense, kk.Input(shape=(3,)), "cell/block_1")
        >>> dense.kernel.path
        'cell/block_1/d/kernel'
    """
    outputs = layer(inputs)
    if scope:
        for weight in layer.weights:
            weight.set_metadata(path=f"{scope}/{layer.name}/{weight.name}")
    return outputs


def batch_norm(x, name, scope=""):
    """NASNet's BatchNormalization (momentum 0.9997, epsilon 1e-3), called on `x`.

    Args:
        x: The input tensor.
        name: The layer's name.
        scope: The name scope of its weights.

    Returns:
        The normalized tensor.

    Example:
        >>> import kernelkit as kk
        >>> batch_norm(kk.Input(shape=(4, 4, 2)), "bn").shape
        (None, 4, 4, 2)
    """
    layer = layers.BatchNormalization(axis=_channel_dim(), momentum=0.9997, epsilon=1e-3,
                                      name=name)
    return scoped(layer, x, scope)


def _conv_1x1(x, filters, name, scope):
    layer = layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", use_bias=False,
                          name=name, kernel_initializer="he_normal")
    return scoped(layer, x, scope)


def _separable_conv_block(x, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None,
                          scope=""):
    """ReLU, separable convolution, batch norm, twice (the first one strided if asked)."""
    scope = f"{scope}/separable_conv_block_{block_id}"
    x = layers.Activation("relu")(x)
    padding = "same"
    if strides == (2, 2):
        x = layers.ZeroPadding2D(padding=correct_pad(x, kernel_size),
                                 name=f"separable_conv_1_pad_{block_id}")(x)
        padding = "valid"
    x = scoped(layers.SeparableConv2D(filters, kernel_size, strides=strides,
                                      name=f"separable_conv_1_{block_id}", padding=padding,
                                      use_bias=False), x, scope)
    x = batch_norm(x, f"separable_conv_1_bn_{block_id}", scope)
    x = layers.Activation("relu")(x)
    x = scoped(layers.SeparableConv2D(filters, kernel_size, name=f"separable_conv_2_{block_id}",
                                      padding="same", use_bias=False), x, scope)
    return batch_norm(x, f"separable_conv_2_bn_{block_id}", scope)


def _halve_previous(p, filters, block_id, scope):
    """Brings the previous cell's output to half its size, in two offset 1x1 paths."""
    scope = f"{scope}/adjust_reduction_block_{block_id}"
    p = layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
    p1 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid",
                                 name=f"adjust_avg_pool_1_{block_id}")(p)
    p1 = _conv_1x1(p1, filters // 2, f"adjust_conv_1_{block_id}", scope)
    p2 = layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
    p2 = layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
    p2 = layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid",
                                 name=f"adjust_avg_pool_2_{block_id}")(p2)
    p2 = _conv_1x1(p2, filters // 2, f"adjust_conv_2_{block_id}", scope)
    p = layers.concatenate([p1, p2], axis=_channel_dim())
    return batch_norm(p, f"adjust_bn_{block_id}", scope)


def _adjust_block(p, ip, filters, block_id, scope):
    """Matches the previous cell's output `p` to `ip`'s size and to `filters` channels."""
    scope = f"{scope}/adjust_block"
    img_dim = 2 if config.image_data_format() == "channels_first" else -2
    if p is None:
        return ip
    if p.shape[img_dim] != ip.shape[img_dim]:
        return _halve_previous(p, filters, block_id, scope)
    if p.shape[_channel_dim()] != filters:
        scope = f"{scope}/adjust_projection_block_{block_id}"
        p = layers.Activation("relu")(p)
        p = _conv_1x1(p, filters, f"adjust_conv_projection_{block_id}", scope)
        return batch_norm(p, f"adjust_bn_{block_id}", scope)
    return p


def _squeeze_input(ip, filters, kind, block_id, scope):
    h = layers.Activation("relu")(ip)
    h = _conv_1x1(h, filters, f"{kind}_conv_1_{block_id}", scope)
    return batch_norm(h, f"{kind}_bn_1_{block_id}", scope)


def _average_pool(x, name, strides=(1, 1), padding="same"):
    return layers.AveragePooling2D((3, 3), strides=strides, padding=padding, name=name)(x)


def normal_a_cell(ip, p, filters, block_id):
    """The normal cell of NASNet-A: five branch pairs summed, then concatenated.

    Args:
        ip: The output of the previous cell.
        p: The output of the cell before it (or `None`).
        filters: The channels of each branch.
        block_id: The suffix of the layer names (`"0"`, `"1"`, ...).

    Returns:
        `(output, ip)`: the cell's output and the input, the next cell's `p`.

    Example:
        >>> import kernelkit as kk
        >>> x, _ = normal_a_cell(kk.Input(shape=(8, 8, 16)), None, 16, "0")
        >>> x.shape
        (None, 8, 8, 96)
    """
    scope = f"normal_A_block_{block_id}"
    p = _adjust_block(p, ip, filters, block_id, scope)
    h = _squeeze_input(ip, filters, "normal", block_id, scope)
    block = f"{scope}/block_1"
    x1 = layers.add([_separable_conv_block(h, filters, (5, 5), block_id=f"normal_left1_{block_id}",
                                           scope=block),
                     _separable_conv_block(p, filters, block_id=f"normal_right1_{block_id}",
                                           scope=block)], name=f"normal_add_1_{block_id}")
    block = f"{scope}/block_2"
    x2 = layers.add([_separable_conv_block(p, filters, (5, 5), block_id=f"normal_left2_{block_id}",
                                           scope=block),
                     _separable_conv_block(p, filters, (3, 3),
                                           block_id=f"normal_right2_{block_id}", scope=block)],
                    name=f"normal_add_2_{block_id}")
    x3 = layers.add([_average_pool(h, f"normal_left3_{block_id}"), p],
                    name=f"normal_add_3_{block_id}")
    x4 = layers.add([_average_pool(p, f"normal_left4_{block_id}"),
                     _average_pool(p, f"normal_right4_{block_id}")],
                    name=f"normal_add_4_{block_id}")
    x5 = _separable_conv_block(h, filters, block_id=f"normal_left5_{block_id}",
                               scope=f"{scope}/block_5")
    x5 = layers.add([x5, h], name=f"normal_add_5_{block_id}")
    x = layers.concatenate([p, x1, x2, x3, x4, x5], axis=_channel_dim(),
                           name=f"normal_concat_{block_id}")
    return x, ip


def reduction_a_cell(ip, p, filters, block_id):
    """The reduction cell of NASNet-A: halves height and width.

    Args:
        ip: The output of the previous cell.
        p: The output of the cell before it (or `None`).
        filters: The channels of each branch.
        block_id: The suffix of the layer names (`"stem_1"`, `"reduce_4"`, ...).

    Returns:
        `(output, ip)`: the cell's output and the input, the next cell's `p`.

    Example:
        >>> import kernelkit as kk
        >>> x, _ = reduction_a_cell(kk.Input(shape=(8, 8, 16)), None, 4, "stem_1")
        >>> x.shape
        (None, 4, 4, 16)
    """
    scope = f"reduction_A_block_{block_id}"
    p = _adjust_block(p, ip, filters, block_id, scope)
    h = _squeeze_input(ip, filters, "reduction", block_id, scope)
    h3 = layers.ZeroPadding2D(padding=correct_pad(h, 3), name=f"reduction_pad_1_{block_id}")(h)
    block = f"{scope}/block_1"
    x1 = layers.add([
        _separable_conv_block(h, filters, (5, 5), strides=(2, 2),
                              block_id=f"reduction_left1_{block_id}", scope=block),
        _separable_conv_block(p, filters, (7, 7), strides=(2, 2),
                              block_id=f"reduction_right1_{block_id}", scope=block)],
        name=f"reduction_add_1_{block_id}")
    x2 = layers.add([
        layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid",
                            name=f"reduction_left2_{block_id}")(h3),
        _separable_conv_block(p, filters, (7, 7), strides=(2, 2),
                              block_id=f"reduction_right2_{block_id}",
                              scope=f"{scope}/block_2")], name=f"reduction_add_2_{block_id}")
    x3 = layers.add([
        _average_pool(h3, f"reduction_left3_{block_id}", strides=(2, 2), padding="valid"),
        _separable_conv_block(p, filters, (5, 5), strides=(2, 2),
                              block_id=f"reduction_right3_{block_id}",
                              scope=f"{scope}/block_3")], name=f"reduction_add3_{block_id}")
    x4 = layers.add([x2, _average_pool(x1, f"reduction_left4_{block_id}")])
    x5 = layers.add([
        _separable_conv_block(x1, filters, (3, 3), block_id=f"reduction_left4_{block_id}",
                              scope=f"{scope}/block_5"),
        layers.MaxPooling2D((3, 3), strides=(2, 2), padding="valid",
                            name=f"reduction_right5_{block_id}")(h3)],
        name=f"reduction_add4_{block_id}")
    x = layers.concatenate([x2, x3, x4, x5], axis=_channel_dim(),
                           name=f"reduction_concat_{block_id}")
    return x, ip
