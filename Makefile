# pingyi: the two commands a new user needs are `make demo` and `make test`.
SWIFT ?= swift
RELEASE := .build/release/pingyi

.PHONY: demo test setup release bench-read clean-demo

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

clean-demo:
	rm -rf out
