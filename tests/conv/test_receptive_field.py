"""conv.receptive_field: output sizes against the shapes torch produces, receptive fields against the
support of torch's input gradient for single output elements."""

import numpy as np
import pytest

from grader.testing import oracle

KEYS = ("kernel_size", "stride", "padding", "dilation")
DEFAULTS = {"kernel_size": 1, "stride": 1, "padding": 0, "dilation": 1}
NAMES = ("size", "jump", "start")


def torch_output_size(size, kernel_size, stride=1, padding=0, dilation=1):
    """The height F.conv2d gives a (1, 1, size, 1) input under a (1, 1, kernel_size, 1) kernel."""
    torch = oracle.torch()
    x, w = torch.zeros(1, 1, size, 1, dtype=torch.float64), torch.zeros(1, 1, kernel_size, 1, dtype=torch.float64)
    out = torch.nn.functional.conv2d(x, w, stride=(stride, 1), padding=(padding, 0), dilation=(dilation, 1))
    return int(out.shape[2])


def torch_refuses_size(size, kernel_size, stride=1, padding=0, dilation=1):
    try:
        torch_output_size(size, kernel_size, stride, padding, dilation)
    except RuntimeError:
        return True
    return False


def full(layer):
    return {key: layer.get(key, DEFAULTS[key]) for key in KEYS}


def torch_field(layers):
    """(size, jump, start) read off torch: run the stack as conv1d layers with weights of ones on a long input,
    and take the input gradient of two neighbouring outputs in the middle, whose fields lie inside the input.
    The width of a gradient's support is the field's size, the distance between the two centres the jump,
    and start is the first centre moved back to output 0: centre(m) - m * jump."""
    torch = oracle.torch()
    F = torch.nn.functional
    # An input long enough that the middle outputs' fields, padding and all, lie well inside it.
    reach, jump = 1, 1
    for layer in map(full, layers):
        reach += (layer["dilation"] * (layer["kernel_size"] - 1) + 2 * layer["padding"]) * jump
        jump *= layer["stride"]
    length = 4 * reach + 4 * jump + 8
    x = torch.zeros(1, 1, length, dtype=torch.float64, requires_grad=True)
    out = x
    for layer in map(full, layers):
        ones = torch.ones(1, 1, layer["kernel_size"], dtype=torch.float64)
        out = F.conv1d(out, ones, stride=layer["stride"], padding=layer["padding"], dilation=layer["dilation"])
    m = out.shape[2] // 2
    supports = []
    for index in (m, m + 1):
        (grad,) = torch.autograd.grad(out[0, 0, index], x, retain_graph=True)
        where = torch.nonzero(grad[0, 0]).flatten()
        lo, hi = int(where.min()), int(where.max())
        assert 0 < lo and hi < length - 1, "test bug: the field reaches the end of the input"
        supports.append((lo, hi))
    (lo0, hi0), (lo1, hi1) = supports
    assert hi0 - lo0 == hi1 - lo1, "test bug: the two fields differ in width"
    size, step = hi0 - lo0 + 1, lo1 - lo0
    start = (lo0 + hi0) / 2 - m * step
    return size, step, float(start)


def shown_layers(layers):
    return "[" + ", ".join("{" + ", ".join(f"{k!r}: {v}" for k, v in layer.items()) + "}" for layer in layers) + "]"


def check_field(check, layers):
    expected = torch_field(layers)
    check.close(lambda m: m.receptive_field(layers), expected, call=f"receptive_field({shown_layers(layers)})",
                names=NAMES)


SIZES = [  # size, kernel_size, stride, padding, dilation (None: the default, not passed)
    pytest.param((7, 3, None, None, None), id="k3"),
    pytest.param((5, 5, None, None, None), id="kernel-fills-input"),
    pytest.param((1, 1, None, None, None), id="size1-k1"),
    pytest.param((8, 3, 2, None, None), id="stride2-floor"),
    pytest.param((9, 3, 2, None, None), id="stride2-exact"),
    pytest.param((10, 4, 3, None, None), id="stride3"),
    pytest.param((6, 3, None, 1, None), id="padding1-same"),
    pytest.param((5, 2, None, 2, None), id="padding2-grows"),
    pytest.param((2, 5, None, 2, None), id="padding-makes-it-fit"),
    pytest.param((9, 3, None, None, 2), id="dilation2"),
    pytest.param((11, 3, 2, 2, 3), id="stride2-padding2-dilation3"),
    pytest.param((16, 7, 2, 3, None), id="resnet-stem-7x7"),
    pytest.param((13, 2, 2, None, None), id="pool-2x2-odd-size"),
]


def given(kernel_size, stride, padding, dilation):
    passed = {"stride": stride, "padding": padding, "dilation": dilation}
    return {k: v for k, v in passed.items() if v is not None}


@pytest.mark.parametrize("params", SIZES)
def test_conv_output_size(check, params):
    """Does conv_output_size give the length F.conv2d really produces (floor, padding on both ends, dilated kernel)?"""
    size, kernel_size, stride, padding, dilation = params
    kwargs = given(kernel_size, stride, padding, dilation)
    shown = ", ".join([str(size), str(kernel_size)] + [f"{k}={v}" for k, v in kwargs.items()])
    check.close(lambda m: m.conv_output_size(size, kernel_size, **kwargs), torch_output_size(size, kernel_size, **kwargs),
                call=f"conv_output_size({shown})")


SIZE_BAD = [  # size, kernel_size, kwargs, reason
    pytest.param(2, 3, {}, "a kernel of 3 does not fit 2 pixels", id="kernel-too-big"),
    pytest.param(4, 3, {"dilation": 2}, "the dilated kernel spans 5 pixels, more than 4", id="dilated-too-big"),
    pytest.param(1, 4, {"padding": 1}, "1 pixel padded to 3 is still narrower than 4", id="padded-too-small"),
    pytest.param(0, 1, {"padding": 1}, "size 0: there is no input", id="size-0"),
    pytest.param(5, 0, {}, "kernel_size 0", id="kernel-0"),
    pytest.param(5, 3, {"stride": 0}, "stride 0 never moves the window", id="stride-0"),
    pytest.param(5, 3, {"padding": -1}, "padding cannot be negative", id="padding-neg"),
    pytest.param(5, 3, {"dilation": 0}, "dilation 0 puts every tap on the same pixel", id="dilation-0"),
]


@pytest.mark.parametrize("size, kernel_size, kwargs, reason", SIZE_BAD)
def test_conv_output_size_bad_input(check, size, kernel_size, kwargs, reason):
    """Does conv_output_size raise ValueError where torch refuses the convolution?"""
    assert torch_refuses_size(size, kernel_size, **kwargs), "test bug: torch accepts this"
    shown = ", ".join([str(size), str(kernel_size)] + [f"{k}={v}" for k, v in kwargs.items()])
    check.raises(lambda m: m.conv_output_size(size, kernel_size, **kwargs), call=f"conv_output_size({shown})",
                 reason=reason)


SINGLE = [
    pytest.param({"kernel_size": 3, "padding": 1}, id="3x3-padding1"),
    pytest.param({"kernel_size": 3}, id="3x3-no-padding"),
    pytest.param({"kernel_size": 2, "padding": 1}, id="2x2-padding1-negative-start"),
    pytest.param({"kernel_size": 4, "stride": 2, "padding": 1}, id="4x4-stride2-padding1"),
    pytest.param({"kernel_size": 3, "dilation": 2}, id="3x3-dilation2"),
    pytest.param({"kernel_size": 3, "dilation": 3, "padding": 3}, id="3x3-dilation3-padding3"),
    pytest.param({"kernel_size": 1, "stride": 2}, id="1x1-stride2"),
]


@pytest.mark.parametrize("layer", SINGLE)
def test_receptive_field_one_layer(check, layer):
    """For one layer, do size, jump and start match the input-gradient support of torch's conv outputs?"""
    check_field(check, [layer])


STACKS = [
    pytest.param([{"kernel_size": 3}, {"kernel_size": 3}], id="two-3x3"),
    pytest.param([{"kernel_size": 3, "padding": 1}] * 3, id="three-3x3-padding1"),
    pytest.param([{"kernel_size": 3, "stride": 2}, {"kernel_size": 3}], id="stride-then-3x3"),
    pytest.param([{"kernel_size": 3, "padding": 1}, {"kernel_size": 2, "stride": 2},
                  {"kernel_size": 3, "padding": 1}, {"kernel_size": 2, "stride": 2}, {"kernel_size": 3, "padding": 1}],
                 id="vgg-conv-pool-conv-pool-conv"),
    pytest.param([{"kernel_size": 7, "stride": 2, "padding": 3}, {"kernel_size": 3, "stride": 2, "padding": 1}],
                 id="resnet-stem"),
    pytest.param([{"kernel_size": 3}, {"kernel_size": 3, "dilation": 2}, {"kernel_size": 3, "dilation": 4}],
                 id="dilations-1-2-4"),
    pytest.param([{"kernel_size": 2, "stride": 2}, {"kernel_size": 3, "dilation": 2, "padding": 1},
                  {"kernel_size": 2, "stride": 3, "padding": 1}], id="stride-dilation-padding-mixed"),
    pytest.param([{"kernel_size": 2, "padding": 1}, {"kernel_size": 2, "stride": 2, "padding": 1}],
                 id="paddings-negative-start"),
]


@pytest.mark.parametrize("layers", STACKS)
def test_receptive_field_stack(check, layers):
    """For a stack of layers, do size, jump and start match torch (the jump multiplied through the strides)?"""
    check_field(check, layers)


def test_receptive_field_empty(check):
    """Does an empty stack give (1, 1, 0.0), each input pixel seeing only itself?"""
    check_field(check, [])


@pytest.mark.parametrize("layers", [
    pytest.param([{}], id="empty-dict-is-1x1"),
    pytest.param([{"kernel_size": 5}], id="only-kernel_size"),
    pytest.param([{"stride": 2}, {"kernel_size": 3}], id="only-stride-then-only-kernel_size"),
    pytest.param([{"kernel_size": 3, "dilation": 2}, {"kernel_size": 2, "padding": 1}], id="some-keys-left-out"),
])
def test_receptive_field_defaults(check, layers):
    """Are keys left out of a layer dict read as kernel_size 1, stride 1, padding 0, dilation 1?"""
    check_field(check, layers)


def test_conv_output_size_defaults(check):
    """Does conv_output_size default to stride 1, padding 0 and dilation 1 when they are not passed?"""
    check.close(lambda m: m.conv_output_size(9, 4), torch_output_size(9, 4), call="conv_output_size(9, 4)")
    check.close(lambda m: m.conv_output_size(size=9, kernel_size=4), torch_output_size(9, 4),
                call="conv_output_size(size=9, kernel_size=4)")


FIELD_BAD = [
    pytest.param([{"kernel_size": 0}], "kernel_size 0", id="kernel-0"),
    pytest.param([{"kernel_size": 3}, {"kernel_size": 3, "stride": 0}], "layer 1 has stride 0", id="stride-0"),
    pytest.param([{"kernel_size": 3, "padding": -1}], "padding cannot be negative", id="padding-neg"),
    pytest.param([{"kernel_size": 3, "dilation": 0}], "dilation 0", id="dilation-0"),
]


@pytest.mark.parametrize("layers, reason", FIELD_BAD)
def test_receptive_field_bad_input(check, layers, reason):
    """Does receptive_field raise ValueError for a layer torch would refuse?"""
    assert any(torch_refuses_size(32, **full(layer)) for layer in layers), "test bug: torch accepts these layers"
    check.raises(lambda m: m.receptive_field(layers), call=f"receptive_field({shown_layers(layers)})", reason=reason)


def random_layer(rng):
    """A layer dict with kernel 1..5, stride 1..3, padding 0..2, dilation 1..3, each key left out a third of the time."""
    drawn = {"kernel_size": int(rng.integers(1, 6)), "stride": int(rng.integers(1, 4)),
             "padding": int(rng.integers(0, 3)), "dilation": int(rng.integers(1, 4))}
    return {k: v for k, v in drawn.items() if rng.random() < 2 / 3}


def test_random_shapes(check, rng):
    """Do conv_output_size and receptive_field match torch on layers and stacks drawn afresh each run?"""
    for _ in range(4):
        layers = [random_layer(rng) for _ in range(int(rng.integers(1, 5)))]  # 1..4 layers
        check_field(check, layers)
        layer = full(layers[0])
        span = layer["dilation"] * (layer["kernel_size"] - 1) + 1
        size = int(rng.integers(max(1, span - 2 * layer["padding"]), span + 12))  # at least one window fits
        args = (size, layer["kernel_size"], layer["stride"], layer["padding"], layer["dilation"])
        check.close(lambda m: m.conv_output_size(*args), torch_output_size(*args),
                    call=f"conv_output_size{args}")


def test_dtype(check):
    """Are the sizes Python (or NumPy) integers and start a float, even where start is a whole number?"""
    check.close(lambda m: m.conv_output_size(7, 3), np.int64(torch_output_size(7, 3)), call="conv_output_size(7, 3)",
                dtype=True)
    for layers in ([], [{"kernel_size": 3, "padding": 1}], [{"kernel_size": 4, "stride": 2, "padding": 1}]):
        size, jump, start = torch_field(layers)
        check.close(lambda m: m.receptive_field(layers), (np.int64(size), np.int64(jump), np.float64(start)),
                    call=f"receptive_field({shown_layers(layers)})", names=NAMES, dtype=True)
