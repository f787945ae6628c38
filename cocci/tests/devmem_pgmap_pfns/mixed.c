/*
 * A pagemap that is private or coherent depending on the device: its first
 * PFN is reported with what to do if it is private, and nothing is
 * rewritten.
 */
struct qux_dev {
	struct dev_pagemap pgmap;
	unsigned long first;
	bool coherent;
};

static void qux_setup(struct qux_dev *q)
{
	if (q->coherent)
		q->pgmap.type = MEMORY_DEVICE_COHERENT;
	else
		q->pgmap.type = MEMORY_DEVICE_PRIVATE;
	/* Either type: not rewritten, the range may be real. */
	q->first = q->pgmap.range.start >> PAGE_SHIFT;
}
