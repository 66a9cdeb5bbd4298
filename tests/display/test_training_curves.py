"""`TrainingCurves`: the x axis of the first redraws (one point, part of an epoch)."""

from kernelkit.display.training_curves import TrainingCurves


def _ticks(curves):
    curves.to_png()
    ax = curves._figure.axes[0]
    low, high = ax.get_xlim()
    return [t for t in ax.get_xticks() if low <= t <= high]


def test_a_single_partial_point_shows_a_whole_epoch_with_integer_ticks():
    curves = TrainingCurves()
    curves.add_partial(12 / 13, {"loss": 1.0})
    assert _ticks(curves) == [0, 1]


def test_a_single_finished_epoch_shows_integer_ticks():
    curves = TrainingCurves()
    curves.add_epoch(1, {"loss": 1.0, "val_loss": 1.2})
    assert all(float(t).is_integer() for t in _ticks(curves))


def test_many_epochs_keep_the_automatic_range():
    curves = TrainingCurves()
    for epoch in range(1, 11):
        curves.add_epoch(epoch, {"loss": 1.0 / epoch})
    curves.to_png()
    low, high = curves._figure.axes[0].get_xlim()
    assert low < 1 < 10 < high < 11
