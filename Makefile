# wirecheck - one build, readable top to bottom.
#   make            build the harness, reference servers and clients
#   make conform    grade the reference implementations (the main job)
#   make check      unit tests, then integration tests (namespaces, pcaps, mutants, witnesses)
#   make coverage   gcov build, tests, lcov + genhtml into reports/coverage/
#   make install    PREFIX=/usr/local DESTDIR=
#   make asan       sanitizer build (address, leaks, undefined) into build-asan/, unit and
#                   integration tests on it (all but ASAN_SKIP); fails on any sanitizer
#                   report (CI runs it)
#   make mutants    every mutant against the check that must catch it; the kill rate
#   make fuzz       long libFuzzer runs (make check runs each target 5 s)
#   make first-contact  make conform once in a freshly bootstrapped Debian 12 root (root only)
#   make deps       install missing Debian packages (root) or print the command: those the
#                   goals given need (plain 'make deps': all of them); deps-build,
#                   deps-check, deps-coverage, deps-asan, deps-fuzz, deps-bench: one list
# Every target runs 'deps' first.

PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
CC       ?= cc
CFLAGS   ?= -O2 -g
LDFLAGS  ?=

BINDIR     = $(PREFIX)/bin
LIBEXECDIR = $(PREFIX)/libexec/wirecheck
DATADIR    = $(PREFIX)/share/wirecheck

# Debian packages, by what needs them; installed without Recommends.
# libc6-dev is only a Recommends of gcc.
DEPS_BUILD    = gcc libc6-dev make pkg-config libpcap-dev libnftables-dev
# the tests' tools and witnesses; chromium renders the HTML report
# (tests/it-report.sh), the JDK builds a Java submission (tests/it-grade.sh)
DEPS_CHECK    = libcmocka-dev uidmap zip tshark socat netcat-openbsd python3 iproute2 nftables curl wget wrk parallel dnsutils knot-dnsutils libxml2-utils python3-junitparser python3-jsonschema python3-pil chromium nginx-light nsd xxd openjdk-17-jdk-headless
DEPS_COVERAGE = lcov
# clang and its sanitizer runtimes: make fuzz (and the fuzz-smoke of make check), make asan
DEPS_FUZZ     = clang libclang-rt-14-dev
# make bench (bench/run): load generators, the servers compared with, profilers
DEPS_BENCH    = python3 wrk dnsperf nginx-light nsd linux-perf valgrind
# make gradescope: the autograder zip (tests/it-gradescope.sh has zip from DEPS_CHECK)
DEPS_GRADESCOPE = git zip
DEPS          = $(DEPS_BUILD) $(DEPS_CHECK) $(DEPS_COVERAGE) $(DEPS_FUZZ) $(DEPS_BENCH) $(DEPS_GRADESCOPE)

# What each goal needs ('make deps' alone: everything); any other goal (all,
# conform, install, a file) the build list. make check and make conform on a
# fresh machine so fetch only what they use (README, "Two commands").
DEPS_FOR_deps        = $(DEPS)
DEPS_FOR_build       = $(DEPS_BUILD)
DEPS_FOR_check       = $(DEPS_BUILD) $(DEPS_CHECK) $(DEPS_FUZZ)
DEPS_FOR_unit        = $(DEPS_BUILD) $(DEPS_CHECK)
DEPS_FOR_integration = $(DEPS_BUILD) $(DEPS_CHECK)
DEPS_FOR_mutants     = $(DEPS_BUILD) python3
DEPS_FOR_coverage    = $(DEPS_BUILD) $(DEPS_CHECK) $(DEPS_COVERAGE)
DEPS_FOR_asan        = $(DEPS_BUILD) $(DEPS_CHECK) $(DEPS_FUZZ)
DEPS_FOR_fuzz        = $(DEPS_BUILD) $(DEPS_FUZZ)
DEPS_FOR_fuzz-build  = $(DEPS_FOR_fuzz)
DEPS_FOR_fuzz-smoke  = $(DEPS_FOR_fuzz)
DEPS_FOR_bench       = $(DEPS_BUILD) $(DEPS_BENCH)
DEPS_FOR_gradescope  = $(DEPS_GRADESCOPE)
DEPS_FOR_format      = clang-format
deps_for   = $(if $(filter undefined,$(origin DEPS_FOR_$(1))),$(DEPS_BUILD),$(DEPS_FOR_$(1)))
DEPS_GOALS = $(or $(MAKECMDGOALS),all)
DEPS_NEED  = $(sort $(foreach g,$(DEPS_GOALS),$(call deps_for,$(g))))

PKGS      = libpcap libnftables
# Flags that ask the compiler or pkg-config are worked out when a recipe first
# uses them, so after 'deps' has installed gcc and pkg-config: never when the
# Makefile is read, which on a fresh machine is before they exist (issue 13).
# lazy NAME,COMMAND: NAME is COMMAND's output, run once, on first use.
lazy = $(eval $(1) := $$(shell $(2)))$($(1))
# -Wno-format-truncation (gcc only): messages are cut to their buffers on
# purpose; paths check snprintf's result.
NO_TRUNC   = $(call lazy,NO_TRUNC,$(CC) -Werror -Wno-format-truncation -E -x c /dev/null >/dev/null 2>&1 && echo -Wno-format-truncation)
PKG_CFLAGS = $(call lazy,PKG_CFLAGS,pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(call lazy,PKG_LIBS,pkg-config --libs $(PKGS) 2>/dev/null || echo -lpcap -lnftables)
WC_CFLAGS = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wvla $(NO_TRUNC) -MMD -MP -Ilib -Iharness \
            -DWC_LIBEXECDIR='"$(LIBEXECDIR)"' -DWC_DATADIR='"$(DATADIR)"' $(PKG_CFLAGS)
WC_LIBS   = $(PKG_LIBS) -pthread

LIB_SRC     = $(wildcard lib/*.c)
HARNESS_SRC = $(wildcard harness/*.c harness/*/*.c)
SERVER_SRC  = $(wildcard servers/*.c)
CLIENT_SRC  = $(wildcard clients/*.c)
UNIT_SRC    = $(wildcard tests/unit/test_*.c)

LIB_OBJ     = $(LIB_SRC:%.c=$(BUILD)/%.o)
HARNESS_OBJ = $(HARNESS_SRC:%.c=$(BUILD)/%.o)
# Harness modules without main(), linked into the unit tests too.
HARNESS_LIB = $(filter-out $(BUILD)/harness/main.o,$(HARNESS_OBJ))
REFS        = $(SERVER_SRC:servers/%.c=$(BUILD)/bin/%) $(CLIENT_SRC:clients/%.c=$(BUILD)/bin/%)
WIRECHECK   = $(BUILD)/bin/wirecheck
UNIT_BINS   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Docker's default limits without Docker (tests/it-host.sh): capabilities and a
# seccomp filter that refuses namespaces
NONS        = $(BUILD)/tests/nons
# host mode's redirect (issue 19): an LD_PRELOAD shim in a client under test,
# beside the reference programs (it is copied with them into the sandbox)
SHIM        = $(BUILD)/bin/wirecheck-redirect.so

.PHONY: all deps deps-build deps-check deps-coverage deps-asan deps-fuzz deps-bench deps-gradescope gradescope conform first-contact bench check unit integration mutants coverage install uninstall asan clean format
# keep object files: they are intermediates of the pattern rules
.SECONDARY:
.DEFAULT_GOAL := all

all: $(WIRECHECK) $(REFS) $(NONS) $(SHIM)

# deps_install PACKAGES: apt-get installs the missing ones as root; anyone else
# is told the command. Recommends are left out: nothing here uses them.
define deps_install
@missing=""; for p in $(1); do \
  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "deps: installing$$missing"; \
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing || { \
      echo "deps: apt-get could not install$$missing (its messages are above);"; \
      echo "deps: fix the apt sources or the network, then run make $@ again"; exit 1; }; \
  else \
    echo "deps: missing Debian packages:$$missing"; \
    echo "deps: run: sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
  fi; \
fi
endef

deps:
	$(call deps_install,$(DEPS_NEED))

deps-build deps-check deps-coverage deps-asan deps-fuzz deps-bench deps-gradescope:
	$(call deps_install,$(DEPS_FOR_$(@:deps-%=%)))

$(BUILD)/%.o: %.c | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WC_CFLAGS) -c -o $@ $<

$(WIRECHECK): $(HARNESS_OBJ) $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(WC_LIBS)

$(BUILD)/bin/%: $(BUILD)/servers/%.o $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(WC_LIBS)

$(BUILD)/bin/%: $(BUILD)/clients/%.o $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(WC_LIBS)

$(NONS): tests/nons.c | deps
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -o $@ $<

# Its own flags, not CFLAGS: a sanitizer or --coverage build of it would make
# every client under test load that runtime (an uninstrumented python3 with an
# ASan library preloaded stops at once).
$(SHIM): lib/preload/redirect.c | deps
	@mkdir -p $(@D)
	$(CC) -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fPIC -shared -o $@ $< -ldl

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(HARNESS_LIB) $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(WC_LIBS) -lcmocka

# The main job: grade the reference implementations of every lab.
conform: all
	$(WIRECHECK) run -j 2

# First contact (issue 13): a fresh Debian 12 root (mmdebstrap), the committed
# HEAD cloned into it, and the README's 'make conform' run there once: it must
# install what it needs, build and score N/N. Root only; 2 to 5 minutes; CI runs it.
first-contact:
	tests/fresh-root.sh

# Speed, side by side with what it is compared to (issue 8); not part of check.
# The table goes to standard output and reports/bench.txt.
bench: all
	WIRECHECK=$(WIRECHECK) BUILD=$(BUILD) bench/run

# Gradescope's autograder, ready to upload: reports/gradescope/autograder.zip
# (setup.sh, run_autograder, course.conf, this checkout's files as wirecheck/).
# COURSE_CONF=path/course.conf for a course's own (graders/gradescope/course.conf).
COURSE_CONF ?= graders/gradescope/course.conf
gradescope: deps
	graders/gradescope/make-zip.sh reports/gradescope/autograder.zip '$(COURSE_CONF)'

unit: $(UNIT_BINS)
	@rc=0; for t in $(UNIT_BINS); do echo "== $$t"; $$t || rc=1; done; exit $$rc

# INTEGRATION_TESTS: the scripts to run (all of tests/it-*.sh when empty)
INTEGRATION_TESTS ?=
integration: all
	WIRECHECK=$(WIRECHECK) BUILD=$(BUILD) tests/run-integration $(INTEGRATION_TESTS)

check: unit integration fuzz-smoke

# Every mutant (tests/mutants/LAB/*.py or *.c, one student mistake each) must be caught
# by the check its header names; prints the kill rate.
mutants: all
	@WIRECHECK=$(WIRECHECK) bash tests/it-mutants.sh > $(BUILD)/mutants.log 2>&1; \
	grep -E '^not ok' $(BUILD)/mutants.log; grep -E '^# mutants:' $(BUILD)/mutants.log; \
	! grep -q '^not ok' $(BUILD)/mutants.log

COV_MAKE = $(MAKE) BUILD=build-cov CFLAGS='-O0 -g --coverage' LDFLAGS='--coverage'

coverage: deps
	rm -rf build-cov reports/coverage && mkdir -p reports/coverage
	$(COV_MAKE) all
	@# programs under test run as an unprivileged user and write their .gcda files here;
	@# everything else is read-only to them (WIRECHECK_WRITABLE opens this folder)
	chmod -R a+rwX build-cov
	@# ... and update the .gcda files root made: umask 0
	umask 0 && WIRECHECK_WRITABLE='$(CURDIR)/build-cov' $(COV_MAKE) unit integration
	lcov -q --capture --directory build-cov --output-file build-cov/all.info --rc lcov_branch_coverage=1
	lcov -q --extract build-cov/all.info '*/lib/*' '*/servers/*' '*/clients/*' '*/harness/*' \
	  --output-file build-cov/wirecheck.info --rc lcov_branch_coverage=1
	genhtml -q --branch-coverage --output-directory reports/coverage build-cov/wirecheck.info
	@lcov --summary build-cov/wirecheck.info --rc lcov_branch_coverage=1 2>&1 | grep -E 'lines|functions|branches'
	@echo "coverage: reports/coverage/index.html"
	@# the floors: 90% of lines for lib/ and servers/ (tests/coverage-floors.sh)
	tests/coverage-floors.sh build-cov/wirecheck.info

# Sanitizer build of everything (clang: ASan, LeakSanitizer, UBSan, every
# finding fatal), and the unit and integration tests run on it. Reports of
# every process (the harness and its workers, the reference programs it runs,
# which get these options through the sandbox, the clients the tests run) go
# to files in build-asan/sanitizer/ (writable inside the sandbox); a report
# there fails the target, whatever the tests said.
SAN_DIR  = $(CURDIR)/build-asan/sanitizer
# (quoted twice: for the shell, and for the sanitizers' option parser, so that
# a checkout under a folder with spaces works)
SAN_ENV  = ASAN_OPTIONS="log_path='$(SAN_DIR)/asan':detect_leaks=1:abort_on_error=0:verify_asan_link_order=0" \
	   UBSAN_OPTIONS="log_path='$(SAN_DIR)/ubsan':print_stacktrace=1:halt_on_error=1" \
	   WIRECHECK_WRITABLE='$(SAN_DIR)'
SAN_CFLAGS  = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_LDFLAGS = -fsanitize=address,undefined
ASAN_MAKE = $(MAKE) BUILD=build-asan CC=clang CFLAGS='$(SAN_CFLAGS)' LDFLAGS='$(SAN_LDFLAGS)'

# The integration scripts left out of make asan (make asan ASAN_SKIP= runs them
# all): they grade classes of programs (mutants, students, hostile programs) or
# the same programs under load, so they take the C code through the paths the
# scripts kept already take (every reference, every stage of the harness, every
# report format, grade, host mode, the sandbox), and the judges' other paths
# are fuzzed under the same sanitizers by make check's fuzz-smoke; and
# it-host, whose host mode it-host-noraw runs too, with a capture and without,
# server and client scenarios of every lab. They run in make check. Left in,
# make check and make asan together outran CI's limit of 5400 s (stop 22).
ASAN_SKIP ?= tests/it-mutants.sh tests/it-load.sh tests/it-steady.sh tests/it-golden.sh \
	     tests/it-students.sh tests/it-students-web-dns.sh tests/it-hostile-class.sh tests/it-host.sh
ASAN_TESTS = $(filter-out $(ASAN_SKIP),$(sort $(wildcard tests/it-*.sh)))

asan: deps
	rm -rf '$(SAN_DIR)' && mkdir -p '$(SAN_DIR)' && chmod 1777 '$(SAN_DIR)'
	$(ASAN_MAKE) all
	CC=clang CFLAGS='$(SAN_CFLAGS)' LDFLAGS='$(SAN_LDFLAGS)' tests/sanitizer-selftest.sh build-asan
	$(SAN_ENV) $(ASAN_MAKE) unit integration INTEGRATION_TESTS='$(ASAN_TESTS)'; rc=$$?; \
	  tests/sanitizer-reports.sh '$(SAN_DIR)' && exit $$rc

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)
	install -m 755 $(WIRECHECK) $(DESTDIR)$(BINDIR)/wirecheck
	install -m 755 $(REFS) $(DESTDIR)$(LIBEXECDIR)/
	install -m 644 $(SHIM) $(DESTDIR)$(LIBEXECDIR)/
	cp -R fixtures $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/wirecheck
	rm -rf $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(DATADIR)

format:
	clang-format -i lib/*.[ch] harness/*.[ch] harness/*/*.[ch] servers/*.c clients/*.c tests/unit/*.c

clean:
	rm -rf build build-cov build-asan build-fuzz
	find captures reports -mindepth 1 ! -name README.md -exec rm -rf {} +

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- fuzzing (tests/fuzz) ----
# libFuzzer targets for the parsers of untrusted bytes (see tests/fuzz/README.md).
#   make fuzz-build   build-fuzz/fuzz_X for every tests/fuzz/fuzz_X.c
#   make fuzz-smoke   each target 5 s on a copy of its seed corpus; fails on any finding
#   make fuzz         each target FUZZ_TIME seconds (300), or FUZZ_RUNS runs if set
# Runs happen in build-fuzz/run/fuzz_X/ (log, corpus copy, crash-*/leak-*/oom-* files).
FUZZ_CC    ?= clang
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME  ?= 300
FUZZ_RUNS  ?=
FUZZ_OPTS  ?= -rss_limit_mb=2048 -timeout=60 -print_final_stats=1
FUZZ_SAN    = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = -g -O1 $(FUZZ_SAN) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wvla -MMD -MP -Ilib -Iharness \
              $(PKG_CFLAGS)
FUZZ_SRC    = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES  = $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_BINS   = $(FUZZ_NAMES:%=$(FUZZ_BUILD)/%)
# lib/ and harness/ but main(): instrumented for coverage, linked into every target
FUZZ_OBJ    = $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(LIB_SRC) $(filter-out harness/main.c,$(HARNESS_SRC)))

.PHONY: fuzz-build fuzz-smoke fuzz fuzz-clean

fuzz-build: $(FUZZ_BINS)

$(FUZZ_BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(WC_LIBS)

# Every target runs, then the recipe fails if any found something.
fuzz-smoke: fuzz-build
	rm -rf $(FUZZ_BUILD)/run
	@rc=0; for n in $(FUZZ_NAMES); do \
	  tests/fuzz/run.sh $(FUZZ_BUILD) $$n $(FUZZ_OPTS) -max_total_time=5 || rc=1; \
	done; exit $$rc

fuzz: fuzz-build
	@rc=0; for n in $(FUZZ_NAMES); do \
	  tests/fuzz/run.sh $(FUZZ_BUILD) $$n $(FUZZ_OPTS) \
	    $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_TIME)) || rc=1; \
	done; exit $$rc

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)
# ---- end of fuzzing ----
