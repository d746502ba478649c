"""The one table from a decision's reason to its verdict and its words for the guard.

Precedence: when a card fails several checks, the decision names the first failing
check in pipeline order, which is the ``precedence`` column (lower wins), with one
exception: claims are decoded only after the signature holds, so malformed claims
show as ``malformed`` only on a card whose signature holds. The order
is deliberate: nothing a card claims is believed before its signature holds, so the
structural and cryptographic checks come first; revocation comes before the time
checks because a revoked card is a stronger signal than an expired one; the city's
rules come before the venue's admission policy because the policy judges the colour
the rules give.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain import Reason, Verdict


@dataclass(frozen=True, slots=True)
class ReasonInfo:
    verdict: Verdict
    precedence: int
    #: Headline for the guard, Vietnamese then English.
    guard_vi: str
    guard_en: str
    #: What the person in front of the guard can do about it.
    advice_vi: str = ""
    advice_en: str = ""


_FEEDBACK_VI = "Dữ liệu tiêm chủng chưa cập nhật? Phản ánh tại trang góp ý của Sở Y tế."
_FEEDBACK_EN = "Vaccination data not yet updated? Report it on the city's feedback page."
_FAKE_VI = "Mã QR không phải do cơ quan y tế cấp. Kiểm tra giấy tờ khác."
_FAKE_EN = "This QR code was not issued by a health authority. Check other papers."

REASONS: dict[Reason, ReasonInfo] = {
    Reason.UNSUPPORTED_FORMAT: ReasonInfo(
        Verdict.RED,
        10,
        "Không phải thẻ Covid",
        "Not a Covid card",
        "Mở thẻ Covid (xanh/vàng) trên ứng dụng hoặc bản in.",
        "Show the green/yellow Covid card from the app or a printout.",
    ),
    Reason.MALFORMED: ReasonInfo(
        Verdict.RED,
        20,
        "Thẻ bị hỏng, không đọc được",
        "Card damaged or unreadable",
        "Tăng độ sáng màn hình và quét lại, hoặc dùng bản in.",
        "Turn up the screen brightness and scan again, or use a printout.",
    ),
    Reason.UNSUPPORTED_ALGORITHM: ReasonInfo(
        Verdict.RED, 30, "Chữ ký không hợp lệ", "Invalid signature", _FAKE_VI, _FAKE_EN
    ),
    Reason.UNKNOWN_KEY: ReasonInfo(
        Verdict.RED,
        40,
        "Nơi cấp không được tin cậy",
        "Issuer not trusted",
        "Nếu thẻ mới cấp, kiosk có thể chưa cập nhật dữ liệu tin cậy. Báo quản lý.",
        "If the card is new, this kiosk may lack fresh trust data. Tell the manager.",
    ),
    Reason.BAD_SIGNATURE: ReasonInfo(
        Verdict.RED, 50, "Thẻ giả hoặc bị sửa", "Forged or altered card", _FAKE_VI, _FAKE_EN
    ),
    Reason.KEY_NOT_VALID_FOR_CARD: ReasonInfo(
        Verdict.RED,
        60,
        "Nơi cấp không được phép cấp thẻ này",
        "Issuer not allowed to issue this card",
        _FAKE_VI,
        _FAKE_EN,
    ),
    Reason.REVOKED: ReasonInfo(
        Verdict.RED,
        70,
        "Thẻ đã bị thu hồi",
        "Card revoked",
        "Liên hệ trạm y tế phường để được cấp lại thẻ.",
        "Contact the ward health station for a new card.",
    ),
    Reason.NOT_YET_VALID: ReasonInfo(
        Verdict.RED,
        80,
        "Thẻ chưa có hiệu lực",
        "Card not valid yet",
        "Kiểm tra đồng hồ của kiosk; nếu đúng, thẻ chưa đến ngày hiệu lực.",
        "Check the kiosk's clock; if it is right, the card is not valid yet.",
    ),
    Reason.EXPIRED: ReasonInfo(
        Verdict.RED,
        90,
        "Thẻ đã hết hạn",
        "Card expired",
        "Cập nhật thẻ mới trên ứng dụng.",
        "Refresh the card in the app.",
    ),
    Reason.NO_RULES: ReasonInfo(
        Verdict.RED,
        100,
        "Kiosk thiếu quy định hiện hành",
        "Kiosk has no rules in force",
        "Báo quản lý: kiosk cần cập nhật dữ liệu.",
        "Tell the manager: the kiosk needs an update.",
    ),
    Reason.NO_VALID_BASIS: ReasonInfo(
        Verdict.RED,
        110,
        "Chưa đủ điều kiện theo quy định hiện hành",
        "Not covered under current rules",
        _FEEDBACK_VI,
        _FEEDBACK_EN,
    ),
    Reason.NOT_ADMITTED: ReasonInfo(
        Verdict.RED,
        120,
        "Thẻ này không được vào địa điểm này",
        "This card is not admitted at this venue",
        "Địa điểm chỉ nhận thẻ xanh.",
        "This venue admits green cards only.",
    ),
    Reason.ADMITTED_YELLOW: ReasonInfo(
        Verdict.YELLOW, 200, "Thẻ vàng: được vào", "Yellow: admitted"
    ),
    Reason.ADMITTED_GREEN: ReasonInfo(Verdict.GREEN, 200, "Thẻ xanh: được vào", "Green: admitted"),
}


def admitted(colour: Verdict) -> Reason:
    """The reason for admitting a card of this (non-red) colour."""
    return Reason.ADMITTED_GREEN if colour is Verdict.GREEN else Reason.ADMITTED_YELLOW
