"""Card formats: Base45, CBOR and COSE codecs, and the prefix registry."""
