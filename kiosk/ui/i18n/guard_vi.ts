<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>DecisionPanel</name>
    <message>
        <location filename="../guard.py" line="477"/>
        <source>Born {year}</source>
        <extracomment>An error banner hides itself after this long (a newer error restarts it). Quiet zone around the feedback QR code, in modules (the QR standard asks for 4). Colours of the screen around the panel (a dark frame makes the panel stand out). The panel&apos;s words: (share of the screen&apos;s height, minimum pixels, bold), before :meth:`DecisionPanel._fit` shrinks them to what fits. Words start this much larger than :data:`_WORDS` and shrink until they fit: a short green panel gets the biggest letters, a long red one still shows everything. The shown tone (&quot;green&quot;, &quot;yellow&quot;, &quot;red&quot;, &quot;error&quot;); None before any result.</extracomment>
        <translation>Sinh năm {year}</translation>
    </message>
    <message>
        <location filename="../guard.py" line="479"/>
        <source>ID {digits}</source>
        <translation>CCCD {digits}</translation>
    </message>
    <message>
        <location filename="../guard.py" line="496"/>
        <source>Scan to report missing or wrong vaccination data</source>
        <translation>Quét mã để phản ánh dữ liệu tiêm chủng thiếu hoặc sai</translation>
    </message>
</context>
<context>
    <name>GuardScreen</name>
    <message>
        <location filename="../guard.py" line="862"/>
        <source>Show the QR code of your Covid card to the camera</source>
        <translation>Đưa mã QR thẻ Covid trước camera</translation>
    </message>
    <message>
        <location filename="../guard.py" line="863"/>
        <source>Waiting for the camera…</source>
        <translation>Đang chờ camera…</translation>
    </message>
    <message>
        <location filename="../guard.py" line="866"/>
        <source>EN</source>
        <translation>EN</translation>
    </message>
    <message>
        <location filename="../guard.py" line="866"/>
        <source>VI</source>
        <translation>VI</translation>
    </message>
    <message>
        <location filename="../guard.py" line="867"/>
        <source>Switch language</source>
        <translation>Đổi ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../guard.py" line="868"/>
        <source>Manager (F2)</source>
        <translation>Quản lý (F2)</translation>
    </message>
    <message>
        <location filename="../guard.py" line="869"/>
        <source>Dismiss</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../guard.py" line="870"/>
        <source>Covid card check-in</source>
        <translation>Quét thẻ Covid</translation>
    </message>
</context>
<context>
    <name>StatusStrip</name>
    <message>
        <location filename="../guard.py" line="578"/>
        <source>Not enrolled</source>
        <translation>Chưa đăng ký</translation>
    </message>
    <message>
        <location filename="../guard.py" line="580"/>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../guard.py" line="582"/>
        <source>Offline</source>
        <translation>Ngoại tuyến</translation>
    </message>
    <message>
        <location filename="../guard.py" line="584"/>
        <source>{count} waiting to sync</source>
        <translation>{count} lượt chờ đồng bộ</translation>
    </message>
    <message>
        <location filename="../guard.py" line="588"/>
        <source>Never synced</source>
        <translation>Chưa đồng bộ lần nào</translation>
    </message>
    <message>
        <location filename="../guard.py" line="592"/>
        <source>Last sync {time}</source>
        <translation>Đồng bộ lúc {time}</translation>
    </message>
    <message>
        <location filename="../guard.py" line="595"/>
        <source>No trust data: every card is red</source>
        <translation>Thiếu dữ liệu tin cậy: mọi thẻ đều đỏ</translation>
    </message>
    <message>
        <location filename="../guard.py" line="597"/>
        <source>Trust data {age} old: update it</source>
        <translation>Dữ liệu tin cậy quá cũ ({age}): cần cập nhật</translation>
    </message>
    <message>
        <location filename="../guard.py" line="600"/>
        <source>Trust data {age} old</source>
        <translation>Dữ liệu tin cậy: {age} trước</translation>
    </message>
    <message>
        <location filename="../guard.py" line="605"/>
        <source>Clock off by {seconds} s: check the time</source>
        <translation>Đồng hồ lệch {seconds} giây: kiểm tra giờ</translation>
    </message>
    <message>
        <location filename="../guard.py" line="611"/>
        <source>Camera on</source>
        <translation>Camera hoạt động</translation>
    </message>
    <message>
        <location filename="../guard.py" line="613"/>
        <source>Camera starting…</source>
        <translation>Camera đang khởi động…</translation>
    </message>
    <message>
        <location filename="../guard.py" line="615"/>
        <source>Camera lost: check the cable</source>
        <translation>Mất camera: kiểm tra dây cáp</translation>
    </message>
    <message>
        <location filename="../guard.py" line="617"/>
        <source>Camera stopped</source>
        <translation>Camera đã dừng</translation>
    </message>
    <message>
        <location filename="../guard.py" line="618"/>
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <location filename="../guard.py" line="620"/>
        <source>{count} green</source>
        <translation>{count} xanh</translation>
    </message>
    <message>
        <location filename="../guard.py" line="622"/>
        <source>{count} yellow</source>
        <translation>{count} vàng</translation>
    </message>
    <message>
        <location filename="../guard.py" line="624"/>
        <source>{count} red</source>
        <translation>{count} đỏ</translation>
    </message>
    <message>
        <location filename="../guard.py" line="628"/>
        <source>{days} d</source>
        <translation>{days} ngày</translation>
    </message>
    <message>
        <location filename="../guard.py" line="631"/>
        <source>{hours} h</source>
        <translation>{hours} giờ</translation>
    </message>
    <message>
        <location filename="../guard.py" line="632"/>
        <source>{minutes} min</source>
        <translation>{minutes} phút</translation>
    </message>
</context>
<context>
    <name>ViewState</name>
    <message>
        <location filename="../viewstate.py" line="126"/>
        <source>Admitted by the guard</source>
        <extracomment>The sound of an outcome (``kiosk.ui.sound`` makes one distinct sound per cue). ``translate(context, source_text) -&gt; text``: ``QCoreApplication.translate`` in the app. The city&apos;s public feedback page, where a person reports missing or wrong vaccination data. One constant for the whole kiosk; the QR code on a red screen links here. Reasons whose fix is on the person&apos;s side, in the city&apos;s records: the feedback QR is shown only for these. ``no_valid_basis``: the city&apos;s record of doses or tests is missing or late (the reason&apos;s own advice points to the feedback page). ``revoked``: a card revoked in error is contested there too. Not ``unknown_key`` nor ``no_rules``: those are the kiosk&apos;s own trust data being old, fixed by the manager, and a QR would send the person to complain about a problem they do not have. Not the forgery reasons (nothing to report), nor ``expired`` (the app renews the card) or ``not_admitted`` (the venue&apos;s own policy). High-contrast pairs, all at least 7:1 (WCAG AAA) so they stay readable in sunlight; the yellow panel carries dark text. &quot;error&quot; is a dark slate that is none of the three verdict colours, because it is not a verdict. Big words: the reason&apos;s guard text (or, for ``error``, that nothing was recorded). Masked: family name in full, other names as initials (&quot;Nguyễn V. A.&quot;). &quot;•••• 1234&quot; (the last four digits of the national ID), when the card has them. Smaller lines under the holder: a colour the rules changed, why nothing was recorded. What the person can do (red and error only; &quot;&quot; otherwise). A page to report missing data (see :data:`FEEDBACK_REASONS`); None: no QR. &quot;Returning: last check-in 14:02&quot; when the card checked in here recently, else None.</extracomment>
        <translation>Được vào: bảo vệ xác nhận</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="127"/>
        <source>Recorded as a manual admission</source>
        <translation>Đã ghi nhận: cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="138"/>
        <source>Issued {issued}; today&apos;s rules give {rules}</source>
        <translation>Thẻ cấp màu {issued}; theo quy định hôm nay: {rules}</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="145"/>
        <source>Returning: last check-in {time}</source>
        <translation>Quay lại: lần quét trước lúc {time}</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="199"/>
        <source>Check-in NOT recorded</source>
        <translation>CHƯA ghi nhận lượt quét</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="204"/>
        <source>Call the manager now: no check-in can be recorded.</source>
        <translation>Gọi quản lý ngay: không thể ghi nhận lượt quét nào.</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="206"/>
        <source>Scan again. If this repeats, call the manager.</source>
        <translation>Quét lại. Nếu vẫn lỗi, gọi quản lý.</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="213"/>
        <source>The kiosk&apos;s storage is full.</source>
        <translation>Bộ nhớ của kiosk đã đầy.</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="215"/>
        <source>This kiosk has no check-in log.</source>
        <translation>Kiosk này không có nhật ký lượt quét.</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="216"/>
        <source>The check-in log could not be written.</source>
        <translation>Không ghi được vào nhật ký lượt quét.</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="222"/>
        <source>green</source>
        <translation>xanh</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="224"/>
        <source>yellow</source>
        <translation>vàng</translation>
    </message>
    <message>
        <location filename="../viewstate.py" line="225"/>
        <source>red</source>
        <translation>đỏ</translation>
    </message>
</context>
</TS>
