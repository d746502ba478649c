<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>ProvisioningWizard</name>
    <message>
        <location filename="../wizard.py" line="372" />
        <source>en</source>
        <comment>language code of this translation: vi for Vietnamese</comment>
        <extracomment>Seconds the preview waits for a first frame before it says there is no picture. How often the preview looks again for a camera whose device node is missing. What :attr:`_Preview.missing` says: no device node, or a device that shows nothing. No camera: ABSENT (no device node: reported at once) or SILENT (no frame within ``no_frame_after`` seconds). The preview keeps trying; a frame replaces the message.</extracomment>
        <translation>vi</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="537" />
        <source>Venue</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="538" />
        <source>City platform</source>
        <translation>Hệ thống của thành phố</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="539" />
        <source>Trust bundle from a file</source>
        <translation>Gói dữ liệu tin cậy từ tệp</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="540" />
        <location filename="../wizard.py" line="574" />
        <location filename="../wizard.py" line="1310" />
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="541" />
        <location filename="../wizard.py" line="1311" />
        <source>QR decoder</source>
        <translation>Bộ giải mã QR</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="542" />
        <location filename="../wizard.py" line="594" />
        <location filename="../wizard.py" line="1317" />
        <source>Manager PIN</source>
        <translation>Mã PIN quản lý</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="543" />
        <source>Self-test</source>
        <translation>Tự kiểm tra</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="547" />
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="548" />
        <source>Next</source>
        <translation>Tiếp</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="549" />
        <source>Finish</source>
        <translation>Hoàn tất</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="550" />
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="551" />
        <source>Venue id</source>
        <translation>Mã địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="552" />
        <source>as issued by the city, e.g. HCM-Q1-000123</source>
        <translation>do thành phố cấp, ví dụ HCM-Q1-000123</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="553" />
        <source>Venue name</source>
        <translation>Tên địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="554" />
        <source>Venue category</source>
        <translation>Loại hình địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="555" />
        <source>City root key file</source>
        <translation>Tệp khóa gốc của thành phố</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="556" />
        <source>path to city-root.pub</source>
        <translation>đường dẫn đến city-root.pub</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="558" />
        <source>Replace a different root key already pinned (re-provisioning)</source>
        <translation>Thay khóa gốc khác đã được ghim (cài đặt lại)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="560" />
        <source>Pin root key</source>
        <translation>Ghim khóa gốc</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="561" />
        <source>Platform URL</source>
        <translation>Địa chỉ (URL) hệ thống</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="562" />
        <source>Enrollment token</source>
        <translation>Mã đăng ký</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="563" />
        <source>Kiosk name</source>
        <translation>Tên máy kiosk</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="564" />
        <source>e.g. Entrance A</source>
        <translation>ví dụ Cửa A</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="565" />
        <source>Enroll</source>
        <translation>Đăng ký</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="568" />
        <source>Without a network, install the city's signed trust bundle from a file, e.g. on a USB stick. The city root key must be pinned first.</source>
        <translation>Khi không có mạng, cài gói dữ liệu tin cậy đã ký của thành phố từ một tệp, ví dụ trên USB. Phải ghim khóa gốc của thành phố trước.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="572" />
        <source>Bundle file</source>
        <translation>Tệp gói dữ liệu</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="573" />
        <source>Import</source>
        <translation>Nhập</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="576" />
        <source>0, /dev/video0, video:FILE, folder:DIR, synthetic, stdin or serial:PORT</source>
        <translation>0, /dev/video0, video:TỆP, folder:THƯ_MỤC, synthetic, stdin hoặc serial:CỔNG</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="578" />
        <source>Find cameras</source>
        <translation>Tìm camera</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="579" />
        <source>Resolution</source>
        <translation>Độ phân giải</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="580" />
        <source>Test decoding</source>
        <translation>Thử giải mã</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="582" />
        <source>Automatic (recommended): zxing-cpp, else pyzbar</source>
        <translation>Tự động (khuyên dùng): zxing-cpp, nếu không có thì pyzbar</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="583" />
        <source>zxing-cpp</source>
        <translation>zxing-cpp</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="584" />
        <source>pyzbar (needs the system library libzbar0)</source>
        <translation>pyzbar (cần thư viện hệ thống libzbar0)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="590" />
        <source>The venue manager opens the manager view with this PIN (4 to 8 digits). Enter it twice. A forgotten PIN: kiosk pin reset on this machine's shell.</source>
        <translation>Người quản lý địa điểm mở màn hình quản lý bằng mã PIN này (4 đến 8 chữ số). Nhập hai lần. Quên mã PIN: chạy kiosk pin reset trên dòng lệnh của máy này.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="595" />
        <source>The same PIN again</source>
        <translation>Nhập lại mã PIN</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="596" />
        <source>Run the self-test again</source>
        <translation>Chạy lại bước tự kiểm tra</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="609" />
        <source>Provisioning, step {step} of {total}: {title}</source>
        <translation>Cài đặt, bước {step}/{total}: {title}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="715" />
        <source>The synthetic demo camera shows demo cards, not visitors': a provisioned kiosk cannot use it. Choose a real camera.</source>
        <translation>Camera mô phỏng chỉ hiện thẻ trình diễn, không phải thẻ của khách: kiosk đã được cài đặt không dùng được camera này. Hãy chọn một camera thật.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="737" />
        <source>A manager PIN is set. Enter a new one twice to change it, or go on to keep it.</source>
        <translation>Đã có mã PIN quản lý. Nhập mã mới hai lần để đổi, hoặc bấm Tiếp để giữ mã cũ.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="741" />
        <source>No manager PIN is set yet.</source>
        <translation>Chưa đặt mã PIN quản lý.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="757" />
        <source>Set the manager PIN: without one the manager view stays closed.</source>
        <translation>Hãy đặt mã PIN quản lý: chưa có mã thì màn hình quản lý không mở được.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="763" />
        <location filename="../wizard.py" line="979" />
        <source>A PIN is 4 to 8 digits.</source>
        <translation>Mã PIN gồm 4 đến 8 chữ số.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="769" />
        <location filename="../wizard.py" line="980" />
        <source>The two PINs differ: enter the same PIN twice.</source>
        <translation>Hai mã PIN không khớp: hãy nhập cùng một mã hai lần.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="780" />
        <source>Manager PIN set.</source>
        <translation>Đã đặt mã PIN quản lý.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="785" />
        <source>Setting the manager PIN…</source>
        <translation>Đang đặt mã PIN quản lý…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="835" />
        <source>the venue id</source>
        <translation>mã địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="836" />
        <source>the venue name</source>
        <translation>tên địa điểm</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="837" />
        <source>the enrollment token</source>
        <translation>mã đăng ký</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="838" />
        <source>the kiosk name</source>
        <translation>tên kiosk</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="846" />
        <source>the platform refused the enrollment token: it is unknown or has expired</source>
        <translation>hệ thống từ chối mã đăng ký: mã không tồn tại hoặc đã hết hạn</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="849" />
        <source>the platform refused the enrollment token: it was already used (each token works once)</source>
        <translation>hệ thống từ chối mã đăng ký: mã đã được dùng rồi (mỗi mã chỉ dùng được một lần)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="853" />
        <source>the platform refused the enrollment token: it was issued for another venue</source>
        <translation>hệ thống từ chối mã đăng ký: mã được cấp cho một địa điểm khác</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="856" />
        <source>the platform refused: this kiosk was disabled by the city</source>
        <translation>hệ thống từ chối: kiosk này đã bị thành phố vô hiệu hóa</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="862" />
        <source>the platform refused the enrollment (the platform's code: {error})</source>
        <translation>hệ thống từ chối việc đăng ký (mã lỗi của hệ thống: {error})</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="867" />
        <source>width</source>
        <translation>chiều rộng</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="867" />
        <source>height</source>
        <translation>chiều cao</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="868" />
        <source>the camera {what} {value} is not between 64 and 8192 pixels</source>
        <translation>{what} {value} của camera không nằm trong khoảng 64 đến 8192 điểm ảnh</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="875" />
        <source>the city platform did not answer in time</source>
        <translation>hệ thống của thành phố không trả lời kịp thời</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="877" />
        <source>the city platform cannot be reached (is the network up?)</source>
        <translation>không kết nối được với hệ thống của thành phố (mạng có hoạt động không?)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="880" />
        <source>the city platform is unavailable now (HTTP {status}); try again later</source>
        <translation>hệ thống của thành phố hiện không hoạt động (HTTP {status}); hãy thử lại sau</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="883" />
        <source>the city platform gave a reply the kiosk cannot read</source>
        <translation>hệ thống của thành phố trả lời nội dung mà kiosk không đọc được</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="886" />
        <source>the platform URL {url} is not valid: it starts with https:// (or http://)</source>
        <translation>địa chỉ hệ thống {url} không hợp lệ: địa chỉ phải bắt đầu bằng https:// (hoặc http://)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="889" />
        <source>the platform URL {url} is plain http to another machine: use https://</source>
        <translation>địa chỉ hệ thống {url} dùng http không mã hóa tới máy khác: hãy dùng https://</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="891" />
        <source>this kiosk is not enrolled with a city platform</source>
        <translation>kiosk này chưa đăng ký với hệ thống của thành phố</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="893" />
        <source>cannot reach the platform at {url}: is the address right and the network up?</source>
        <translation>không kết nối được với hệ thống tại {url}: địa chỉ có đúng và mạng có hoạt động không?</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="896" />
        <source>the platform at {url} did not answer in time</source>
        <translation>hệ thống tại {url} không trả lời kịp thời</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="900" />
        <source>the platform's reply to the enrollment has no kiosk id</source>
        <translation>câu trả lời đăng ký của hệ thống không có mã kiosk</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="903" />
        <source>{count} check-in(s) recorded at venue {venue} have not reached the platform yet: connect the kiosk and sync before moving it to {new_venue}</source>
        <translation>{count} lượt quét ghi tại địa điểm {venue} chưa được gửi lên hệ thống: hãy kết nối kiosk và đồng bộ trước khi chuyển sang {new_venue}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="907" />
        <source>no city root key is pinned: pin the city root key first</source>
        <translation>chưa ghim khóa gốc của thành phố: hãy ghim khóa gốc của thành phố trước</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="910" />
        <source>a different city root key is already pinned: to re-provision, tick 'Replace a different root key already pinned'</source>
        <translation>một khóa gốc khác của thành phố đã được ghim: để cài đặt lại, hãy chọn 'Thay khóa gốc khác đã được ghim'</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="913" />
        <source>cannot read the root key file {file}</source>
        <translation>không đọc được tệp khóa gốc {file}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="917" />
        <source>{file} is not a public key file (PEM or DER)</source>
        <translation>{file} không phải là tệp khóa công khai (PEM hoặc DER)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="919" />
        <source>the trust data file {file} is damaged</source>
        <translation>tệp dữ liệu tin cậy {file} bị hỏng</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="923" />
        <source>{file} is a link or may be written by every user: refused</source>
        <translation>{file} là liên kết hoặc ai cũng ghi được: bị từ chối</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="925" />
        <source>cannot read the bundle file {file}</source>
        <translation>không đọc được tệp gói dữ liệu {file}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="928" />
        <source>the file is not a trust bundle</source>
        <translation>tệp này không phải là gói dữ liệu tin cậy</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="930" />
        <source>the bundle is not signed with the pinned city root key's algorithm</source>
        <translation>gói dữ liệu không được ký bằng thuật toán của khóa gốc đã ghim của thành phố</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="933" />
        <source>the bundle is not signed by the pinned city root key</source>
        <translation>gói dữ liệu không được ký bằng khóa gốc đã ghim của thành phố</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="935" />
        <source>the bundle's content is invalid</source>
        <translation>nội dung của gói dữ liệu không hợp lệ</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="936" />
        <source>the signed document is not a trust bundle</source>
        <translation>tài liệu đã ký không phải là gói dữ liệu tin cậy</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="938" />
        <source>bundle version {version} is older than version {highest} already accepted: refusing to roll back</source>
        <translation>gói dữ liệu có phiên bản {version}, cũ hơn phiên bản {highest} đã được chấp nhận: không quay lại phiên bản cũ</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="942" />
        <source>bundle version {version} was already accepted with other content</source>
        <translation>phiên bản {version} của gói dữ liệu đã được chấp nhận với nội dung khác</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="944" />
        <source>{field} must not be empty</source>
        <translation>{field} không được để trống</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="947" />
        <source>{field} is longer than {limit} characters</source>
        <translation>{field} dài hơn {limit} ký tự</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="950" />
        <source>{field} must not contain control characters</source>
        <translation>{field} không được chứa ký tự điều khiển</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="954" />
        <source>the venue category {category} is unknown: choose one from the list</source>
        <translation>loại địa điểm {category} không có: hãy chọn một loại trong danh sách</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="956" />
        <source>enter a camera</source>
        <translation>hãy nhập camera</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="957" />
        <source>there is no video file {file}</source>
        <translation>không có tệp video {file}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="960" />
        <source>there is no folder {folder}</source>
        <translation>không có thư mục {folder}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="964" />
        <source>there is no camera {camera}: give an index (0), a device (/dev/video0), video:FILE or folder:DIR</source>
        <translation>không có camera {camera}: hãy nhập số thứ tự (0), thiết bị (/dev/video0), video:FILE hoặc folder:DIR</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="968" />
        <source>{camera} is a hardware scanner, not a camera: it gives no picture</source>
        <translation>{camera} là máy quét phần cứng, không phải camera: nó không cho hình ảnh</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="972" />
        <source>unknown QR decoder {decoder}</source>
        <translation>không rõ bộ giải mã QR {decoder}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="976" />
        <source>the QR decoder {decoder} cannot be loaded on this machine (is its library installed?)</source>
        <translation>không tải được bộ giải mã QR {decoder} trên máy này (thư viện của nó đã được cài chưa?)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="991" />
        <source>The clock difference to the platform was not measured.</source>
        <translation>Chưa đo được độ lệch đồng hồ so với hệ thống.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="994" />
        <source>Delivered {count} check-in(s) recorded at venue {venue} before moving.</source>
        <translation>Đã gửi {count} lượt quét ghi tại địa điểm {venue} trước khi chuyển.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="996" />
        <source>The platform has no newer trust bundle.</source>
        <translation>Hệ thống không có gói dữ liệu tin cậy mới hơn.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="998" />
        <source>the platform at {url} publishes no trust bundle yet: its operator publishes one (cityplatform publish --issuer ISSUER.pub), then run kiosk sync</source>
        <translation>hệ thống tại {url} chưa phát hành gói dữ liệu tin cậy nào: người vận hành hệ thống phát hành một gói (cityplatform publish --issuer ISSUER.pub), sau đó chạy kiosk sync</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1002" />
        <source>the trust bundle could not be fetched: {reason} (run kiosk sync later)</source>
        <translation>không tải được gói dữ liệu tin cậy: {reason} (hãy chạy kiosk sync sau)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1005" />
        <source>the platform's trust bundle was refused: {reason} (is the pinned root key the platform's?)</source>
        <translation>gói dữ liệu tin cậy của hệ thống bị từ chối: {reason} (khóa gốc đã ghim có phải của hệ thống này không?)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1020" />
        <source>Enter the root key file first.</source>
        <translation>Hãy nhập tệp khóa gốc trước.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1032" />
        <source>Pinned the city root key {kid}.</source>
        <translation>Đã ghim khóa gốc của thành phố {kid}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1036" />
        <source>Pinning the root key…</source>
        <translation>Đang ghim khóa gốc…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1061" />
        <source>Enrollment failed: {error}</source>
        <translation>Đăng ký không thành công: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1077" />
        <source>Enrolling with the platform…</source>
        <translation>Đang đăng ký với hệ thống…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1082" />
        <source>Enrolled as kiosk {kiosk} at venue {venue}.</source>
        <translation>Đã đăng ký là máy kiosk {kiosk} tại địa điểm {venue}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1088" />
        <source>Clock difference to the platform: {seconds} s</source>
        <translation>Chênh lệch đồng hồ so với hệ thống: {seconds} giây</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1098" />
        <source>But the kiosk has no trust bundle from the platform: {problem}</source>
        <translation>Nhưng kiosk chưa nhận được gói dữ liệu tin cậy từ hệ thống: {problem}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1106" />
        <source>Trust bundle version {version} is already installed.</source>
        <translation>Gói dữ liệu tin cậy phiên bản {version} đã được cài.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1108" />
        <source>Installed trust bundle version {version}.</source>
        <translation>Đã cài gói dữ liệu tin cậy phiên bản {version}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1112" />
        <source>{issuers} issuer keys, venue categories: {venues}.</source>
        <translation>{issuers} khóa của đơn vị cấp, loại hình địa điểm: {venues}.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1121" />
        <source>Enter the bundle file first.</source>
        <translation>Hãy nhập tệp gói dữ liệu trước.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1130" />
        <source>Not installed: {error}</source>
        <translation>Chưa cài được: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1141" />
        <source>Checking the bundle…</source>
        <translation>Đang kiểm tra gói dữ liệu…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1178" />
        <source>Opening {camera}…</source>
        <translation>Đang mở {camera}…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1201" />
        <source>No picture from {camera}: {why}</source>
        <translation>Không có hình từ {camera}: {why}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1215" />
        <source>No camera found at {camera}. Is it plugged in?</source>
        <translation>Không tìm thấy camera {camera}. Camera đã được cắm vào chưa?</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1224" />
        <source>No camera found: {camera} shows no picture after {seconds} s. Is it plugged in, or used by another program?</source>
        <translation>Không tìm thấy camera: {camera} không có hình sau {seconds} giây. Camera đã được cắm vào chưa, hay đang bị chương trình khác sử dụng?</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1251" />
        <source>Decode test failed: {error}</source>
        <translation>Thử giải mã không thành công: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1263" />
        <source>Decoding {n} frames…</source>
        <translation>Đang giải mã {n} khung hình…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1270" />
        <source>{decoder}: {frames} frames read, a QR code in {found} of them ({codes} codes, {distinct} different); median decode time {median} ms.</source>
        <translation>{decoder}: đã đọc {frames} khung hình, có mã QR trong {found} khung ({codes} mã, {distinct} mã khác nhau); thời gian giải mã trung vị {median} ms.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1301" />
        <source>Running the self-test…</source>
        <translation>Đang tự kiểm tra…</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1312" />
        <source>Trust data</source>
        <translation>Dữ liệu tin cậy</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1313" />
        <source>Clock</source>
        <translation>Đồng hồ</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1314" />
        <source>Database</source>
        <translation>Cơ sở dữ liệu</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1315" />
        <source>Platform</source>
        <translation>Hệ thống</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1316" />
        <source>Sound</source>
        <translation>Âm thanh</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1340" />
        <source>{n} min</source>
        <translation>{n} phút</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1341" />
        <source>{n} h</source>
        <translation>{n} giờ</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1342" />
        <source>{n} days</source>
        <translation>{n} ngày</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1348" />
        <source>bundle version {version}, issued {age} ago, {issuers} issuer key(s), rules {rules} in force</source>
        <translation>gói dữ liệu phiên bản {version}, phát hành cách đây {age}, {issuers} khóa của đơn vị cấp, bộ quy định {rules} đang có hiệu lực</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1354" />
        <source>none</source>
        <translation>không có</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1359" />
        <source>the year {year} looks right</source>
        <translation>năm {year} có vẻ đúng</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1360" />
        <source>the year {year} looks WRONG</source>
        <translation>năm {year} có vẻ SAI</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1365" />
        <source>the bundle is {age} old (more than {days} days)</source>
        <translation>gói dữ liệu đã cũ {age} (quá {days} ngày)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1368" />
        <source>the bundle was issued in the future: is the clock behind?</source>
        <translation>gói dữ liệu được phát hành vào thời điểm trong tương lai: đồng hồ của máy có bị chậm không?</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1370" />
        <source>the bundle trusts no issuer key</source>
        <translation>gói dữ liệu không tin cậy khóa nào của đơn vị cấp</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1371" />
        <source>no rule set is in force now</source>
        <translation>hiện không có bộ quy định nào có hiệu lực</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1373" />
        <source>the venue category {category} is not in the bundle</source>
        <translation>loại hình địa điểm {category} không có trong gói dữ liệu</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1386" />
        <source>the synthetic demo camera shows demo cards, not visitors': a provisioned kiosk cannot use it (each demo card would be refused and its check-in sent to the city platform); choose a real camera: 0, /dev/video0, video:FILE or folder:DIR</source>
        <translation>camera mô phỏng chỉ hiện thẻ trình diễn, không phải thẻ của khách: kiosk đã được cài đặt không dùng được camera này (mỗi thẻ trình diễn sẽ bị từ chối và lượt check-in của nó bị gửi lên hệ thống của thành phố); hãy chọn một camera thật: 0, /dev/video0, video:TỆP hoặc folder:THƯ_MỤC</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1391" />
        <source>no camera found: {device} does not exist (is the camera plugged in?)</source>
        <translation>không tìm thấy camera: {device} không tồn tại (camera đã được cắm vào chưa?)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1394" />
        <source>keyboard-mode scanner (types into the kiosk): not testable</source>
        <translation>máy quét chế độ bàn phím (gõ thẳng vào kiosk): không kiểm tra được</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1397" />
        <source>serial scanner on {port}: the port exists</source>
        <translation>máy quét nối tiếp ở {port}: cổng có tồn tại</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1399" />
        <source>serial scanner: no port {port}</source>
        <translation>máy quét nối tiếp: không có cổng {port}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1402" />
        <source>{camera}: no frame within {seconds} s</source>
        <translation>{camera}: không có hình trong {seconds} giây</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1406" />
        <source>{camera}: first frame {width}x{height} after {ms} ms</source>
        <translation>{camera}: hình đầu tiên {width}x{height} sau {ms} ms</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1409" />
        <source>{camera}: first frame {width}x{height} after {ms} ms (note: the synthetic demo camera, not a real one)</source>
        <translation>{camera}: hình đầu tiên {width}x{height} sau {ms} ms (lưu ý: đây là camera mô phỏng, không phải camera thật)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1413" />
        <source>{decoder} did not read a clean test QR code</source>
        <translation>{decoder} không đọc được mã QR thử nghiệm rõ nét</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1415" />
        <source>{decoder} read a test QR code in {ms} ms</source>
        <translation>{decoder} đọc được mã QR thử nghiệm trong {ms} ms</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1417" />
        <source>{decoder} read a test QR code in {ms} ms (note: {configured} is configured but cannot load)</source>
        <translation>{decoder} đọc được mã QR thử nghiệm trong {ms} ms (lưu ý: đã chọn {configured} nhưng không tải được)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1420" />
        <source>demo trust data (note: no city root key pinned)</source>
        <translation>dữ liệu tin cậy trình diễn (lưu ý: chưa ghim khóa gốc của thành phố)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1421" />
        <source>no city root key pinned: pin the city's root key</source>
        <translation>chưa ghim khóa gốc của thành phố: hãy ghim khóa gốc của thành phố</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1423" />
        <source>root key {kid} pinned, but no trust bundle installed: every card is red until one is (sync, or import a bundle file)</source>
        <translation>đã ghim khóa gốc {kid}, nhưng chưa cài gói dữ liệu tin cậy: mọi thẻ đều bị đỏ cho đến khi có gói (đồng bộ, hoặc nhập tệp gói dữ liệu)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1428" />
        <source>{file} cannot be written: {error}</source>
        <translation>không ghi được vào {file}: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1432" />
        <source>{file}: a written probe did not read back</source>
        <translation>{file}: dữ liệu thử đã ghi nhưng không đọc lại được</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1435" />
        <source>{file} is damaged, rolled back or replaced: check-ins recorded before may be missing; restore it from a backup</source>
        <translation>{file} bị hỏng, bị quay về bản cũ hoặc bị thay thế: có thể thiếu các lượt đã ghi trước đó; hãy khôi phục từ bản sao lưu</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1439" />
        <source>{file}: {records} check-in(s), write and read back ok; {free_mib} MiB free</source>
        <translation>{file}: {records} lượt check-in, ghi và đọc lại tốt; còn trống {free_mib} MiB</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1442" />
        <source>{file}: {records} check-in(s), write and read back ok; {free_mib} MiB free: below {min_mib} MiB</source>
        <translation>{file}: {records} lượt check-in, ghi và đọc lại tốt; còn trống {free_mib} MiB: dưới mức {min_mib} MiB</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1445" />
        <source>not measured (not enrolled); {year}</source>
        <translation>chưa đo (chưa đăng ký); {year}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1449" />
        <source>not measured (platform unreachable); {year}</source>
        <translation>chưa đo (không kết nối được hệ thống); {year}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1451" />
        <source>{seconds} s behind the platform's clock</source>
        <translation>chậm hơn đồng hồ của hệ thống {seconds} giây</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1454" />
        <source>{seconds} s ahead of the platform's clock</source>
        <translation>nhanh hơn đồng hồ của hệ thống {seconds} giây</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1458" />
        <source>{seconds} s behind the platform's clock (more than {limit} s: cards are judged on this clock)</source>
        <translation>chậm hơn đồng hồ của hệ thống {seconds} giây (quá {limit} giây: thẻ được xét theo đồng hồ này)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1462" />
        <source>{seconds} s ahead of the platform's clock (more than {limit} s: cards are judged on this clock)</source>
        <translation>nhanh hơn đồng hồ của hệ thống {seconds} giây (quá {limit} giây: thẻ được xét theo đồng hồ này)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1465" />
        <source>demo: no platform (note: not enrolled)</source>
        <translation>trình diễn: không có hệ thống (lưu ý: chưa đăng ký)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1467" />
        <source>not enrolled with a city platform: enroll first</source>
        <translation>chưa đăng ký với hệ thống của thành phố: hãy đăng ký trước</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1469" />
        <source>{url} unreachable: {error}</source>
        <translation>không kết nối được {url}: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1470" />
        <source>{url} answered GET /v1/time in {ms} ms</source>
        <translation>{url} đã trả lời GET /v1/time trong {ms} ms</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1471" />
        <source>not checked (no sound player given)</source>
        <translation>chưa kiểm tra (không có trình phát âm thanh)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1473" />
        <source>the sound files cannot be written to {directory}</source>
        <translation>không ghi được các tệp âm thanh vào {directory}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1476" />
        <source>not valid sound files: {files} (in {directory})</source>
        <translation>tệp âm thanh không hợp lệ: {files} (trong {directory})</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1479" />
        <source>{count} sound files ok, but no aplay or paplay: the kiosk is silent (apt-get install alsa-utils)</source>
        <translation>{count} tệp âm thanh tốt, nhưng không có aplay hay paplay: kiosk sẽ không phát ra tiếng (apt-get install alsa-utils)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1483" />
        <source>{count} sound files ok, but no audio output (no ALSA sound card, no PulseAudio or PipeWire server): the kiosk is silent</source>
        <translation>{count} tệp âm thanh tốt, nhưng không có đầu ra âm thanh (không có card âm thanh ALSA, không có máy chủ PulseAudio hay PipeWire): kiosk sẽ không phát ra tiếng</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1486" />
        <source>{count} sound files ok; audio output: {outputs}</source>
        <translation>{count} tệp âm thanh tốt; đầu ra âm thanh: {outputs}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1490" />
        <source>not set: the manager view stays closed until one is (kiosk pin set)</source>
        <translation>chưa đặt: màn hình quản lý không mở được cho đến khi có mã (kiosk pin set)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1493" />
        <source>{error}: set a new one (kiosk pin reset, kiosk pin set)</source>
        <translation>{error}: hãy đặt mã mới (kiosk pin reset, kiosk pin set)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1495" />
        <source>set; locked after wrong PINs until {until}</source>
        <translation>đã đặt; bị khóa do nhập sai mã PIN đến {until}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1498" />
        <source>set</source>
        <comment>the manager PIN is set</comment>
        <translation>đã đặt</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1500" />
        <source>internal error: {error}</source>
        <translation>lỗi nội bộ: {error}</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1501" />
        <source>no answer within {seconds} s (hanging)</source>
        <translation>không có phản hồi trong {seconds} giây (bị treo)</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1507" />
        <source>pass</source>
        <translation>đạt</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1508" />
        <source>warning</source>
        <translation>cảnh báo</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1509" />
        <source>FAIL</source>
        <translation>KHÔNG ĐẠT</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1524" />
        <source>All {n} checks passed, {warned} with a warning.</source>
        <translation>Cả {n} mục kiểm tra đều đạt, {warned} mục có cảnh báo.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1528" />
        <source>All {n} checks passed.</source>
        <translation>Cả {n} mục kiểm tra đều đạt.</translation>
    </message>
    <message>
        <location filename="../wizard.py" line="1529" />
        <source>{failed} of {n} checks failed.</source>
        <translation>{failed}/{n} mục kiểm tra không đạt.</translation>
    </message>
</context>
</TS>