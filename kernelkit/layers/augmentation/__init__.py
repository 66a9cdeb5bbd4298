"""Image preprocessing and augmentation layers: resizing, cropping, random geometric and colour transforms, mixing."""

__all__: list[str] = []
