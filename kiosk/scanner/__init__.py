"""From camera frames or a hardware scanner to payloads: the adapters around OpenCV,
zxing-cpp, pyzbar and pyserial, and the Qt-free scan loop that feeds the pipeline."""
