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
	double t0, t_fill, t_to_dev, t_back, t_verify;
	unsigned long on_device = 0;
	unsigned char *snap;
	uint64_t *buf, *mirror;
	char touched = 0;
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

	/* The driver copies what it migrated here, for checking: not into buf. */
	mirror = malloc(size);
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

	/* Where the pages are now, as the device's page table sees them. */
	snap = malloc(npages);
	if (!snap || dmirror(fd, HMM_DMIRROR_SNAPSHOT, buf, snap, npages, &cmd)) {
		printf("devmem-demo: FAIL: snapshot: %s\n", strerror(errno));
		return 1;
	}
	for (i = 0; i < npages; i++)
		on_device += snap[i] == (HMM_DMIRROR_PROT_DEV_PRIVATE_LOCAL | HMM_DMIRROR_PROT_WRITE);
	if (on_device != npages)
		printf("devmem-demo: snapshot of page 0: %#x, page %lu: %#x\n", snap[0],
		       npages - 1, snap[npages - 1]);

	/* A CPU access to each page faults it back from device-private memory. */
	t0 = now();
	for (i = 0; i < npages; i++)
		touched += *(volatile char *)((char *)buf + i * psz);
	t_back = now() - t0;

	t0 = now();
	for (i = 0; i < size / sizeof(*buf); i++)
		if (buf[i] != i * 0x9e3779b97f4a7c15ull ||
		    mirror[i] != i * 0x9e3779b97f4a7c15ull)
			bad++;
	t_verify = now() - t0;

	printf("devmem-demo: buffer            %lu MiB (%lu pages of %ld bytes)\n", mib, npages, psz);
	printf("devmem-demo: fill              %8.3f s\n", t_fill);
	printf("devmem-demo: migrate to device %8.3f s  %8.1f MiB/s\n", t_to_dev, mib / t_to_dev);
	printf("devmem-demo: on the device     %lu of %lu pages (device-private, writable)\n",
	       on_device, npages);
	printf("devmem-demo: CPU faults back   %8.3f s  %8.1f MiB/s\n", t_back, mib / t_back);
	printf("devmem-demo: verify            %8.3f s  %s (%lu bad words)\n", t_verify,
	       bad ? "FAIL" : "ok", bad);
	(void)touched;
	grep_file("/proc/iomem", "hmm_dmirror", "  /proc/iomem after: ");
	munmap(buf, size);
	close(fd);
	return bad || on_device != npages ? 1 : 0;
}
