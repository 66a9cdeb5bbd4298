"""`registry.Lookup`: the one `get` / `serialize` / `deserialize` behind seven families."""

import numpy as np
import pytest

import kernelkit as kk
from kernelkit.errors import UnsafeModelError
from kernelkit.registry import IdentifierTypeError, Lookup, register_keras_serializable
from tests.keras_oracle import keras

# family -> a Keras name of one of its objects
FAMILIES = {"activations": "relu", "initializers": "he_normal", "regularizers": "l2",
            "constraints": "non_neg", "losses": "MeanSquaredError", "metrics": "mae",
            "optimizers": "adam"}
KINDS = {"activations": "activation", "initializers": "initializer",
         "regularizers": "regularizer", "constraints": "constraint", "losses": "loss",
         "metrics": "metric", "optimizers": "optimizer"}


def _comparable(family, serialized):
    if family == "optimizers":  # floats of an optimizer's config differ in type, not meaning
        return {**serialized, "config": sorted(serialized["config"])}
    return serialized


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_family_is_built_on_one_lookup(family):
    module = getattr(kk, family)
    for function in (module.get, module.serialize, module.deserialize):
        assert isinstance(function.__globals__["_LOOKUP"], Lookup)
        assert ">>> " in function.__doc__


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_get_serialize_and_deserialize_match_keras(family):
    name = FAMILIES[family]
    ours, theirs = getattr(kk, family), getattr(keras, family)
    obj, oracle = ours.get(name), theirs.get(name)
    assert type(obj).__name__ == type(oracle).__name__
    assert getattr(obj, "__name__", None) == getattr(oracle, "__name__", None)
    assert _comparable(family, ours.serialize(obj)) == _comparable(family,
                                                                   theirs.serialize(oracle))
    # what Keras wrote, kernelkit reads back (and itself too)
    for written in (theirs.serialize(oracle), ours.serialize(obj)):
        back = ours.deserialize(written)
        assert type(back).__name__ == type(obj).__name__
        assert _comparable(family, ours.serialize(back)) == _comparable(family,
                                                                        ours.serialize(obj))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_get_of_none_is_the_keras_default(family):
    ours, theirs = getattr(kk, family), getattr(keras, family)
    if family == "activations":
        assert ours.get(None) is ours.linear and theirs.get(None) is theirs.linear
    else:
        assert ours.get(None) is None and theirs.get(None) is None


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_an_unknown_name_is_a_value_error_naming_family_and_name(family):
    with pytest.raises(ValueError):
        getattr(keras, family).get("no_such_thing")
    with pytest.raises(ValueError, match=r"'no_such_thing'") as error:
        getattr(kk, family).get("no_such_thing")
    assert KINDS[family] in str(error.value)
    assert "Received: " in str(error.value)


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("identifier", [3.5, ("a", "tuple")])
def test_an_identifier_of_no_kind_is_refused_as_type_and_value_error(family, identifier):
    with pytest.raises(ValueError):
        getattr(keras, family).get(identifier)
    with pytest.raises(IdentifierTypeError,
                       match=f"could not interpret the {KINDS[family]} identifier") as error:
        getattr(kk, family).get(identifier)
    assert isinstance(error.value, TypeError) and isinstance(error.value, ValueError)


def _scaled(x, *args, **kwargs):
    return x


@pytest.mark.parametrize("family", sorted(set(FAMILIES) - {"optimizers"}))
def test_a_registered_function_resolves_by_its_registered_name(family):
    fn = register_keras_serializable(package="lookup_test", name=f"scaled_{family}")(_scaled)
    got = getattr(kk, family).get(f"lookup_test>scaled_{family}")
    if family == "metrics":  # a metric wraps a plain function, named after it
        assert isinstance(got, kk.metrics.MeanMetricWrapper) and got.name == "_scaled"
        assert float(got(np.full(2, 3.0), np.ones(2))) == 3.0  # the mean of fn(y_true, ...)
    else:
        assert got is fn


def test_optimizers_refuse_a_registered_function():
    register_keras_serializable(package="lookup_test", name="not_an_optimizer")(_scaled)
    with pytest.raises(IdentifierTypeError, match="identifier=str"):
        kk.optimizers.get("lookup_test>not_an_optimizer")


@pytest.mark.parametrize("family", ["initializers", "regularizers", "constraints"])
def test_a_bare_name_deserializes_to_an_instance(family):
    ours = getattr(kk, family)
    name = FAMILIES[family]
    assert type(ours.deserialize(name)) is type(ours.get(name))


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_class_is_instantiated_where_keras_does(family):
    ours, theirs = getattr(kk, family), getattr(keras, family)
    cls = type(ours.get(FAMILIES[family])) if family != "activations" else kk.layers.ReLU
    oracle_cls = type(theirs.get(FAMILIES[family])) if family != "activations" \
        else keras.layers.ReLU
    try:
        oracle = theirs.get(oracle_cls)
    except ValueError:
        with pytest.raises(IdentifierTypeError, match="could not interpret"):
            ours.get(cls)
        return
    got = ours.get(cls)
    assert (got is cls) == (oracle is oracle_cls)  # activations keep the class as a callable
    if got is not cls:
        assert type(got).__name__ == type(oracle).__name__


def test_names_fold_case_where_keras_does():
    assert type(kk.optimizers.get("AdAm")) is kk.optimizers.Adam
    assert type(kk.optimizers.deserialize({"class_name": "adam", "config": {}})) \
        is kk.optimizers.Adam
    with pytest.raises(ValueError, match="unknown loss"):
        kk.losses.get("MSE_")


# ---- Lookup on its own ------------------------------------------------------------------------

class _Twice:
    def __call__(self, x):
        return 2 * x

    def get_config(self):
        return {}


def _lookup(**kwargs):
    return Lookup("demo", "op", None, {"twice": _Twice, "abs": abs}, accepts="a name", **kwargs)


def test_lookup_instantiates_a_class_and_keeps_a_callable():
    assert isinstance(_lookup().get("twice"), _Twice)
    assert _lookup().get(abs) is abs
    assert _lookup(default=abs).get(None) is abs


def test_lookup_convert_comes_first_and_accept_decides():
    lookup = _lookup(convert=lambda x: "array" if isinstance(x, np.ndarray) else None,
                     accept=lambda obj: obj if isinstance(obj, _Twice) else None)
    assert lookup.get(np.zeros(2)) == "array"
    assert isinstance(lookup.get("twice"), _Twice)
    with pytest.raises(IdentifierTypeError, match=r"demo\.get: could not interpret the op "
                                                  r"identifier\. Expected a name\. "
                                                  r"Received: identifier='abs'\.$"):
        lookup.get("abs")


def test_lookup_messages_follow_the_style_formula():
    lookup = _lookup(unknown_hint=", or a callable", unknown_fix="Check the spelling.",
                     refuse_fix="Pass one of those.", show=lambda x: type(x).__name__)
    with pytest.raises(ValueError) as error:
        lookup.get("thrice")
    assert str(error.value) == ("demo.get: unknown op 'thrice'. Expected one of ['abs', "
                                "'twice'], or a callable. Received: identifier='thrice'. "
                                "Check the spelling.")
    with pytest.raises(IdentifierTypeError) as error:
        lookup.get(3)
    assert str(error.value) == ("demo.get: could not interpret the op identifier. Expected a "
                                "name. Received: identifier=int. Pass one of those.")


def test_lookup_string_modes_of_deserialize():
    assert _lookup(strings="object").deserialize("abs") is abs
    with pytest.raises(UnsafeModelError, match="not a registered kernelkit object"):
        _lookup(strings="instance").deserialize("thrice")


def _unregistered(x):
    return x


def test_lookup_by_name_saves_functions_by_name_and_refuses_what_cannot_load():
    lookup = Lookup("demo", "op", None, {"abs": abs}, accepts="a name", by_name=True)
    assert lookup.serialize(abs) == "abs"
    assert lookup.serialize(_unregistered) == {
        "module": "builtins", "class_name": "function", "config": "_unregistered",
        "registered_name": "function"}
    with pytest.raises(ValueError, match="has no name to be saved under"):
        lookup.serialize(lambda x: x)
    with pytest.raises(UnsafeModelError, match="'_Twice' is not a known op"):
        lookup.deserialize("_Twice", custom_objects={"_Twice": _Twice})  # classes are refused
    assert lookup.deserialize("mine", custom_objects={"mine": _unregistered}) is _unregistered
    assert lookup.deserialize({"class_name": "function", "config": "abs"}) is abs
    with pytest.raises(IdentifierTypeError, match="Expected a string or a dict"):
        lookup.deserialize(3)
