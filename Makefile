# SPDX-License-Identifier: MIT
# caseaudit build.  `make` builds ./caseaudit; `make check` builds and runs
# every unit and end-to-end test under ASan+UBSan; `make demo` runs the audit
# on the built-in demo export.  Missing libraries are installed by
# scripts/install-deps before anything is compiled.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/caseaudit
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
CLANG ?= clang
PKGS := libpcre2-8 libarchive yaml-0.1 jansson libcrypto xlsxwriter
TEST_PKGS := cmocka
WERROR ?= -Werror
OPT ?= -O2 -g
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

WARN := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla $(WERROR)
CPPFLAGS_ALL := -I. -Ibuild/gen -DCA_DATADIR='"$(DATADIR)"' \
	-DCA_VERSION='"$(shell cat VERSION)"'

MODULES := util ingest samplers stats engine report audit synth
LIB_SRC := $(sort $(foreach m,$(MODULES),$(wildcard $(m)/*.c))) build/gen/embedded.c
CMD_SRC := $(sort $(wildcard cmd/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
EMBED := $(sort $(wildcard profiles/*.yaml))

REL := build/rel
SANB := build/san
REL_LIB_OBJ := $(patsubst %.c,$(REL)/%.o,$(LIB_SRC))
REL_CMD_OBJ := $(patsubst %.c,$(REL)/%.o,$(CMD_SRC))
SAN_LIB_OBJ := $(patsubst %.c,$(SANB)/%.o,$(LIB_SRC))
SAN_CMD_OBJ := $(patsubst %.c,$(SANB)/%.o,$(CMD_SRC))
UNIT_BIN := $(patsubst tests/unit/%.c,$(SANB)/tests/%,$(UNIT_SRC))

# Quiet build by default (`make V=1` shows the commands).
ifeq ($(V),1)
Q :=
QCC = @true
else
Q := @
QCC = @echo "  CC      $@"
endif

DEPS_STAMP := build/.deps
TEST_DEPS_STAMP := build/.test-deps
# Flags are read from files written once dependencies are known to exist.
PKG_CFLAGS = $$(cat build/pkg.cflags)
PKG_LIBS = $$(cat build/pkg.libs)
TEST_CFLAGS = $$(cat build/test.cflags)
TEST_LIBS = $$(cat build/test.libs)

.PHONY: all check unit e2e torture demo install uninstall clean fuzz format format-check \
	deps bench rules-eval goldens lint-sources lint-structure
.DEFAULT_GOAL := all

all: caseaudit

$(DEPS_STAMP): scripts/install-deps
	@mkdir -p build
	@if ! pkg-config --exists $(PKGS) $(TEST_PKGS) || \
	    ! printf '#include <csv.h>\n' | $(CC) -E -x c - >/dev/null 2>&1; then \
		echo "caseaudit: some libraries are missing; running scripts/install-deps"; \
		scripts/install-deps || exit 1; \
	fi
	@pkg-config --cflags $(PKGS) > build/pkg.cflags
	@echo "$$(pkg-config --libs $(PKGS)) -lcsv -lm -lpthread" > build/pkg.libs
	@pkg-config --cflags $(TEST_PKGS) > build/test.cflags
	@pkg-config --libs $(TEST_PKGS) > build/test.libs
	@touch $@

deps: $(DEPS_STAMP)

build/gen/embedded.c: $(EMBED) scripts/embed
	@mkdir -p build/gen
	scripts/embed $(EMBED) > $@.tmp && mv $@.tmp $@

$(REL)/%.o: %.c $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(QCC)
	$(Q)$(CC) $(WARN) $(OPT) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

$(SANB)/%.o: %.c $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(QCC)
	$(Q)$(CC) $(WARN) -O1 -g $(SAN) $(CPPFLAGS_ALL) $(PKG_CFLAGS) $(TEST_CFLAGS) $(CFLAGS) -MMD -MP -c $< -o $@

caseaudit: $(REL_LIB_OBJ) $(REL_CMD_OBJ)
	$(CC) $(OPT) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(SANB)/caseaudit: $(SAN_LIB_OBJ) $(SAN_CMD_OBJ)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(SANB)/tests/%: $(SANB)/tests/unit/%.o $(SAN_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(SAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

# The torture build: the same objects, every allocation of our code through
# tests/torture/failalloc.c, which fails the k-th one on demand
$(SANB)/caseaudit-torture: $(SAN_LIB_OBJ) $(SAN_CMD_OBJ) $(SANB)/tests/torture/failalloc.o
	$(CC) $(SAN) $(LDFLAGS) -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=strndup \
		-o $@ $^ $(PKG_LIBS)

# test_noalloc counts the allocations our code makes (tests/unit/test_noalloc.c)
$(SANB)/tests/test_noalloc: LDFLAGS += -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc

export ASAN_OPTIONS := detect_leaks=1:abort_on_error=0:strict_string_checks=1
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; (cd tests/unit && CASEAUDIT_DATADIR=$(CURDIR) ../../$$t); done

e2e: $(SANB)/caseaudit $(TEST_DEPS_STAMP)
	@tests/e2e/run $(SANB)/caseaudit

# The tools some end-to-end tests use (Chromium, R, python3, GNU parallel,
# mandoc): installed when running as root, otherwise those tests are skipped
# (and fail under CI=true).
$(TEST_DEPS_STAMP): scripts/install-deps | $(DEPS_STAMP)
	@scripts/install-deps --test-extras || \
		echo "warning: test tools missing; the tests that need them are skipped"
	@touch $@

check: $(TEST_DEPS_STAMP) unit e2e torture lint-sources lint-structure
	@echo "make check: all tests passed"

# Source hygiene: functions that are easy to misuse with input-sized data.
lint-sources:
	@if grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|gets)\(' \
	    $(foreach m,$(MODULES) cmd,$(wildcard $(m)/*.c)) ; then \
		echo "banned function used (see docs/design.md)"; exit 1; fi
	@# the layers (docs/design.md): report/ takes plain data, samplers/ a
	@# frame callback
	@if grep -nE '#include "(engine|samplers|audit)/' report/*.[ch] || \
	    grep -nE '#include "(engine|audit|report)/' samplers/*.[ch]; then \
		echo "a header from a layer above (see docs/design.md)"; exit 1; fi

# Allocation failure: a small `run` with its k-th allocation failed, for
# every k (tests/torture/run)
torture: $(SANB)/caseaudit-torture $(SANB)/caseaudit
	@tests/torture/run $(SANB)/caseaudit-torture $(SANB)/caseaudit

# Structure limits (files <= 1500 lines, functions <= 150) and the counts of
# duplicated contracts; see docs/design.md.  Part of `make check`.
lint-structure:
	@if command -v python3 >/dev/null 2>&1; then scripts/lint-structure --quiet; \
	else echo "lint-structure: python3 not installed, skipped"; \
		[ "$${CI:-}" != true ] || exit 1; fi

goldens: $(SANB)/caseaudit
	@tests/e2e/run --update $(SANB)/caseaudit

demo: caseaudit
	./caseaudit run --force -o demo-out

FUZZ_BIN := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
# clang flags the generator's phrase tables, whose long phrases are string
# literals split over two lines on purpose
build/fuzz/%: tests/fuzz/%.c $(LIB_SRC) $(DEPS_STAMP)
	@mkdir -p build/fuzz
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined $(filter-out -Werror,$(WARN)) -Wno-string-concatenation \
		$(CPPFLAGS_ALL) $(PKG_CFLAGS) -o $@ $< $(LIB_SRC) $(PKG_LIBS)
fuzz: $(FUZZ_BIN)
	@echo "fuzz targets: $(FUZZ_BIN) (e.g. mkdir -p new && $(firstword $(FUZZ_BIN)) -max_total_time=60 new tests/fuzz/corpus/ingest: inputs it finds go to new/)"

FORMAT_SRC = $(foreach m,$(MODULES) cmd tests/unit tests/fuzz tests/torture,$(wildcard $(m)/*.[ch]))
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRC) && echo "format-check: ok"

bench: caseaudit
	bench/run

rules-eval: caseaudit
	scripts/rules-eval
	scripts/corpus-eval

install: caseaudit
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 caseaudit $(DESTDIR)$(BINDIR)/caseaudit
	install -m 644 docs/caseaudit.1 $(DESTDIR)$(MANDIR)/man1/caseaudit.1
	cp -R rules profiles programmes $(DESTDIR)$(DATADIR)/
	install -d $(DESTDIR)$(DATADIR)/fixtures/demo
	cp fixtures/demo/*.zip $(DESTDIR)$(DATADIR)/fixtures/demo/ 2>/dev/null || true
	cp -R fixtures/rules $(DESTDIR)$(DATADIR)/fixtures/

uninstall:
	rm -rf $(DESTDIR)$(BINDIR)/caseaudit $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(MANDIR)/man1/caseaudit.1

clean:
	rm -rf build caseaudit demo-out

-include $(shell find build -name '*.d' 2>/dev/null)
.SECONDARY:
