// SPDX-License-Identifier: GPL-2.0
/*
 * The demonstration scenario, run as the guest's only program:
 *
 *   devmem-demo [MiB [SIZE]]
 *
 * 1. device-private memory of SIZE (e.g. 4T) registered at once, as a driver
 *    registers all of its VRAM at probe: by lib/test_hmm's large_devmem=
 *    (the kernel command line's test_hmm.large_devmem=SIZE) where the kernel
 *    has it, else by devmem_bench.ko the way stock test_hmm registers memory
 *    (request_free_mem_region() + memremap_pages());
 * 2. an anonymous buffer of MiB migrated to it, every page checked to be on
 *    the device, the device indices used reported (test_hmm spreads its
 *    pages over the whole registration, its last chunk first);
 * 3. every page faulted back by the CPU, every byte verified;
 * 4. the largest registration the kernel then accepts, and what bounds it.
 *
 * Without SIZE, only steps 2 and 3, on test_hmm's own chunks (make bench).
 * Lines "devmem-demo: key: value" are what make demo tabulates.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "dmirror.h"

#define TWOMEG (2UL << 20)

/* The THP size: 2 MiB with 4K pages, 32 MiB with 16K, 512 MiB with 64K. */
static unsigned long thp_size(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size", "r");
	unsigned long size = 0;

	if (f) {
		if (fscanf(f, "%lu", &size) != 1)
			size = 0;
		fclose(f);
	}
	return size ? size : TWOMEG;
}
#define LARGE_STATE "/sys/kernel/debug/hmm_dmirror/large_devmem"
#define BENCH_KO "/lib/devmem_bench.ko"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The value after "@key " in a file of "key value" lines, or NULL. */
static char *state_value(const char *path, const char *key)
{
	static char line[256];
	size_t len = strlen(key);
	FILE *f = fopen(path, "r");
	char *val = NULL;

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, len) || line[len] != ' ')
			continue;
		line[strcspn(line, "\n")] = '\0';
		val = line + len + 1;
		break;
	}
	fclose(f);
	return val;
}

/* Print the kernel log lines that contain @needle, after @prefix. */
static void kmsg_lines(const char *needle, const char *prefix)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf, *line, *save;

	if (len <= 0)
		return;
	buf = malloc(len + 1);
	if (!buf)
		return;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	buf[len > 0 ? len : 0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *hit = strstr(line, needle);

		if (hit)
			printf("%s%s\n", prefix, hit + strlen(needle));
	}
	free(buf);
}

/* Load devmem_bench.ko with @params; its findings go to the kernel log. */
static int load_bench(const char *params)
{
	int fd = open(BENCH_KO, O_RDONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0))
		ret = -errno;
	if (fd >= 0)
		close(fd);
	return ret;
}

/*
 * Step 1.  Returns 1 if test_hmm holds the registration (the buffer goes
 * there), 0 if the registration failed or was made by devmem_bench.ko.
 */
static int register_large(const char *size, unsigned long gib)
{
	char params[128], *v;

	v = state_value(LARGE_STATE, "registered_mib");
	if (v) {
		printf("devmem-demo: registered by: lib/test_hmm large_devmem=%s (devmem_register())\n",
		       size);
		printf("devmem-demo: register %s: ok, %s MiB", size, v);
		v = state_value(LARGE_STATE, "register_us");
		printf(" in %s us\n", v ? v : "?");
		v = state_value(LARGE_STATE, "indices");
		printf("devmem-demo: device indices: %s\n", v ? v : "?");
		v = state_value(LARGE_STATE, "descriptor_kib");
		printf("devmem-demo: descriptors after registration: %s KiB\n", v ? v : "?");
		printf("devmem-demo: physical address space used: none\n");
		return 1;
	}
	printf("devmem-demo: registered by: devmem_bench.ko, as stock test_hmm does (request_free_mem_region() + memremap_pages())\n");
	snprintf(params, sizeof(params), "sizes=%lu lookups=0 use16g=0 probe_max=1048576", gib);
	if (load_bench(params)) {
		printf("devmem-demo: register %s: FAIL: loading %s: %s\n", size, BENCH_KO,
		       strerror(errno));
		return 0;
	}
	snprintf(params, sizeof(params), "devmem-demo: register %s: FAILED: ", size);
	kmsg_lines("devmem_bench: registering ", params);
	snprintf(params, sizeof(params), "devmem-demo: register %s: ok in ", size);
	kmsg_lines("g_us ", params);
	return 0;
}

/*
 * Step 4: the largest registration accepted now, and what bounds it; found
 * by devmem_bench.ko, now or when it made the registration of step 1.
 */
static void probe_largest(int bench_loaded)
{
	if (!bench_loaded && load_bench("sizes= lookups=0 use16g=0 probe_max=1048576")) {
		printf("devmem-demo: largest registration: FAIL: loading %s: %s\n", BENCH_KO,
		       strerror(errno));
		return;
	}
	kmsg_lines("devmem_bench: max_register_gib ", "devmem-demo: largest further registration accepted now: ");
	kmsg_lines("devmem_bench: bound: ", "devmem-demo: bound: ");
	kmsg_lines(" GiB refused by ", "devmem-demo: refused beyond it by: ");
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	const char *size = argc > 2 ? argv[2] : NULL;
	/* "thp": a THP-aligned buffer the kernel may back with THPs. */
	int thp = argc > 3 && !strcmp(argv[3], "thp");
	unsigned long thp_bytes = thp_size();
	unsigned long size_gib = 0, size_last, pieces;
	unsigned long size_bytes = mib << 20, npages, i, bad = 0;
	long psz = sysconf(_SC_PAGESIZE);
	struct hmm_dmirror_cmd cmd;
	double t0, t_fill, t_to_dev, t_back, t_verify;
	unsigned long on_device = 0;
	unsigned char *snap;
	uint64_t *buf, *mirror;
	struct utsname uts;
	char touched = 0, *v;
	int fd, ret, large = 0;

	uname(&uts);
	printf("devmem-demo: kernel: %s %s\n", uts.release, uts.machine);
	if (size) {
		char *end;

		size_gib = strtoul(size, &end, 0);
		size_gib <<= *end == 'T' ? 10 : 0;
		large = register_large(size, size_gib);
		if (!large) {
			printf("devmem-demo: migrate to device: not run: no device memory of %s\n", size);
			probe_largest(1);
			return 0;
		}
	}

	npages = size_bytes / psz;
	fd = open("/dev/hmm_dmirror0", O_RDWR);
	if (fd < 0) {
		printf("devmem-demo: FAIL: open /dev/hmm_dmirror0: %s\n", strerror(errno));
		return 1;
	}
	buf = mmap(NULL, size_bytes + (thp ? thp_bytes : 0), PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		printf("devmem-demo: FAIL: mmap %lu MiB: %s\n", mib, strerror(errno));
		return 1;
	}
	if (thp) {
		buf = (uint64_t *)(((uintptr_t)buf + thp_bytes - 1) & ~(thp_bytes - 1));
		madvise(buf, size_bytes, MADV_HUGEPAGE);
	}

	t0 = now();
	for (i = 0; i < size_bytes / sizeof(*buf); i++)
		buf[i] = i * 0x9e3779b97f4a7c15ull;
	t_fill = now() - t0;

	/* The driver copies what it migrated here, for checking: not into buf. */
	mirror = malloc(size_bytes);
	if (!mirror) {
		printf("devmem-demo: FAIL: no memory for the mirror buffer\n");
		return 1;
	}

	t0 = now();
	ret = dmirror(fd, HMM_DMIRROR_MIGRATE_TO_DEV, buf, mirror, npages, &cmd);
	t_to_dev = now() - t0;
	if (ret || cmd.cpages != npages) {
		printf("devmem-demo: FAIL: migrate to device: %s, %llu of %lu pages\n",
		       strerror(-ret), (unsigned long long)cmd.cpages, npages);
		return 1;
	}
	/* A kernel that migrates large folios whole counts them in faults. */
	if (thp)
		printf("devmem-demo: THPs moved whole to the device: %llu of %lu %lu KiB extents\n",
		       (unsigned long long)cmd.faults, size_bytes / thp_bytes, thp_bytes >> 10);

	/* Where the pages are now, as the device's page table sees them. */
	snap = malloc(npages);
	if (!snap || dmirror(fd, HMM_DMIRROR_SNAPSHOT, buf, snap, npages, &cmd)) {
		printf("devmem-demo: FAIL: snapshot: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < npages; i++)
		on_device += snap[i] == (HMM_DMIRROR_PROT_DEV_PRIVATE_LOCAL | HMM_DMIRROR_PROT_WRITE);

	/* A CPU access to each page faults it back from device-private memory. */
	t0 = now();
	for (i = 0; i < npages; i++)
		touched += *(volatile char *)((char *)buf + i * psz);
	t_back = now() - t0;

	t0 = now();
	for (i = 0; i < size_bytes / sizeof(*buf); i++)
		if (buf[i] != i * 0x9e3779b97f4a7c15ull ||
		    mirror[i] != i * 0x9e3779b97f4a7c15ull)
			bad++;
	t_verify = now() - t0;

	printf("devmem-demo: buffer            %lu MiB (%lu pages of %ld bytes)\n", mib, npages, psz);
	printf("devmem-demo: fill              %8.3f s\n", t_fill);
	printf("devmem-demo: migrate to device %8.3f s  %8.1f MiB/s\n", t_to_dev, mib / t_to_dev);
	printf("devmem-demo: on the device     %lu of %lu pages (device-private, writable)\n",
	       on_device, npages);
	if (large) {
		v = state_value(LARGE_STATE, "pieces_used");
		/* "N of M": M chunks make up the registration. */
		pieces = v && strstr(v, " of ") ? strtoul(strstr(v, " of ") + 4, NULL, 0) : 0;
		printf("devmem-demo: chunks used: %s (of %lu KiB)\n", v ? v : "?",
		       pieces ? (size_gib << 20) / pieces : 0);
		v = state_value(LARGE_STATE, "indices_used");
		printf("devmem-demo: device indices used: %s\n", v ? v : "?");
		v = v ? strchr(v, ' ') : NULL;
		size_last = v ? strtoul(v + 1, NULL, 0) : 0;
		v = state_value(LARGE_STATE, "indices");
		v = v ? strchr(v, ' ') : NULL;
		printf("devmem-demo: last chunk of the registration used: %s\n",
		       v && size_last == strtoul(v + 1, NULL, 0) ? "yes" : "NO");
		v = state_value(LARGE_STATE, "descriptor_kib");
		printf("devmem-demo: descriptors in use: %s KiB", v ? v : "?");
		v = state_value(LARGE_STATE, "descriptor_table_kib");
		printf(" (whole table, test_hmm's other device included: %s KiB)\n", v ? v : "?");
	}
	printf("devmem-demo: CPU faults back   %8.3f s  %8.1f MiB/s\n", t_back, mib / t_back);
	printf("devmem-demo: verify            %8.3f s  %s (%lu bad words)\n", t_verify,
	       bad ? "FAIL" : "ok", bad);
	(void)touched;
	munmap(buf, size_bytes);
	close(fd);
	if (large)
		probe_largest(0);
	return bad || on_device != npages ? 1 : 0;
}
