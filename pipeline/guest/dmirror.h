/* SPDX-License-Identifier: GPL-2.0 */
/* One lib/test_hmm ioctl, for the guest programs. */
#ifndef DEVMEM_GUEST_DMIRROR_H
#define DEVMEM_GUEST_DMIRROR_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>

#include <lib/test_hmm_uapi.h>

/* Issue @req on @npages from @addr, @ptr for the data; 0 or -errno. */
static inline int dmirror(int fd, unsigned long req, void *addr, void *ptr,
			  unsigned long npages, struct hmm_dmirror_cmd *cmd)
{
	memset(cmd, 0, sizeof(*cmd));
	cmd->addr = (uintptr_t)addr;
	cmd->ptr = (uintptr_t)ptr;
	cmd->npages = npages;
	while (ioctl(fd, req, cmd))
		if (errno != EINTR)
			return -errno;
	return 0;
}

#endif
