# Convenience targets; scripts/ does the work (and the set-up) so make is optional.
.PHONY: check run bench fmt
check:
	scripts/check
run:
	scripts/run
bench:
	.venv/bin/python bench/verify.py
fmt:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .
