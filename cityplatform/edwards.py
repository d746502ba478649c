"""Which 32-byte strings the platform takes as a kiosk's Ed25519 device key.

RFC 8032 verifiers (OpenSSL among them) accept any encoding that decodes to a curve
point, including the eight points of small order and encodings with ``y >= p``. A kiosk
enrolled with the identity point has a key for which a constant signature verifies
without any private key, so enrollment refuses these keys outright:

- *non-canonical*: ``y >= p``, or ``x = 0`` with the sign bit set (another string for a
  point that has a canonical one);
- *not a point*: no ``x`` solves the curve equation for ``y``;
- *small order*: ``8·P`` is the identity (the eight torsion points);
- *mixed order*: ``ℓ·P`` is not the identity (a torsion component). A key made by
  Ed25519 key generation is always a multiple of the base point, so a genuine kiosk
  never meets this.

Pure integer arithmetic in extended coordinates: a check costs well under a millisecond.
"""

from __future__ import annotations

from typing import Final

P: Final = 2**255 - 19
#: The order of the prime subgroup the base point generates.
L: Final = 2**252 + 27742317777372353535851937790883648493
D: Final = (-121665 * pow(121666, P - 2, P)) % P
_SQRT_M1: Final = pow(2, (P - 1) // 4, P)

Point = tuple[int, int, int, int]
_IDENTITY: Final[Point] = (0, 1, 1, 0)


class WeakKeyError(ValueError):
    """The 32 bytes are not a key the platform accepts; ``reason`` says which rule."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _add(a: Point, b: Point) -> Point:
    # RFC 8032, section 5.1.4 (a = -1).
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % P
    bb = (y1 + x1) * (y2 + x2) % P
    cc = 2 * t1 * t2 * D % P
    dd = 2 * z1 * z2 % P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _multiply(scalar: int, point: Point) -> Point:
    result = _IDENTITY
    while scalar:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _is_identity(point: Point) -> bool:
    x, y, z, _ = point
    return x % P == 0 and (y - z) % P == 0


def decode_point(raw: bytes) -> Point:
    """The point of a canonical encoding (RFC 8032, 5.1.3), or ``WeakKeyError``."""
    if len(raw) != 32:
        raise WeakKeyError("an Ed25519 public key is 32 bytes")
    value = int.from_bytes(raw, "little")
    sign = value >> 255
    y = value & ((1 << 255) - 1)
    if y >= P:
        raise WeakKeyError("non-canonical encoding (y >= p)")
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    if (v * x * x - u) % P != 0:
        x = x * _SQRT_M1 % P
        if (v * x * x - u) % P != 0:
            raise WeakKeyError("not a point on the curve")
    if x == 0 and sign:
        raise WeakKeyError("non-canonical encoding (x = 0 with the sign bit set)")
    if x & 1 != sign:
        x = P - x
    return (x, y, 1, x * y % P)


def check_device_key(raw: bytes) -> None:
    """Refuse (``WeakKeyError``) a key that is non-canonical, not a point, of small order
    or with a torsion component; return quietly for a key Ed25519 key generation makes."""
    point = decode_point(raw)
    if _is_identity(_multiply(8, point)):
        raise WeakKeyError("a point of small order")
    if not _is_identity(_multiply(L, point)):
        raise WeakKeyError("not in the prime-order subgroup (a torsion component)")
