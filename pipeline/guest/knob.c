// SPDX-License-Identifier: GPL-2.0
/*
 * knob PATH VALUE: write VALUE to a sysfs or procfs file between two test
 * programs of a guest run (make test: the mm migration selftests again with
 * 64 KiB mTHPs and no PMD-sized THPs).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: knob PATH VALUE\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0 || write(fd, argv[2], strlen(argv[2])) < 0) {
		perror(argv[1]);
		return 1;
	}
	close(fd);
	printf("knob: %s = %s\n", argv[1], argv[2]);
	return 0;
}
