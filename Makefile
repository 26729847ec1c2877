# Thin wrapper around CMake + ctest. `make` leaves the CLI at build/arbiter.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: all build run scan test test-fast test-asan bench fuzz clean install

all: build

build:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# arbiterd on 127.0.0.1:8080 with policies/default.yaml and demo data in ./var,
# until Ctrl-C; the first run prints the console password and an admin token
# once (scripts/run.sh, docs/CONFIG.md).
run: build
	bash scripts/run.sh ./$(BUILD)/arbiter

# Scan the examples with the default policy: a verdict per post and a summary.
scan: build
	./$(BUILD)/arbiter scan --policy policies/default.yaml examples/posts.jsonl

# The whole suite: the normal build, then again under ASan+UBSan.
test: test-fast test-asan

test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan:
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DARBITER_SANITIZE=ON -DARBITER_BENCH=OFF >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

bench: build
	bash bench/run.sh $(BUILD)

fuzz:
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DARBITER_FUZZ=ON -DARBITER_TESTS=OFF -DARBITER_BENCH=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
