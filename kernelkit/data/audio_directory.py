"""`audio_dataset_from_directory`: a folder of class subfolders of `.wav` files as batches."""

from __future__ import annotations

import wave

import numpy as np

from kernelkit.data.directory_index import directory_dataset

__all__ = ["audio_dataset_from_directory", "read_wav"]

_SCALE = {1: (np.uint8, 128.0, 128.0), 2: (np.int16, 0.0, 32768.0),
          4: (np.int32, 0.0, 2147483648.0)}


def read_wav(path):
    """Reads a PCM `.wav` file as float32 samples in [-1, 1), shaped `(samples, channels)`.

    Args:
        path: The file path.

    Returns:
        `(audio, sampling_rate)`.

    Raises:
        ValueError: for a sample width other than 8, 16 or 32 bits.

    Example:
        >>> import tempfile, os, wave, numpy as np
        >>> path = os.path.join(tempfile.mkdtemp(), "a.wav")
        >>> with wave.open(path, "wb") as f:
        ...     f.setnchannels(1); f.setsampwidth(2); f.setframerate(8000)
        ...     f.writeframes(np.array([0, 16384], "<i2").tobytes())
        >>> audio, rate = read_wav(path)
        >>> audio[:, 0].tolist(), rate
        ([0.0, 0.5], 8000)
    """
    with wave.open(str(path), "rb") as f:
        channels, width, rate = f.getnchannels(), f.getsampwidth(), f.getframerate()
        frames = f.readframes(f.getnframes())
    if width not in _SCALE:
        raise ValueError(
            f"audio_dataset_from_directory: {str(path)!r} has {8 * width}-bit samples. "
            f"Expected 8, 16 or 32-bit PCM. Received: sample width {8 * width} bits. Convert "
            "the file to 16-bit PCM."
        )
    dtype, offset, scale = _SCALE[width]
    samples = np.frombuffer(frames, dtype=np.dtype(dtype).newbyteorder("<"))
    audio = (samples.astype("float32") - offset) / scale
    return audio.reshape(-1, channels), rate


def audio_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, batch_size=32, sampling_rate=None,
                                 output_sequence_length=None, ragged=False, shuffle=True,
                                 seed=None, validation_split=None, subset=None,
                                 follow_links=False, verbose=True):
    """Loads the `.wav` files under `directory` as a `PyDataset` of `(audio, labels)`.

    Files are listed, labelled and shuffled as Keras does and decoded with the standard
    `wave` module into float32 `(batch, samples, channels)` arrays, zero-padded to the
    longest clip of the batch (or cut/padded to `output_sequence_length`).

    Args:
        directory: The folder (one subfolder per class with `labels="inferred"`).
        labels: `"inferred"`, `None`, or a list of labels in sorted file order.
        label_mode: `"int"`, `"categorical"`, `"binary"` or `None`.
        class_names: Optional class order (subfolder names).
        batch_size: Clips per batch; `None` gives single clips.
        sampling_rate: The expected sampling rate; files at another rate are refused
            (kernelkit does not resample).
        output_sequence_length: Samples per clip (cut or zero-padded); `None` pads to the
            batch's longest clip.
        ragged: Whether to return a batch as a list of unpadded clips.
        shuffle: Whether to shuffle the files.
        seed: The shuffling (and splitting) seed.
        validation_split: The share of files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (returns both datasets).
        follow_links: Whether to follow symbolic links.
        verbose: Whether to print how many files were found.

    Returns:
        A `DirectoryDataset`, or a pair for `subset="both"`.

    Raises:
        ValueError: for `ragged` with `output_sequence_length`, a file at another sampling
            rate, or bad labels and split arguments.

    Example:
        >>> import tempfile, pathlib, wave, numpy as np
        >>> root = pathlib.Path(tempfile.mkdtemp())
        >>> for name, n in [("no", 3), ("yes", 5)]:
        ...     (root / name).mkdir()
        ...     with wave.open(str(root / name / "0.wav"), "wb") as f:
        ...         f.setnchannels(1); f.setsampwidth(2); f.setframerate(16000)
        ...         f.writeframes(np.zeros(n, "<i2").tobytes())
        >>> audio, labels = audio_dataset_from_directory(root, verbose=False)[0]
        >>> audio.shape, sorted(labels.tolist())
        ((2, 5, 1), [0, 1])
    """
    who = "audio_dataset_from_directory"
    if ragged and output_sequence_length is not None:
        raise ValueError(
            f"{who}: `ragged` clips cannot have an `output_sequence_length`. Expected one of "
            f"them. Received: ragged=True, output_sequence_length={output_sequence_length}."
        )

    def load(paths):
        clips = []
        for path in paths:
            audio, rate = read_wav(path)
            if sampling_rate is not None and rate != sampling_rate:
                raise ValueError(
                    f"{who}: {path!r} is sampled at {rate} Hz. Expected sampling_rate="
                    f"{sampling_rate} (kernelkit does not resample). Received: {rate} Hz. "
                    "Resample the files, or pass sampling_rate=None."
                )
            clips.append(audio if output_sequence_length is None
                         else audio[:output_sequence_length])
        if ragged:
            return clips
        length = output_sequence_length or max(len(c) for c in clips)
        batch = np.zeros((len(clips), length, clips[0].shape[1]), "float32")
        for i, clip in enumerate(clips):
            batch[i, :len(clip)] = clip
        return batch

    return directory_dataset(who, directory, labels=labels, label_mode=label_mode,
                             class_names=class_names, formats=(".wav",), load=load,
                             batch_size=batch_size, shuffle=shuffle, seed=seed,
                             validation_split=validation_split, subset=subset,
                             follow_links=follow_links, verbose=verbose)
