<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi" sourcelanguage="en">
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../app.py" line="127" />
        <source>Camera lost: reconnecting…</source>
        <extracomment>Preview frames sent to the GUI at most this often (the decoder sees every frame).</extracomment>
        <translation>Mất kết nối camera: đang kết nối lại…</translation>
    </message>
    <message>
        <location filename="../app.py" line="137" />
        <source>Camera unavailable: %s</source>
        <translation>Không dùng được camera: %s</translation>
    </message>
    <message>
        <location filename="../app.py" line="243" />
        <source>Something went wrong; the kiosk keeps scanning.</source>
        <translation>Đã xảy ra lỗi; kiosk vẫn tiếp tục quét.</translation>
    </message>
</context>
</TS>