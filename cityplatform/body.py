"""Request bodies with caps: read at most N bytes, inflate gzip to at most M bytes.

A gzip body is inflated in steps with ``max_length``, so a 4 MiB "gzip bomb" costs
16 MiB of output and a few milliseconds before it is refused, never gigabytes.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import AsyncIterator
from typing import Any, Final

from cityplatform.errors import ApiError

MiB: Final = 1024 * 1024
#: Inflating in steps of this size bounds the memory a step needs.
_STEP: Final = 256 * 1024


def too_large(detail: str) -> ApiError:
    return ApiError(413, "too_large", detail)


def invalid(detail: str, *, index: int | None = None) -> ApiError:
    extra = {} if index is None else {"index": index}
    return ApiError(422, "invalid_request", detail, extra=extra)


def check_declared_length(header: str | None, cap: int) -> None:
    """Refuse at once when ``Content-Length`` already says the body is too large."""
    if header is None:
        return
    if not header.isdigit() or len(header) > 18:
        raise ApiError(400, "invalid_request", "Content-Length is not a number")
    if int(header) > cap:
        raise too_large(f"the body is larger than {cap} bytes")


async def read_capped(chunks: AsyncIterator[bytes], cap: int) -> bytes:
    """The whole body, or ``413 too_large`` as soon as it passes ``cap`` bytes."""
    parts: list[bytes] = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > cap:
            raise too_large(f"the body is larger than {cap} bytes")
        parts.append(chunk)
    return b"".join(parts)


def gunzip_capped(data: bytes, cap: int) -> bytes:
    """Inflate one gzip member to at most ``cap`` bytes; trailing bytes are refused."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = bytearray()
    pending = data
    try:
        while True:
            # Never more than cap + 1 bytes of output, whatever the input claims.
            step = inflater.decompress(pending, min(cap + 1 - len(out), _STEP))
            out += step
            if len(out) > cap:
                raise too_large(f"the body inflates to more than {cap} bytes")
            pending = inflater.unconsumed_tail
            if inflater.eof or (not pending and not step):
                break
    except zlib.error as exc:
        raise invalid(f"the body is not valid gzip: {exc}") from exc
    if not inflater.eof:
        raise invalid("the gzip stream is truncated")
    if inflater.unused_data:
        raise invalid("bytes follow the gzip stream")
    return bytes(out)


class _Object(dict[str, Any]):
    """A JSON object as ``json`` reads it, with the first key it met twice."""

    duplicate: str | None = None


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object()
    for key, value in pairs:
        if key in result and result.duplicate is None:
            result.duplicate = key
        result[key] = value
    return result


def refuse_duplicate_keys(raw: bytes, items: str | None = None) -> None:
    """``422`` when an object of ``raw`` gives a key twice (pydantic, like JSON parsers
    in general, keeps the last one silently: a second ``records`` or ``token`` would
    win unseen). ``items``: the top-level list whose objects are named by their index.
    For a body the models already accepted, so it parses and is shallow."""
    document = json.loads(raw, object_pairs_hook=_pairs)
    if not isinstance(document, _Object):
        return
    if document.duplicate is not None:
        raise invalid(f"{document.duplicate}: given more than once")
    listed = document.get(items) if items is not None else None
    for index, item in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(item, _Object) and item.duplicate is not None:
            raise invalid(f"record {index}: {item.duplicate}: given more than once", index=index)
