# pingyi: the two commands a new user needs are `make demo` and `make test`.
SWIFT ?= swift
RELEASE := .build/release/pingyi

.PHONY: demo test setup release bench-read bench-serve clean-demo

## Install what is missing, build in release mode, and run the main job on the shipped county.
demo: setup release
	scripts/demo.sh

## Install what is missing and run every test (the store tests also on a throwaway PostgreSQL).
test: setup
	$(SWIFT) build --build-tests
	scripts/with-postgres.sh $(SWIFT) test

setup:
	@scripts/setup.sh

release:
	$(SWIFT) build -c release --product pingyi

## Frame reading against polars (needs: pip install polars).
bench-read: setup release
	python3 Benchmarks/read_frame.py

## pingyi serve under load on SQLite and PostgreSQL, with a SIGKILL mid-load and a check of every acknowledged form.
bench-serve: setup release
	PINGYI_PG_DURABLE=1 scripts/with-postgres.sh python3 Benchmarks/load_serve.py

clean-demo:
	rm -rf out
