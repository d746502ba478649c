"""The HTTP application: every endpoint of ``docs/sync-protocol.md``.

Request bodies are read by hand (with caps) and validated from the raw bytes with the
strict models of :mod:`cityplatform.models`, so the platform decides every status code
itself: bad input of any kind is a 4xx with ``{"error": CODE, "detail": TEXT}``, never a
5xx and never a stored row. Blocking work (SQLite, inflating, validating a batch) runs in
the thread pool, off the event loop.

The OpenAPI document (``GET /openapi.json``) describes the real bodies and headers:
the request schemas come from the same models that validate, so a fuzzer that reads it
exercises what the platform really checks.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope, Send

from cityplatform import auth
from cityplatform import faults as faults_module
from cityplatform.body import (
    MiB,
    check_declared_length,
    gunzip_capped,
    invalid,
    read_capped,
    refuse_duplicate_keys,
)
from cityplatform.edwards import WeakKeyError
from cityplatform.errors import ApiError, TokenError
from cityplatform.faults import Faults
from cityplatform.models import (
    MAX_RECORDS,
    NOW,
    CheckinBatch,
    CheckinRecord,
    CheckinResult,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    ServerTime,
    epoch_ms,
    rfc3339_utc,
)
from cityplatform.store import (
    CheckIn,
    Clock,
    Kiosk,
    Outcome,
    PlatformStore,
    PublishedBundle,
    system_clock,
)
from kiosk.errors import BundleError, KeyFileError
from kiosk.verify.bundle import MAX_BUNDLE_VERSION, check_bundle_version
from kiosk.verify.keys import SigningKey

logger = logging.getLogger(__name__)

MAX_COMPRESSED: Final = 4 * MiB
MAX_INFLATED: Final = 16 * MiB
MAX_ENROLL_BODY: Final = 16 * 1024
COSE_MEDIA_TYPE: Final = "application/cose"
BUNDLE_VERSION_HEADER: Final = "X-Bundle-Version"
#: The documented limit of a request line and header block: over it, ``431``.
MAX_HEADER_BYTES: Final = 16 * 1024
#: What uvicorn's h11 parser may buffer of a header block that arrives in pieces. Above
#: ``MAX_HEADER_BYTES`` so that the app sees (and answers 431 to) a block that is a little
#: over; a block over this is cut off by the parser itself (a plain-text 400).
PARSER_HEADER_LIMIT: Final = 64 * 1024
#: Seconds a kiosk is asked to wait when the database is locked or full.
DATABASE_RETRY_AFTER: Final = 30

#: ``GET /v1/bundle`` before any bundle is published (404 ``no_bundle``).
NO_BUNDLE_DETAIL: Final = (
    "no trust bundle is published yet: the platform's operator publishes one with "
    "'cityplatform publish --issuer ISSUER.pub' (or a bundle file made with kiosk bundle make)"
)

_HTTP_CODES: Final = {404: "not_found", 405: "method_not_allowed", 400: "invalid_request"}


def _header_bytes(scope: Scope) -> int:
    """The size of the request line and header block as sent (near enough: the names
    and values, ": " and CRLF each)."""
    line = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + 16
    return line + sum(len(name) + len(value) + 4 for name, value in scope["headers"])


class PlatformApp(FastAPI):
    """FastAPI with the fault hook around it and the request schemas in its OpenAPI."""

    def __init__(self, *, faults: Faults | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.faults = faults
        self._request_schemas: list[type[BaseModel]] = []
        self._openapi_done = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _header_bytes(scope) > MAX_HEADER_BYTES:
            logger.warning("refused a request to %s: header block over 16 KiB", scope["path"])
            response = _error_response(
                431,
                "header_too_large",
                f"the request line and headers are over {MAX_HEADER_BYTES} bytes",
                headers={"Connection": "close"},
            )
            await response(scope, receive, send)
            return None
        fault = None
        if self.faults is not None and scope["type"] == "http":
            fault = self.faults.take(str(scope["path"]))
        if fault is None:
            await super().__call__(scope, receive, send)
            return None
        logger.warning("injecting fault %s into %s", fault.kind.value, scope["path"])
        if await faults_module.apply(fault, super().__call__, scope, receive, send):
            # An ASGI app that returns a value makes uvicorn close the connection without
            # sending anything: the client sees a disconnect after the platform committed.
            return True  # type: ignore[return-value]
        return None

    def document_request_schemas(self, *models: type[BaseModel]) -> None:
        self._request_schemas.extend(models)

    def openapi(self) -> dict[str, Any]:
        schema = super().openapi()
        if not self._openapi_done:
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in self._request_schemas:
                body = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(body.pop("$defs", {}))
                components[model.__name__] = body
            self._openapi_done = True
        return schema


def _error_response(
    status: int,
    code: str,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, object] | None = None,
) -> JSONResponse:
    body: dict[str, object] = {"error": code, "detail": detail}
    body.update(extra or {})
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_body(name: str, description: str) -> dict[str, Any]:
    return {
        "required": True,
        "description": description,
        "content": {"application/json": {"schema": _ref(name)}},
    }


_ERROR_WORDS: Final = {
    400: "invalid_request",
    401: "unknown_kiosk, bad_signature, stale_timestamp (with server_time) or replayed_nonce",
    403: "refused",
    404: "not_found",
    413: "too_large: the body is over the limits",
    415: "unsupported_media_type: wrong Content-Type or Content-Encoding",
    422: "invalid_request: the request is not valid",
    429: "rate_limited: back off, see Retry-After",
    503: "unavailable: back off, see Retry-After",
}


def _errors(*statuses: int, **words: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error replies (fresh dicts: FastAPI edits them in place)."""
    result: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {
            "model": ErrorBody,
            "description": words.get(f"e{status}", _ERROR_WORDS[status]),
        }
        if status in (429, 503):
            entry["headers"] = {
                "Retry-After": {
                    "description": "seconds to wait before trying again",
                    "schema": {"type": "integer", "minimum": 0},
                }
            }
        result[status] = entry
    return result


def _signed_parameters() -> list[dict[str, Any]]:
    def header(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
        return {
            "name": name,
            "in": "header",
            "required": True,
            "description": description,
            "schema": schema,
        }

    return [
        header(
            auth.KIOSK_ID,
            {"type": "string", "pattern": auth.KIOSK_ID_PATTERN},
            "the kiosk id from enrollment",
        ),
        header(
            auth.TIMESTAMP,
            {"type": "integer", "minimum": 0, "maximum": 999_999_999_999},
            "Unix time in seconds; refused when more than 300 s from the platform's clock",
        ),
        header(
            auth.NONCE,
            {"type": "string", "pattern": auth.NONCE_PATTERN},
            "16 random bytes, base64url without padding; never reused within 600 s",
        ),
        header(
            auth.SIGNATURE,
            {"type": "string", "pattern": auth.SIGNATURE_PATTERN},
            "Ed25519 signature (base64url, no padding) of the KIOSK-SIG-1 string",
        ),
        header("Content-Encoding", {"type": "string", "enum": ["gzip"]}, "the body is gzip"),
    ]


def _unauthorized(code: str, detail: str, **extra: object) -> ApiError:
    return ApiError(401, code, detail, headers={"WWW-Authenticate": auth.SCHEME}, extra=extra)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _check_json_content_type(request: Request) -> None:
    if _media_type(request) != "application/json":
        raise ApiError(415, "unsupported_media_type", "Content-Type must be application/json")


def _path_with_query(scope: Scope) -> str:
    raw = scope.get("raw_path") or str(scope["path"]).encode("utf-8")
    query = scope.get("query_string", b"")
    target = bytes(raw) + (b"?" + bytes(query) if query else b"")
    try:
        return target.decode("ascii")
    except UnicodeDecodeError as exc:
        raise _unauthorized("bad_signature", "the request target is not ASCII") from exc


def _validation_detail(error: Mapping[str, Any], skip: int = 0) -> str:
    location = ".".join(str(part) for part in tuple(error.get("loc", ()))[skip:])
    if error.get("type") == "string_pattern_mismatch":
        # pydantic's message quotes the whole pattern; say what it means instead.
        message = "is blank, or holds characters that are not allowed here"
    else:
        message = str(error.get("msg", "invalid"))
    return f"{location}: {message}" if location else message


def _parse_enroll(body: bytes) -> EnrollRequest:
    try:
        request = EnrollRequest.model_validate_json(body)
    except ValidationError as exc:
        raise invalid(_validation_detail(exc.errors()[0])) from exc
    refuse_duplicate_keys(body)
    return request


def _parse_batch(raw: bytes, now: datetime) -> CheckinBatch:
    """Validate a whole batch at the platform's ``now``; the first bad record is named
    by its index."""
    try:
        batch = CheckinBatch.model_validate_json(raw, context={NOW: now})
        refuse_duplicate_keys(raw, "records")
        return batch
    except ValidationError as exc:
        errors = exc.errors()
        if any(e["type"] == "too_long" and tuple(e["loc"]) == ("records",) for e in errors):
            raise ApiError(
                413, "too_large", f"a request carries at most {MAX_RECORDS} records"
            ) from exc
        first = errors[0]
        loc = tuple(first["loc"])
        if len(loc) >= 2 and loc[0] == "records" and isinstance(loc[1], int):
            index = loc[1]
            detail = f"record {index}: {_validation_detail(first, skip=2)}"
            raise invalid(detail, index=index) from exc
        raise invalid(_validation_detail(first)) from exc


def _row(record: CheckinRecord) -> CheckIn:
    return CheckIn(
        uuid=record.uuid,
        venue_id=record.venue_id,
        at=record.at.isoformat(),
        card_id=record.card_id,
        card_format=record.card_format,
        verdict=record.verdict.value,
        reason=record.reason,
        holder=record.holder,
        manual=record.manual,
        manual_reason=record.manual_reason,
        rules_version=record.rules_version,
        manual_name=record.manual_name,
        manual_phone=record.manual_phone,
        reentry=record.reentry,
    )


def _single_headers(request: Request) -> dict[str, str]:
    result: dict[str, str] = {}
    for name in (auth.KIOSK_ID, auth.TIMESTAMP, auth.NONCE, auth.SIGNATURE):
        values = request.headers.getlist(name)
        if len(values) > 1:
            raise _unauthorized("bad_signature", f"{name} is given more than once")
        if values:
            result[name] = values[0]
    return result


def create_app(
    store: PlatformStore,
    *,
    clock: Clock = system_clock,
    faults: Faults | None = None,
    root_key: SigningKey | None = None,
) -> FastAPI:
    """The platform around ``store``. ``root_key``: the city root the store checks
    published bundles against (when the store has none yet; it must match otherwise).
    ``faults``: the test hook; production passes none."""
    if root_key is not None:
        if store.root is None:
            store.root = root_key.public
        elif store.root.spki != root_key.public.spki:
            raise ValueError("root_key is not the root key the store was opened with")

    app = PlatformApp(
        faults=faults,
        title="Ho Chi Minh City check-in platform",
        version="1",
        description="Kiosk sync protocol version 1 (docs/sync-protocol.md).",
        docs_url=None,
        redoc_url=None,
    )
    app.document_request_schemas(EnrollRequest, CheckinBatch)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> JSONResponse:
        del request
        return _error_response(
            exc.status, exc.code, exc.detail, headers=exc.headers, extra=exc.extra
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        del request
        errors = list(exc.errors())
        detail = _validation_detail(errors[0]) if errors else "invalid request"
        return _error_response(422, "invalid_request", detail)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        del request
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return _error_response(exc.status_code, code, str(exc.detail), headers=exc.headers)

    @app.exception_handler(sqlite3.OperationalError)
    async def database_error(request: Request, exc: sqlite3.OperationalError) -> JSONResponse:
        # A locked or full database is the platform's trouble, not the request's: the
        # kiosk keeps its records and comes back (docs/sync-protocol.md, back-pressure).
        logger.error("database error on %s: %s", request.url.path, exc)
        return _error_response(
            503,
            "unavailable",
            "the platform cannot store right now; try again later",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )

    @app.exception_handler(ClientDisconnect)
    async def client_hung_up(request: Request, exc: ClientDisconnect) -> Response:
        # The client's trouble (a kiosk losing its network mid-upload), not ours: nothing
        # was stored, no one hears the reply, and a traceback would only hide real errors.
        del exc
        logger.info("client hung up mid-request on %s", request.url.path)
        return Response(status_code=400)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        logger.error("internal error on %s", request.url.path, exc_info=exc)
        return _error_response(500, "internal_error", "internal error")

    def authenticate(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Kiosk:
        """The checks of a signed request, in order; consumes the nonce when all hold."""
        now = clock()
        try:
            signed = auth.parse_headers(headers)
            kiosk = store.kiosk(signed.kiosk_id)
            if kiosk is None:
                raise auth.AuthError("unknown_kiosk", "no kiosk has this id")
            try:
                # Checked again here: a kiosk enrolled before weak keys were refused.
                key = auth.device_public_key(kiosk.public_key)
            except WeakKeyError as exc:
                raise auth.AuthError("bad_signature", "the kiosk's key is refused") from exc
            auth.check_signature(signed, key, method, target, body)
            if not kiosk.enabled:
                raise ApiError(403, "kiosk_disabled", "this kiosk was disabled by the city")
            auth.check_timestamp(signed, now.timestamp())
            if not store.remember_nonce(kiosk.id, signed.nonce, stamp=signed.timestamp, now=now):
                raise auth.AuthError(
                    "replayed_nonce",
                    "this nonce was used in the last 600 s (or the request is older than"
                    " the nonces the platform remembers)",
                )
        except auth.AuthError as exc:
            logger.warning("refused a signed request: %s", exc.code)
            if exc.code == "stale_timestamp":
                raise _unauthorized(exc.code, exc.detail, server_time=rfc3339_utc(now)) from exc
            raise _unauthorized(exc.code, exc.detail) from exc
        except KeyFileError as exc:  # pragma: no cover - keys are checked at enrollment
            raise _unauthorized("bad_signature", "the kiosk's key is unusable") from exc
        return kiosk

    @app.post(
        "/v1/enroll",
        operation_id="enroll",
        status_code=201,
        summary="Register a kiosk's device key with a one-time enrollment token",
        responses={
            201: {"model": EnrollResponse, "description": "enrolled"},
            **_errors(
                400,
                403,
                413,
                415,
                422,
                429,
                503,
                e400="weak_public_key: a non-canonical or small-order device key",
                e403="token_used, token_invalid (unknown or expired) or token_venue_mismatch",
            ),
        },
        openapi_extra={"requestBody": _json_body("EnrollRequest", "the enrollment")},
    )
    async def enroll(request: Request) -> JSONResponse:
        check_declared_length(request.headers.get("content-length"), MAX_ENROLL_BODY)
        body = await read_capped(request.stream(), MAX_ENROLL_BODY)
        _check_json_content_type(request)
        if request.headers.get("content-encoding", "identity").lower() != "identity":
            raise ApiError(415, "unsupported_media_type", "the enrollment is sent uncompressed")
        payload = _parse_enroll(body)
        raw_key = payload.raw_public_key()
        try:
            auth.ed25519_public_key(raw_key)
        except KeyFileError as exc:
            raise invalid("public_key: not an Ed25519 public key") from exc
        try:
            kiosk = await run_in_threadpool(
                store.enroll,
                payload.token,
                payload.venue_id,
                public_key=raw_key,
                name=payload.kiosk_name,
                now=clock(),
            )
        except TokenError as exc:
            logger.warning("refused an enrollment for venue %s: %s", payload.venue_id, exc.code)
            raise ApiError(403, exc.code, exc.detail) from exc
        except WeakKeyError as exc:
            logger.warning("refused an enrollment for venue %s: weak key", payload.venue_id)
            raise ApiError(
                400,
                "weak_public_key",
                f"public_key: refused, {exc.reason}: a kiosk's device key must be an"
                " Ed25519 key of full order in its canonical encoding",
            ) from exc
        response = EnrollResponse(
            kiosk_id=kiosk.id, venue_id=kiosk.venue_id, server_time=rfc3339_utc(clock())
        )
        return JSONResponse(response.model_dump(), status_code=201)

    @app.post(
        "/v1/checkins",
        operation_id="upload_checkins",
        summary="Upload check-ins (signed, gzip); idempotent per kiosk by record uuid",
        responses={
            200: {
                "model": CheckinResult,
                "description": "`uuids`: held for this kiosk (new or already stored);"
                " `conflicts`: held for another kiosk, this record not stored",
            },
            **_errors(
                401,
                403,
                413,
                415,
                422,
                429,
                503,
                e403="kiosk_disabled: the city revoked this kiosk",
                e413="too_large: over 4 MiB compressed, 16 MiB inflated or 1,000 records",
                e422="invalid_request: the batch is refused whole; `index` names the bad record",
            ),
        },
        openapi_extra={
            "parameters": _signed_parameters(),
            "requestBody": _json_body(
                "CheckinBatch",
                "at most 1,000 records; sent with Content-Encoding: gzip (4 MiB compressed,"
                " 16 MiB inflated at most)",
            ),
        },
    )
    async def upload_checkins(request: Request) -> JSONResponse:
        check_declared_length(request.headers.get("content-length"), MAX_COMPRESSED)
        body = await read_capped(request.stream(), MAX_COMPRESSED)
        headers = _single_headers(request)
        target = _path_with_query(request.scope)
        kiosk = await run_in_threadpool(authenticate, request.method, target, headers, body)
        _check_json_content_type(request)
        if request.headers.get("content-encoding", "").strip().lower() != "gzip":
            raise ApiError(415, "unsupported_media_type", "Content-Encoding must be gzip")
        raw = await run_in_threadpool(gunzip_capped, body, MAX_INFLATED)
        batch = await run_in_threadpool(_parse_batch, raw, clock())
        for index, record in enumerate(batch.records):
            if record.venue_id != kiosk.venue_id:
                raise invalid(
                    f"record {index}: venue_id is not the venue this kiosk is enrolled at",
                    index=index,
                )
        outcomes = await run_in_threadpool(
            store.store_checkins, kiosk.id, [_row(r) for r in batch.records], now=clock()
        )
        conflicts = list(
            dict.fromkeys(
                record.uuid
                for record, outcome in zip(batch.records, outcomes, strict=True)
                if outcome is Outcome.CONFLICT
            )
        )
        uuids = [
            uuid
            for uuid in dict.fromkeys(record.uuid for record in batch.records)
            if uuid not in conflicts
        ]
        stored = outcomes.count(Outcome.STORED)
        duplicates = outcomes.count(Outcome.DUPLICATE)
        log = logger.warning if conflicts else logger.info
        log(
            "kiosk %s uploaded %d records: %d new, %d duplicates, %d conflicts",
            kiosk.id,
            len(outcomes),
            stored,
            duplicates,
            len(conflicts),
        )
        result = CheckinResult(
            stored=stored, duplicates=duplicates, uuids=uuids, conflicts=conflicts
        )
        return JSONResponse(result.model_dump())

    @app.get(
        "/v1/bundle",
        operation_id="get_bundle",
        summary="The newest trust bundle, when newer than the one the kiosk has",
        response_class=Response,
        responses={
            200: {
                "description": "a newer bundle (COSE_Sign1 signed by the city root key)",
                "content": {COSE_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
                "headers": {
                    BUNDLE_VERSION_HEADER: {
                        "description": "the bundle's version",
                        "schema": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": MAX_BUNDLE_VERSION,
                        },
                    }
                },
            },
            304: {"description": "no bundle newer than `have`"},
            **_errors(
                404,
                422,
                429,
                503,
                e404="no_bundle: the platform publishes no trust bundle yet",
                e422="invalid_request: `have` is not a version",
            ),
        },
        openapi_extra={
            "parameters": [
                {
                    "name": "have",
                    "in": "query",
                    "required": False,
                    "description": "the highest bundle version the kiosk accepted (0: none)",
                    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_BUNDLE_VERSION},
                }
            ]
        },
    )
    async def get_bundle(request: Request) -> Response:
        values = request.query_params.getlist("have")
        if len(values) > 1:
            raise invalid("have: given more than once")
        text = values[0] if values else "0"
        # Any version the platform can publish is a valid "have" (the same bound).
        if not text.isascii() or not text.isdigit() or len(text) > 20:
            raise invalid(f"have: must be an integer from 0 to {MAX_BUNDLE_VERSION}")
        try:
            have = check_bundle_version(int(text), lowest=0)
        except BundleError as exc:
            raise invalid(f"have: {exc}") from exc

        def newer() -> tuple[bool, PublishedBundle | None]:
            latest = store.bundle_newer_than(have)
            return latest is not None or store.latest_bundle_version() is not None, latest

        published, latest = await run_in_threadpool(newer)
        if not published:
            # Not 304: "nothing newer" would let a kiosk believe it is up to date.
            return _error_response(404, "no_bundle", NO_BUNDLE_DETAIL)
        if latest is None:
            return Response(status_code=304)
        return Response(
            latest.data,
            media_type=COSE_MEDIA_TYPE,
            headers={BUNDLE_VERSION_HEADER: str(latest.version)},
        )

    @app.get(
        "/v1/time",
        operation_id="get_time",
        summary="The platform's clock",
        responses={200: {"model": ServerTime, "description": "now"}, **_errors(429, 503)},
    )
    async def get_time() -> JSONResponse:
        now = clock()
        return JSONResponse(ServerTime(now=rfc3339_utc(now), epoch_ms=epoch_ms(now)).model_dump())

    return app


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document the platform serves at ``GET /openapi.json`` (no server, no
    files: the app is built over an in-memory store)."""
    store = PlatformStore(Path(":memory:"))
    try:
        return create_app(store).openapi()
    finally:
        store.close()
