# qisim: one non-recursive Makefile. `make run` and `make test` are the two set-up commands;
# both install missing Debian packages first (scripts/install-deps).

CC ?= cc
# make MPI=1: qisim built with OpenMPI (mpicc) in its own tree; runs and sweeps started by
# mpirun -np K spread their replicates over K - 1 worker processes (docs/experiments.md).
# OpenMPI is needed only then: make MPI=1 installs it, a plain make does without it.
MPI ?= 0
ifeq ($(MPI),1)
CC = mpicc
CPPFLAGS += -DQISIM_MPI
BUILD ?= build/mpi
endif
BUILD ?= build
CFLAGS ?= -O2 -g
# Strict, and clean under it: shadowing, implicit double promotion and missing prototypes are
# the usual sources of subtle bugs in numeric C code.
WARNINGS = -Wall -Wextra -Wshadow -Wundef -Wstrict-prototypes -Wmissing-prototypes \
           -Wdouble-promotion -Wformat=2 -Wvla
STD = -std=c11 -pedantic
# Expanded when a recipe runs, that is after the dependency check has installed pkg-config.
LUA_CFLAGS = $(shell pkg-config --cflags lua5.4)
LUA_LIBS = $(shell pkg-config --libs lua5.4)
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)
SQLITE_LIBS = $(shell pkg-config --libs sqlite3)
# qisim play's web server (src/play/server.c), linked into the program only
MHD_LIBS = $(shell pkg-config --libs libmicrohttpd)
CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L
ALL_CFLAGS = $(STD) $(WARNINGS) $(CFLAGS) -MMD -MP
LDLIBS += -lm -lpthread

CORE_SRC := $(wildcard src/engine/*.c src/model/*.c)
HOST_SRC := $(wildcard src/io/*.c src/lua/*.c src/run/*.c src/experiment/*.c src/play/*.c)
# The report and plots (src/report); the page's script and style become C strings (scripts/embed-text).
HOST_SRC += $(wildcard src/report/*.c)
# The lean reference loop qisim bench compares the model with (src/bench).
HOST_SRC += $(wildcard src/bench/*.c)
# A replicate's results as typed frames, and the one schema of the result files (src/results).
HOST_SRC += $(wildcard src/results/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
TEST_SRC := $(wildcard tests/test_*.c)

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
HOST_OBJ := $(HOST_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
REPORT_PAGE_OBJ := $(BUILD)/gen/report_page.o
HOST_OBJ += $(REPORT_PAGE_OBJ)
DEPS := $(CORE_OBJ:.o=.d) $(HOST_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_BIN:=.d)

QISIM := $(BUILD)/qisim
DEPS_OK := $(BUILD)/.deps-ok

.PHONY: all run test bench validate sanitize docs golden clean deps
.DEFAULT_GOAL := all

all: $(QISIM) $(TEST_BIN)

# Installs what is missing (once per build tree); see scripts/install-deps.
deps: $(DEPS_OK)
$(DEPS_OK):
	@MPI=$(MPI) scripts/install-deps
	@mkdir -p $(@D) && touch $@

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(LUA_CFLAGS) $(ALL_CFLAGS) -c $< -o $@

# qisim play's page (src/play/page/), embedded in the program as byte arrays
PLAY_ASSETS := src/play/page/index.html src/play/page/app.js src/play/page/style.css
$(BUILD)/play_assets.c: $(PLAY_ASSETS) scripts/embed-assets
	@mkdir -p $(@D)
	scripts/embed-assets $(PLAY_ASSETS) > $@.tmp && mv $@.tmp $@
$(BUILD)/play_assets.o: $(BUILD)/play_assets.c
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/gen/report_page.c: src/report/page.js src/report/page.css scripts/embed-text
	@mkdir -p $(@D)
	scripts/embed-text qisim_report_page_js src/report/page.js qisim_report_page_css src/report/page.css > $@.tmp && mv $@.tmp $@
$(REPORT_PAGE_OBJ): $(BUILD)/gen/report_page.c | $(DEPS_OK)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libqisim.a: $(CORE_OBJ) $(HOST_OBJ) $(BUILD)/play_assets.o
	@rm -f $@
	$(AR) rcs $@ $^

$(QISIM): $(CLI_OBJ) $(BUILD)/libqisim.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ $(LUA_LIBS) $(SQLITE_LIBS) $(MHD_LIBS) $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/%.c $(BUILD)/libqisim.a | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(LUA_CFLAGS) $(ALL_CFLAGS) $(LDFLAGS) $< $(BUILD)/libqisim.a \
	    $(LUA_LIBS) $(SQLITE_LIBS) $(CMOCKA_LIBS) $(LDLIBS) -o $@

# The engine alone (src/engine) builds and links without the model: its test links nothing else.
ENGINE_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard src/engine/*.c))
$(BUILD)/tests/test_engine: tests/test_engine.c $(ENGINE_OBJ) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) $< $(ENGINE_OBJ) $(CMOCKA_LIBS) $(LDLIBS) -o $@

# The default scenario, into results/default/.
run: $(QISIM)
	$(QISIM) run scenarios/default.lua

# Every cmocka binary (unit, Lua host, CLI end to end), the MPI check when OpenMPI is
# installed, then the quick validation pass (a smoke test of the pattern machinery: its
# MET/MISSED verdicts are reported, not enforced; `qisim validate --strict` enforces them),
# then each fuzz harness's regressions and 4 seconds of fuzzing (default build tree only).
# make MPI=1 test installs OpenMPI first and always runs the MPI check (build/mpi/qisim).
test: $(QISIM) $(TEST_BIN)
	@QISIM=$(QISIM) scripts/run-tests $(TEST_BIN)
	@QISIM=$(QISIM) scripts/test-faults
	@QISIM=$(QISIM) scripts/test-play
	@QISIM=$(QISIM) BUILD=$(BUILD) scripts/test-report
	@BUILD=$(BUILD) scripts/test-install
	@if [ "$(MPI)" = 1 ]; then \
	    $(MAKE) --no-print-directory MPI=0 BUILD=build build/qisim >/dev/null && QISIM=build/qisim scripts/test-mpi $(QISIM); \
	elif command -v mpicc >/dev/null && command -v mpirun >/dev/null; then \
	    $(MAKE) --no-print-directory MPI=1 build/mpi/qisim >/dev/null && QISIM=$(QISIM) scripts/test-mpi build/mpi/qisim; \
	else echo "mpi: skipped (OpenMPI not installed; make MPI=1 test installs it and runs the MPI tests)"; fi
	@$(QISIM) validate --quick
	@if [ "$(BUILD)" = build ]; then $(MAKE) --no-print-directory fuzz FUZZ_SECONDS=4; fi

# The published patterns of MODEL.md §5, over enough replicates to judge them.
validate: $(QISIM)
	$(QISIM) validate

# Speed and memory at NHS England scale, and how replicates scale with threads; measured here,
# never asserted in a test.
# BENCH_ARGS is added to both, e.g. make bench BENCH_ARGS="--weeks 20 --arg regions=2" for a
# quick check of a small world (the figures that count are the full size's).
BENCH_ARGS ?=
bench: $(QISIM)
	$(QISIM) bench scenarios/bench/nhs_england.lua $(BENCH_ARGS)
	$(QISIM) bench scenarios/bench/nhs_england.lua --arg network=0 $(BENCH_ARGS)
	scripts/bench-threads $(QISIM)

# Tests under AddressSanitizer and UndefinedBehaviorSanitizer, in a separate build tree.
sanitize:
	$(MAKE) BUILD=build/sanitize CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" test

# Regenerates the parameter reference from the parameter table.
docs: $(QISIM)
	$(QISIM) params --markdown > docs/parameters.md.tmp && mv docs/parameters.md.tmp docs/parameters.md

# Regenerates the golden run of tests/test_cli.c after an intended change to model or output.
golden: $(QISIM)
	$(QISIM) run tests/golden.lua --seed 7 --out $(BUILD)/golden --quiet
	cp $(BUILD)/golden/series.csv tests/expected/golden_series.csv

# libFuzzer harnesses (tests/fuzz/fuzz_*.c) for the checkpoint, result-file, scenario and
# experiment readers, built by clang with ASan and UBSan from the same sources in build/fuzz.
# `make fuzz FUZZ_SECONDS=N` replays tests/fuzz/regressions/ and fuzzes each harness N seconds
# (corpus kept in build/fuzz/corpus, crashes in build/fuzz/artifacts); `make test` runs each briefly.
FUZZ_SECONDS ?= 60
FUZZ_HARNESSES := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_CFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
.PHONY: fuzz fuzz-build
fuzz-build: $(DEPS_OK)
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link" \
	    LDFLAGS="-fsanitize=address,undefined" $(FUZZ_HARNESSES:%=build/fuzz/%)
fuzz: fuzz-build $(QISIM)
	@QISIM=$(QISIM) scripts/run-fuzz build/fuzz $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(BUILD)/libqisim.a | $(DEPS_OK)
	$(CC) $(CPPFLAGS) $(LUA_CFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer $(LDFLAGS) $< $(BUILD)/libqisim.a \
	    $(LUA_LIBS) $(SQLITE_LIBS) $(LDLIBS) -o $@

# The examples of README.md and docs/*.md run in order in a scratch clone (scripts/doc-examples;
# minutes: validate and sweeps among them).
.PHONY: doc-examples
doc-examples:
	scripts/doc-examples

# The man page, written by help2man from the help texts (scripts/make-man), and make install
# PREFIX=... (DESTDIR honoured): the program, the man page and the bash completion.
PREFIX ?= /usr/local
.PHONY: man install
man: $(BUILD)/qisim.1
$(BUILD)/qisim.1: $(QISIM) scripts/make-man
	scripts/make-man $(QISIM) $@
install: $(QISIM) $(BUILD)/qisim.1
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 $(QISIM) $(DESTDIR)$(PREFIX)/bin/qisim
	install -m 644 $(BUILD)/qisim.1 $(DESTDIR)$(PREFIX)/share/man/man1/qisim.1
	install -m 644 scripts/qisim-completion.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/qisim

clean:
	rm -rf $(BUILD)

-include $(DEPS) $(wildcard $(BUILD)/fuzz_*.d)
