// SPDX-License-Identifier: GPL-2.0
/*
 * Randomised stress of device-private memory through lib/test_hmm, run as
 * the guest's only program:
 *
 *   devmem-stress SECONDS SEED [THREADS [nofaults]]
 *
 * THREADS workers (2 per online CPU by default) pick operations at random,
 * from a PRNG seeded from SEED and their index, on ranges of a few shared
 * anonymous regions (PMD THP, mTHP and order-0 ones): migrations to and from
 * /dev/hmm_dmirror0 and 1, CPU and device reads and writes, snapshots,
 * fork, munmap, mremap, mprotect, madvise, mbind, userfaultfd write
 * protection, MADV_COLLAPSE and device memory release.  Every page holds a
 * pattern of (block id, generation) and every read is checked against it.
 * At the end everything comes back from the devices, every byte is checked,
 * and counters that must return to their baseline once the regions are
 * unmapped and the device memory released are compared.
 *
 * Locking, so that a check is exact: a rwlock per region, taken shared by
 * operations that do not change data (migrations among them, so that CPU
 * faults race them) and exclusively by those that replace data or mappings;
 * a mutex per page between CPU readers and writers under the shared lock;
 * a global rwlock taken exclusively only to release device memory.
 *
 * Errnos that count as "refused", not as failures: EBUSY, EAGAIN, ENOMEM and
 * EFAULT from migrations (pages busy, raced or out of device memory); EBUSY
 * and ENOMEM from device reads, writes and snapshots (hmm_range_fault() gave
 * up under invalidations); ENOMEM and EAGAIN from mmap-family calls; EFAULT
 * and ENOMEM from anything once a fault injection burst has run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <linux/userfaultfd.h>

#include "dmirror.h"

#ifndef HMM_DMIRROR_FLAG_NO_READBACK
/*
 * The stock tree's test_hmm has none of the knobs this program drives
 * (migration without readback, whole or order-0 folios), nor have the
 * series' commits before the last of them: it still builds, so that those
 * guests get their other programs, and says so.
 */
int main(void)
{
	printf("DEVMEM-STRESS result: FAIL (this tree's test_hmm has no HMM_DMIRROR_FLAG_NO_READBACK)\n");
	return 1;
}
#else

#ifndef MADV_COLD
#define MADV_COLD	20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT	21
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif
#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#define MPOL_DEFAULT	0
#define MPOL_BIND	2
#define MPOL_MF_MOVE	(1 << 1)
#define PM_UFFD_WP	(1ULL << 57)
#define PM_SWAP		(1ULL << 62)
#define PM_PRESENT	(1ULL << 63)

#define THP		"/sys/kernel/mm/transparent_hugepage"
#define CG		"/sys/fs/cgroup"
#define DBG		"/sys/kernel/debug"
#define NREGIONS	8
#define RING		16
#define MAX_THREADS	32
#define STACK_SIZE	(256UL << 10)
#define FI_TIMES	1000000		/* as fi_setup() writes it */
#define MEMCG_SLACK	16
#define CHILD_GEN	0x80000000u	/* fork children's own data */
#define E(x)		(1ULL << (x))
#define ERR_MIGRATE	(E(EBUSY) | E(EAGAIN) | E(ENOMEM) | E(EFAULT))
#define ERR_MIRROR	(E(EBUSY) | E(ENOMEM))
#define ERR_VM		(E(ENOMEM) | E(EAGAIN))

enum { R_DONE, R_REFUSED, R_SKIPPED, R_FAILED, R_RUNNING };
enum { L_SHARED, L_EXCL, L_GLOBAL, L_NONE };
enum { K_THP, K_MTHP, K_SMALL };

enum {
	OP_MIG_DEV, OP_MIG_VERIFY, OP_MIG_SYS, OP_CPU_READ, OP_CPU_WRITE,
	OP_DEV_READ, OP_DEV_WRITE, OP_SNAPSHOT, OP_PROCFS, OP_FORK, OP_MUNMAP,
	OP_MREMAP, OP_MPROTECT, OP_DONTNEED, OP_FREE, OP_COLD, OP_PAGEOUT,
	OP_MBIND, OP_UFFD_WP, OP_COLLAPSE, OP_FLAGS, OP_EVICT, OP_UNLOAD,
	NR_OPS
};

struct region {
	pthread_rwlock_t lock;
	char *addr;
	unsigned long len;		/* bytes */
	unsigned long first;		/* its first block */
	int kind;
};

/* A page's worth of data: what it must hold. */
struct block {
	pthread_mutex_t mu;
	uint32_t gen;			/* 0: zeros */
	uint8_t maybe_zero;		/* MADV_FREE'd, not rewritten since */
};

struct ring_ent {
	uint8_t op, region, err;
	int8_t res, dev;
	uint32_t first, n;
};

struct worker {
	pthread_t thread;
	int id, err;
	uint64_t rng;
	char *buf;			/* bounce buffer for the device */
	struct ring_ent *cur;
	unsigned int pos;
	struct ring_ent ring[RING];
};

typedef int (*op_fn)(struct worker *w, struct region *r, unsigned long first, unsigned long n);
struct op_desc {
	const char *name;
	op_fn fn;
	int lock, weight;
};
static const struct op_desc ops[NR_OPS];

static unsigned long psz, pmd_size, big, seed;
static unsigned int nregions, nworkers, seconds;
static struct region regions[NREGIONS];
static struct block *blocks;
static unsigned long nblocks, bufsize;
static char *reserve;
static unsigned long reserve_len;
static int devfd[2] = { -1, -1 }, uffd = -1, dontunmap_ok = 1, fi_dirs, injected, no_faults;
static volatile int stop;
static struct worker workers[MAX_THREADS];
static unsigned long stats[NR_OPS][3];
static unsigned long long bytes_verified;
static unsigned long mismatches, failures, bursts, whole[2];	/* large folios moved whole */
static unsigned long mthp_kb;		/* the mTHP regions' folio size, 0: none */
static pthread_rwlock_t glock, devlock[2];
static unsigned long devflags[2];	/* HMM_DMIRROR_FLAG_*, bar NO_READBACK */
static pthread_mutex_t vm_mu = PTHREAD_MUTEX_INITIALIZER;
static __thread struct worker *self;
static const char *const res_name[] = { "done", "refused", "skipped", "FAILED", "running" };
static const char *const kind_name[] = { "thp", "mthp", "small" };

/* One line in one write(): workers, fork children and signal handlers print. */
static void emit(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	if (write(1, buf, n) < 0)
		return;
}

static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dULL;
}

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

static char keybuf[16384];	/* main thread only */

/*
 * The number after "@key" and a ':' or ' ' in a file of such lines, the
 * file's only number if @key is "", or -1.
 */
static long file_key(const char *path, const char *key)
{
	size_t len = strlen(key);
	char *buf = keybuf, *p;

	if (read_str(path, buf, sizeof(keybuf)) < 0)
		return -1;
	if (!len)
		return strtol(buf, NULL, 10);
	for (p = buf; p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, len) && (p[len] == ':' || p[len] == ' '))
			return strtol(p + len + 1, NULL, 10);
	return -1;
}

/* ---- patterns and checks ---- */

static uint64_t pat_seed(unsigned long id, uint32_t gen)
{
	uint64_t x = ((uint64_t)id << 32 | gen) * 0x9e3779b97f4a7c15ULL;

	return x ^ (x >> 31);
}

static uint64_t pat_word(uint64_t s, uint32_t gen, unsigned long k)
{
	return gen ? s ^ ((k + 1) * 0xd6e8feb86659fd93ULL) : 0;
}

static void fill_page(void *p, unsigned long id, uint32_t gen)
{
	uint64_t *q = p, s = pat_seed(id, gen);
	unsigned long k;

	for (k = 0; k < psz / 8; k++)
		q[k] = pat_word(s, gen, k);
}

/* The first word of @p that is not block @id's at @gen, or -1. */
static long page_diff(const void *p, unsigned long id, uint32_t gen)
{
	const uint64_t *q = p;
	uint64_t s = pat_seed(id, gen);
	unsigned long k;

	for (k = 0; k < psz / 8; k++)
		if (q[k] != pat_word(s, gen, k))
			return k;
	return -1;
}

static void dump_rings(void)
{
	unsigned int t, j;

	emit("devmem-stress: seed=%lu; the last %d operations of each thread, oldest first:\n",
	     seed, RING);
	for (t = 0; t < nworkers; t++) {
		struct worker *w = &workers[t];

		for (j = 0; j < RING; j++) {
			struct ring_ent *e = &w->ring[(w->pos + j) % RING];

			if (!e->n)
				continue;
			emit("devmem-stress:   t%u %-14s region=%u pages=[%u,+%u) dev=%d %s%s%s\n",
			     t, ops[e->op].name, e->region, e->first, e->n, e->dev,
			     res_name[e->res], e->err ? " " : "", e->err ? strerror(e->err) : "");
		}
	}
}

static void fail(struct worker *w, int op, const char *fmt, ...)
{
	unsigned long nr = __atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emit("devmem-stress: FAILURE seed=%lu thread=%d op=%s: %s\n", seed, w ? w->id : -1,
	     ops[op].name, msg);
	if (nr <= 3)
		dump_rings();
}

/*
 * Check page @i of @r, as read at @p (the page itself or a device copy of
 * it): 1 if it holds what the page must hold.
 */
static int check(struct worker *w, int op, struct region *r, unsigned long i, const void *p,
		 const char *how)
{
	struct block *b = &blocks[r->first + i];
	const uint64_t *q = p;
	unsigned long nr;
	long k;

	__atomic_add_fetch(&bytes_verified, psz, __ATOMIC_RELAXED);
	k = page_diff(p, r->first + i, b->gen);
	if (k < 0 || (b->maybe_zero && page_diff(p, 0, 0) < 0))
		return 1;
	nr = __atomic_add_fetch(&mismatches, 1, __ATOMIC_RELAXED);
	if (nr > 20)
		return 0;
	emit("devmem-stress: MISMATCH seed=%lu thread=%d op=%s read=%s region=%ld(%s) page=%lu offset=%#lx addr=%p gen=%u%s expected=%#018llx actual=%#018llx\n",
	     seed, w->id, ops[op].name, how, (long)(r - regions), kind_name[r->kind], i,
	     (unsigned long)k * 8, r->addr + i * psz + k * 8, b->gen,
	     b->maybe_zero ? " (or zeros)" : "",
	     (unsigned long long)pat_word(pat_seed(r->first + i, b->gen), b->gen, k),
	     (unsigned long long)q[k]);
	if (nr <= 3)
		dump_rings();
	return 0;
}

static uint32_t next_gen(uint32_t gen)
{
	return gen % (CHILD_GEN - 1) + 1;
}

/* New data for page @i; the caller holds the page's mutex or the region. */
static void write_block(struct region *r, unsigned long i)
{
	struct block *b = &blocks[r->first + i];

	b->gen = next_gen(b->gen);
	b->maybe_zero = 0;
	fill_page(r->addr + i * psz, r->first + i, b->gen);
}

static void cpu_read(struct worker *w, int op, struct region *r, unsigned long first,
		     unsigned long n, const char *how)
{
	unsigned long i;

	for (i = first; i < first + n; i++) {
		pthread_mutex_lock(&blocks[r->first + i].mu);
		check(w, op, r, i, r->addr + i * psz, how);
		pthread_mutex_unlock(&blocks[r->first + i].mu);
	}
}

/* The data is gone: it must read as zeros, then gets a new generation. */
static void zero_and_refill(struct worker *w, int op, struct region *r, unsigned long first,
			    unsigned long n)
{
	unsigned long i;

	for (i = first; i < first + n; i++) {
		blocks[r->first + i].gen = 0;
		blocks[r->first + i].maybe_zero = 0;
		check(w, op, r, i, r->addr + i * psz, "zeros");
		write_block(r, i);
	}
}

/* ---- outcome of a call ---- */

/*
 * Opening a /proc file under injection: procfs answers a failed inode
 * allocation with ENOENT (proc_pident_instantiate()).
 */
static uint64_t proc_open_errs(void)
{
	return ERR_VM | (injected ? E(ENOENT) : 0);
}

static int outcome(struct worker *w, int op, int err, uint64_t allowed, const char *what)
{
	if (!err)
		return R_DONE;
	w->err = err;
	if ((err < 64 && (allowed & E(err))) ||
	    (injected && (err == EFAULT || err == ENOMEM)))
		return R_REFUSED;
	fail(w, op, "%s: unexpected %s", what, strerror(err));
	return R_FAILED;
}

static int pick_dev(struct worker *w)
{
	int dev = rnd(w) & 1;

	w->cur->dev = dev;
	return dev;
}

static int mirror(struct worker *w, int op, int dev, unsigned long req, struct region *r,
		  unsigned long first, unsigned long n, uint64_t allowed, const char *what)
{
	struct hmm_dmirror_cmd cmd;

	return outcome(w, op, -dmirror(devfd[dev], req, r->addr + first * psz, w->buf, n, &cmd),
		       allowed, what);
}

/* devlock: migrate-verify turns the readback on for a while. */
static int migrate_at(struct worker *w, int op, int dev, int to_dev, char *addr, unsigned long n)
{
	unsigned long req = to_dev ? HMM_DMIRROR_MIGRATE_TO_DEV : HMM_DMIRROR_MIGRATE_TO_SYS;
	struct hmm_dmirror_cmd cmd;
	int err;

	pthread_rwlock_rdlock(&devlock[dev]);
	err = -dmirror(devfd[dev], req, addr, w->buf, n, &cmd);
	pthread_rwlock_unlock(&devlock[dev]);
	if (!err)
		__atomic_add_fetch(&whole[to_dev], cmd.faults, __ATOMIC_RELAXED);
	return outcome(w, op, err, ERR_MIGRATE, to_dev ? "MIGRATE_TO_DEV" : "MIGRATE_TO_SYS");
}

static int migrate(struct worker *w, int op, int dev, int to_dev, struct region *r,
		   unsigned long first, unsigned long n)
{
	return migrate_at(w, op, dev, to_dev, r->addr + first * psz, n);
}

/*
 * test_hmm's READ and WRITE fault the pages they miss in their mirror with
 * hmm_range_fault(), which reports the device's own pages as they are, and
 * then copy from such a device-private page itself instead of its backing
 * page: an oops (in 6.12 as in the patched kernel) as soon as the range has
 * a page on this device after one not in the mirror.  So before the device
 * reads or writes, the range leaves it, and is checked to have left it.
 */
static int leave_dev(struct worker *w, int op, int dev, struct region *r, unsigned long first,
		     unsigned long n)
{
	unsigned long i;
	int res = migrate(w, op, dev, 0, r, first, n);

	if (res == R_DONE)
		res = mirror(w, op, dev, HMM_DMIRROR_SNAPSHOT, r, first, n, ERR_MIRROR,
			     "SNAPSHOT");
	for (i = 0; res == R_DONE && i < n; i++)
		if ((w->buf[i] & 0xf0) == HMM_DMIRROR_PROT_DEV_PRIVATE_LOCAL) {
			w->err = EBUSY;
			res = R_REFUSED;
		}
	return res;
}

/* Device read of the range, every page checked; the caller holds the region. */
static int dev_read(struct worker *w, int op, int dev, struct region *r, unsigned long first,
		    unsigned long n)
{
	unsigned long i;
	int res = leave_dev(w, op, dev, r, first, n);

	if (res != R_DONE)
		return res;
	res = mirror(w, op, dev, HMM_DMIRROR_READ, r, first, n, ERR_MIRROR, "READ");
	if (res != R_DONE)
		return res;
	for (i = 0; i < n; i++)
		check(w, op, r, first + i, w->buf + i * psz, dev ? "device1" : "device0");
	return R_DONE;
}

/* ---- operations ---- */

/*
 * The file's flags have HMM_DMIRROR_FLAG_NO_READBACK: test_hmm reads the
 * data back through its mirror, which a racing CPU fault invalidates
 * without its lock; migrate-verify reads it back with the region held.
 */
static int op_mig_dev(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	return migrate(w, OP_MIG_DEV, pick_dev(w), 1, r, first, n);
}

static int set_flags(int dev, unsigned long flags)
{
	struct hmm_dmirror_cmd cmd = { .npages = flags };

	return ioctl(devfd[dev], HMM_DMIRROR_FLAGS, &cmd) ? errno : 0;
}

/*
 * With its readback, which reads the device's copy from the mirror and fails
 * (ENOENT) for a page not on the device; the region is held, so no CPU fault
 * takes a page away under it.  From the other device first: the readback
 * would miss its pages.
 */
static int op_mig_verify(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	int dev = pick_dev(w), res = migrate(w, OP_MIG_VERIFY, !dev, 0, r, first, n);
	unsigned long i;

	if (res != R_DONE)
		return res;
	pthread_rwlock_wrlock(&devlock[dev]);
	set_flags(dev, devflags[dev]);
	res = mirror(w, OP_MIG_VERIFY, dev, HMM_DMIRROR_MIGRATE_TO_DEV, r, first, n,
		     ERR_MIGRATE | E(ENOENT), "MIGRATE_TO_DEV");
	set_flags(dev, devflags[dev] | HMM_DMIRROR_FLAG_NO_READBACK);
	pthread_rwlock_unlock(&devlock[dev]);
	for (i = 0; res == R_DONE && i < n; i++)
		check(w, OP_MIG_VERIFY, r, first + i, w->buf + i * psz, dev ? "device1" : "device0");
	return res;
}

static int op_mig_sys(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	return migrate(w, OP_MIG_SYS, pick_dev(w), 0, r, first, n);
}

static int op_cpu_read(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	cpu_read(w, OP_CPU_READ, r, first, n, "cpu");
	return R_DONE;
}

static int op_cpu_write(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	unsigned long i;

	(void)w;
	for (i = first; i < first + n; i++) {
		pthread_mutex_lock(&blocks[r->first + i].mu);
		write_block(r, i);
		pthread_mutex_unlock(&blocks[r->first + i].mu);
	}
	return R_DONE;
}

static int op_dev_read(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	return dev_read(w, OP_DEV_READ, pick_dev(w), r, first, n);
}

/*
 * test_hmm writes through its mirror without dirtying the page: a page left
 * clean by MADV_FREE could then be discarded with the device's data in it.
 * Such pages are rewritten by the CPU first, as a driver would dirty them.
 * After a failed write each page holds the old or the new data.
 */
static int op_dev_write(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	struct hmm_dmirror_cmd cmd;
	int dev = pick_dev(w), res = leave_dev(w, OP_DEV_WRITE, dev, r, first, n);
	unsigned long i;

	if (res != R_DONE)
		return res;
	for (i = first; i < first + n; i++) {
		if (blocks[r->first + i].maybe_zero)
			write_block(r, i);
		fill_page(w->buf + (i - first) * psz, r->first + i,
			  next_gen(blocks[r->first + i].gen));
	}
	res = outcome(w, OP_DEV_WRITE, -dmirror(devfd[dev], HMM_DMIRROR_WRITE,
						r->addr + first * psz, w->buf, n, &cmd),
		      ERR_MIRROR, "WRITE");
	for (i = first; i < first + n; i++) {
		struct block *b = &blocks[r->first + i];
		uint32_t old = b->gen;

		b->gen = next_gen(old);
		if (res != R_DONE && page_diff(r->addr + i * psz, r->first + i, b->gen) >= 0)
			b->gen = old;
		check(w, OP_DEV_WRITE, r, i, r->addr + i * psz, "after-device-write");
	}
	return res;
}

static int op_snapshot(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	int res = mirror(w, OP_SNAPSHOT, pick_dev(w), HMM_DMIRROR_SNAPSHOT, r, first, n,
			 ERR_MIRROR, "SNAPSHOT");
	unsigned long i;

	for (i = 0; res == R_DONE && i < n; i++)
		if ((unsigned char)w->buf[i] == HMM_DMIRROR_PROT_ERROR)
			fail(w, OP_SNAPSHOT, "page %lu of region %ld: error entry", first + i,
			     (long)(r - regions));
	return res;
}

/* Every page that holds data is present or a swap-type (device) entry. */
static int pagemap_check(struct worker *w, int op, struct region *r, unsigned long first,
			 unsigned long n, uint64_t need)
{
	uint64_t *pm = (uint64_t *)w->buf;
	unsigned long i;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ssize_t got;

	if (fd < 0)
		return outcome(w, op, errno, proc_open_errs(), "open pagemap");
	got = pread(fd, pm, n * 8, (uintptr_t)(r->addr + first * psz) / psz * 8);
	close(fd);
	if (got != (ssize_t)(n * 8))
		return outcome(w, op, got < 0 ? errno : EIO, ERR_VM, "read pagemap");
	for (i = 0; i < n; i++) {
		if (blocks[r->first + first + i].maybe_zero)
			continue;
		if (!(pm[i] & (PM_PRESENT | PM_SWAP)) || (pm[i] & need) != need ||
		    (pm[i] & PM_PRESENT && pm[i] & PM_SWAP))
			fail(w, op, "pagemap of page %lu of region %ld: %#llx", first + i,
			     (long)(r - regions), (unsigned long long)pm[i]);
	}
	return R_DONE;
}

static int op_procfs(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	int res = pagemap_check(w, OP_PROCFS, r, first, n, 0), fd;

	if (res != R_DONE || rnd(w) % 4)
		return res;
	/* smaps walks every VMA, device entries included. */
	fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return outcome(w, OP_PROCFS, errno, proc_open_errs(), "open smaps");
	while (read(fd, w->buf, bufsize) > 0)
		;
	close(fd);
	return R_DONE;
}

/* The child checks what it saw at fork(), then writes its own copy. */
static void fork_child(struct worker *w, struct region *r, unsigned long first, unsigned long n,
		       int nap)
{
	unsigned long i, before = mismatches, bad;

	if (nap)
		usleep(1000 + rnd(w) % 20000);
	for (i = first; i < first + n; i++)
		check(w, OP_FORK, r, i, r->addr + i * psz, "fork-child");
	for (i = first; i < first + n; i++) {
		blocks[r->first + i].gen = CHILD_GEN | next_gen(blocks[r->first + i].gen);
		blocks[r->first + i].maybe_zero = 0;
		fill_page(r->addr + i * psz, r->first + i, blocks[r->first + i].gen);
	}
	for (i = first; i < first + n; i++)
		check(w, OP_FORK, r, i, r->addr + i * psz, "fork-child-copy");
	bad = mismatches - before;
	_exit(bad > 100 ? 100 : bad);
}

/* Takes its own locks: the page mutexes only around fork(). */
static int op_fork(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	int nap = rnd(w) & 1, status;
	unsigned long i;
	pid_t pid;

	n = n > 16 ? 16 : n;
	w->cur->n = n;
	pthread_rwlock_rdlock(&r->lock);
	for (i = first; i < first + n; i++)
		pthread_mutex_lock(&blocks[r->first + i].mu);
	pid = fork();
	if (!pid)
		fork_child(w, r, first, n, nap);
	for (i = first; i < first + n; i++)
		pthread_mutex_unlock(&blocks[r->first + i].mu);
	pthread_rwlock_unlock(&r->lock);
	if (pid < 0)
		return outcome(w, OP_FORK, errno, ERR_VM, "fork");
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) <= 100)
		__atomic_add_fetch(&mismatches, WEXITSTATUS(status), __ATOMIC_RELAXED);
	else
		fail(w, OP_FORK, "child died: status %#x", status);
	/* The child's writes must not show here. */
	pthread_rwlock_rdlock(&r->lock);
	cpu_read(w, OP_FORK, r, first, n, "fork-parent");
	pthread_rwlock_unlock(&r->lock);
	return R_DONE;
}

/* mTHP regions are placed so that no PMD fits in them: see map_regions(). */
static void advise(struct region *r, char *addr, unsigned long len)
{
	madvise(addr, len, r->kind == K_SMALL ? MADV_NOHUGEPAGE : MADV_HUGEPAGE);
}

static void fatal(const char *what)
{
	emit("devmem-stress: FATAL: %s: %s\n", what, strerror(errno));
	dump_rings();
	emit("DEVMEM-STRESS result: FAIL (%s)\n", what);
	_exit(1);
}

/* A call that puts a mapping back failed: only injected failures may pass. */
static void retry(const char *what, int *tries)
{
	if ((errno != ENOMEM && errno != EAGAIN) || ++*tries > 5000)
		fatal(what);
	usleep(1000);
}

/*
 * vm_mu: while part of a region is unmapped, no other thread maps anything
 * without an address, which could land in the hole.
 */
static int op_munmap(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	char *addr = r->addr + first * psz;
	unsigned long len = n * psz;
	int tries = 0;
	void *p;

	pthread_mutex_lock(&vm_mu);
	if (munmap(addr, len)) {
		pthread_mutex_unlock(&vm_mu);
		return outcome(w, OP_MUNMAP, errno, ERR_VM, "munmap");
	}
	for (;;) {
		p = mmap(addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			 -1, 0);
		if (p != MAP_FAILED)
			break;
		retry("mmap back after munmap", &tries);
	}
	pthread_mutex_unlock(&vm_mu);
	advise(r, addr, len);
	zero_and_refill(w, OP_MUNMAP, r, first, n);
	return R_DONE;
}

/* Half the region away and back, checked at both places. */
static int op_mremap(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	int dontunmap = dontunmap_ok && (rnd(w) & 1), flags = MREMAP_MAYMOVE | MREMAP_FIXED;
	int tries = 0;
	unsigned long i, len, slen, align = pmd_size < big ? big : pmd_size;
	char *src, *dst, *scratch;

	n = r->len / psz / 2;
	first = (rnd(w) & 1) ? n : 0;
	w->cur->first = first;
	w->cur->n = n;
	src = r->addr + first * psz;
	len = n * psz;
	slen = len + 2 * align;
	pthread_mutex_lock(&vm_mu);
	scratch = mmap(NULL, slen, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (scratch == MAP_FAILED) {
		pthread_mutex_unlock(&vm_mu);
		return outcome(w, OP_MREMAP, errno, ERR_VM, "mmap");
	}
	/* As aligned in a PMD as the source, or a page off. */
	dst = (char *)(((uintptr_t)scratch + align - 1) & ~(align - 1)) +
	      (uintptr_t)src % align + (rnd(w) & 1) * psz;
	if (mremap(src, len, len, flags | (dontunmap ? MREMAP_DONTUNMAP : 0), dst) == MAP_FAILED) {
		int err = errno;

		munmap(scratch, slen);
		pthread_mutex_unlock(&vm_mu);
		if (dontunmap && err == EINVAL) {
			dontunmap_ok = 0;
			emit("devmem-stress: MREMAP_DONTUNMAP: not supported\n");
			return R_SKIPPED;
		}
		return outcome(w, OP_MREMAP, err, ERR_VM, "mremap");
	}
	for (i = 0; i < n; i++)
		check(w, OP_MREMAP, r, first + i, dst + i * psz, "moved");
	if (rnd(w) & 1)
		migrate_at(w, OP_MREMAP, pick_dev(w), 1, dst, n);
	for (i = 0; dontunmap && i < n; i++)
		if (page_diff(src + i * psz, 0, 0) >= 0)
			fail(w, OP_MREMAP, "page %lu left behind by MREMAP_DONTUNMAP", first + i);
	while (mremap(dst, len, len, flags, src) == MAP_FAILED)
		retry("mremap back", &tries);
	munmap(scratch, slen);
	pthread_mutex_unlock(&vm_mu);
	for (i = first; i < first + n; i++)
		check(w, OP_MREMAP, r, i, r->addr + i * psz, "moved-back");
	return R_DONE;
}

static int op_mprotect(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	char *addr = r->addr + first * psz;
	int dev = pick_dev(w), tries = 0;

	if (mprotect(addr, n * psz, PROT_READ)) {
		int err = errno;

		/* It may have changed part of the range before it failed. */
		while (mprotect(addr, n * psz, PROT_READ | PROT_WRITE))
			retry("mprotect back after a failed mprotect", &tries);
		return outcome(w, OP_MPROTECT, err, ERR_VM, "mprotect");
	}
	cpu_read(w, OP_MPROTECT, r, first, n, "read-only");
	migrate(w, OP_MPROTECT, dev, 1, r, first, n);
	if (rnd(w) & 1)
		dev_read(w, OP_MPROTECT, dev, r, first, n);
	cpu_read(w, OP_MPROTECT, r, first, n, "read-only-back");
	while (mprotect(addr, n * psz, PROT_READ | PROT_WRITE))
		retry("mprotect back", &tries);
	return R_DONE;
}

static int op_dontneed(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	if (madvise(r->addr + first * psz, n * psz, MADV_DONTNEED))
		return outcome(w, OP_DONTNEED, errno, ERR_VM, "MADV_DONTNEED");
	zero_and_refill(w, OP_DONTNEED, r, first, n);
	return R_DONE;
}

/* The pages then hold their data or zeros, until rewritten (now or later). */
static int op_free(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	int refill = rnd(w) & 1;
	unsigned long i;

	if (madvise(r->addr + first * psz, n * psz, MADV_FREE))
		return errno == EINVAL ? R_SKIPPED :
		       outcome(w, OP_FREE, errno, ERR_VM, "MADV_FREE");
	for (i = first; i < first + n; i++) {
		blocks[r->first + i].maybe_zero = 1;
		if (refill)
			write_block(r, i);
	}
	return R_DONE;
}

static int advise_op(struct worker *w, int op, struct region *r, unsigned long first,
		     unsigned long n, int advice, const char *what)
{
	if (madvise(r->addr + first * psz, n * psz, advice))
		return errno == EINVAL ? R_SKIPPED : outcome(w, op, errno, ERR_VM, what);
	return R_DONE;
}

static int op_cold(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	return advise_op(w, OP_COLD, r, first, n, MADV_COLD, "MADV_COLD");
}

static int op_pageout(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	return advise_op(w, OP_PAGEOUT, r, first, n, MADV_PAGEOUT, "MADV_PAGEOUT");
}

static int op_mbind(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	unsigned long node0 = 1;
	char *addr = r->addr + first * psz;

	if (syscall(SYS_mbind, addr, n * psz, MPOL_BIND, &node0, 64, MPOL_MF_MOVE)) {
		if (errno == ENOSYS || errno == EINVAL || errno == EPERM)
			return R_SKIPPED;
		return outcome(w, OP_MBIND, errno, ERR_VM | E(EIO), "mbind");
	}
	syscall(SYS_mbind, addr, n * psz, MPOL_DEFAULT, NULL, 0, 0);
	return R_DONE;
}

/*
 * Write-protected, the range goes to a device and back: the protection must
 * stay on every page (pagemap's uffd-wp bit) through both migrations.  The
 * region is held exclusively: a write now would wait for a handler forever.
 */
static int op_uffd_wp(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	struct uffdio_register reg = {
		.range = { (uintptr_t)(r->addr + first * psz), n * psz },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = { .range = reg.range, .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	int dev = pick_dev(w), res, tries = 0;

	if (uffd < 0)
		return R_SKIPPED;
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		return errno == EINVAL ? R_SKIPPED :
		       outcome(w, OP_UFFD_WP, errno, ERR_VM, "UFFDIO_REGISTER");
	res = outcome(w, OP_UFFD_WP, ioctl(uffd, UFFDIO_WRITEPROTECT, &wp) ? errno : 0, ERR_VM,
		      "UFFDIO_WRITEPROTECT");
	if (res == R_DONE) {
		migrate(w, OP_UFFD_WP, dev, 1, r, first, n);
		pagemap_check(w, OP_UFFD_WP, r, first, n, PM_UFFD_WP);
		cpu_read(w, OP_UFFD_WP, r, first, n, "write-protected");
		pagemap_check(w, OP_UFFD_WP, r, first, n, PM_UFFD_WP);
		wp.mode = 0;
		while (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp))
			retry("UFFDIO_WRITEPROTECT off", &tries);
	}
	while (ioctl(uffd, UFFDIO_UNREGISTER, &reg.range))
		retry("UFFDIO_UNREGISTER", &tries);
	return res;
}

static int op_collapse(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	unsigned long all = r->len / psz;

	(void)first, (void)n;
	if (r->kind != K_THP || r->len != pmd_size)
		return R_SKIPPED;
	migrate(w, OP_COLLAPSE, 0, 0, r, 0, all);
	migrate(w, OP_COLLAPSE, 1, 0, r, 0, all);
	if (madvise(r->addr, r->len, MADV_COLLAPSE))
		return outcome(w, OP_COLLAPSE, errno, ERR_VM | E(EINVAL) | E(EBUSY),
			       "MADV_COLLAPSE");
	return R_DONE;
}

/* Whole folios to the device, order-0 pages only, or no THP coming back. */
static int op_flags(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	static const unsigned long choice[] = {
		0, 0, HMM_DMIRROR_FLAG_ORDER0, HMM_DMIRROR_FLAG_FAIL_THP,
	};

	int dev = pick_dev(w), err;

	(void)r, (void)first, (void)n;
	pthread_rwlock_wrlock(&devlock[dev]);
	devflags[dev] = choice[rnd(w) % 4];
	err = set_flags(dev, devflags[dev] | HMM_DMIRROR_FLAG_NO_READBACK);
	pthread_rwlock_unlock(&devlock[dev]);
	return outcome(w, OP_FLAGS, err, 0, "FLAGS");
}

/* test_hmm ignores the range, but wants a valid one. */
static int release(int dev)
{
	struct hmm_dmirror_cmd cmd;

	return -dmirror(devfd[dev], HMM_DMIRROR_RELEASE, (void *)(uintptr_t)psz, NULL, 1, &cmd);
}

/* test_hmm gives back all its device memory: every page comes back first. */
static int op_evict(struct worker *w, struct region *r, unsigned long first, unsigned long n)
{
	unsigned int j;
	int res;

	(void)r, (void)first, (void)n;
	res = outcome(w, OP_EVICT, release(pick_dev(w)), 0, "RELEASE");
	for (j = 0; j < nregions; j++)
		cpu_read(w, OP_EVICT, &regions[j], 0, regions[j].len / psz, "after-release");
	return res;
}

static const struct op_desc ops[NR_OPS] = {
	[OP_MIG_DEV]	= { "migrate-dev", op_mig_dev, L_SHARED, 14 },
	[OP_MIG_VERIFY]	= { "migrate-verify", op_mig_verify, L_EXCL, 4 },
	[OP_MIG_SYS]	= { "migrate-sys", op_mig_sys, L_SHARED, 8 },
	[OP_CPU_READ]	= { "cpu-read", op_cpu_read, L_SHARED, 12 },
	[OP_CPU_WRITE]	= { "cpu-write", op_cpu_write, L_SHARED, 10 },
	[OP_DEV_READ]	= { "dev-read", op_dev_read, L_EXCL, 5 },
	[OP_DEV_WRITE]	= { "dev-write", op_dev_write, L_EXCL, 5 },
	[OP_SNAPSHOT]	= { "snapshot", op_snapshot, L_SHARED, 4 },
	[OP_PROCFS]	= { "procfs", op_procfs, L_SHARED, 3 },
	[OP_FORK]	= { "fork", op_fork, L_NONE, 3 },
	[OP_MUNMAP]	= { "munmap", op_munmap, L_EXCL, 2 },
	[OP_MREMAP]	= { "mremap", op_mremap, L_EXCL, 2 },
	[OP_MPROTECT]	= { "mprotect", op_mprotect, L_EXCL, 3 },
	[OP_DONTNEED]	= { "dontneed", op_dontneed, L_EXCL, 2 },
	[OP_FREE]	= { "free", op_free, L_EXCL, 2 },
	[OP_COLD]	= { "cold", op_cold, L_SHARED, 2 },
	[OP_PAGEOUT]	= { "pageout", op_pageout, L_SHARED, 2 },
	[OP_MBIND]	= { "mbind", op_mbind, L_SHARED, 2 },
	[OP_UFFD_WP]	= { "uffd-wp", op_uffd_wp, L_EXCL, 2 },
	[OP_COLLAPSE]	= { "collapse", op_collapse, L_SHARED, 3 },
	[OP_FLAGS]	= { "flags", op_flags, L_SHARED, 2 },
	[OP_EVICT]	= { "evict", op_evict, L_GLOBAL, 1 },
	[OP_UNLOAD]	= { "unload", NULL, L_NONE, 0 },
};

/* ---- workers ---- */

static int pick_op(struct worker *w)
{
	static int total;
	int op, x;

	if (!total)
		for (op = 0; op < NR_OPS; op++)
			total += ops[op].weight;
	x = rnd(w) % total;
	for (op = 0; x >= ops[op].weight; op++)
		x -= ops[op].weight;
	return op;
}

/* The whole region (a whole THP), half of it, or up to 64 pages anywhere. */
static void pick_range(struct worker *w, struct region *r, unsigned long *first,
		       unsigned long *n)
{
	unsigned long pages = r->len / psz, folio;

	/*
	 * Whole large folios, the case whole-folio migration serves, as often
	 * as any other range: a range that cuts one splits it for good.
	 */
	folio = r->kind == K_THP ? pmd_size / psz : r->kind == K_MTHP ? (mthp_kb << 10) / psz : 0;
	switch (rnd(w) % 5) {
	case 0:
		*first = 0;
		*n = pages;
		break;
	case 1:
		*n = pages / 2;
		*first = (rnd(w) & 1) * *n;
		break;
	case 2:
	case 3:
		if (folio && folio <= pages) {
			*n = folio * (1 + rnd(w) % (pages / folio));
			*first = folio * (rnd(w) % ((pages - *n) / folio + 1));
			break;
		}
		/* fall through */
	default:
		*n = 1 + rnd(w) % (pages < 64 ? pages : 64);
		*first = rnd(w) % (pages - *n + 1);
	}
}

static void run_op(struct worker *w)
{
	int op = pick_op(w), lock = ops[op].lock, res;
	struct region *r = &regions[rnd(w) % nregions];
	struct ring_ent *e = &w->ring[w->pos++ % RING];
	unsigned long first, n;

	pick_range(w, r, &first, &n);
	*e = (struct ring_ent){ .op = op, .region = r - regions, .res = R_RUNNING, .dev = -1,
				.first = first, .n = n };
	w->cur = e;
	w->err = 0;
	if (lock == L_GLOBAL)
		pthread_rwlock_wrlock(&glock);
	else
		pthread_rwlock_rdlock(&glock);
	if (lock == L_SHARED)
		pthread_rwlock_rdlock(&r->lock);
	else if (lock == L_EXCL)
		pthread_rwlock_wrlock(&r->lock);
	res = ops[op].fn(w, r, first, n);
	if (lock == L_SHARED || lock == L_EXCL)
		pthread_rwlock_unlock(&r->lock);
	pthread_rwlock_unlock(&glock);
	e->err = w->err;
	e->res = res;
	__atomic_add_fetch(&stats[op][res == R_FAILED ? R_DONE : res], 1, __ATOMIC_RELAXED);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	self = w;
	/*
	 * Faults are injected into the workers only (task-filter): into the
	 * migrations, device allocations and faults they cause, not into
	 * kernel threads whose failures would say nothing about device memory.
	 * Their children inherit it.
	 */
	if (fi_dirs)
		write_str("/proc/thread-self/make-it-fail", "1");
	while (!stop)
		run_op(w);
	return NULL;
}

/* Where the program was: a NULL si_addr with SI_KERNEL is no NULL deref. */
static unsigned long signal_pc(void *uc)
{
	ucontext_t *u = uc;

#if defined(__x86_64__)
	return u->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
	return u->uc_mcontext.pc;
#else
	return 0;
#endif
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	emit("devmem-stress: FATAL: signal %d code %d at %p, pc %#lx, in thread %d\n", sig,
	     si->si_code, si->si_addr, signal_pc(uc), self ? self->id : -1);
	dump_rings();
	emit("DEVMEM-STRESS result: FAIL (signal %d)\n", sig);
	_exit(125);
}

/* ---- fault injection ---- */

static const char *const fi_path[] = { DBG "/fail_page_alloc", DBG "/failslab" };

static void fi_set(const char *file, const char *val)
{
	char path[128];
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", fi_path[i], file);
		if (fi_dirs & (1 << i))
			write_str(path, val);
	}
}

/* 'times' counts down from FI_TIMES with every failure injected. */
static int fi_setup(void)
{
	static const char *const conf[][2] = {
		{ "probability", "0" }, { "interval", "1" }, { "times", "1000000" },
		{ "task-filter", "Y" }, { "verbose", "0" }, { "ignore-gfp-wait", "N" },
		{ "ignore-gfp-highmem", "N" }, { "min-order", "0" },
	};
	char path[128];
	struct statfs sf;
	unsigned int i;

	if (statfs(DBG, &sf) || sf.f_type != 0x64626720 /* DEBUGFS_MAGIC */)
		mount("debugfs", DBG, "debugfs", 0, NULL);
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/probability", fi_path[i]);
		if (!access(path, W_OK))
			fi_dirs |= 1 << i;
	}
	for (i = 0; i < sizeof(conf) / sizeof(conf[0]); i++)
		fi_set(conf[i][0], conf[i][1]);
	return fi_dirs;
}

static unsigned long fi_injected(void)
{
	char path[128];
	unsigned long sum = 0;
	long left;
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/times", fi_path[i]);
		if (fi_dirs & (1 << i) && (left = file_key(path, "")) >= 0)
			sum += FI_TIMES - left;
	}
	return sum;
}

static void *injector(void *arg)
{
	struct worker *w = arg;	/* its PRNG only */

	while (!stop) {
		usleep(100000 + rnd(w) % 300000);
		if (stop)
			break;
		injected = 1;
		fi_set("probability", "5");
		usleep(20000 + rnd(w) % 40000);
		fi_set("probability", "0");
		bursts++;
	}
	fi_set("probability", "0");
	return NULL;
}

/* ---- setup, counters and the end ---- */

static char thp_old[32], mthp_old[32], mthp_path[128];

/* The word in [brackets] of a sysfs choice file. */
static void choice_of(const char *path, char *out, size_t len)
{
	char buf[256], *a, *b;

	out[0] = '\0';
	if (read_str(path, buf, sizeof(buf)) < 0 || !(a = strchr(buf, '[')) || !(b = strchr(a, ']')))
		return;
	*b = '\0';
	snprintf(out, len, "%s", a + 1);
}

/*
 * THPs and one mTHP size only where asked for (MADV_HUGEPAGE): "always"
 * would give this process's own stack and heap large folios too, which fork
 * and COW then split, and the mTHP counters would drift.
 */
static void thp_setup(void)
{
	unsigned long kb;

	choice_of(THP "/enabled", thp_old, sizeof(thp_old));
	if (!strcmp(thp_old, "never") || !strcmp(thp_old, "always"))
		write_str(THP "/enabled", "madvise");
	for (kb = 64; !mthp_kb && kb * 1024 < pmd_size; kb = kb == 64 ? psz * 2 / 1024 : kb * 2) {
		snprintf(mthp_path, sizeof(mthp_path), THP "/hugepages-%lukB/enabled", kb);
		if (kb * 1024 <= psz || access(mthp_path, W_OK))
			continue;
		choice_of(mthp_path, mthp_old, sizeof(mthp_old));
		if (!write_str(mthp_path, "madvise"))
			mthp_kb = kb;
	}
	emit("devmem-stress: page %lu KiB, PMD %lu KiB, THP %s, mTHP %lu KiB%s\n", psz >> 10,
	     pmd_size >> 10, thp_old[0] ? thp_old : "unavailable", mthp_kb,
	     mthp_kb ? " madvise" : " (none)");
}

static void thp_restore(void)
{
	if (!strcmp(thp_old, "never") || !strcmp(thp_old, "always"))
		write_str(THP "/enabled", thp_old);
	if (mthp_kb)
		write_str(mthp_path, mthp_old);
}

static int cg_ok;

static void cg_enter(const char *dir)
{
	char path[64], pid[16];

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d", getpid());
	write_str(path, pid);
}

static void cg_setup(void)
{
	if (access(CG "/cgroup.controllers", F_OK))
		mount("cgroup2", CG, "cgroup2", 0, NULL);
	mkdir(CG "/stress", 0755);
	write_str(CG "/cgroup.subtree_control", "+memory");
	cg_ok = !access(CG "/stress/memory.current", F_OK);
	if (cg_ok)
		cg_enter(CG "/stress");
	else
		emit("devmem-stress: memcg: no memory controller at %s/stress: not compared\n", CG);
}

/*
 * Charges to the cgroup that are not kernel memory, with the per-CPU charge
 * stocks drained (memory.high below the usage drains them) and the
 * statistics flushed (every 2 s).  Not exact: a few of the process's own
 * pages move between charges (COW after fork), so it is compared within
 * MEMCG_SLACK pages; a device folio that keeps its charge is a THP, or
 * grows with the run.  The process waits in the root cgroup meanwhile.
 */
static long memcg_user_kb(void)
{
	long cur = file_key(CG "/stress/memory.current", ""), kernel;

	kernel = file_key(CG "/stress/memory.stat", "kernel");
	return cur < 0 || kernel < 0 ? -1 : (cur - kernel) >> 10;
}

enum { C_KEY, C_MEMCG };
static struct counter {
	char name[64], path[128], key[32];
	int kind;
	long val[2];
} counters[10];
static int ncounters;

static void add_counter(const char *name, int kind, const char *path, const char *key)
{
	struct counter *c = &counters[ncounters++];

	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->path, sizeof(c->path), "%s", path);
	snprintf(c->key, sizeof(c->key), "%s", key);
	c->kind = kind;
}

static void counters_setup(void)
{
	unsigned long kbs[2] = { pmd_size >> 10, mthp_kb };
	char name[64], path[128];
	int i;

	add_counter("nr_memmap_pages", C_KEY, "/proc/vmstat", "nr_memmap_pages");
	add_counter("AnonPages_kB", C_KEY, "/proc/meminfo", "AnonPages");
	add_counter("AnonHugePages_kB", C_KEY, "/proc/meminfo", "AnonHugePages");
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), THP "/hugepages-%lukB/stats/nr_anon", kbs[i]);
		if (!kbs[i] || access(path, R_OK))
			continue;
		snprintf(name, sizeof(name), "mthp_%lukB_nr_anon", kbs[i]);
		add_counter(name, C_KEY, path, "");
		strcat(path, "_partially_mapped");
		snprintf(name, sizeof(name), "mthp_%lukB_nr_anon_partially_mapped", kbs[i]);
		if (!access(path, R_OK))
			add_counter(name, C_KEY, path, "");
	}
	if (cg_ok)
		add_counter("memcg_user_kB", C_MEMCG, "", "");
}

static void settle(unsigned int ms)
{
	for (; ms >= 100; ms -= 100)
		usleep(100000);	/* short sleeps let deferrable work run */
}

static void measure(int after)
{
	long prev = -2, v = -1;
	int i, tries;

	/* Freed folios still in per-CPU LRU batches: drained by compaction. */
	write_str("/proc/sys/vm/compact_memory", "1");
	if (cg_ok) {
		cg_enter(CG);
		write_str(CG "/stress/memory.high", "0");
		write_str(CG "/stress/memory.high", "max");
	}
	settle(2500);
	write_str("/proc/sys/vm/stat_refresh", "1");
	for (i = 0; i < ncounters; i++) {
		struct counter *c = &counters[i];

		if (c->kind == C_KEY) {
			c->val[after] = file_key(c->path, c->key);
			continue;
		}
		for (tries = 0; tries < 4 && v != prev; tries++, settle(2200)) {
			prev = v;
			v = memcg_user_kb();
		}
		c->val[after] = v;
	}
	if (cg_ok)
		cg_enter(CG "/stress");
}

/* Sizes and blocks now, mappings after the baseline. */
static void plan_regions(void)
{
	static const int kinds[NREGIONS] = {
		K_THP, K_THP, K_THP, K_MTHP, K_MTHP, K_SMALL, K_SMALL, K_SMALL,
	};
	unsigned long small = 16 * psz > (256UL << 10) ? 16 * psz : 256UL << 10, i;
	pthread_rwlockattr_t attr;

	/* With 16K or 64K pages a PMD is 32M or 512M: too much to check. */
	big = pmd_size && pmd_size <= (4UL << 20) ? pmd_size : 1UL << 20;
	if (big < small)
		big = small;
	bufsize = big + (64UL << 10);
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&glock, &attr);
	pthread_rwlock_init(&devlock[0], &attr);
	pthread_rwlock_init(&devlock[1], &attr);
	for (nregions = 0; nregions < NREGIONS; nregions++) {
		struct region *r = &regions[nregions];

		r->kind = kinds[nregions];
		r->len = r->kind == K_SMALL ? small : big;
		r->first = nblocks;
		nblocks += r->len / psz;
		reserve_len += r->len + big;
		pthread_rwlock_init(&r->lock, &attr);
	}
	blocks = mmap(NULL, nblocks * sizeof(*blocks), PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (blocks == MAP_FAILED)
		fatal("mmap blocks");
	for (i = 0; i < nblocks; i++)
		pthread_mutex_init(&blocks[i].mu, NULL);
}

/*
 * PMD-aligned regions with a PROT_NONE gap between them, filled; the mTHP
 * ones an mTHP off the alignment, so that they get mTHPs and never a THP.
 */
static void map_regions(void)
{
	unsigned int j;
	unsigned long i;
	char *p;

	reserve = mmap(NULL, reserve_len + big, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (reserve == MAP_FAILED)
		fatal("mmap regions");
	p = (char *)(((uintptr_t)reserve + big - 1) & ~(big - 1));
	for (j = 0; j < nregions; j++) {
		struct region *r = &regions[j];

		r->addr = p + (r->kind == K_MTHP ? (mthp_kb ? mthp_kb << 10 : psz) : 0);
		if (mmap(r->addr, r->len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
			fatal("mmap region");
		advise(r, r->addr, r->len);
		for (i = 0; i < r->len / psz; i++)
			write_block(r, i);
		p += r->len + big;
	}
}

static void *stacks[MAX_THREADS + 1];
static unsigned int nstacks;

/* Own stacks, unmapped at the end: glibc would keep its stacks cached. */
static void start_thread(pthread_t *t, void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	void *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	if (stack == MAP_FAILED)
		fatal("mmap stack");
	stacks[nstacks++] = stack;
	pthread_attr_init(&attr);
	pthread_attr_setstack(&attr, stack, STACK_SIZE);
	errno = pthread_create(t, &attr, fn, arg);
	if (errno)
		fatal("pthread_create");
	pthread_attr_destroy(&attr);
}

static void stop_thread(pthread_t t)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 300;
	if (pthread_timedjoin_np(t, NULL, &ts)) {
		emit("devmem-stress: a thread is stuck after 300 s: blocked tasks to the kernel log\n");
		dump_rings();
		write_str("/proc/sysrq-trigger", "w");
		emit("DEVMEM-STRESS result: FAIL (hung)\n");
		_exit(1);
	}
}

/* Everything back from the devices, no page left there, every byte checked. */
static void final_check(void)
{
	struct worker *w = &workers[0];
	unsigned long i, left, pages;
	unsigned int j;
	int dev, tries;

	for (j = 0; j < nregions; j++) {
		struct region *r = &regions[j];

		pages = r->len / psz;
		for (tries = 0, left = 1; left && tries < 5; tries++) {
			for (dev = 0; dev < 2; dev++)
				migrate(w, OP_MIG_SYS, dev, 0, r, 0, pages);
			mirror(w, OP_SNAPSHOT, 0, HMM_DMIRROR_SNAPSHOT, r, 0, pages, ERR_MIRROR,
			       "SNAPSHOT");
			for (i = 0, left = 0; i < pages; i++)
				left += (w->buf[i] & 0xf0) == HMM_DMIRROR_PROT_DEV_PRIVATE_LOCAL ||
					(w->buf[i] & 0xf0) == HMM_DMIRROR_PROT_DEV_PRIVATE_REMOTE;
		}
		if (left)
			fail(w, OP_MIG_SYS, "%lu pages of region %u still on a device", left, j);
		for (i = 0; i < pages; i++)
			check(w, OP_CPU_READ, r, i, r->addr + i * psz, "final");
	}
}

/*
 * test_hmm is a module (it is in the guests of make test and make stress):
 * unloaded while a child still has data on device 0, its exit must bring
 * every device page back (dmirror_device_evict_chunk()) before the pagemap
 * goes, and the child then reads its data from system memory.  Built in
 * (the bench kernels, or a KSRC tree with test_hmm built in), closing every
 * device file while the child keeps its data on the device stands in for
 * it.  Returns 1 if the child's data came back whole, 0 if it could not
 * run, -1 on a failure.
 */
static int live_unload(int *module)
{
	int c2p[2], p2c[2], status, fd, bad = 0, unloaded = 0;
	unsigned long n = big / psz, i;
	struct hmm_dmirror_cmd cmd;
	struct region r = { .len = big, .first = 0, .kind = K_THP };
	char *buf, c = 0;
	pid_t pid;

	*module = !access("/sys/module/test_hmm/initstate", F_OK);
	if (pipe(c2p) || pipe(p2c))
		return 0;
	pid = fork();
	if (pid < 0)
		return 0;
	if (!pid) {
		close(c2p[0]);
		close(p2c[1]);
		close(devfd[0]);
		close(devfd[1]);
		fd = open("/dev/hmm_dmirror0", O_RDWR);
		buf = mmap(NULL, 3 * big, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (fd < 0 || buf == MAP_FAILED)
			_exit(2);
		r.addr = (char *)(((uintptr_t)buf + big - 1) & ~(big - 1));
		advise(&r, r.addr, big);
		for (i = 0; i < n; i++)
			write_block(&r, i);
		if (dmirror(fd, HMM_DMIRROR_MIGRATE_TO_DEV, r.addr, r.addr + big, n, &cmd))
			_exit(2);
		for (i = 0; i < n; i++)
			bad += page_diff(r.addr + big + i * psz, i, blocks[i].gen) >= 0;
		/* The module cannot go while a file holds it. */
		if (*module)
			close(fd);
		if (write(c2p[1], "r", 1) != 1 || read(p2c[0], &c, 1) != 1)
			_exit(2);
		for (i = 0; i < n; i++)
			bad += page_diff(r.addr + i * psz, i, blocks[i].gen) >= 0;
		if (!*module) {
			if (dmirror(fd, HMM_DMIRROR_READ, r.addr, r.addr + big, n, &cmd))
				_exit(2);
			for (i = 0; i < n; i++)
				bad += page_diff(r.addr + big + i * psz, i, blocks[i].gen) >= 0;
			close(fd);
		}
		_exit(bad ? 1 : 0);
	}
	close(c2p[1]);
	close(p2c[0]);
	if (read(c2p[0], &c, 1) == 1) {
		close(devfd[0]);
		close(devfd[1]);
		devfd[0] = devfd[1] = -1;
		if (*module) {
			if (syscall(SYS_delete_module, "test_hmm", O_NONBLOCK))
				emit("devmem-stress: unload test_hmm: %s\n", strerror(errno));
			else
				unloaded = 1;
		}
	}
	if (write(p2c[1], "g", 1) != 1)
		emit("devmem-stress: live-unload: child gone\n");
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		emit("devmem-stress: live-unload: child %s %d\n",
		     WIFEXITED(status) ? "exited" : "killed by signal",
		     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
		return -1;
	}
	return *module && !unloaded ? -1 : 1;
}

static void prefault_stack(void)
{
	volatile char buf[128 << 10];

	memset((char *)buf, 0, sizeof(buf));
}

/*
 * The counters must come back to the baseline: every page of this process's
 * own data, bss, heap and stack that it may write later is written now,
 * while a child shares them, so that each is a copy charged to the cgroup
 * (not to the one the process started in, as a later COW would change).
 * The heap gets room for what pthread_create() allocates.
 */
static void touch_own_memory(void)
{
	char *line, *end, perms[8], c;
	unsigned long from, to;
	int p[2] = { -1, -1 };
	pid_t pid;

	prefault_stack();
	free(calloc(1, 64 << 10));
	if (read_str("/proc/self/maps", keybuf, sizeof(keybuf)) < 0 || pipe(p))
		return;
	pid = fork();
	if (!pid) {
		close(p[1]);
		_exit(read(p[0], &c, 1) < 0);
	}
	close(p[0]);
	for (line = keybuf; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (sscanf(line, "%lx-%lx %7s", &from, &to, perms) != 3 ||
		    strcmp(perms, "rw-p"))
			continue;
		for (; from < to; from += psz)
			*(volatile char *)from = *(volatile char *)from;
	}
	close(p[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* What /proc/iomem showed in 6.12: test_hmm's registrations, as populated now. */
static void show_registrations(void)
{
	char line[512];
	FILE *f = fopen(DBG "/devmem/registrations", "r");

	if (!f) {
		emit("devmem-stress: %s/devmem/registrations: %s\n", DBG, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		emit("devmem-stress: registration: %s", line);
	fclose(f);
}

/* /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h) */
#define KPF_ANON_BIT		12
#define KPF_COMPOUND_HEAD_BIT	15
#define KPF_THP_BIT		22

/*
 * Each large anonymous folio left, by its head: flags, map count, memcg and
 * its own page_owner record, read from its PFN on (read_page_owner() takes
 * the file offset for the PFN to start at), so that a corrupt record
 * elsewhere cannot hide it.
 */
static void dump_large_anon(void)
{
	static uint64_t flags[4096], count[4096], cg[4096];
	static char rec[4096];
	int ff = open("/proc/kpageflags", O_RDONLY);
	int fc = open("/proc/kpagecount", O_RDONLY);
	int fg = open("/proc/kpagecgroup", O_RDONLY);
	int fo = open(DBG "/page_owner", O_RDONLY);
	unsigned long pfn = 0, found = 0;
	ssize_t n;

	if (ff < 0) {
		emit("devmem-stress: /proc/kpageflags: %s\n", strerror(errno));
		goto out;
	}
	while ((n = pread(ff, flags, sizeof(flags), pfn * 8)) > 0) {
		unsigned long i, nr = n / 8;

		if (fc < 0 || pread(fc, count, n, pfn * 8) != n)
			memset(count, 0xff, n);
		if (fg < 0 || pread(fg, cg, n, pfn * 8) != n)
			memset(cg, 0xff, n);
		for (i = 0; i < nr; i++) {
			uint64_t f = flags[i];
			ssize_t r = -1;

			if (!(f >> KPF_ANON_BIT & 1) || !(f >> KPF_COMPOUND_HEAD_BIT & 1))
				continue;
			if (found++ >= 8)
				continue;
			emit("devmem-stress: large anon folio at pfn %#lx: kpageflags %#llx%s, mapcount %lld, memcg inode %lld\n",
			     pfn + i, (unsigned long long)f, f >> KPF_THP_BIT & 1 ? " (thp)" : "",
			     (long long)count[i], (long long)cg[i]);
			if (fo >= 0)
				r = pread(fo, rec, sizeof(rec) - 1, pfn + i);
			if (r > 0) {
				rec[r] = 0;
				emit("devmem-stress: its page_owner:\n%.500s\n", rec);
			}
		}
		pfn += nr;
	}
	emit("devmem-stress: %lu large anonymous folios left\n", found);
out:
	if (ff >= 0)
		close(ff);
	if (fc >= 0)
		close(fc);
	if (fg >= 0)
		close(fg);
	if (fo >= 0)
		close(fo);
}

/*
 * Walks every page_owner record (stock 6.12.117 oopsed reading one that a
 * cgroup charged: patches/0002; every run reads them all).  With @show,
 * a counter being off its baseline, prints the records of order >= 2 that
 * are anonymous (swap-backed) or that this program's calls allocated
 * (test_hmm's backing pages of a device folio among them): the few that
 * can be left, so that a leak names its path.
 */
static void dump_large_owners(int show)
{
	static char rec[8192];
	unsigned int order, shown = 0, found = 0;
	size_t len = 0;
	char line[512];
	FILE *f;

	f = fopen(DBG "/page_owner", "r");
	if (!f) {
		emit("devmem-stress: no %s/page_owner (boot with page_owner=on to see the leak's stack)\n",
		     DBG);
		return;
	}
	for (;;) {
		int end = !fgets(line, sizeof(line), f);

		if (end || line[0] == '\n') {
			rec[len] = 0;
			if (len && sscanf(rec, "Page allocated via order %u", &order) == 1 &&
			    order >= 2 && (strstr(rec, "swapbacked") ||
					   strstr(rec, "(devmem-stress)"))) {
				found++;
				if (show && shown++ < 8)
					emit("devmem-stress: page_owner:\n%s\n", rec);
			}
			len = 0;
			if (end)
				break;
			continue;
		}
		if (len + strlen(line) < sizeof(rec)) {
			memcpy(rec + len, line, strlen(line));
			len += strlen(line);
		}
	}
	fclose(f);
	emit("devmem-stress: page_owner: %u large blocks still allocated (anonymous, or by this program)\n", found);
}

int main(int argc, char **argv)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	pthread_t fi_thread;
	struct worker fi_w = { .rng = 7 };
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	char reason[128] = "";
	unsigned long done = 0;
	unsigned int t, i;
	int lc, module, bad_counters = 0;
	time_t start;

	/*
	 * With page allocations failing on purpose, the kernel's update of the
	 * rseq area on return to user space can meet a copy-on-write page (after
	 * a fork) it cannot copy, and rseq answers with SIGSEGV (SI_KERNEL):
	 * a failure of rseq, not of device memory.  Run without rseq.
	 */
	if (!getenv("GLIBC_TUNABLES")) {
		setenv("GLIBC_TUNABLES", "glibc.pthread.rseq=0", 1);
		execv("/proc/self/exe", argv);
		emit("devmem-stress: re-exec without rseq: %s\n", strerror(errno));
	}
	if (argc < 3) {
		emit("usage: devmem-stress SECONDS SEED [THREADS [nofaults]]\n");
		return 2;
	}
	seconds = strtoul(argv[1], NULL, 0);
	seed = strtoul(argv[2], NULL, 0);
	nworkers = argc > 3 ? strtoul(argv[3], NULL, 0) : 0;
	nworkers = nworkers ? nworkers : 2 * (unsigned long)cpus;
	/* "nofaults": no fault injection (make test, see README). */
	no_faults = argc > 4 && !strcmp(argv[4], "nofaults");
	nworkers = nworkers < 1 ? 1 : nworkers > MAX_THREADS ? MAX_THREADS : nworkers;
	psz = sysconf(_SC_PAGESIZE);
	pmd_size = file_key(THP "/hpage_pmd_size", "");
	pmd_size = (long)pmd_size > 0 ? pmd_size : 0;
	/* One arena, never trimmed: the process's own memory stays as measured. */
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	emit("DEVMEM-STRESS seed=%lu seconds=%u threads=%u cpus=%ld\n", seed, seconds, nworkers,
	     cpus);

	devfd[0] = open("/dev/hmm_dmirror0", O_RDWR | O_CLOEXEC);
	devfd[1] = open("/dev/hmm_dmirror1", O_RDWR | O_CLOEXEC);
	if (devfd[0] < 0 || devfd[1] < 0) {
		emit("DEVMEM-STRESS result: FAIL (open /dev/hmm_dmirror0/1: %s)\n", strerror(errno));
		return 1;
	}
	thp_setup();
	cg_setup();
	plan_regions();
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	if (uffd < 0 && errno == EINVAL)
		uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd >= 0) {
		struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP };

		if (ioctl(uffd, UFFDIO_API, &api)) {
			close(uffd);
			uffd = -1;
		}
	}
	emit("devmem-stress: userfaultfd write-protect: %s; fault injection: %s\n",
	     uffd >= 0 ? "yes" : "unavailable (skipped)",
	     no_faults ? "off (nofaults)" :
	     fi_setup() ? "fail_page_alloc/failslab bursts" : "unavailable (skipped)");

	/* Device memory released before the baseline: none is in use then. */
	for (i = 0; i < 2; i++) {
		release(i);
		set_flags(i, HMM_DMIRROR_FLAG_NO_READBACK);
	}
	counters_setup();
	touch_own_memory();
	measure(0);

	map_regions();
	for (t = 0; t < nworkers; t++) {
		struct worker *w = &workers[t];

		w->id = t;
		w->rng = (seed + 1) * 0x9e3779b97f4a7c15ULL ^ (t + 1) * 0xbf58476d1ce4e5b9ULL;
		w->rng |= 1;
		w->buf = mmap(NULL, bufsize, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (w->buf == MAP_FAILED)
			fatal("mmap buffer");
		start_thread(&w->thread, worker_main, w);
	}
	if (fi_dirs)
		start_thread(&fi_thread, injector, &fi_w);
	for (start = time(NULL); time(NULL) - start < seconds; ) {
		sleep(1);
		if ((time(NULL) - start) % 10 == 0)
			emit("devmem-stress: %lds: %llu MiB verified, %lu mismatches, %lu failures\n",
			     (long)(time(NULL) - start), bytes_verified >> 20, mismatches, failures);
	}
	stop = 1;
	for (t = 0; t < nworkers; t++)
		stop_thread(workers[t].thread);
	if (fi_dirs)
		stop_thread(fi_thread);
	fi_set("probability", "0");

	final_check();
	emit("devmem-stress: nr_memmap_pages with the device memory populated: %ld\n",
	     file_key("/proc/vmstat", "nr_memmap_pages"));
	show_registrations();
	munmap(reserve, reserve_len + big);
	for (t = 0; t < nworkers; t++)
		munmap(workers[t].buf, bufsize);
	for (t = 0; t < nstacks; t++)
		munmap(stacks[t], STACK_SIZE);
	release(0);
	release(1);
	measure(1);

	for (i = 0; i < NR_OPS - 1; i++) {
		emit("DEVMEM-STRESS op %s done=%lu refused=%lu skipped=%lu\n", ops[i].name,
		     stats[i][R_DONE], stats[i][R_REFUSED], stats[i][R_SKIPPED]);
		done += stats[i][R_DONE];
	}
	/* test_hmm's count: it also counts mTHPs it offered a PMD folio, which stay. */
	emit("devmem-stress: large folios migrated whole, as test_hmm counts: %lu to a device, %lu back\n",
	     whole[1], whole[0]);
	emit("DEVMEM-STRESS bytes-verified %llu\n", bytes_verified);
	emit("DEVMEM-STRESS mismatches %lu\n", mismatches);
	if (fi_dirs)
		emit("DEVMEM-STRESS faults-injected %lu (in %lu bursts)\n", fi_injected(), bursts);
	else
		emit("DEVMEM-STRESS faults-injected 0 (%s)\n",
		     no_faults ? "nofaults" : "no fault injection in this kernel");
	for (i = 0; i < (unsigned int)ncounters; i++) {
		struct counter *c = &counters[i];
		long slack = c->kind == C_MEMCG ? MEMCG_SLACK * (long)psz >> 10 : 0;
		int ok = labs(c->val[0] - c->val[1]) <= slack && c->val[0] >= 0;

		bad_counters += !ok;
		emit("DEVMEM-STRESS counter %s before=%ld after=%ld %s\n", c->name, c->val[0],
		     c->val[1], ok ? "ok" : "DIFF");
	}
	if (bad_counters)
		dump_large_anon();
	dump_large_owners(bad_counters);
	if (cg_ok)
		emit("devmem-stress: memcg_user_kB: compared within %d pages\n", MEMCG_SLACK);
	else
		emit("devmem-stress: memcg charge: skipped (no cgroup2 memory controller)\n");

	lc = live_unload(&module);
	emit("DEVMEM-STRESS op %s done=%d refused=0 skipped=%d\n",
	     module ? "unload" : "live-close", lc != 0, lc == 0);
	thp_restore();
	if (cg_ok) {
		cg_enter(CG);
		rmdir(CG "/stress");
	}

	if (mismatches)
		snprintf(reason, sizeof(reason), "%lu mismatches", mismatches);
	else if (failures)
		snprintf(reason, sizeof(reason), "%lu failures", failures);
	else if (bad_counters)
		snprintf(reason, sizeof(reason), "%d counters off their baseline", bad_counters);
	else if (lc < 0)
		snprintf(reason, sizeof(reason), "unload");
	else if (!done)
		snprintf(reason, sizeof(reason), "no operation ran");
	if (reason[0])
		emit("DEVMEM-STRESS result: FAIL (%s)\n", reason);
	else
		emit("DEVMEM-STRESS result: PASS\n");
	return !!reason[0];
}
#endif /* HMM_DMIRROR_FLAG_NO_READBACK */
