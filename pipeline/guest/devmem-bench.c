// SPDX-License-Identifier: GPL-2.0
/*
 * The guest side of make bench: load the benchmark module (its results go
 * to the kernel log, which init dumps), then time migration with the demo,
 * BENCH_ROUNDS times: the table takes the median of the rounds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define BENCH_ROUNDS 5

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
	return 0;
}
