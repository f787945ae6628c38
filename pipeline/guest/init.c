// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of the test guests: mount what the tests need, load test_hmm if it
 * is a module (so that the stress run can unload it), run the programs
 * named on the kernel command line after "--" (one after the other, "+"
 * between them), dump the kernel log between markers so the host can look
 * for warnings, and power off.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void mount_fs(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		fprintf(stderr, "init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

static void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		fprintf(stderr, "init: write %s: %s\n", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/*
 * Load /lib/NAME.ko, if the initramfs has it, with the "NAME.param=value"
 * words of the kernel command line, as modprobe would: the kernel hands
 * those only to built-in code.  Only test_hmm: the programs load their own
 * modules (devmem_bench.ko).
 */
static void load_module(const char *name)
{
	static char cmdline[4096], params[4096];
	size_t n, len = 0, nlen = strlen(name);
	char path[128], *word, *save = NULL;
	int fd;

	snprintf(path, sizeof(path), "/lib/%s.ko", name);
	if (access(path, R_OK))
		return;
	fd = open("/proc/cmdline", O_RDONLY);
	n = fd < 0 ? 0 : read(fd, cmdline, sizeof(cmdline) - 1);
	cmdline[n > 0 && n < sizeof(cmdline) ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
	params[0] = 0;
	for (word = strtok_r(cmdline, " \n", &save); word; word = strtok_r(NULL, " \n", &save)) {
		if (!strcmp(word, "--"))
			break;
		if (strncmp(word, name, nlen) || word[nlen] != '.')
			continue;
		len += snprintf(params + len, sizeof(params) - len, "%s%s", len ? " " : "",
				word + nlen + 1);
		if (len >= sizeof(params))
			return;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0))
		fprintf(stderr, "init: loading %s: %s\n", path, strerror(errno));
	else
		printf("DEVMEM-GUEST-MODULE: %s %s\n", name, params);
	if (fd >= 0)
		close(fd);
	fflush(stdout);
}

/*
 * The descriptor table's vmalloc area, if any: none until the first
 * device-private registration, so a reviewer can see what it costs.
 */
static void report_table_area(const char *when)
{
	FILE *f = fopen("/proc/vmallocinfo", "r");
	char line[512];
	int found = 0;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strstr(line, "memdesc_table_reserve"))
			continue;
		printf("DEVMEM-TABLE-AREA %s: %s", when, line);
		found = 1;
	}
	if (!found)
		printf("DEVMEM-TABLE-AREA %s: none\n", when);
	fclose(f);
	fflush(stdout);
}

static void dump_kernel_log(void)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf;

	if (len <= 0)
		return;
	buf = malloc(len);
	if (!buf)
		return;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	printf("DEVMEM-KMSG-BEGIN\n");
	fflush(stdout);
	if (len > 0)
		fwrite(buf, 1, len, stdout);
	printf("\nDEVMEM-KMSG-END\n");
	fflush(stdout);
	free(buf);
}

/* One program: its exit status, 128 + the signal that killed it. */
static int run_one(char **argv)
{
	int status = 0;
	pid_t pid;

	printf("DEVMEM-GUEST-RUN: %s\n", argv[0]);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execv(argv[0], argv);
		fprintf(stderr, "init: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* "prog args + prog args ...": all of them; the first failure's status. */
static int run_programs(char **argv)
{
	int status = 0, ret;
	char **next;

	while (*argv) {
		for (next = argv; *next && strcmp(*next, "+"); next++)
			;
		if (*next)
			*next++ = NULL;
		if (*argv) {
			ret = run_one(argv);
			if (!status)
				status = ret;
		}
		argv = next;
	}
	return status;
}

int main(int argc, char **argv)
{
	int status;

	mount_fs("proc", "/proc", "proc");
	mount_fs("sysfs", "/sys", "sysfs");
	mount_fs("devtmpfs", "/dev", "devtmpfs");
	mount_fs("debugfs", "/sys/kernel/debug", "debugfs");
	mount_fs("tmpfs", "/tmp", "tmpfs");
	/* For hmm-tests' memcg case, on kernels with cgroups. */
	if (!access("/sys/fs/cgroup", F_OK))
		mount_fs("cgroup2", "/sys/fs/cgroup", "cgroup2");
	/* hmm-tests' hugetlbfs case needs a few huge pages to allocate from. */
	write_file("/proc/sys/vm/nr_hugepages", "8");
	setenv("PATH", "/bin", 1);
	load_module("test_hmm");

	if (argc < 2) {
		fprintf(stderr, "init: no program named after '--' on the command line\n");
		status = 127 << 8;
	} else {
		report_table_area("before");
		status = run_programs(argv + 1);
	}
	printf("DEVMEM-GUEST-EXIT: %d\n", status);
	fflush(stdout);
	report_table_area("after");
	dump_kernel_log();
	sync();
	reboot(RB_AUTOBOOT);	/* QEMU runs with -no-reboot: this ends it */
	return 0;
}
