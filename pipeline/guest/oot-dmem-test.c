// SPDX-License-Identifier: GPL-2.0
/*
 * The scenario of the out-of-tree driver cocci/driver/oot_dmem.c
 * (/dev/oot_dmem), the same on the stock and on the patched kernel:
 *
 *   load           /lib/oot_dmem.ko (mem_mb=16), /dev/oot_dmem appears
 *   migrate        4 MiB of anonymous memory to the device, STATS counts it
 *   fault_back     the CPU reads it all back (migrate_to_ram), data intact
 *   cpu_write      to the device again, the CPU writes every other 64 KiB:
 *                  only those pages come back, then everything is checked
 *   evict          to the device again, EVICT moves it all back without a
 *                  CPU fault, data intact
 *   close_evicts   to the device again, the last close evicts it
 *   unload         the module goes, and /dev/oot_dmem with it
 *
 *   oot-dmem-test [MiB]
 *
 * Prints a TAP line per case ("ok N oot_dmem.<case> # ...") and
 * "OOT-DMEM result: PASS|FAIL"; exits 0 only on PASS.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../cocci/driver/oot_dmem_uapi.h"

#define DEV_PATH	"/dev/oot_dmem"
#define MODULE_PATH	"/lib/oot_dmem.ko"
#define BLOCK		(64UL << 10)

static unsigned long page_size, npages, size;
static int failed, ncases;

static int xioctl(int fd, unsigned long req, void *arg)
{
	while (ioctl(fd, req, arg))
		if (errno != EINTR)
			return -errno;
	return 0;
}

static void __attribute__((format(printf, 3, 4)))
report(const char *name, int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d oot_dmem.%s", ok ? "ok" : "not ok", ++ncases, name);
	if (fmt && *fmt) {
		fputs(" # ", stdout);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	putchar('\n');
	fflush(stdout);
	if (!ok)
		failed = 1;
}

static uint64_t pattern(unsigned long i, uint64_t gen)
{
	return ((uint64_t)i + 1) * 0x9E3779B97F4A7C15ULL ^ gen;
}

static void fill(uint64_t *buf, unsigned long from, unsigned long to,
		 uint64_t gen)
{
	unsigned long i;

	for (i = from; i < to; i++)
		buf[i] = pattern(i, gen);
}

/* Words in [from, to) that differ from the pattern; the first in *first. */
static unsigned long check(const uint64_t *buf, unsigned long from,
			   unsigned long to, uint64_t gen, long *first)
{
	unsigned long i, bad = 0;

	for (i = from; i < to; i++)
		if (buf[i] != pattern(i, gen) && !bad++)
			*first = i;
	return bad;
}

static int stats(int fd, struct oot_dmem_stats *st)
{
	int ret = xioctl(fd, OOT_DMEM_IOC_STATS, st);

	if (ret)
		printf("# STATS: %s\n", strerror(-ret));
	return ret;
}

/* Moves the buffer to the device; pages that were busy get a second try. */
static long to_device(int fd, void *buf)
{
	struct oot_dmem_migrate req;
	unsigned long total = 0;
	int tries, ret;

	for (tries = 0; tries < 3 && total < npages; tries++) {
		memset(&req, 0, sizeof(req));
		req.addr = (uintptr_t)buf;
		req.npages = npages;
		ret = xioctl(fd, OOT_DMEM_IOC_MIGRATE_TO_DEV, &req);
		if (ret) {
			printf("# MIGRATE_TO_DEV: %s\n", strerror(-ret));
			return ret;
		}
		total += req.migrated;
	}
	return total;
}

static int load_module(void)
{
	int fd = open(MODULE_PATH, O_RDONLY | O_CLOEXEC);
	int ret = fd < 0 ? -1 : syscall(SYS_finit_module, fd, "mem_mb=16", 0);

	report("load", !ret, "%s: %s", MODULE_PATH, ret ? strerror(errno) : "loaded");
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Nothing is on the device any more: the module goes at once. */
static void unload_module(void)
{
	int ret = syscall(SYS_delete_module, "oot_dmem", O_NONBLOCK);
	int err = errno;
	int gone = access(DEV_PATH, F_OK) && errno == ENOENT;

	report("unload", !ret && gone, "delete_module: %s, %s %s",
	       ret ? strerror(err) : "done", DEV_PATH, gone ? "gone" : "still there");
}

int main(int argc, char **argv)
{
	unsigned long words, i, written = 0;
	struct oot_dmem_stats st0, st, st2;
	long moved, first = -1;
	unsigned long bad;
	uint64_t evicted;
	uint64_t *buf;
	int fd, ret;

	page_size = sysconf(_SC_PAGESIZE);
	/* Whole MiB: a multiple of BLOCK and of the page size. */
	size = (argc > 1 ? strtoul(argv[1], NULL, 0) : 4) << 20;
	if (!size)
		size = 4UL << 20;
	npages = size / page_size;
	words = size / sizeof(uint64_t);

	if (load_module()) {
		printf("OOT-DMEM result: FAIL\n");
		return 1;
	}
	fd = open(DEV_PATH, O_RDWR);
	if (fd < 0) {
		report("open", 0, "%s: %s", DEV_PATH, strerror(errno));
		unload_module();
		printf("OOT-DMEM result: FAIL\n");
		return 1;
	}
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		report("mmap", 0, "%s", strerror(errno));
		close(fd);
		unload_module();
		printf("OOT-DMEM result: FAIL\n");
		return 1;
	}
	if (stats(fd, &st0)) {
		report("stats", 0, "STATS ioctl failed");
		goto out;
	}
	printf("# device: %llu pages of %lu bytes, %llu in use; buffer: %lu pages\n",
	       (unsigned long long)st0.total_pages, page_size,
	       (unsigned long long)st0.used_pages, npages);

	/* migrate */
	fill(buf, 0, words, 1);
	moved = to_device(fd, buf);
	ret = stats(fd, &st);
	report("migrate", moved == (long)npages && !ret &&
	       st.used_pages == st0.used_pages + npages,
	       "migrated %ld of %lu pages, device pages in use %llu",
	       moved, npages, (unsigned long long)st.used_pages);

	/* fault_back: every page comes back through migrate_to_ram() */
	bad = check(buf, 0, words, 1, &first);
	ret = stats(fd, &st2);
	report("fault_back", !bad && !ret && st2.used_pages == st0.used_pages &&
	       st2.migrated_to_ram - st.migrated_to_ram == npages,
	       "%lu bad words (first %ld), %llu pages faulted back, %llu in use",
	       bad, first, (unsigned long long)(st2.migrated_to_ram - st.migrated_to_ram),
	       (unsigned long long)st2.used_pages);

	/* cpu_write: the CPU writes every other block while it is on the device */
	moved = to_device(fd, buf);
	for (i = 0; i < size; i += 2 * BLOCK) {
		fill(buf, i / 8, (i + BLOCK) / 8, 2);
		written += BLOCK / page_size;
	}
	ret = stats(fd, &st);
	bad = 0;
	first = -1;
	for (i = 0; i < size; i += BLOCK)
		bad += check(buf, i / 8, (i + BLOCK) / 8,
			     (i / BLOCK) % 2 ? 1 : 2, &first);
	ret |= stats(fd, &st2);
	report("cpu_write", moved == (long)npages && !bad && !ret &&
	       st.used_pages == st0.used_pages + npages - written &&
	       st2.used_pages == st0.used_pages,
	       "migrated %ld, wrote %lu pages, %llu left on the device, %lu bad words (first %ld)",
	       moved, written, (unsigned long long)(st.used_pages - st0.used_pages),
	       bad, first);

	/* evict: everything back without a CPU fault */
	fill(buf, 0, words, 3);
	moved = to_device(fd, buf);
	evicted = 0;
	ret = xioctl(fd, OOT_DMEM_IOC_EVICT, &evicted);
	if (ret)
		printf("# EVICT: %s\n", strerror(-ret));
	ret |= stats(fd, &st);
	first = -1;
	bad = check(buf, 0, words, 3, &first);
	ret |= stats(fd, &st2);
	report("evict", moved == (long)npages && !ret && evicted >= npages &&
	       st.used_pages == st0.used_pages && !bad &&
	       st2.migrated_to_ram == st.migrated_to_ram,
	       "migrated %ld, evicted %llu, %llu in use, %lu bad words (first %ld), %llu CPU faults after",
	       moved, (unsigned long long)evicted, (unsigned long long)st.used_pages,
	       bad, first, (unsigned long long)(st2.migrated_to_ram - st.migrated_to_ram));

	/* close_evicts: the last close gives everything back */
	fill(buf, 0, words, 4);
	moved = to_device(fd, buf);
	close(fd);
	fd = open(DEV_PATH, O_RDWR);
	if (fd < 0) {
		report("close_evicts", 0, "reopen: %s", strerror(errno));
		goto out;
	}
	ret = stats(fd, &st);
	first = -1;
	bad = check(buf, 0, words, 4, &first);
	ret |= stats(fd, &st2);
	report("close_evicts", moved == (long)npages && !ret &&
	       st.used_pages == st0.used_pages && !bad &&
	       st2.migrated_to_ram == st.migrated_to_ram,
	       "migrated %ld, %llu in use after close, %lu bad words (first %ld)",
	       moved, (unsigned long long)st.used_pages, bad, first);

out:
	munmap(buf, size);
	if (fd >= 0)
		close(fd);
	unload_module();
	printf("OOT-DMEM result: %s\n", failed ? "FAIL" : "PASS");
	return failed;
}
