// SPDX-License-Identifier: GPL-2.0
/*
 * The demonstration scenario, run as the guest's only program: migrate an
 * anonymous buffer to lib/test_hmm's device-private memory and back, check
 * every byte, and report what device-private memory cost the kernel.
 *
 *   devmem-demo [MiB]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <lib/test_hmm_uapi.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Print the lines of a file that contain @needle, prefixed. */
static void grep_file(const char *path, const char *needle, const char *prefix)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, needle))
			printf("%s%s", prefix, line);
	fclose(f);
}

static int dmirror(int fd, unsigned long req, void *addr, void *ptr,
		   unsigned long npages, struct hmm_dmirror_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->addr = (uintptr_t)addr;
	cmd->ptr = (uintptr_t)ptr;
	cmd->npages = npages;
	return ioctl(fd, req, cmd) ? -errno : 0;
}

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	unsigned long size = mib << 20, npages, i, bad = 0;
	long psz = sysconf(_SC_PAGESIZE);
	struct hmm_dmirror_cmd cmd;
	double t0, t_fill, t_to_dev, t_back;
	uint64_t *buf;
	int fd, ret;

	npages = size / psz;
	printf("devmem-demo: kernel device-private state after boot:\n");
	grep_file("/proc/iomem", "hmm_dmirror", "  /proc/iomem: ");
	grep_file("/proc/meminfo", "MemTotal", "  ");

	fd = open("/dev/hmm_dmirror0", O_RDWR);
	if (fd < 0) {
		printf("devmem-demo: FAIL: open /dev/hmm_dmirror0: %s\n", strerror(errno));
		return 1;
	}
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		printf("devmem-demo: FAIL: mmap %lu MiB: %s\n", mib, strerror(errno));
		return 1;
	}

	t0 = now();
	for (i = 0; i < size / sizeof(*buf); i++)
		buf[i] = i * 0x9e3779b97f4a7c15ull;
	t_fill = now() - t0;

	t0 = now();
	ret = dmirror(fd, HMM_DMIRROR_MIGRATE_TO_DEV, buf, buf, npages, &cmd);
	t_to_dev = now() - t0;
	if (ret || cmd.cpages != npages) {
		printf("devmem-demo: FAIL: migrate to device: %s, %llu of %lu pages\n",
		       strerror(-ret), (unsigned long long)cmd.cpages, npages);
		return 1;
	}

	/* CPU access faults every page back from device-private memory. */
	t0 = now();
	for (i = 0; i < size / sizeof(*buf); i++)
		if (buf[i] != i * 0x9e3779b97f4a7c15ull)
			bad++;
	t_back = now() - t0;

	printf("devmem-demo: buffer            %lu MiB (%lu pages of %ld bytes)\n", mib, npages, psz);
	printf("devmem-demo: fill              %8.3f s\n", t_fill);
	printf("devmem-demo: migrate to device %8.3f s  %8.1f MiB/s\n", t_to_dev, mib / t_to_dev);
	printf("devmem-demo: fault back+verify %8.3f s  %8.1f MiB/s\n", t_back, mib / t_back);
	printf("devmem-demo: verify            %s (%lu bad words)\n", bad ? "FAIL" : "ok", bad);
	grep_file("/proc/iomem", "hmm_dmirror", "  /proc/iomem after: ");
	munmap(buf, size);
	close(fd);
	return bad ? 1 : 0;
}
