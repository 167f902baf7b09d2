# pingyi: the two commands a new user needs are `make demo` and `make test`.
SWIFT ?= swift

.PHONY: demo test fuzz setup release package package-test bench-read bench-xlsx bench-sample bench-scale bench-domains bench-score bench-import bench-serve bench-calls bench-online bench-coverage clean-demo

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

VERSION := $(shell sed -n 's/^ *static let version = "\(.*\)"$$/\1/p' Sources/pingyi/Pingyi.swift)

## A Debian package of the release binary with the static Swift standard library: dist/pingyi_$(VERSION)_amd64.deb.
package: setup
	SWIFT=$(SWIFT) scripts/package.sh

## The package installed into a clean Debian 12 root made with debootstrap (needs root and a Debian mirror).
package-test: package
	@PINGYI_SETUP_PACKAGE=1 scripts/setup.sh
	scripts/package-test.sh dist/pingyi_$(VERSION)_amd64.deb

## Side-by-side benchmarks (need: PINGYI_SETUP_EXTRAS=1 scripts/setup.sh; pip install polars svy).
bench-read: setup release
	cd Benchmarks && python3 read_frame.py

## .xlsx reading: a 200,000-row roster against openpyxl (read-only) and python-calamine.
bench-xlsx: setup release
	cd Benchmarks && python3 read_xlsx.py

bench-sample: setup release
	cd Benchmarks && python3 sample_frame.py

bench-score: setup release
	cd Benchmarks && python3 score_long.py

## The two-stage draw on 2,000,000 and 20,000,000 register-shaped households (generated, ~2.3 GB): time and peak memory.
bench-scale: setup release
	cd Benchmarks && python3 sample_scale.py

## Scoring 44, 484 and 5,016 domains (unit × area) on 880,000 answers, against svy.
bench-domains: setup release
	cd Benchmarks && python3 score_domains.py

bench-import: setup release
	python3 Benchmarks/import_forms.py --forms 20000 --repeats 5

## Coverage of the 95 % intervals on the shipped rural design: 500 draws against a simulated population (needs scipy).
bench-coverage: setup release
	python3 Benchmarks/coverage.py --reps 500 --group rural

## pingyi serve under load on SQLite and PostgreSQL, with a SIGKILL mid-load and a check of every acknowledged form.
bench-serve: setup release
	PINGYI_PG_DURABLE=1 scripts/with-postgres.sh python3 Benchmarks/load_serve.py

## Telephone interviewing under load: 50 interviewers on 20,140 cases over HTTP, SQLite and PostgreSQL (two servers), SIGKILL mid-load.
bench-calls: setup release
	PINGYI_PG_DURABLE=1 scripts/with-postgres.sh python3 Benchmarks/load_calls.py

## Online self-completion under load: 200 respondents saving item by item over HTTP (SQLite).
bench-online: setup release
	python3 Benchmarks/load_online.py

clean-demo:
	rm -rf out

## libFuzzer harnesses (CSV/xlsx, YAML, draw, JSON) for FUZZ_SECONDS each (default 60); see docs/fuzzing.md.
fuzz: setup
	scripts/fuzz.sh

