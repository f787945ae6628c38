# SPDX-License-Identifier: GPL-2.0
#
# devmem: device-private memory outside the physical address space, for 6.12.
#
#   make test    install what is missing, prepare the tree, run every test
#   make demo    the arm64 (VA_BITS=39) demonstration in QEMU
#
# Variables: BASE=patched|stock, KSRC=<6.12.y tree>, ARCH="x86_64 arm64",
# KERNELS="main kcsan 16k 64k", SUITE=<kunit glob>, PAGE_SIZE (make demo),
# JOBS, BUILD.  See README.md.

TOP	:= $(abspath .)
BUILD	?= $(TOP)/build
BASE	?= patched
ARCH	?= x86_64 arm64
# ARCH here is a list; the kernel's make must not inherit it (nor any other
# command-line variable through MAKEFLAGS): the scripts pass what it needs.
unexport ARCH
MAKEOVERRIDES :=
JOBS	?= $(shell nproc)
SUITE	?=
KSRC	?=
# main: each architecture's test kernel (x86_64: KASAN, lockdep...);
# kcsan: the x86_64 KCSAN kernel; 16k, 64k: arm64 with those pages.  See
# pipeline/kernels.sh.
KERNELS	?= main kcsan 16k 64k
# make demo ARCH=arm64 PAGE_SIZE=16K|64K: the demo on that page size.
# make stress: STRESS_SECONDS (600), STRESS_SEED, STRESS_THREADS.
PAGE_SIZE ?= 4K
# make series SERIES_CHECK=1: build its first and last commit; =all: build,
# test and check every commit (pipeline/series-check.sh); =am: git am onto the
# base (the tarball's tree), and build that.
SERIES_CHECK ?= 0

ifeq ($(filter $(BASE),patched stock),)
$(error BASE must be 'patched' or 'stock', not '$(BASE)')
endif

OUT	:= $(BUILD)/$(BASE)
LOGS	:= $(OUT)/logs
RESULTS	:= $(OUT)/results

export TOP BUILD KSRC JOBS SUITE LOGS RESULTS KERNELS PAGE_SIZE SERIES_CHECK
export BASE_KIND := $(BASE)

# Every target below resolves its tree through pipeline/tree.sh: the untouched
# base for BASE=stock, else the prepared copy (overlay, patches/series,
# cocci/*.cocci) in build/patched/linux.
TREE_SH	:= $(TOP)/pipeline/tree.sh

.PHONY: all help deps tree test kunit hmm stress demo bench series check-style sparse cocci-report clean

all: help

help:
	@sed -n '1,/^$$/p' README.md

deps:
	@$(TOP)/pipeline/deps.sh

tree: deps
	@$(TREE_SH) >/dev/null

test: deps
	@tree=$$($(TREE_SH)) && $(TOP)/pipeline/test.sh "$$tree" "$(ARCH)"

kunit: deps
	@tree=$$($(TREE_SH)) && $(TOP)/pipeline/test.sh "$$tree" "$(ARCH)" kunit

hmm: deps
	@tree=$$($(TREE_SH)) && $(TOP)/pipeline/test.sh "$$tree" "$(ARCH)" hmm

# Every mm operation against device migration, with injected faults.
stress: deps
	@tree=$$($(TREE_SH)) && $(TOP)/pipeline/stress.sh "$$tree" "$(ARCH)"

demo: ARCH := $(if $(filter command line,$(origin ARCH)),$(ARCH),arm64)
demo: deps
	@$(TOP)/pipeline/demo.sh "$(ARCH)"

series: deps
	@tree=$$(BASE_KIND=patched $(TREE_SH)) && \
		$(TOP)/pipeline/series.sh "$$(BUILD=$(BUILD) $(TOP)/pipeline/base.sh)" $(BUILD)/series

# Stock and patched side by side: registration cost, lookup, migration.
bench: deps
	@$(TOP)/pipeline/bench.sh

# Remaining device-private PFN uses in KSRC (default: the prepared tree).
cocci-report: deps
	@if [ -n "$(KSRC)" ]; then dir="$(KSRC)"; else dir=$$($(TREE_SH)); fi && \
		$(TOP)/pipeline/cocci-report.sh "$$dir"

# checkpatch --strict on our new files and on every patch.
check-style: deps
	@tree=$$($(TREE_SH)) && $(TOP)/pipeline/check-style.sh "$$tree"

# sparse on the files the series touches, patched against stock, and the
# warning a PFN passed as a device index gets.
sparse: deps
	@tree=$$($(TREE_SH)) && stock=$$(BASE_KIND=stock $(TREE_SH)) && \
		$(TOP)/pipeline/sparse.sh "$$tree" "$$stock"

clean:
	rm -rf $(BUILD)
