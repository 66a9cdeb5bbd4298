"""Stable 64-bit string hashes on the host: FarmHash Fingerprint64 and keyed SipHash-2-4.

These are the hashes behind Keras's `Hashing`, `HashedCrossing` and the OOV buckets of the
lookup layers (TensorFlow's `to_hash_bucket_fast`, `to_hash_bucket_strong` and
`sparse.cross_hashed`), written in plain Python so that no TensorFlow is needed.
"""

from __future__ import annotations

import numpy as np

__all__ = ["fingerprint64", "fingerprint_cat64", "hash_to_buckets", "siphash24"]

_M = (1 << 64) - 1
_K0, _K1, _K2 = 0xC3A5C85C97CB3127, 0xB492B66FBE98F273, 0x9AE16A3B2F90404F


def _f64(s, i):
    return int.from_bytes(s[i:i + 8], "little")


def _f32(s, i):
    return int.from_bytes(s[i:i + 4], "little")


def _rot(v, r):
    return ((v >> r) | (v << (64 - r))) & _M if r else v


def _mix(v):
    return v ^ (v >> 47)


def _len16(u, v, mul):
    a = ((u ^ v) * mul) & _M
    a ^= a >> 47
    b = ((v ^ a) * mul) & _M
    b ^= b >> 47
    return (b * mul) & _M


def _len0to16(s, n):
    if n >= 8:
        mul = _K2 + n * 2
        a = (_f64(s, 0) + _K2) & _M
        b = _f64(s, n - 8)
        c = (_rot(b, 37) * mul + a) & _M
        d = ((_rot(a, 25) + b) * mul) & _M
        return _len16(c, d, mul)
    if n >= 4:
        mul = _K2 + n * 2
        return _len16((n + (_f32(s, 0) << 3)) & _M, _f32(s, n - 4), mul)
    if n > 0:
        y = s[0] + (s[n >> 1] << 8)
        z = n + (s[n - 1] << 2)
        return (_mix(((y * _K2) ^ (z * _K0)) & _M) * _K2) & _M
    return _K2


def _len17to32(s, n):
    mul = _K2 + n * 2
    a = (_f64(s, 0) * _K1) & _M
    b = _f64(s, 8)
    c = (_f64(s, n - 8) * mul) & _M
    d = (_f64(s, n - 16) * _K2) & _M
    return _len16((_rot((a + b) & _M, 43) + _rot(c, 30) + d) & _M,
                  (a + _rot((b + _K2) & _M, 18) + c) & _M, mul)


def _len33to64(s, n):
    mul = _K2 + n * 2
    a = (_f64(s, 0) * _K2) & _M
    b = _f64(s, 8)
    c = (_f64(s, n - 8) * mul) & _M
    d = (_f64(s, n - 16) * _K2) & _M
    y = (_rot((a + b) & _M, 43) + _rot(c, 30) + d) & _M
    z = _len16(y, (a + _rot((b + _K2) & _M, 18) + c) & _M, mul)
    e = (_f64(s, 16) * mul) & _M
    f = _f64(s, 24)
    g = ((y + _f64(s, n - 32)) * mul) & _M
    h = ((z + _f64(s, n - 24)) * mul) & _M
    return _len16((_rot((e + f) & _M, 43) + _rot(g, 30) + h) & _M,
                  (e + _rot((f + a) & _M, 18) + g) & _M, mul)


def _weak32(s, i, a, b):
    w, x, y, z = _f64(s, i), _f64(s, i + 8), _f64(s, i + 16), _f64(s, i + 24)
    a = (a + w) & _M
    b = _rot((b + a + z) & _M, 21)
    c = a
    a = (a + x + y) & _M
    b = (b + _rot(a, 44)) & _M
    return (a + z) & _M, (b + c) & _M


def fingerprint64(data: bytes) -> int:
    """FarmHash's `Fingerprint64` of `data` (an unsigned 64-bit integer).

    Args:
        data: The bytes to hash.

    Returns:
        The fingerprint as a Python int in `[0, 2**64)`.

    Example:
        >>> fingerprint64(b"") == 0x9AE16A3B2F90404F
        True
    """
    s, n = bytes(data), len(data)
    if n <= 16:
        return _len0to16(s, n)
    if n <= 32:
        return _len17to32(s, n)
    if n <= 64:
        return _len33to64(s, n)
    seed = 81
    y = (seed * _K1 + 113) & _M
    z = (_mix((y * _K2 + 113) & _M) * _K2) & _M
    v, w = (0, 0), (0, 0)
    x = (seed * _K2 + _f64(s, 0)) & _M
    end = ((n - 1) // 64) * 64
    last64 = end + ((n - 1) & 63) - 63
    i = 0
    while True:
        x = (_rot((x + y + v[0] + _f64(s, i + 8)) & _M, 37) * _K1) & _M
        y = (_rot((y + v[1] + _f64(s, i + 48)) & _M, 42) * _K1) & _M
        x ^= w[1]
        y = (y + v[0] + _f64(s, i + 40)) & _M
        z = (_rot((z + w[0]) & _M, 33) * _K1) & _M
        v = _weak32(s, i, (v[1] * _K1) & _M, (x + w[0]) & _M)
        w = _weak32(s, i + 32, (z + w[1]) & _M, (y + _f64(s, i + 16)) & _M)
        z, x = x, z
        i += 64
        if i == end:
            break
    mul = _K1 + ((z & 0xFF) << 1)
    i = last64
    w = ((w[0] + ((n - 1) & 63)) & _M, w[1])
    v = ((v[0] + w[0]) & _M, v[1])
    w = ((w[0] + v[0]) & _M, w[1])
    x = (_rot((x + y + v[0] + _f64(s, i + 8)) & _M, 37) * mul) & _M
    y = (_rot((y + v[1] + _f64(s, i + 48)) & _M, 42) * mul) & _M
    x ^= (w[1] * 9) & _M
    y = (y + v[0] * 9 + _f64(s, i + 40)) & _M
    z = (_rot((z + w[0]) & _M, 33) * mul) & _M
    v = _weak32(s, i, (v[1] * mul) & _M, (x + w[0]) & _M)
    w = _weak32(s, i + 32, (z + w[1]) & _M, (y + _f64(s, i + 16)) & _M)
    z, x = x, z
    return _len16((_len16(v[0], w[0], mul) + _mix(y) * _K0 + z) & _M,
                  (_len16(v[1], w[1], mul) + x) & _M, mul)


def fingerprint_cat64(fp1: int, fp2: int) -> int:
    """Combines two fingerprints into one, order-dependently (TensorFlow's `FingerprintCat64`).

    Args:
        fp1, fp2: Unsigned 64-bit fingerprints.

    Returns:
        The combined fingerprint.

    Example:
        >>> fingerprint_cat64(1, 2) != fingerprint_cat64(2, 1)
        True
    """
    mul = 0xC6A4A7935BD1E995
    result = fp1 ^ mul
    result ^= (_mix((fp2 * mul) & _M) * mul) & _M
    result = (result * mul) & _M
    result = (_mix(result) * mul) & _M
    return _mix(result)


def _sip_round(v0, v1, v2, v3):
    v0 = (v0 + v1) & _M
    v1 = _rot_left(v1, 13) ^ v0
    v0 = _rot_left(v0, 32)
    v2 = (v2 + v3) & _M
    v3 = _rot_left(v3, 16) ^ v2
    v0 = (v0 + v3) & _M
    v3 = _rot_left(v3, 21) ^ v0
    v2 = (v2 + v1) & _M
    v1 = _rot_left(v1, 17) ^ v2
    v2 = _rot_left(v2, 32)
    return v0, v1, v2, v3


def _rot_left(v, r):
    return ((v << r) | (v >> (64 - r))) & _M


def siphash24(key0: int, key1: int, data: bytes) -> int:
    """SipHash-2-4 of `data` under the 128-bit key `(key0, key1)`.

    Args:
        key0, key1: The two 64-bit halves of the key.
        data: The bytes to hash.

    Returns:
        The hash as a Python int in `[0, 2**64)`.

    Example:
        >>> siphash24(0x0706050403020100, 0x0F0E0D0C0B0A0908, b"") == 0x726FDB47DD0E0E31
        True
    """
    key0, key1 = key0 & _M, key1 & _M
    v0, v1 = key0 ^ 0x736F6D6570736575, key1 ^ 0x646F72616E646F6D
    v2, v3 = key0 ^ 0x6C7967656E657261, key1 ^ 0x7465646279746573
    n = len(data)
    for i in range(0, n - n % 8, 8):
        m = _f64(data, i)
        v3 ^= m
        v0, v1, v2, v3 = _sip_round(*_sip_round(v0, v1, v2, v3))
        v0 ^= m
    tail = data[n - n % 8:]
    m = ((n & 0xFF) << 56) | int.from_bytes(tail, "little")
    v3 ^= m
    v0, v1, v2, v3 = _sip_round(*_sip_round(v0, v1, v2, v3))
    v0 ^= m
    v2 ^= 0xFF
    for _ in range(4):
        v0, v1, v2, v3 = _sip_round(v0, v1, v2, v3)
    return v0 ^ v1 ^ v2 ^ v3


def _as_bytes(value) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, float | np.floating):
        value = int(value)
    return str(int(value)).encode("utf-8")


def hash_to_buckets(values, num_buckets: int, salt=None) -> np.ndarray:
    """Hashes each value (strings as UTF-8; integers as their decimal text) to a bucket.

    Fingerprint64 without `salt`, SipHash-2-4 keyed by the two integers of `salt` with it.

    Args:
        values: An array (or nested list) of strings or integers.
        num_buckets: Number of buckets.
        salt: Optional `[key0, key1]`.

    Returns:
        An int64 array shaped like `values`, in `[0, num_buckets)`.

    Example:
        >>> hash_to_buckets(np.array(["a", "a"]), 4).tolist()[0] in range(4)
        True
    """
    arr = np.asarray(values)
    if salt is None:
        fn = fingerprint64
    else:
        k0, k1 = int(salt[0]), int(salt[1])

        def fn(data):
            return siphash24(k0, k1, data)
    flat = [fn(_as_bytes(v)) % num_buckets for v in arr.reshape(-1).tolist()]
    return np.asarray(flat, dtype=np.int64).reshape(arr.shape)
