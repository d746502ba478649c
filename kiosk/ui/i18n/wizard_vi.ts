<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>ProvisioningWizard</name>
    <message>
        <location filename="../wizard.py" line="369"/>
        <source>en</source>
        <comment>language code of this translation: vi for Vietnamese</comment>
        <extracomment>Seconds the preview waits for a first frame before it says there is no picture. How often the preview looks again for a camera whose device node is missing. What :attr:`_Preview.missing` says: no device node, or a device that shows nothing. No camera: ABSENT (no device node: reported at once) or SILENT (no frame within ``no_frame_after`` seconds). The preview keeps trying; a frame replaces the message.</extracomment>
        <translation>vi</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="534"/>
        <source>Venue</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="535"/>
        <source>City platform</source>
        <translation>Hệ thống của thành phố</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="536"/>
        <source>Trust bundle from a file</source>
        <translation>Gói dữ liệu tin cậy từ tệp</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="537"/>
        <location filename="../wizard.py" line="571"/>
        <location filename="../wizard.py" line="1086"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="538"/>
        <location filename="../wizard.py" line="1087"/>
        <source>QR decoder</source>
        <translation>Bộ giải mã QR</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="539"/>
        <location filename="../wizard.py" line="591"/>
        <location filename="../wizard.py" line="1093"/>
        <source>Manager PIN</source>
        <translation>Mã PIN quản lý</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="540"/>
        <source>Self-test</source>
        <translation>Tự kiểm tra</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="544"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="545"/>
        <source>Next</source>
        <translation>Tiếp</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="546"/>
        <source>Finish</source>
        <translation>Hoàn tất</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="547"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="548"/>
        <source>Venue id</source>
        <translation>Mã địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="549"/>
        <source>as issued by the city, e.g. HCM-Q1-000123</source>
        <translation>do thành phố cấp, ví dụ HCM-Q1-000123</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="550"/>
        <source>Venue name</source>
        <translation>Tên địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="551"/>
        <source>Venue category</source>
        <translation>Loại hình địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="552"/>
        <source>City root key file</source>
        <translation>Tệp khóa gốc của thành phố</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="553"/>
        <source>path to city-root.pub</source>
        <translation>đường dẫn đến city-root.pub</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="555"/>
        <source>Replace a different root key already pinned (re-provisioning)</source>
        <translation>Thay khóa gốc khác đã được ghim (cài đặt lại)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="557"/>
        <source>Pin root key</source>
        <translation>Ghim khóa gốc</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="558"/>
        <source>Platform URL</source>
        <translation>Địa chỉ (URL) hệ thống</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="559"/>
        <source>Enrollment token</source>
        <translation>Mã đăng ký</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="560"/>
        <source>Kiosk name</source>
        <translation>Tên máy kiosk</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="561"/>
        <source>e.g. Entrance A</source>
        <translation>ví dụ Cửa A</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="562"/>
        <source>Enroll</source>
        <translation>Đăng ký</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="565"/>
        <source>Without a network, install the city&apos;s signed trust bundle from a file, e.g. on a USB stick. The city root key must be pinned first.</source>
        <translation>Khi không có mạng, cài gói dữ liệu tin cậy đã ký của thành phố từ một tệp, ví dụ trên USB. Phải ghim khóa gốc của thành phố trước.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="569"/>
        <source>Bundle file</source>
        <translation>Tệp gói dữ liệu</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="570"/>
        <source>Import</source>
        <translation>Nhập</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="573"/>
        <source>0, /dev/video0, video:FILE, folder:DIR, synthetic, stdin or serial:PORT</source>
        <translation>0, /dev/video0, video:TỆP, folder:THƯ_MỤC, synthetic, stdin hoặc serial:CỔNG</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="575"/>
        <source>Find cameras</source>
        <translation>Tìm camera</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="576"/>
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="577"/>
        <source>Test decoding</source>
        <translation>Thử giải mã</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="579"/>
        <source>Automatic (recommended): zxing-cpp, else pyzbar</source>
        <translation>Tự động (khuyên dùng): zxing-cpp, nếu không có thì pyzbar</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="580"/>
        <source>zxing-cpp</source>
        <translation>zxing-cpp</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="581"/>
        <source>pyzbar (needs the system library libzbar0)</source>
        <translation>pyzbar (cần thư viện hệ thống libzbar0)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="587"/>
        <source>The venue manager opens the manager view with this PIN (4 to 8 digits). Enter it twice. A forgotten PIN: kiosk pin reset on this machine&apos;s shell.</source>
        <translation>Người quản lý địa điểm mở màn hình quản lý bằng mã PIN này (4 đến 8 chữ số). Nhập hai lần. Quên mã PIN: chạy kiosk pin reset trên dòng lệnh của máy này.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="592"/>
        <source>The same PIN again</source>
        <translation>Nhập lại mã PIN</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="593"/>
        <source>Run the self-test again</source>
        <translation>Chạy lại bước tự kiểm tra</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="606"/>
        <source>Provisioning, step {step} of {total}: {title}</source>
        <translation>Cài đặt, bước {step}/{total}: {title}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="712"/>
        <source>The synthetic demo camera shows demo cards, not visitors&apos;: a provisioned kiosk cannot use it. Choose a real camera.</source>
        <translation>Camera mô phỏng chỉ hiện thẻ trình diễn, không phải thẻ của khách: kiosk đã được cài đặt không dùng được camera này. Hãy chọn một camera thật.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="734"/>
        <source>A manager PIN is set. Enter a new one twice to change it, or go on to keep it.</source>
        <translation>Đã có mã PIN quản lý. Nhập mã mới hai lần để đổi, hoặc bấm Tiếp để giữ mã cũ.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="738"/>
        <source>No manager PIN is set yet.</source>
        <translation>Chưa đặt mã PIN quản lý.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="754"/>
        <source>Set the manager PIN: without one the manager view stays closed.</source>
        <translation>Hãy đặt mã PIN quản lý: chưa có mã thì màn hình quản lý không mở được.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="760"/>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>Mã PIN gồm 4 đến 8 chữ số.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="766"/>
        <source>The two PINs differ: enter the same PIN twice.</source>
        <translation>Hai mã PIN không khớp: hãy nhập cùng một mã hai lần.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="778"/>
        <source>Manager PIN set.</source>
        <translation>Đã đặt mã PIN quản lý.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="783"/>
        <source>Setting the manager PIN…</source>
        <translation>Đang đặt mã PIN quản lý…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="804"/>
        <source>Enter the root key file first.</source>
        <translation>Hãy nhập tệp khóa gốc trước.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="817"/>
        <source>Pinned the city root key {kid}.</source>
        <translation>Đã ghim khóa gốc của thành phố {kid}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="821"/>
        <source>Pinning the root key…</source>
        <translation>Đang ghim khóa gốc…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="847"/>
        <source>Enrollment failed: {error}</source>
        <translation>Đăng ký không thành công: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="861"/>
        <source>Enrolling with the platform…</source>
        <translation>Đang đăng ký với hệ thống…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="866"/>
        <source>Enrolled as kiosk {kiosk} at venue {venue}.</source>
        <translation>Đã đăng ký là máy kiosk {kiosk} tại địa điểm {venue}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="872"/>
        <source>Clock difference to the platform: {seconds} s</source>
        <translation>Chênh lệch đồng hồ so với hệ thống: {seconds} giây</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="881"/>
        <source>But the kiosk has no trust bundle from the platform: {problem}</source>
        <translation>Nhưng kiosk chưa nhận được gói dữ liệu tin cậy từ hệ thống: {problem}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="889"/>
        <source>Trust bundle version {version} is already installed.</source>
        <translation>Gói dữ liệu tin cậy phiên bản {version} đã được cài.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="891"/>
        <source>Installed trust bundle version {version}.</source>
        <translation>Đã cài gói dữ liệu tin cậy phiên bản {version}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="895"/>
        <source>{issuers} issuer keys, venue categories: {venues}.</source>
        <translation>{issuers} khóa của đơn vị cấp, loại hình địa điểm: {venues}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="904"/>
        <source>Enter the bundle file first.</source>
        <translation>Hãy nhập tệp gói dữ liệu trước.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="914"/>
        <source>Not installed: {error}</source>
        <translation>Chưa cài được: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="923"/>
        <source>Checking the bundle…</source>
        <translation>Đang kiểm tra gói dữ liệu…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="960"/>
        <source>Opening {camera}…</source>
        <translation>Đang mở {camera}…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="983"/>
        <source>No picture from {camera}: {why}</source>
        <translation>Không có hình từ {camera}: {why}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="996"/>
        <source>No camera found at {camera}. Is it plugged in?</source>
        <translation>Không tìm thấy camera {camera}. Camera đã được cắm vào chưa?</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1005"/>
        <source>No camera found: {camera} shows no picture after {seconds} s. Is it plugged in, or used by another program?</source>
        <translation>Không tìm thấy camera: {camera} không có hình sau {seconds} giây. Camera đã được cắm vào chưa, hay đang bị chương trình khác sử dụng?</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1033"/>
        <source>Decode test failed: {error}</source>
        <translation>Thử giải mã không thành công: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1043"/>
        <source>Decoding {n} frames…</source>
        <translation>Đang giải mã {n} khung hình…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1050"/>
        <source>{decoder}: {frames} frames read, a QR code in {found} of them ({codes} codes, {distinct} different); median decode time {median} ms.</source>
        <translation>{decoder}: đã đọc {frames} khung hình, có mã QR trong {found} khung ({codes} mã, {distinct} mã khác nhau); thời gian giải mã trung vị {median} ms.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1082"/>
        <source>Running the self-test…</source>
        <translation>Đang tự kiểm tra…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1088"/>
        <source>Trust data</source>
        <translation>Dữ liệu tin cậy</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1089"/>
        <source>Clock</source>
        <translation>Đồng hồ</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1090"/>
        <source>Database</source>
        <translation>Cơ sở dữ liệu</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1091"/>
        <source>Platform</source>
        <translation>Hệ thống</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1092"/>
        <source>Sound</source>
        <translation>Âm thanh</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1100"/>
        <source>pass</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1101"/>
        <source>warning</source>
        <translation>cảnh báo</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1102"/>
        <source>FAIL</source>
        <translation>KHÔNG ĐẠT</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1117"/>
        <source>All {n} checks passed, {warned} with a warning.</source>
        <translation>Cả {n} mục kiểm tra đều đạt, {warned} mục có cảnh báo.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1121"/>
        <source>All {n} checks passed.</source>
        <translation>Cả {n} mục kiểm tra đều đạt.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1122"/>
        <source>{failed} of {n} checks failed.</source>
        <translation>{failed}/{n} mục kiểm tra không đạt.</translation>
    </message>
</context>
</TS>
