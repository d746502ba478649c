"""Business rules: the CertLogic engine that evaluates EU DCC-style validation rules."""
