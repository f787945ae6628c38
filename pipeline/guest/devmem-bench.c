// SPDX-License-Identifier: GPL-2.0
/*
 * The guest side of make bench: load the benchmark module (its results go
 * to the kernel log, which init dumps), then time migration with the demo,
 * BENCH_ROUNDS times: the table takes the median of the rounds.  On a
 * kernel whose test_hmm migrates large folios whole, also time 2 MiB-aligned
 * THP buffers to device memory and back, whole and split to order 0: the
 * migration alone (HMM_DMIRROR_FLAG_NO_READBACK), the data checked once it
 * is back.  Then, for each anonymous large folio size the kernel has up to
 * a PMD (16 KiB .. 2 MiB with 4K pages), with that size alone enabled, a
 * 32 MiB buffer of such folios the same way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <stdlib.h>
#include <unistd.h>

#include "dmirror.h"

#define BENCH_ROUNDS 5
#define THP_ROUNDS 3
#define TWOMEG (2UL << 20)
#define MTHP_MIB 32
#define THP_SYSFS "/sys/kernel/mm/transparent_hugepage"

/* The benchmark times migration alone: it needs NO_READBACK, not only FLAGS. */
#ifdef HMM_DMIRROR_FLAG_NO_READBACK
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * One round: fill a fresh THP buffer, migrate it to the device and back.
 * @kib: the size of the folios enabled alone for an mTHP round, else 0.
 */
static int thp_round(int fd, unsigned long mib, const char *mode, unsigned long kib)
{
	unsigned long size = mib << 20, npages = size / 4096, i, large_to, large_back;
	struct hmm_dmirror_cmd cmd;
	double t0, t1, t2;
	char *map, *buf, *mirror;
	int ret = 1;

	map = mmap(NULL, size + TWOMEG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mirror = malloc(size);
	if (map == MAP_FAILED || !mirror)
		return 1;
	buf = (char *)(((uintptr_t)map + TWOMEG - 1) & ~(TWOMEG - 1));
	madvise(buf, size, MADV_HUGEPAGE);
	for (i = 0; i < size; i += 4096)
		buf[i] = (char)i;

	t0 = now();
	if (dmirror(fd, HMM_DMIRROR_MIGRATE_TO_DEV, buf, mirror, npages, &cmd) ||
	    cmd.cpages != npages)
		goto out;
	large_to = cmd.faults;
	t1 = now();
	if (dmirror(fd, HMM_DMIRROR_MIGRATE_TO_SYS, buf, mirror, npages, &cmd) ||
	    cmd.cpages != npages)
		goto out;
	large_back = cmd.faults;
	t2 = now();
	for (i = 0; i < size; i += 4096)
		if (buf[i] != (char)i)
			goto out;
	if (kib)
		printf("devmem-mthp: %lu KiB folios, %lu MiB %s: to device %.1f MiB/s back %.1f MiB/s, large folios %lu/%lu\n",
		       kib, mib, mode, mib / (t1 - t0), mib / (t2 - t1), large_to, large_back);
	else
		printf("devmem-thp: %lu MiB %s: to device %.1f MiB/s back %.1f MiB/s, large folios %lu/%lu\n",
		       mib, mode, mib / (t1 - t0), mib / (t2 - t1), large_to, large_back);
	ret = 0;
out:
	if (ret)
		printf("devmem-thp: FAIL: %lu MiB %s (cpages %llu of %lu)\n",
		       mib, mode, (unsigned long long)cmd.cpages, npages);
	munmap(map, size + TWOMEG);
	free(mirror);
	return ret;
}

static int thp_bench(void)
{
	static const unsigned long sizes[] = { 2, 8, 32, 128, 256 };
	struct hmm_dmirror_cmd cmd;
	int fd, round, flag;
	unsigned int s;

	fd = open("/dev/hmm_dmirror0", O_RDWR);
	if (fd < 0) {
		printf("devmem-thp: FAIL: open /dev/hmm_dmirror0: %s\n", strerror(errno));
		return 1;
	}
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (round = 0; round < THP_ROUNDS; round++)
			for (flag = 0; flag <= HMM_DMIRROR_FLAG_ORDER0; flag += HMM_DMIRROR_FLAG_ORDER0) {
				if (dmirror(fd, HMM_DMIRROR_FLAGS, NULL, NULL,
					    flag | HMM_DMIRROR_FLAG_NO_READBACK, &cmd)) {
					printf("devmem-thp: FAIL: HMM_DMIRROR_FLAGS: %s\n",
					       strerror(errno));
					return 1;
				}
				if (thp_round(fd, sizes[s], flag ? "order0" : "compound", 0))
					return 1;
			}
	close(fd);
	return 0;
}

/* Device folios of every order: the test_hmm that takes HMM_DMIRROR_ORDERS. */
#ifdef HMM_DMIRROR_ORDERS
static int knob_set(unsigned long kib, const char *value)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), THP_SYSFS "/hugepages-%lukB/enabled", kib);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ok = write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * Each folio size alone, up to the PMD's: sizes of 4 KiB pages, as the
 * benchmark's buffers are.
 */
static int mthp_bench(void)
{
	unsigned long kib, other, pmd_kib = TWOMEG >> 10;
	struct hmm_dmirror_cmd cmd;
	int fd, round, flag;

	fd = open("/dev/hmm_dmirror0", O_RDWR);
	if (fd < 0) {
		printf("devmem-mthp: FAIL: open /dev/hmm_dmirror0: %s\n", strerror(errno));
		return 1;
	}
	for (kib = 16; kib <= pmd_kib; kib *= 2) {
		for (other = 16; other <= pmd_kib; other *= 2)
			knob_set(other, "never");
		if (knob_set(kib, "always")) {
			printf("devmem-mthp: no %lu KiB folios here\n", kib);
			continue;
		}
		for (round = 0; round < THP_ROUNDS; round++)
			for (flag = 0; flag <= HMM_DMIRROR_FLAG_ORDER0; flag += HMM_DMIRROR_FLAG_ORDER0) {
				if (dmirror(fd, HMM_DMIRROR_FLAGS, NULL, NULL,
					    flag | HMM_DMIRROR_FLAG_NO_READBACK, &cmd) ||
				    thp_round(fd, MTHP_MIB, flag ? "order0" : "compound", kib))
					return 1;
			}
	}
	/* As the kernel booted: PMD-sized THPs only. */
	for (other = 16; other < pmd_kib; other *= 2)
		knob_set(other, "never");
	knob_set(pmd_kib, "inherit");
	close(fd);
	return 0;
}
#else
static int mthp_bench(void)
{
	printf("devmem-mthp: not supported by this kernel's test_hmm\n");
	return 0;
}
#endif
#else
static int thp_bench(void)
{
	printf("devmem-thp: not supported by this kernel's test_hmm\n");
	return 0;
}

static int mthp_bench(void)
{
	return 0;
}
#endif

int main(int argc, char **argv)
{
	const char *params = argc > 1 ? argv[1] : "";
	int fd = open("/lib/devmem_bench.ko", O_RDONLY | O_CLOEXEC);
	int round, status;
	pid_t pid;

	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0)) {
		printf("devmem-bench: FAIL: loading devmem_bench.ko: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	for (round = 1; round <= BENCH_ROUNDS; round++) {
		printf("devmem-bench: migration round %d of %d\n", round, BENCH_ROUNDS);
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			execl("/bin/devmem-demo", "devmem-demo", "64", (char *)NULL);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			return 1;
	}
	return thp_bench() || mthp_bench();
}
