<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>CheckInTableModel</name>
    <message>
        <location filename="../manager.py" line="343" />
        <source>Time</source>
        <translation>Giờ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="344" />
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <location filename="../manager.py" line="345" />
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../manager.py" line="346" />
        <source>Holder</source>
        <translation>Người mang thẻ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="347" />
        <source>Phone</source>
        <translation>Điện thoại</translation>
    </message>
    <message>
        <location filename="../manager.py" line="348" />
        <source>Manual admission</source>
        <translation>Cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="349" />
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <location filename="../manager.py" line="365" />
        <source>Green</source>
        <translation>Xanh</translation>
    </message>
    <message>
        <location filename="../manager.py" line="366" />
        <source>Yellow</source>
        <translation>Vàng</translation>
    </message>
    <message>
        <location filename="../manager.py" line="367" />
        <source>Red</source>
        <translation>Đỏ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="377" />
        <source>Green: admitted</source>
        <translation>Thẻ xanh: được vào</translation>
    </message>
    <message>
        <location filename="../manager.py" line="378" />
        <source>Yellow: admitted</source>
        <translation>Thẻ vàng: được vào</translation>
    </message>
    <message>
        <location filename="../manager.py" line="379" />
        <source>Not a Covid card</source>
        <translation>Không phải thẻ Covid</translation>
    </message>
    <message>
        <location filename="../manager.py" line="380" />
        <source>Card damaged or unreadable</source>
        <translation>Thẻ bị hỏng, không đọc được</translation>
    </message>
    <message>
        <location filename="../manager.py" line="381" />
        <source>Invalid signature</source>
        <translation>Chữ ký không hợp lệ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="382" />
        <source>Issuer not trusted</source>
        <translation>Nơi cấp không được tin cậy</translation>
    </message>
    <message>
        <location filename="../manager.py" line="383" />
        <source>Forged or altered card</source>
        <translation>Thẻ giả hoặc bị sửa</translation>
    </message>
    <message>
        <location filename="../manager.py" line="384" />
        <source>Issuer not allowed to issue this card</source>
        <translation>Nơi cấp không được phép cấp thẻ này</translation>
    </message>
    <message>
        <location filename="../manager.py" line="385" />
        <source>Card revoked</source>
        <translation>Thẻ đã bị thu hồi</translation>
    </message>
    <message>
        <location filename="../manager.py" line="386" />
        <source>Card not valid yet</source>
        <translation>Thẻ chưa có hiệu lực</translation>
    </message>
    <message>
        <location filename="../manager.py" line="387" />
        <source>Card expired</source>
        <translation>Thẻ đã hết hạn</translation>
    </message>
    <message>
        <location filename="../manager.py" line="388" />
        <source>Kiosk has no rules in force</source>
        <translation>Kiosk thiếu quy định hiện hành</translation>
    </message>
    <message>
        <location filename="../manager.py" line="389" />
        <source>Not covered under current rules</source>
        <translation>Chưa đủ điều kiện theo quy định hiện hành</translation>
    </message>
    <message>
        <location filename="../manager.py" line="390" />
        <source>This card is not admitted at this venue</source>
        <translation>Thẻ này không được vào địa điểm này</translation>
    </message>
    <message>
        <location filename="../manager.py" line="391" />
        <source>Admitted manually</source>
        <translation>Cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="404" />
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <location filename="../manager.py" line="404" />
        <source>no</source>
        <translation>không</translation>
    </message>
</context>
<context>
    <name>HourlyChart</name>
    <message>
        <location filename="../manager.py" line="289" />
        <source>Check-ins by hour</source>
        <extracomment>The platform's limit for a manual admission's reason (docs/sync-protocol.md). Light tints for table cells, dark text stays readable on them. Bottom to top in a stacked bar. The verdict filter's choices, in the combo box's order ("All" first).</extracomment>
        <translation>Lượt quét theo giờ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="301" />
        <source>No check-ins on this day</source>
        <translation>Không có lượt quét nào trong ngày này</translation>
    </message>
</context>
<context>
    <name>ManagerScreen</name>
    <message>
        <location filename="../manager.py" line="1019" />
        <source>Back to scanning</source>
        <extracomment>Column widths of the report's table, as fractions of the page's width.</extracomment>
        <translation>Quay lại quét</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1020" />
        <source>Manager PIN</source>
        <translation>Mã PIN quản lý</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1033" />
        <source>Manager</source>
        <translation>Quản lý</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1180" />
        <location filename="../manager.py" line="1458" />
        <source>Unnamed venue</source>
        <translation>Địa điểm chưa đặt tên</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1179" />
        <source>{name} ({venue}), kiosk {kiosk}</source>
        <translation>{name} ({venue}), kiosk {kiosk}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1035" />
        <source>Change PIN…</source>
        <translation>Đổi mã PIN…</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1036" />
        <source>Technician setup…</source>
        <translation>Cài đặt kỹ thuật…</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1037" />
        <source>Day:</source>
        <translation>Ngày:</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1038" />
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1039" />
        <source>Result:</source>
        <translation>Kết quả:</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1041" />
        <source>All</source>
        <translation>Tất cả</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1041" />
        <source>Green</source>
        <translation>Xanh</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1041" />
        <source>Yellow</source>
        <translation>Vàng</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1041" />
        <source>Red</source>
        <translation>Đỏ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1044" />
        <source>Manual admissions only</source>
        <translation>Chỉ lượt cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1045" />
        <source>Search holder or certificate…</source>
        <translation>Tìm người mang thẻ hoặc số giấy chứng nhận…</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1046" />
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1058" />
        <source>Manual admission…</source>
        <translation>Cho vào thủ công…</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1059" />
        <source>Manual admission</source>
        <translation>Cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1071" />
        <source>Certificate number or details (required):</source>
        <translation>Số giấy chứng nhận hoặc thông tin khác (bắt buộc):</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1072" />
        <source>e.g. paper certificate no. 012345</source>
        <translation>ví dụ: giấy chứng nhận số 012345</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1077" />
        <source>Record admission</source>
        <translation>Ghi nhận cho vào</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1078" />
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1085" />
        <source>Paper vaccination certificate</source>
        <translation>Giấy chứng nhận tiêm chủng bản giấy</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1086" />
        <source>Paper negative test result</source>
        <translation>Giấy xét nghiệm âm tính bản giấy</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1087" />
        <source>Paper recovery certificate</source>
        <translation>Giấy xác nhận khỏi bệnh bản giấy</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1088" />
        <source>Photo ID matches the certificate</source>
        <translation>Giấy tờ tùy thân có ảnh khớp với giấy chứng nhận</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1133" />
        <location filename="../manager.py" line="1228" />
        <source>The manager PIN file is damaged. A technician must reset it.</source>
        <translation>Tệp mã PIN quản lý bị hỏng. Cần kỹ thuật viên đặt lại.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1213" />
        <source>Too many wrong PINs. Try again after {time}.</source>
        <translation>Nhập sai mã PIN quá nhiều lần. Thử lại sau {time}.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1243" />
        <source>Wrong PIN. {n} attempt(s) left.</source>
        <translation>Sai mã PIN. Còn {n} lần thử.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1248" />
        <source>Choose a manager PIN of 4 to 8 digits.</source>
        <translation>Chọn mã PIN quản lý gồm 4 đến 8 chữ số.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1250" />
        <source>Enter the same PIN again.</source>
        <translation>Nhập lại mã PIN vừa chọn.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1266" />
        <source>A PIN has 4 to 8 digits.</source>
        <translation>Mã PIN gồm 4 đến 8 chữ số.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1275" />
        <source>The PINs differ. Start again.</source>
        <translation>Hai mã PIN không khớp. Hãy làm lại.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1283" />
        <source>The PIN could not be saved.</source>
        <translation>Không lưu được mã PIN.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1290" />
        <source>The manager PIN was changed.</source>
        <translation>Đã đổi mã PIN quản lý.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1322" />
        <source>The check-in log cannot be read.</source>
        <translation>Không đọc được nhật ký lượt quét.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1344" />
        <location filename="../manager.py" line="1475" />
        <source>Green: {n}</source>
        <translation>Xanh: {n}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1345" />
        <location filename="../manager.py" line="1479" />
        <source>Yellow: {n}</source>
        <translation>Vàng: {n}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1346" />
        <location filename="../manager.py" line="1483" />
        <source>Red: {n}</source>
        <translation>Đỏ: {n}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1350" />
        <location filename="../manager.py" line="1485" />
        <source>Manual: {n}</source>
        <translation>Thủ công: {n}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1351" />
        <location filename="../manager.py" line="1486" />
        <source>Total: {n}</source>
        <translation>Tổng: {n}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1353" />
        <source>Showing {shown} of {total}</source>
        <translation>Đang hiển thị {shown}/{total}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1023" />
        <source>No manager PIN is set on this kiosk, so the manager view stays closed.</source>
        <translation>Kiosk này chưa có mã PIN quản lý, nên màn hình quản lý không mở được.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1021" />
        <source>No manager PIN</source>
        <translation>Chưa có mã PIN quản lý</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1027" />
        <source>A technician must set the PIN: with the command {command} on this kiosk, or in the provisioning wizard.</source>
        <translation>Kỹ thuật viên phải đặt mã PIN: bằng lệnh {command} trên kiosk này, hoặc trong trình cài đặt kỹ thuật.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1031" />
        <source>Change the manager PIN</source>
        <translation>Đổi mã PIN quản lý</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1048" />
        <source>Exports are saved in {folder}</source>
        <translation>Tệp xuất được lưu trong {folder}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1050" />
        <source>Save CSV</source>
        <translation>Lưu CSV</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1051" />
        <source>Saves the rows shown in the exports folder</source>
        <translation>Lưu các dòng đang hiển thị vào thư mục xuất</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1052" />
        <source>Save CSV as…</source>
        <translation>Lưu CSV thành…</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1053" />
        <source>Choose where to save the rows shown</source>
        <translation>Chọn nơi lưu các dòng đang hiển thị</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1054" />
        <source>Save PDF report</source>
        <translation>Lưu báo cáo PDF</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1055" />
        <source>Saves the whole day's report in the exports folder</source>
        <translation>Lưu báo cáo cả ngày vào thư mục xuất</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1056" />
        <source>Save PDF report as…</source>
        <translation>Lưu báo cáo PDF thành…</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1057" />
        <source>Choose where to save the whole day's report</source>
        <translation>Chọn nơi lưu báo cáo cả ngày</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1062" />
        <source>For a person whose paper certificate you have checked. Tick what you checked, enter the certificate's number or other details, and the person's name and phone number (for contact tracing). The admission is recorded and sent to the city as manual.</source>
        <translation>Dành cho người có giấy chứng nhận bản giấy mà bạn đã kiểm tra. Đánh dấu những gì bạn đã kiểm tra, nhập số giấy chứng nhận hoặc thông tin khác, cùng họ tên và số điện thoại của người đó (để truy vết). Lượt vào được ghi nhận và gửi lên hệ thống của thành phố dưới dạng cho vào thủ công.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1073" />
        <source>Full name of the person (required):</source>
        <translation>Họ tên của người được vào (bắt buộc):</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1074" />
        <source>e.g. Nguyễn Văn An</source>
        <translation>ví dụ: Nguyễn Văn An</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1075" />
        <source>Phone number (required):</source>
        <translation>Số điện thoại (bắt buộc):</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1076" />
        <source>e.g. 0912 345 678</source>
        <translation>ví dụ: 0912 345 678</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1378" />
        <source>Could not save {path}: {error}</source>
        <translation>Không lưu được {path}: {error}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1388" />
        <source>the disk is full</source>
        <translation>ổ đĩa đã đầy</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1390" />
        <source>no permission to write there</source>
        <translation>không có quyền ghi vào đó</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1392" />
        <source>the disk is read-only</source>
        <translation>ổ đĩa chỉ cho phép đọc</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1394" />
        <source>the folder does not exist</source>
        <translation>thư mục không tồn tại</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1395" />
        <source>the file could not be written</source>
        <translation>không ghi được tệp</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1412" />
        <source>Time</source>
        <translation>Giờ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1413" />
        <source>Result</source>
        <translation>Kết quả</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1414" />
        <source>Reason</source>
        <translation>Lý do</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1415" />
        <source>Reason code</source>
        <translation>Mã lý do</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1416" />
        <source>Holder</source>
        <translation>Người mang thẻ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1417" />
        <source>Card format</source>
        <translation>Loại thẻ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1418" />
        <source>Manual</source>
        <translation>Thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1419" />
        <source>Manual admission reason</source>
        <translation>Lý do cho vào thủ công</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1420" />
        <source>Name</source>
        <translation>Họ tên</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1421" />
        <source>Phone</source>
        <translation>Điện thoại</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1422" />
        <source>Re-entry</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1423" />
        <source>Sent</source>
        <translation>Đã gửi</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1430" />
        <source>yes</source>
        <translation>có</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1431" />
        <source>no</source>
        <translation>không</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1450" />
        <source>Saved {n} check-in(s) to {path}.</source>
        <translation>Đã lưu {n} lượt quét vào {path}.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1461" />
        <source>Daily check-in report</source>
        <translation>Báo cáo lượt quét trong ngày</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1463" />
        <source>Venue: {name} ({venue}), kiosk {kiosk}</source>
        <translation>Địa điểm: {name} ({venue}), kiosk {kiosk}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1468" />
        <source>Date: {day}</source>
        <translation>Ngày: {day}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1469" />
        <source>Printed: {moment}</source>
        <translation>In lúc: {moment}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1488" />
        <source>Check-ins by hour</source>
        <translation>Lượt quét theo giờ</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1489" />
        <source>No check-ins on this day</source>
        <translation>Không có lượt quét nào trong ngày này</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1492" />
        <source>Page {number} of {pages}</source>
        <translation>Trang {number}/{pages}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1516" />
        <source>Saved the report ({n} page(s)) to {path}.</source>
        <translation>Đã lưu báo cáo ({n} trang) vào {path}.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1527" />
        <source>Save CSV as</source>
        <translation>Lưu CSV thành</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1528" />
        <source>CSV files (*.csv)</source>
        <translation>Tệp CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1536" />
        <source>Save PDF report as</source>
        <translation>Lưu báo cáo PDF thành</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1537" />
        <source>PDF files (*.pdf)</source>
        <translation>Tệp PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1609" />
        <source>Enter what you checked: the certificate's number or other details.</source>
        <translation>Hãy nhập những gì bạn đã kiểm tra: số giấy chứng nhận hoặc thông tin khác.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1611" />
        <source>What you checked is too long.</source>
        <translation>Phần mô tả những gì bạn đã kiểm tra quá dài.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1612" />
        <source>Enter the person's full name.</source>
        <translation>Hãy nhập họ tên của người đó.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1613" />
        <source>The name is too long.</source>
        <translation>Họ tên quá dài.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1614" />
        <source>Enter a phone number to reach the person.</source>
        <translation>Hãy nhập số điện thoại để liên lạc với người đó.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1616" />
        <source>The phone number is not valid: use 6 to 15 digits, spaces and a leading +.</source>
        <translation>Số điện thoại không hợp lệ: dùng 6 đến 15 chữ số, dấu cách và dấu + ở đầu.</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1646" />
        <source>The admission was NOT recorded: {error}</source>
        <translation>CHƯA ghi nhận lượt vào: {error}</translation>
    </message>
    <message>
        <location filename="../manager.py" line="1656" />
        <source>Manual admission recorded at {time}.</source>
        <translation>Đã ghi nhận cho vào thủ công lúc {time}.</translation>
    </message>
</context>
<context>
    <name>PinPad</name>
    <message>
        <location filename="../manager.py" line="486" />
        <source>Clear</source>
        <translation>Xóa hết</translation>
    </message>
    <message>
        <location filename="../manager.py" line="487" />
        <source>Delete the last digit</source>
        <translation>Xóa chữ số cuối</translation>
    </message>
    <message>
        <location filename="../manager.py" line="488" />
        <source>OK</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location filename="../manager.py" line="489" />
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
</context>
</TS>