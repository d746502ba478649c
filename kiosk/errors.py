"""The kiosk's one exception hierarchy.

Every error the kiosk raises on purpose derives from :class:`KioskError`.
Adapters translate third-party errors with ``raise XError(...) from exc``.

::

    KioskError
    ├── MalformedInput           bytes from outside that do not parse (codec level)
    │   ├── Base45Error
    │   ├── CborError
    │   └── CoseError
    ├── CardRejected             a card failed a check; carries a Reason -> red Decision
    ├── TrustError               trust material (keys, bundles) is unusable
    │   ├── KeyFileError         a key file is missing, unreadable or of the wrong type
    │   ├── UnsafeFileError      a kiosk's own key or trust file is a link, or anyone may write it
    │   └── BundleError          a trust bundle cannot be installed
    │       ├── BundleSignatureError
    │       ├── BundleRollbackError
    │       └── BundleKindError
    ├── RulesError               a rule set cannot be compiled or evaluated
    │   └── CertLogicError
    ├── ScannerError             the camera, a scanner or a QR decoder cannot be used
    │   ├── DecoderUnavailable   a QR decoder library (or its system library) is missing
    │   └── SourceUnavailable    a frame or payload source cannot be opened
    ├── StoreError               the check-in log cannot record or read (disk full, key)
    ├── SyncError                talking to the city platform failed
    │   ├── RetryLater           the platform or the network failed; try again later
    │   ├── SyncRejected         the platform refused a request (4xx); retrying won't help
    │   └── EnrollmentError      enrolling the kiosk failed
    ├── ClaimsError              claims given to the issuing tool are invalid
    └── UsageError               a command was called wrongly (exit status 2)

Bad input from outside never escapes as a traceback: the pipeline turns
``MalformedInput`` and ``CardRejected`` into red decisions, the command line
turns every other ``KioskError`` into a one-line message.

An error may carry a machine-readable ``code`` (one of :data:`ERROR_CODES`) and the
``values`` its words need, so that a front end in another language says it in its own
words (the wizard maps codes to translated sentences); the English message stays the
exception's ``str``, which the command line prints unchanged. A front end that has no
words for a code (or an error without one) shows the English message.
:class:`SyncRejected`'s code is the platform's own error code (``token_used``…).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kiosk.domain import Reason

#: Every code the kiosk itself sets on an error (the platform's codes come on top).
ERROR_CODES: Final = frozenset(
    {
        # the city platform
        "platform_timeout",  # path
        "platform_unreachable",  # path, error
        "platform_unavailable",  # path, status (5xx, 429)
        "platform_bad_reply",  # path
        "platform_url_invalid",
        "platform_url_plain_http",  # url
        "not_enrolled",
        "enroll_unreachable",  # url
        "enroll_timeout",  # url
        "enroll_refused",  # error: the platform's code (token_invalid, token_used…)
        "enroll_no_kiosk_id",
        "enroll_queue_undelivered",  # count, venue, new_venue
        # trust data
        "root_not_pinned",
        "root_different",  # file
        "root_unreadable",  # file
        "root_not_a_key",  # file
        "trust_corrupt",  # file
        "trust_file_unsafe",  # file
        "bundle_unreadable",  # file
        "bundle_not_a_bundle",
        "bundle_wrong_algorithm",
        "bundle_bad_signature",
        "bundle_invalid",
        "bundle_wrong_kind",  # kind
        "bundle_rollback",  # version, highest
        "bundle_same_version",  # version
        # settings
        "text_empty",  # field
        "text_too_long",  # field, limit
        "text_control",  # field
        "venue_category_unknown",  # category, known
        "camera_empty",
        "camera_no_video_file",  # file
        "camera_no_folder",  # folder
        "camera_not_found",  # camera
        "camera_is_scanner",  # camera
        "camera_demo_refused",
        "camera_size",  # what (width/height), value
        "decoder_unknown",  # decoder
        "decoder_unavailable",  # decoder
        "pin_refused",
        "pin_mismatch",
    }
)


class KioskError(Exception):
    """Base of every error the kiosk raises on purpose.

    ``code`` and ``values`` (keyword-only) say what went wrong for a front end that words
    it in its own language; ``str(error)`` stays the English message."""

    code: str | None
    values: Mapping[str, str]

    def __init__(
        self, *args: object, code: str | None = None, values: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(*args)
        self.code = code
        self.values = dict(values or {})  # a copy: the caller's dict may change


class MalformedInput(KioskError):
    """Bytes from outside that do not parse."""


class Base45Error(MalformedInput):
    """Text that is not valid Base45."""


class CborError(MalformedInput):
    """Bytes that are not valid (or not acceptable) CBOR."""


class CoseError(MalformedInput):
    """A structure that is not a valid COSE_Sign1 message."""


class CardRejected(KioskError):
    """A card failed a check. ``reason`` says which; ``detail`` is for logs."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


class TrustError(KioskError):
    """Trust material (keys, bundles) is unusable."""


class KeyFileError(TrustError):
    """A key file is missing, unreadable or holds the wrong kind of key."""


class UnsafeFileError(TrustError):
    """One of the kiosk's own key or trust files is a symbolic link, or every user may
    write it (or its directory): it could have been swapped."""


class BundleError(TrustError):
    """A trust bundle cannot be installed."""


class BundleSignatureError(BundleError):
    """The bundle is not signed by the pinned city root key."""


class BundleRollbackError(BundleError):
    """The bundle is older than (or as old as) the one installed."""


class BundleKindError(BundleError):
    """The signed document is not a trust bundle."""


class RulesError(KioskError):
    """A rule set cannot be compiled or evaluated."""


class CertLogicError(RulesError):
    """An invalid CertLogic expression, or an evaluation type error."""


class ScannerError(KioskError):
    """The camera, a hardware scanner or a QR decoder cannot be used."""


class DecoderUnavailable(ScannerError):
    """A QR decoder library, or the system library it needs, is missing."""


class SourceUnavailable(ScannerError):
    """A frame or payload source (camera, video, folder, serial port) cannot be opened."""


class StoreError(KioskError):
    """The check-in log cannot record or read: disk full, missing key, corrupt file."""


class SyncError(KioskError):
    """Talking to the city platform failed."""


class RetryLater(SyncError):
    """The network or the platform failed (timeout, 5xx, 429); try again later."""

    def __init__(
        self,
        message: str,
        retry_after: float | None = None,
        *,
        code: str | None = None,
        values: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, code=code, values=values)
        self.retry_after = retry_after


class SyncRejected(SyncError):
    """The platform refused the request (4xx other than 429); retrying will not help.

    ``code`` is the platform's error code; ``index`` names the refused record of an
    upload, when the platform said which.
    """

    code: str

    def __init__(self, message: str, status: int, code: str, index: int | None = None) -> None:
        super().__init__(message, code=code, values={"status": str(status)})
        self.status = status
        self.code = code
        self.index = index


class EnrollmentError(SyncError):
    """Enrolling the kiosk with the platform failed (bad token, unreachable platform)."""


class ClaimsError(KioskError):
    """Claims given to the issuing tool are invalid."""


class UsageError(KioskError):
    """A command was called wrongly."""
