/* driver.h - carries out a scenario's steps against the program under test and records what it saw */
#ifndef WC_DRIVER_H
#define WC_DRIVER_H

#include "judge/record.h"
#include "sandbox/capture.h"
#include "sock.h"

/*
 * Runs the steps of r->sc in order. For a server under test, endpoints send to
 * *target; for a client under test, standard input is fed and its output and
 * the reference's log are watched. Every wait ends at the step's timeout, the
 * scenario's deadline (absolute, wc_now_ms) or the end of the program. Fills
 * r->ev and r->stopped_at. The driver never judges: it acts and records.
 * When cap is given, each endpoint's port is added to the frames it keeps
 * (wc_capture_keep_port). host: host mode (a connection the server closed
 * first is closed with a reset, its port free for the next scenario). Returns
 * 0, or -1 for a harness failure (reason in err).
 */
int wc_drive(wc_record *r, const wc_addr *target, wc_capture *cap, int host, int64_t deadline, char *err,
	     size_t errlen);

#endif
