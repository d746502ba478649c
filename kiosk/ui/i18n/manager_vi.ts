<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>CheckInTableModel</name>
    <message>
        <location filename="../manager.py" line="304"/>
        <source>Time</source>
        <translation>Giờ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="305"/>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <location filename="../manager.py" line="306"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../manager.py" line="307"/>
        <source>Holder</source>
        <translation>Người mang thẻ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="308"/>
        <source>Manual admission</source>
        <translation>Cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="309"/>
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <location filename="../manager.py" line="325"/>
        <source>Green</source>
        <translation>Xanh</translation>
    </message>
    <message>
        <location filename="../manager.py" line="326"/>
        <source>Yellow</source>
        <translation>Vàng</translation>
    </message>
    <message>
        <location filename="../manager.py" line="327"/>
        <source>Red</source>
        <translation>Đỏ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="333"/>
        <source>Green: admitted</source>
        <translation>Thẻ xanh: được vào</translation>
    </message>
    <message>
        <location filename="../manager.py" line="334"/>
        <source>Yellow: admitted</source>
        <translation>Thẻ vàng: được vào</translation>
    </message>
    <message>
        <location filename="../manager.py" line="335"/>
        <source>Not a Covid card</source>
        <translation>Không phải thẻ Covid</translation>
    </message>
    <message>
        <location filename="../manager.py" line="336"/>
        <source>Card damaged or unreadable</source>
        <translation>Thẻ bị hỏng, không đọc được</translation>
    </message>
    <message>
        <location filename="../manager.py" line="337"/>
        <source>Invalid signature</source>
        <translation>Chữ ký không hợp lệ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="338"/>
        <source>Issuer not trusted</source>
        <translation>Nơi cấp không được tin cậy</translation>
    </message>
    <message>
        <location filename="../manager.py" line="339"/>
        <source>Forged or altered card</source>
        <translation>Thẻ giả hoặc bị sửa</translation>
    </message>
    <message>
        <location filename="../manager.py" line="340"/>
        <source>Issuer not allowed to issue this card</source>
        <translation>Nơi cấp không được phép cấp thẻ này</translation>
    </message>
    <message>
        <location filename="../manager.py" line="341"/>
        <source>Card revoked</source>
        <translation>Thẻ đã bị thu hồi</translation>
    </message>
    <message>
        <location filename="../manager.py" line="342"/>
        <source>Card not valid yet</source>
        <translation>Thẻ chưa có hiệu lực</translation>
    </message>
    <message>
        <location filename="../manager.py" line="343"/>
        <source>Card expired</source>
        <translation>Thẻ đã hết hạn</translation>
    </message>
    <message>
        <location filename="../manager.py" line="344"/>
        <source>Kiosk has no rules in force</source>
        <translation>Kiosk thiếu quy định hiện hành</translation>
    </message>
    <message>
        <location filename="../manager.py" line="345"/>
        <source>Not covered under current rules</source>
        <translation>Chưa đủ điều kiện theo quy định hiện hành</translation>
    </message>
    <message>
        <location filename="../manager.py" line="346"/>
        <source>This card is not admitted at this venue</source>
        <translation>Thẻ này không được vào địa điểm này</translation>
    </message>
    <message>
        <location filename="../manager.py" line="347"/>
        <source>Admitted manually</source>
        <translation>Cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="358"/>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <location filename="../manager.py" line="358"/>
        <source>no</source>
        <translation>không</translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <location filename="../manager.py" line="252"/>
        <source>Check-ins by hour</source>
        <extracomment>The platform&apos;s limit for a manual admission&apos;s reason (docs/sync-protocol.md). Light tints for table cells, dark text stays readable on them. Bottom to top in a stacked bar. The verdict filter&apos;s choices, in the combo box&apos;s order (&quot;All&quot; first).</extracomment>
        <translation>Lượt quét theo giờ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="264"/>
        <source>No check-ins on this day</source>
        <translation>Không có lượt quét nào trong ngày này</translation>
    </message>
</context>
<context>
    <name>ManagerScreen</name>
    <message>
        <location filename="../manager.py" line="882"/>
        <source>Back to scanning</source>
        <extracomment>Column widths of the report&apos;s table, as fractions of the page&apos;s width.</extracomment>
        <translation>Quay lại quét</translation>
    </message>
    <message>
        <location filename="../manager.py" line="883"/>
        <source>Manager PIN</source>
        <translation>Mã PIN quản lý</translation>
    </message>
    <message>
        <location filename="../manager.py" line="884"/>
        <source>Set the manager PIN</source>
        <translation>Đặt mã PIN quản lý</translation>
    </message>
    <message>
        <location filename="../manager.py" line="886"/>
        <source>Manager</source>
        <translation>Quản lý</translation>
    </message>
    <message>
        <location filename="../manager.py" line="888"/>
        <location filename="../manager.py" line="1270"/>
        <source>Unnamed venue</source>
        <translation>Địa điểm chưa đặt tên</translation>
    </message>
    <message>
        <location filename="../manager.py" line="890"/>
        <source>{name} ({venue}), kiosk {kiosk}</source>
        <translation>{name} ({venue}), kiosk {kiosk}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="894"/>
        <source>Change PIN…</source>
        <translation>Đổi mã PIN…</translation>
    </message>
    <message>
        <location filename="../manager.py" line="895"/>
        <source>Technician setup…</source>
        <translation>Cài đặt kỹ thuật…</translation>
    </message>
    <message>
        <location filename="../manager.py" line="896"/>
        <source>Day:</source>
        <translation>Ngày:</translation>
    </message>
    <message>
        <location filename="../manager.py" line="897"/>
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <location filename="../manager.py" line="898"/>
        <source>Result:</source>
        <translation>Kết quả:</translation>
    </message>
    <message>
        <location filename="../manager.py" line="900"/>
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <location filename="../manager.py" line="900"/>
        <source>Green</source>
        <translation>Xanh</translation>
    </message>
    <message>
        <location filename="../manager.py" line="900"/>
        <source>Yellow</source>
        <translation>Vàng</translation>
    </message>
    <message>
        <location filename="../manager.py" line="900"/>
        <source>Red</source>
        <translation>Đỏ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="903"/>
        <source>Manual admissions only</source>
        <translation>Chỉ lượt cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="904"/>
        <source>Search holder or certificate…</source>
        <translation>Tìm người mang thẻ hoặc số giấy chứng nhận…</translation>
    </message>
    <message>
        <location filename="../manager.py" line="905"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../manager.py" line="906"/>
        <source>CSV file</source>
        <translation>Tệp CSV</translation>
    </message>
    <message>
        <location filename="../manager.py" line="907"/>
        <source>Export CSV…</source>
        <translation>Xuất CSV…</translation>
    </message>
    <message>
        <location filename="../manager.py" line="908"/>
        <source>Saves the rows shown to the file named on the left</source>
        <translation>Lưu các dòng đang hiển thị vào tệp ghi ở bên trái</translation>
    </message>
    <message>
        <location filename="../manager.py" line="909"/>
        <source>PDF file</source>
        <translation>Tệp PDF</translation>
    </message>
    <message>
        <location filename="../manager.py" line="910"/>
        <source>PDF report</source>
        <translation>Báo cáo PDF</translation>
    </message>
    <message>
        <location filename="../manager.py" line="911"/>
        <source>Saves the whole day&apos;s report to the file on the left</source>
        <translation>Lưu báo cáo cả ngày vào tệp ghi ở bên trái</translation>
    </message>
    <message>
        <location filename="../manager.py" line="912"/>
        <source>Manual admission…</source>
        <translation>Cho vào thủ công…</translation>
    </message>
    <message>
        <location filename="../manager.py" line="913"/>
        <source>Manual admission</source>
        <translation>Cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="916"/>
        <source>For a person whose paper certificate you have checked. Tick what you checked and enter the certificate&apos;s number or other details. The admission is recorded and sent to the city as manual.</source>
        <translation>Dành cho người có giấy chứng nhận bản giấy mà bạn đã kiểm tra. Đánh dấu những gì bạn đã kiểm tra và nhập số giấy chứng nhận hoặc thông tin khác. Lượt vào được ghi nhận và gửi lên hệ thống của thành phố dưới dạng cho vào thủ công.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="924"/>
        <source>Certificate number or details (required):</source>
        <translation>Số giấy chứng nhận hoặc thông tin khác (bắt buộc):</translation>
    </message>
    <message>
        <location filename="../manager.py" line="925"/>
        <source>e.g. paper certificate no. 012345</source>
        <translation>ví dụ: giấy chứng nhận số 012345</translation>
    </message>
    <message>
        <location filename="../manager.py" line="926"/>
        <source>Record admission</source>
        <translation>Ghi nhận cho vào</translation>
    </message>
    <message>
        <location filename="../manager.py" line="927"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../manager.py" line="934"/>
        <source>Paper vaccination certificate</source>
        <translation>Giấy chứng nhận tiêm chủng bản giấy</translation>
    </message>
    <message>
        <location filename="../manager.py" line="935"/>
        <source>Paper negative test result</source>
        <translation>Giấy xét nghiệm âm tính bản giấy</translation>
    </message>
    <message>
        <location filename="../manager.py" line="936"/>
        <source>Paper recovery certificate</source>
        <translation>Giấy xác nhận khỏi bệnh bản giấy</translation>
    </message>
    <message>
        <location filename="../manager.py" line="937"/>
        <source>Photo ID matches the certificate</source>
        <translation>Giấy tờ tùy thân có ảnh khớp với giấy chứng nhận</translation>
    </message>
    <message>
        <location filename="../manager.py" line="981"/>
        <location filename="../manager.py" line="1058"/>
        <source>The manager PIN file is damaged. A technician must reset it.</source>
        <translation>Tệp mã PIN quản lý bị hỏng. Cần kỹ thuật viên đặt lại.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1048"/>
        <source>Too many wrong PINs. Try again after {time}.</source>
        <translation>Nhập sai mã PIN quá nhiều lần. Thử lại sau {time}.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1073"/>
        <source>Wrong PIN. {n} attempt(s) left.</source>
        <translation>Sai mã PIN. Còn {n} lần thử.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1079"/>
        <source>Choose a manager PIN of 4 to 8 digits.</source>
        <translation>Chọn mã PIN quản lý gồm 4 đến 8 chữ số.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1081"/>
        <source>No manager PIN is set yet. Choose one of 4 to 8 digits.</source>
        <translation>Chưa có mã PIN quản lý. Hãy chọn mã gồm 4 đến 8 chữ số.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1084"/>
        <source>Enter the same PIN again.</source>
        <translation>Nhập lại mã PIN vừa chọn.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1097"/>
        <source>A PIN has 4 to 8 digits.</source>
        <translation>Mã PIN gồm 4 đến 8 chữ số.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1106"/>
        <source>The PINs differ. Start again.</source>
        <translation>Hai mã PIN không khớp. Hãy làm lại.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1114"/>
        <source>The PIN could not be saved.</source>
        <translation>Không lưu được mã PIN.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1123"/>
        <source>The manager PIN was changed.</source>
        <translation>Đã đổi mã PIN quản lý.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1125"/>
        <source>The manager PIN is set.</source>
        <translation>Đã đặt mã PIN quản lý.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1160"/>
        <source>The check-in log cannot be read.</source>
        <translation>Không đọc được nhật ký lượt quét.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1183"/>
        <location filename="../manager.py" line="1285"/>
        <source>Green: {n}</source>
        <translation>Xanh: {n}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1184"/>
        <location filename="../manager.py" line="1289"/>
        <source>Yellow: {n}</source>
        <translation>Vàng: {n}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1185"/>
        <location filename="../manager.py" line="1293"/>
        <source>Red: {n}</source>
        <translation>Đỏ: {n}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1189"/>
        <location filename="../manager.py" line="1295"/>
        <source>Manual: {n}</source>
        <translation>Thủ công: {n}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1190"/>
        <location filename="../manager.py" line="1296"/>
        <source>Total: {n}</source>
        <translation>Tổng: {n}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1192"/>
        <source>Showing {shown} of {total}</source>
        <translation>Đang hiển thị {shown}/{total}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1222"/>
        <source>Enter a full file path, e.g. {example}.</source>
        <translation>Nhập đường dẫn tệp đầy đủ, ví dụ: {example}.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1233"/>
        <source>Could not save {path}: {error}</source>
        <translation>Không lưu được {path}: {error}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1244"/>
        <source>Time</source>
        <translation>Giờ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1245"/>
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1246"/>
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1247"/>
        <source>Holder</source>
        <translation>Người mang thẻ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1248"/>
        <source>Card format</source>
        <translation>Loại thẻ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1249"/>
        <source>Manual</source>
        <translation>Thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1250"/>
        <source>Manual admission reason</source>
        <translation>Lý do cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1251"/>
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1254"/>
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1254"/>
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1262"/>
        <source>Saved {n} check-in(s) to {path}.</source>
        <translation>Đã lưu {n} lượt quét vào {path}.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1273"/>
        <source>Daily check-in report</source>
        <translation>Báo cáo lượt quét trong ngày</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1275"/>
        <source>Venue: {name} ({venue}), kiosk {kiosk}</source>
        <translation>Địa điểm: {name} ({venue}), kiosk {kiosk}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1278"/>
        <source>Date: {day}</source>
        <translation>Ngày: {day}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1279"/>
        <source>Printed: {moment}</source>
        <translation>In lúc: {moment}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1298"/>
        <source>Check-ins by hour</source>
        <translation>Lượt quét theo giờ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1299"/>
        <source>No check-ins on this day</source>
        <translation>Không có lượt quét nào trong ngày này</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1302"/>
        <source>Page {number} of {pages}</source>
        <translation>Trang {number}/{pages}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1320"/>
        <source>Saved the report ({n} page(s)) to {path}.</source>
        <translation>Đã lưu báo cáo ({n} trang) vào {path}.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1357"/>
        <source>Enter what you checked: the certificate&apos;s number or other details.</source>
        <translation>Hãy nhập những gì bạn đã kiểm tra: số giấy chứng nhận hoặc thông tin khác.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1366"/>
        <source>The admission was NOT recorded: {error}</source>
        <translation>CHƯA ghi nhận lượt vào: {error}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1376"/>
        <source>Manual admission recorded at {time}.</source>
        <translation>Đã ghi nhận cho vào thủ công lúc {time}.</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../manager.py" line="440"/>
        <source>Clear</source>
        <translation>Xóa hết</translation>
    </message>
    <message>
        <location filename="../manager.py" line="441"/>
        <source>Delete the last digit</source>
        <translation>Xóa chữ số cuối</translation>
    </message>
    <message>
        <location filename="../manager.py" line="442"/>
        <source>OK</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location filename="../manager.py" line="443"/>
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
</context>
</TS>
