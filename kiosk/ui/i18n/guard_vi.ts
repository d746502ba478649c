<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>DecisionPanel</name>
    <message>
        <location filename="../guard.py" line="487" />
        <source>Born {year}</source>
        <extracomment>An error banner hides itself after this long (a newer error restarts it). The other language is for one visitor: back to the kiosk's after this long without a scan (and at once when the decision shown in it returns to scanning). Quiet zone around the feedback QR code, in modules (the QR standard asks for 4). Colours of the screen around the panel (a dark frame makes the panel stand out). The panel's words: (share of the screen's height, minimum pixels, bold), before :meth:`DecisionPanel._fit` shrinks them to what fits. Words start this much larger than :data:`_WORDS` and shrink until they fit: a short green panel gets the biggest letters, a long red one still shows everything. The shown tone ("green", "yellow", "red", "error"); None before any result.</extracomment>
        <translation>Sinh năm {year}</translation>
    </message>
    <message>
        <location filename="../guard.py" line="489" />
        <source>ID {digits}</source>
        <translation>CCCD {digits}</translation>
    </message>
    <message>
        <location filename="../guard.py" line="506" />
        <source>Scan to report missing or wrong vaccination data</source>
        <translation>Quét mã để phản ánh dữ liệu tiêm chủng thiếu hoặc sai</translation>
    </message>
</context>
<context>
    <name>GuardScreen</name>
    <message>
        <location filename="../stripview.py" line="235" />
        <location filename="../stripview.py" line="248" />
        <source>No camera: use the hand scanner</source>
        <extracomment>The big line over the preview, for the person at the door. Drawn where the preview would be while there is no frame.</extracomment>
        <translation>Không có camera: dùng máy quét cầm tay</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="236" />
        <source>No camera</source>
        <translation>Không có camera</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="239" />
        <source>Show the QR code of your Covid card to the camera</source>
        <translation>Đưa mã QR thẻ Covid trước camera</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="240" />
        <source>Waiting for the camera…</source>
        <translation>Đang chờ camera…</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="250" />
        <source>Camera lost: reconnecting… Use the hand scanner.</source>
        <translation>Mất kết nối camera: đang kết nối lại… Hãy dùng máy quét cầm tay.</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="252" />
        <source>This kiosk is now provisioned: restart the app to leave the demo.</source>
        <translation>Kiosk đã được cài đặt: hãy khởi động lại ứng dụng để thoát chế độ demo.</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="255" />
        <source>Something went wrong; the kiosk keeps scanning.</source>
        <translation>Đã xảy ra lỗi; kiosk vẫn tiếp tục quét.</translation>
    </message>
    <message>
        <location filename="../guard.py" line="951" />
        <source>EN</source>
        <extracomment>A banner given as a code (:meth:`show_problem`): worded again on a language change.</extracomment>
        <translation>EN</translation>
    </message>
    <message>
        <location filename="../guard.py" line="951" />
        <source>VI</source>
        <translation>VI</translation>
    </message>
    <message>
        <location filename="../guard.py" line="952" />
        <source>Switch language</source>
        <translation>Đổi ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../guard.py" line="953" />
        <source>Manager (F2)</source>
        <translation>Quản lý (F2)</translation>
    </message>
    <message>
        <location filename="../guard.py" line="954" />
        <source>Dismiss</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../guard.py" line="955" />
        <source>Covid card check-in</source>
        <translation>Quét thẻ Covid</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <location filename="../stripview.py" line="149" />
        <source>Not enrolled</source>
        <translation>Chưa đăng ký</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="153" />
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="154" />
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="110" />
        <source>{count} waiting to sync</source>
        <translation>{count} lượt chờ đồng bộ</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="166" />
        <source>Never synced</source>
        <translation>Chưa đồng bộ lần nào</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="162" />
        <source>Last sync {time}</source>
        <translation>Đồng bộ lúc {time}</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="84" />
        <source>Today: 1 person</source>
        <extracomment>"ok": plain; "warn": the manager should look (yellow); "alert": cards are refused or the kiosk cannot work as it should (red). Codes the app may show as a banner (:func:`problem_words`), in the screen's language. With "⚠ " in front when the level is not "ok": a shape as well as a colour.</extracomment>
        <translation>Hôm nay: 1 người</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="86" />
        <source>Today: {count} people</source>
        <translation>Hôm nay: {count} người</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="96" />
        <source>1 scan</source>
        <translation>1 lượt quét</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="98" />
        <source>{count} scans</source>
        <translation>{count} lượt quét</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="114" />
        <source>The check-in log was replaced: call the technician</source>
        <translation>Nhật ký lượt quét đã bị thay thế: hãy gọi kỹ thuật viên</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="116" />
        <source>Check-ins are missing from the log: call the technician</source>
        <translation>Nhật ký lượt quét bị thiếu lượt: hãy gọi kỹ thuật viên</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="120" />
        <source>The check-in log is damaged: call the technician</source>
        <translation>Nhật ký lượt quét bị hỏng: hãy gọi kỹ thuật viên</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="124" />
        <source>{count} damaged record(s) kept aside: call the technician</source>
        <translation>{count} bản ghi bị hỏng đã được để riêng: hãy gọi kỹ thuật viên</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="135" />
        <source>Venue category not set: every card is refused. Call the technician.</source>
        <translation>Chưa đặt loại hình địa điểm: mọi thẻ đều bị từ chối. Gọi kỹ thuật viên.</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="151" />
        <source>Connecting…</source>
        <translation>Đang kết nối…</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="165" />
        <source>Not synced yet</source>
        <translation>Chưa đồng bộ</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="173" />
        <source>No trust data: every card is red</source>
        <translation>Thiếu dữ liệu tin cậy: mọi thẻ đều đỏ</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="175" />
        <source>Trust data {age} old: update it</source>
        <translation>Dữ liệu tin cậy quá cũ ({age}): cần cập nhật</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="178" />
        <source>Trust data {age} old</source>
        <translation>Dữ liệu tin cậy: {age} trước</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="187" />
        <source>Clock off by {seconds} s: check the time</source>
        <translation>Đồng hồ lệch {seconds} giây: kiểm tra giờ</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="193" />
        <source>No camera: use the hand scanner</source>
        <translation>Không có camera: dùng máy quét cầm tay</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="195" />
        <source>Camera on</source>
        <translation>Camera hoạt động</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="197" />
        <source>Camera starting…</source>
        <translation>Camera đang khởi động…</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="199" />
        <source>Camera lost: check the cable</source>
        <translation>Mất camera: kiểm tra dây cáp</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="200" />
        <source>Camera stopped</source>
        <translation>Camera đã dừng</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="89" />
        <source>{count} green</source>
        <translation>{count} xanh</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="92" />
        <source>{count} yellow</source>
        <translation>{count} vàng</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="94" />
        <source>{count} red</source>
        <translation>{count} đỏ</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="139" />
        <source>Venue category “{category}” is unknown: every card is refused. Call the technician.</source>
        <translation>Loại hình địa điểm “{category}” không xác định: mọi thẻ đều bị từ chối. Gọi kỹ thuật viên.</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="205" />
        <source>{days} d</source>
        <translation>{days} ngày</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="208" />
        <source>{hours} h</source>
        <translation>{hours} giờ</translation>
    </message>
    <message>
        <location filename="../stripview.py" line="210" />
        <source>{minutes} min</source>
        <translation>{minutes} phút</translation>
    </message>
</context>
<context>
    <name>ViewState</name>
    <message>
        <location filename="../viewstate.py" line="126" />
        <source>Admitted by the guard</source>
        <extracomment>The sound of an outcome (``kiosk.ui.sound`` makes one distinct sound per cue). ``translate(context, source_text) -&gt; text``: ``QCoreApplication.translate`` in the app. The city's public feedback page, where a person reports missing or wrong vaccination data. One constant for the whole kiosk; the QR code on a red screen links here. Reasons whose fix is on the person's side, in the city's records: the feedback QR is shown only for these. ``no_valid_basis``: the city's record of doses or tests is missing or late (the reason's own advice points to the feedback page). ``revoked``: a card revoked in error is contested there too. Not ``unknown_key`` nor ``no_rules``: those are the kiosk's own trust data being old, fixed by the manager, and a QR would send the person to complain about a problem they do not have. Not the forgery reasons (nothing to report), nor ``expired`` (the app renews the card) or ``not_admitted`` (the venue's own policy). High-contrast pairs, all at least 7:1 (WCAG AAA) so they stay readable in sunlight; the yellow panel carries dark text. "error" is a dark slate that is none of the three verdict colours, because it is not a verdict. Big words: the reason's guard text (or, for ``error``, that nothing was recorded). Masked: family name in full, other names as initials ("Nguyễn V. A."). "•••• 1234" (the last four digits of the national ID), when the card has them. Smaller lines under the holder: a colour the rules changed, why nothing was recorded. What the person can do (red and error only; "" otherwise). A page to report missing data (see :data:`FEEDBACK_REASONS`); None: no QR. "Returning: last check-in 14:02" when the card checked in here recently, else None.</extracomment>
        <translation>Được vào: bảo vệ xác nhận</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="127" />
        <source>Recorded as a manual admission</source>
        <translation>Đã ghi nhận: cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="138" />
        <source>Issued {issued}; today's rules give {rules}</source>
        <translation>Thẻ cấp màu {issued}; theo quy định hôm nay: {rules}</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="145" />
        <source>Returning: last check-in {time}</source>
        <translation>Quay lại: lần quét trước lúc {time}</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="199" />
        <source>Check-in NOT recorded</source>
        <translation>CHƯA ghi nhận lượt quét</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="204" />
        <source>Call the manager now: no check-in can be recorded.</source>
        <translation>Gọi quản lý ngay: không thể ghi nhận lượt quét nào.</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="206" />
        <source>Scan again. If this repeats, call the manager.</source>
        <translation>Quét lại. Nếu vẫn lỗi, gọi quản lý.</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="214" />
        <source>The kiosk's storage is full.</source>
        <translation>Bộ nhớ của kiosk đã đầy.</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="216" />
        <source>This kiosk has no check-in log.</source>
        <translation>Kiosk này không có nhật ký lượt quét.</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="217" />
        <source>The check-in log could not be written.</source>
        <translation>Không ghi được vào nhật ký lượt quét.</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="223" />
        <source>green</source>
        <translation>xanh</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="225" />
        <source>yellow</source>
        <translation>vàng</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="226" />
        <source>red</source>
        <translation>đỏ</translation>
    </message>
</context>
</TS>