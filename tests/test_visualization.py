"""`kernelkit.visualization`: masks differential against Keras 3; boxes (Keras needs OpenCV,
absent here) and galleries checked pixel by pixel and axis by axis."""

import numpy as np
import pytest

import kernelkit.visualization as viz
from kernelkit.display.environment import set_display_mode
from tests.keras_oracle import keras

RNG = np.random.RandomState(0)
IMAGES = RNG.rand(2, 12, 10, 3).astype("float32") * 255
MASKS = RNG.randint(-1, 4, size=(2, 12, 10, 1)).astype("int32")
BOXES = {"boxes": np.array([[[1, 2, 8, 9], [0, 0, 3, 3]], [[2, 2, 6, 6], [4, 4, 9, 11]]],
                           "float32"),
         "labels": np.array([[0, -1], [1, 0]])}


def test_every_keras_visualization_name_exists():
    names = {n for n in dir(keras.visualization) if not n.startswith("_")}
    assert sorted(n for n in names if not hasattr(viz, n)) == []


@pytest.mark.parametrize("kwargs", [{}, {"num_classes": 4}, {"blend": False, "num_classes": 3},
                                    {"alpha": 0.3, "ignore_index": 2, "num_classes": 4},
                                    {"color_mapping": {0: (255, 0, 0), 1: (0, 0, 255)},
                                     "num_classes": 2}])
def test_draw_segmentation_masks_matches_keras(kwargs):
    ours = viz.draw_segmentation_masks(IMAGES, MASKS, **kwargs)
    theirs = keras.visualization.draw_segmentation_masks(IMAGES, MASKS, **kwargs)
    assert ours.dtype == np.dtype(str(np.asarray(theirs).dtype))
    np.testing.assert_allclose(ours, np.asarray(theirs), atol=1.0)


def test_draw_segmentation_masks_channels_first_and_errors():
    first = viz.draw_segmentation_masks(IMAGES.transpose(0, 3, 1, 2),
                                        MASKS.transpose(0, 3, 1, 2), num_classes=4,
                                        data_format="channels_first")
    np.testing.assert_array_equal(first, viz.draw_segmentation_masks(IMAGES, MASKS, 4))
    for fn in (viz.draw_segmentation_masks, keras.visualization.draw_segmentation_masks):
        with pytest.raises(TypeError):
            fn(IMAGES, MASKS.astype("float32"))
        with pytest.raises(ValueError):
            fn(IMAGES[0], MASKS[0])


def test_draw_bounding_boxes_outlines_boxes_and_skips_padding():
    out = viz.draw_bounding_boxes(np.zeros((2, 12, 10, 3)), BOXES, "xyxy", color=(255, 0, 0),
                                  line_thickness=1)
    assert out.dtype == np.uint8 and out.shape == (2, 12, 10, 3)
    assert out[0, 2, 1:9].tolist() == [[255, 0, 0]] * 8  # top edge of box (1, 2, 8, 9)
    assert out[0, 5, 4].tolist() == [0, 0, 0]  # inside stays
    assert out[0, 0, 0].tolist() == [0, 0, 0]  # label -1 is not drawn
    rel = dict(BOXES, boxes=BOXES["boxes"] / np.array([10, 12, 10, 12], "float32"))
    np.testing.assert_array_equal(
        viz.draw_bounding_boxes(np.zeros((2, 12, 10, 3)), rel, "rel_xyxy",
                                color=(255, 0, 0), line_thickness=1)[0, 2], out[0, 2])
    unit = viz.draw_bounding_boxes(np.full((2, 12, 10, 3), 0.5), BOXES, "xyxy")
    assert unit[0, 5, 4].tolist() == [127, 127, 127]  # [0, 1] floats are scaled to [0, 255]
    with pytest.raises(TypeError, match="must be a dict"):
        viz.draw_bounding_boxes(IMAGES, [1], "xyxy")
    with pytest.raises(ValueError, match="'boxes' and 'labels'"):
        viz.draw_bounding_boxes(IMAGES, {"boxes": BOXES["boxes"]}, "xyxy")


def test_class_names_and_confidences_are_written():
    plain = viz.draw_bounding_boxes(np.zeros((2, 40, 40, 3)), BOXES, "xyxy", color=(0, 255, 0))
    named = viz.draw_bounding_boxes(np.zeros((2, 40, 40, 3)),
                                    dict(BOXES, confidences=np.ones((2, 2))), "xyxy",
                                    class_mapping={0: "cat", 1: "dog"}, color=(0, 255, 0))
    assert (named != plain).any()


def test_plot_image_gallery_grid_titles_and_file(tmp_path):
    figure = viz.plot_image_gallery(IMAGES, y_true=[0, 1], y_pred=[1, 1],
                                    label_map={0: "cat", 1: "dog"}, show=False)
    assert len(figure.axes) == 2  # rows = ceil(sqrt(2)) = 2, cols = 2 // 2 = 1
    assert figure.axes[0].get_title() == "Label: cat  Pred: dog"
    assert viz.plot_image_gallery(IMAGES, rows=1, cols=2, path=tmp_path / "g.png") is None
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="label_map"):
        viz.plot_image_gallery(IMAGES, y_true=[0, 1])
    with pytest.raises(ValueError, match="exclude each other"):
        viz.plot_image_gallery(IMAGES, path=tmp_path / "x.png", show=True)
    with pytest.raises(ValueError, match="4D"):
        viz.plot_image_gallery(IMAGES[0])


def test_gallery_value_range_maps_to_bytes():
    figure = viz.plot_image_gallery(IMAGES / 255.0, value_range=(0, 1), rows=1, cols=2,
                                    show=False)
    shown = figure.axes[0].get_images()[0].get_array()
    np.testing.assert_allclose(shown, IMAGES[0].astype("uint8"), atol=1)


def test_gallery_displays_inline_in_a_notebook(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    set_display_mode("notebook")
    try:
        assert viz.plot_image_gallery(IMAGES) is None
    finally:
        set_display_mode("auto")
    assert len(shown) == 1 and shown[0].data[:4] == b"\x89PNG"


def test_box_and_mask_galleries():
    figure = viz.plot_bounding_box_gallery(IMAGES, "xyxy", y_true=BOXES, y_pred=BOXES,
                                           legend=True, rows=1, cols=2, show=False)
    assert len(figure.axes) == 2 and len(figure.legends) == 1
    with pytest.raises(ValueError, match="not both"):
        viz.plot_bounding_box_gallery(IMAGES, "xyxy", legend=True, legend_handles=[1])
    figure = viz.plot_segmentation_mask_gallery(IMAGES, 4, y_true=MASKS, y_pred=MASKS,
                                                show=False)
    assert len(figure.axes) == 6  # 2 rows of image, true, predicted
    drawn = figure.axes[1].get_images()[0].get_array()
    np.testing.assert_array_equal(drawn, viz.draw_segmentation_masks(IMAGES, MASKS, 4)[0])
