// SPDX-License-Identifier: GPL-2.0
/*
 * What the descriptor table costs in vmalloc space, read from the running
 * kernel: its area in /proc/vmallocinfo (reserved by the first
 * devmem_register()) and VmallocUsed in /proc/meminfo.
 *
 *   devmem-table none   the kernel registered no device-private memory
 *                       (booted with initcall_blacklist=hmm_dmirror_init):
 *                       the table must have no area
 *   devmem-table SIZE   test_hmm.large_devmem=SIZE registered SIZE at boot:
 *                       the table must have its area
 *
 * Prints TAP, one case, and the kselftest totals line the host parses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long table_area(void)
{
	FILE *f = fopen("/proc/vmallocinfo", "r");
	unsigned long long size = 0, s;
	char line[512];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "memdesc_table_reserve") &&
		    sscanf(line, "%*s %llu", &s) == 1)
			size += s;
	fclose(f);
	return size;
}

static unsigned long long meminfo_kib(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	unsigned long long val = 0;
	char line[256];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) &&
		    sscanf(line + strlen(key), ": %llu", &val) == 1)
			break;
	fclose(f);
	return val;
}

int main(int argc, char **argv)
{
	const char *want = argc > 1 ? argv[1] : "none";
	unsigned long long area = table_area();
	int ok = !strcmp(want, "none") ? area == 0 : area != 0;

	printf("TAP version 13\n1..1\n");
	printf("# registered: %s; table area: %llu bytes (%llu GiB); VmallocUsed: %llu kB; VmallocTotal: %llu kB\n",
	       want, area, area >> 30, meminfo_kib("VmallocUsed"), meminfo_kib("VmallocTotal"));
	printf("%s 1 table_area_%s\n", ok ? "ok" : "not ok",
	       !strcmp(want, "none") ? "none_without_registration" : "after_registration");
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n", ok, !ok);
	return !ok;
}
