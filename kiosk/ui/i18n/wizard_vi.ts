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
        <location filename="../wizard.py" line="1116"/>
        <source>{n} min</source>
        <translation>{n} phút</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1117"/>
        <source>{n} h</source>
        <translation>{n} giờ</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1118"/>
        <source>{n} days</source>
        <translation>{n} ngày</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1124"/>
        <source>bundle version {version}, issued {age} ago, {issuers} issuer key(s), rules {rules} in force</source>
        <translation>gói dữ liệu phiên bản {version}, phát hành cách đây {age}, {issuers} khóa của đơn vị cấp, bộ quy định {rules} đang có hiệu lực</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1130"/>
        <source>none</source>
        <translation>không có</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1135"/>
        <source>the year {year} looks right</source>
        <translation>năm {year} có vẻ đúng</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1136"/>
        <source>the year {year} looks WRONG</source>
        <translation>năm {year} có vẻ SAI</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1141"/>
        <source>the bundle is {age} old (more than {days} days)</source>
        <translation>gói dữ liệu đã cũ {age} (quá {days} ngày)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1144"/>
        <source>the bundle was issued in the future: is the clock behind?</source>
        <translation>gói dữ liệu được phát hành vào thời điểm trong tương lai: đồng hồ của máy có bị chậm không?</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1146"/>
        <source>the bundle trusts no issuer key</source>
        <translation>gói dữ liệu không tin cậy khóa nào của đơn vị cấp</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1147"/>
        <source>no rule set is in force now</source>
        <translation>hiện không có bộ quy định nào có hiệu lực</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1149"/>
        <source>the venue category {category} is not in the bundle</source>
        <translation>loại hình địa điểm {category} không có trong gói dữ liệu</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1162"/>
        <source>the synthetic demo camera shows demo cards, not visitors&apos;: a provisioned kiosk cannot use it (each demo card would be refused and its check-in sent to the city platform); choose a real camera: 0, /dev/video0, video:FILE or folder:DIR</source>
        <translation>camera mô phỏng chỉ hiện thẻ trình diễn, không phải thẻ của khách: kiosk đã được cài đặt không dùng được camera này (mỗi thẻ trình diễn sẽ bị từ chối và lượt check-in của nó bị gửi lên hệ thống của thành phố); hãy chọn một camera thật: 0, /dev/video0, video:TỆP hoặc folder:THƯ_MỤC</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1167"/>
        <source>no camera found: {device} does not exist (is the camera plugged in?)</source>
        <translation>không tìm thấy camera: {device} không tồn tại (camera đã được cắm vào chưa?)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1170"/>
        <source>keyboard-mode scanner (types into the kiosk): not testable</source>
        <translation>máy quét chế độ bàn phím (gõ thẳng vào kiosk): không kiểm tra được</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1173"/>
        <source>serial scanner on {port}: the port exists</source>
        <translation>máy quét nối tiếp ở {port}: cổng có tồn tại</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1175"/>
        <source>serial scanner: no port {port}</source>
        <translation>máy quét nối tiếp: không có cổng {port}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1178"/>
        <source>{camera}: no frame within {seconds} s</source>
        <translation>{camera}: không có hình trong {seconds} giây</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1182"/>
        <source>{camera}: first frame {width}x{height} after {ms} ms</source>
        <translation>{camera}: hình đầu tiên {width}x{height} sau {ms} ms</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1185"/>
        <source>{camera}: first frame {width}x{height} after {ms} ms (note: the synthetic demo camera, not a real one)</source>
        <translation>{camera}: hình đầu tiên {width}x{height} sau {ms} ms (lưu ý: đây là camera mô phỏng, không phải camera thật)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1189"/>
        <source>{decoder} did not read a clean test QR code</source>
        <translation>{decoder} không đọc được mã QR thử nghiệm rõ nét</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1191"/>
        <source>{decoder} read a test QR code in {ms} ms</source>
        <translation>{decoder} đọc được mã QR thử nghiệm trong {ms} ms</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1193"/>
        <source>{decoder} read a test QR code in {ms} ms (note: {configured} is configured but cannot load)</source>
        <translation>{decoder} đọc được mã QR thử nghiệm trong {ms} ms (lưu ý: đã chọn {configured} nhưng không tải được)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1196"/>
        <source>demo trust data (note: no city root key pinned)</source>
        <translation>dữ liệu tin cậy trình diễn (lưu ý: chưa ghim khóa gốc của thành phố)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1197"/>
        <source>no city root key pinned: pin the city&apos;s root key</source>
        <translation>chưa ghim khóa gốc của thành phố: hãy ghim khóa gốc của thành phố</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1199"/>
        <source>root key {kid} pinned, but no trust bundle installed: every card is red until one is (sync, or import a bundle file)</source>
        <translation>đã ghim khóa gốc {kid}, nhưng chưa cài gói dữ liệu tin cậy: mọi thẻ đều bị đỏ cho đến khi có gói (đồng bộ, hoặc nhập tệp gói dữ liệu)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1204"/>
        <source>{file} cannot be written: {error}</source>
        <translation>không ghi được vào {file}: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1208"/>
        <source>{file}: a written probe did not read back</source>
        <translation>{file}: dữ liệu thử đã ghi nhưng không đọc lại được</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1211"/>
        <source>{file}: {records} check-in(s), write and read back ok; {free_mib} MiB free</source>
        <translation>{file}: {records} lượt check-in, ghi và đọc lại tốt; còn trống {free_mib} MiB</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1214"/>
        <source>{file}: {records} check-in(s), write and read back ok; {free_mib} MiB free: below {min_mib} MiB</source>
        <translation>{file}: {records} lượt check-in, ghi và đọc lại tốt; còn trống {free_mib} MiB: dưới mức {min_mib} MiB</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1217"/>
        <source>not measured (not enrolled); {year}</source>
        <translation>chưa đo (chưa đăng ký); {year}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1221"/>
        <source>not measured (platform unreachable); {year}</source>
        <translation>chưa đo (không kết nối được hệ thống); {year}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1223"/>
        <source>{seconds} s behind the platform&apos;s clock</source>
        <translation>chậm hơn đồng hồ của hệ thống {seconds} giây</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1226"/>
        <source>{seconds} s ahead of the platform&apos;s clock</source>
        <translation>nhanh hơn đồng hồ của hệ thống {seconds} giây</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1230"/>
        <source>{seconds} s behind the platform&apos;s clock (more than {limit} s: cards are judged on this clock)</source>
        <translation>chậm hơn đồng hồ của hệ thống {seconds} giây (quá {limit} giây: thẻ được xét theo đồng hồ này)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1234"/>
        <source>{seconds} s ahead of the platform&apos;s clock (more than {limit} s: cards are judged on this clock)</source>
        <translation>nhanh hơn đồng hồ của hệ thống {seconds} giây (quá {limit} giây: thẻ được xét theo đồng hồ này)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1237"/>
        <source>demo: no platform (note: not enrolled)</source>
        <translation>trình diễn: không có hệ thống (lưu ý: chưa đăng ký)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1239"/>
        <source>not enrolled with a city platform: enroll first</source>
        <translation>chưa đăng ký với hệ thống của thành phố: hãy đăng ký trước</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1241"/>
        <source>{url} unreachable: {error}</source>
        <translation>không kết nối được {url}: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1242"/>
        <source>{url} answered GET /v1/time in {ms} ms</source>
        <translation>{url} đã trả lời GET /v1/time trong {ms} ms</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1243"/>
        <source>not checked (no sound player given)</source>
        <translation>chưa kiểm tra (không có trình phát âm thanh)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1245"/>
        <source>the sound files cannot be written to {directory}</source>
        <translation>không ghi được các tệp âm thanh vào {directory}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1248"/>
        <source>not valid sound files: {files} (in {directory})</source>
        <translation>tệp âm thanh không hợp lệ: {files} (trong {directory})</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1251"/>
        <source>{count} sound files ok, but no aplay or paplay: the kiosk is silent (apt-get install alsa-utils)</source>
        <translation>{count} tệp âm thanh tốt, nhưng không có aplay hay paplay: kiosk sẽ không phát ra tiếng (apt-get install alsa-utils)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1255"/>
        <source>{count} sound files ok, but no audio output (no ALSA sound card, no PulseAudio or PipeWire server): the kiosk is silent</source>
        <translation>{count} tệp âm thanh tốt, nhưng không có đầu ra âm thanh (không có card âm thanh ALSA, không có máy chủ PulseAudio hay PipeWire): kiosk sẽ không phát ra tiếng</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1258"/>
        <source>{count} sound files ok; audio output: {outputs}</source>
        <translation>{count} tệp âm thanh tốt; đầu ra âm thanh: {outputs}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1262"/>
        <source>not set: the manager view stays closed until one is (kiosk pin set)</source>
        <translation>chưa đặt: màn hình quản lý không mở được cho đến khi có mã (kiosk pin set)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1265"/>
        <source>{error}: set a new one (kiosk pin reset, kiosk pin set)</source>
        <translation>{error}: hãy đặt mã mới (kiosk pin reset, kiosk pin set)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1267"/>
        <source>set; locked after wrong PINs until {until}</source>
        <translation>đã đặt; bị khóa do nhập sai mã PIN đến {until}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1270"/>
        <source>set</source>
        <comment>the manager PIN is set</comment>
        <translation>đã đặt</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1272"/>
        <source>internal error: {error}</source>
        <translation>lỗi nội bộ: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1273"/>
        <source>no answer within {seconds} s (hanging)</source>
        <translation>không có phản hồi trong {seconds} giây (bị treo)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1279"/>
        <source>pass</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1280"/>
        <source>warning</source>
        <translation>cảnh báo</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1281"/>
        <source>FAIL</source>
        <translation>KHÔNG ĐẠT</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1296"/>
        <source>All {n} checks passed, {warned} with a warning.</source>
        <translation>Cả {n} mục kiểm tra đều đạt, {warned} mục có cảnh báo.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1300"/>
        <source>All {n} checks passed.</source>
        <translation>Cả {n} mục kiểm tra đều đạt.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1301"/>
        <source>{failed} of {n} checks failed.</source>
        <translation>{failed}/{n} mục kiểm tra không đạt.</translation>
    </message>
</context>
</TS>
