<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>ProvisioningWizard</name>
    <message>
        <location filename="../wizard.py" line="322"/>
        <source>en</source>
        <comment>language code of this translation: vi for Vietnamese</comment>
        <translation>vi</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="467"/>
        <source>Venue</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="468"/>
        <source>City platform</source>
        <translation>Hệ thống của thành phố</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="469"/>
        <source>Trust bundle from a file</source>
        <translation>Gói dữ liệu tin cậy từ tệp</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="470"/>
        <location filename="../wizard.py" line="503"/>
        <location filename="../wizard.py" line="890"/>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="471"/>
        <location filename="../wizard.py" line="891"/>
        <source>QR decoder</source>
        <translation>Bộ giải mã QR</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="472"/>
        <source>Self-test</source>
        <translation>Tự kiểm tra</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="476"/>
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="477"/>
        <source>Next</source>
        <translation>Tiếp</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="478"/>
        <source>Finish</source>
        <translation>Hoàn tất</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="479"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="480"/>
        <source>Venue id</source>
        <translation>Mã địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="481"/>
        <source>as issued by the city, e.g. HCM-Q1-000123</source>
        <translation>do thành phố cấp, ví dụ HCM-Q1-000123</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="482"/>
        <source>Venue name</source>
        <translation>Tên địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="483"/>
        <source>Venue category</source>
        <translation>Loại hình địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="484"/>
        <source>City root key file</source>
        <translation>Tệp khóa gốc của thành phố</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="485"/>
        <source>path to city-root.pub</source>
        <translation>đường dẫn đến city-root.pub</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="487"/>
        <source>Replace a different root key already pinned (re-provisioning)</source>
        <translation>Thay khóa gốc khác đã được ghim (cài đặt lại)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="489"/>
        <source>Pin root key</source>
        <translation>Ghim khóa gốc</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="490"/>
        <source>Platform URL</source>
        <translation>Địa chỉ (URL) hệ thống</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="491"/>
        <source>Enrollment token</source>
        <translation>Mã đăng ký</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="492"/>
        <source>Kiosk name</source>
        <translation>Tên máy kiosk</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="493"/>
        <source>e.g. Entrance A</source>
        <translation>ví dụ Cửa A</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="494"/>
        <source>Enroll</source>
        <translation>Đăng ký</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="497"/>
        <source>Without a network, install the city&apos;s signed trust bundle from a file, e.g. on a USB stick. The city root key must be pinned first.</source>
        <translation>Khi không có mạng, cài gói dữ liệu tin cậy đã ký của thành phố từ một tệp, ví dụ trên USB. Phải ghim khóa gốc của thành phố trước.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="501"/>
        <source>Bundle file</source>
        <translation>Tệp gói dữ liệu</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="502"/>
        <source>Import</source>
        <translation>Nhập</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="505"/>
        <source>0, /dev/video0, video:FILE, folder:DIR, synthetic, stdin or serial:PORT</source>
        <translation>0, /dev/video0, video:TỆP, folder:THƯ_MỤC, synthetic, stdin hoặc serial:CỔNG</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="507"/>
        <source>Find cameras</source>
        <translation>Tìm camera</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="508"/>
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="509"/>
        <source>Test decoding</source>
        <translation>Thử giải mã</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="511"/>
        <source>Automatic (recommended): zxing-cpp, else pyzbar</source>
        <translation>Tự động (khuyên dùng): zxing-cpp, nếu không có thì pyzbar</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="512"/>
        <source>zxing-cpp</source>
        <translation>zxing-cpp</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="513"/>
        <source>pyzbar (needs the system library libzbar0)</source>
        <translation>pyzbar (cần thư viện hệ thống libzbar0)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="517"/>
        <source>Run the self-test again</source>
        <translation>Chạy lại bước tự kiểm tra</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="530"/>
        <source>Provisioning, step {step} of {total}: {title}</source>
        <translation>Cài đặt, bước {step}/{total}: {title}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="642"/>
        <source>Enter the root key file first.</source>
        <translation>Hãy nhập tệp khóa gốc trước.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="655"/>
        <source>Pinned the city root key {kid}.</source>
        <translation>Đã ghim khóa gốc của thành phố {kid}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="659"/>
        <source>Pinning the root key…</source>
        <translation>Đang ghim khóa gốc…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="685"/>
        <source>Enrollment failed: {error}</source>
        <translation>Đăng ký không thành công: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="695"/>
        <source>Enrolling with the platform…</source>
        <translation>Đang đăng ký với hệ thống…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="700"/>
        <source>Enrolled as kiosk {kiosk} at venue {venue}.</source>
        <translation>Đã đăng ký là máy kiosk {kiosk} tại địa điểm {venue}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="706"/>
        <source>Clock difference to the platform: {seconds} s</source>
        <translation>Chênh lệch đồng hồ so với hệ thống: {seconds} giây</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="717"/>
        <source>Trust bundle version {version} is already installed.</source>
        <translation>Gói dữ liệu tin cậy phiên bản {version} đã được cài.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="719"/>
        <source>Installed trust bundle version {version}.</source>
        <translation>Đã cài gói dữ liệu tin cậy phiên bản {version}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="723"/>
        <source>{issuers} issuer keys, venue categories: {venues}.</source>
        <translation>{issuers} khóa của đơn vị cấp, loại hình địa điểm: {venues}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="732"/>
        <source>Enter the bundle file first.</source>
        <translation>Hãy nhập tệp gói dữ liệu trước.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="742"/>
        <source>Not installed: {error}</source>
        <translation>Chưa cài được: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="751"/>
        <source>Checking the bundle…</source>
        <translation>Đang kiểm tra gói dữ liệu…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="788"/>
        <source>Opening {camera}…</source>
        <translation>Đang mở {camera}…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="810"/>
        <source>No picture from {camera}: {why}</source>
        <translation>Không có hình từ {camera}: {why}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="838"/>
        <source>Decode test failed: {error}</source>
        <translation>Thử giải mã không thành công: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="848"/>
        <source>Decoding {n} frames…</source>
        <translation>Đang giải mã {n} khung hình…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="855"/>
        <source>{decoder}: {frames} frames read, a QR code in {found} of them ({codes} codes, {distinct} different); median decode time {median} ms.</source>
        <translation>{decoder}: đã đọc {frames} khung hình, có mã QR trong {found} khung ({codes} mã, {distinct} mã khác nhau); thời gian giải mã trung vị {median} ms.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="886"/>
        <source>Running the self-test…</source>
        <translation>Đang tự kiểm tra…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="892"/>
        <source>Trust data</source>
        <translation>Dữ liệu tin cậy</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="893"/>
        <source>Clock</source>
        <translation>Đồng hồ</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="894"/>
        <source>Database</source>
        <translation>Cơ sở dữ liệu</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="895"/>
        <source>Platform</source>
        <translation>Hệ thống</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="903"/>
        <source>pass</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="903"/>
        <source>FAIL</source>
        <translation>KHÔNG ĐẠT</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="914"/>
        <source>All {n} checks passed.</source>
        <translation>Cả {n} mục kiểm tra đều đạt.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="915"/>
        <source>{failed} of {n} checks failed.</source>
        <translation>{failed}/{n} mục kiểm tra không đạt.</translation>
    </message>
</context>
</TS>
