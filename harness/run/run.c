/* run.c - scenario runs: sandbox, capture, program, driver, checks; a pool of worker processes */
#include "run/run.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <sched.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scenario/manifest.h"
#include "sandbox/capture.h"
#include "sandbox/cgroup.h"
#include "sandbox/discover.h"
#include "sandbox/host.h"
#include "sandbox/idle.h"
#include "judge/check.h"
#include "run/driver.h"
#include "sandbox/netns.h"
#include "sandbox/redirect.h"
#include "sandbox/sandbox.h"
#include "srvtx.h"

void wc_run_opts_default(wc_run_opts *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->captures, sizeof(o->captures), "captures");
	o->jobs = 1;
	o->ready_ms = 5000;
	o->grace_ms = 300;
	o->limits.cpu_s = 30;
	o->limits.data_bytes = 1LL << 30;
	o->limits.mem_bytes = 1LL << 30; /* the same, for all its processes together (a cgroup) */
	o->limits.nproc = 256;
	o->limits.nofile = 1024;
	o->limits.fsize = 64LL << 20;
	o->out_max = 256 * 1024;
	{
		const char *w = getenv("WIRECHECK_WRITABLE");
		if (w && *w == '/')
			snprintf(o->writable, sizeof(o->writable), "%s", w);
	}
}

int wc_run_host_can(const wc_scenario *sc)
{
	return sc->hosts == 1;
}

const char *wc_run_host_not_run_why(void)
{
	return "two-host: no veth pair without network namespaces";
}

/* The longest wait for the reference server to take what a client sent
 * before it is stopped, without a capture (a loaded machine's scheduler) */
#define RECONSTRUCT_DRAIN_MS 5000

/* Where the reference server writes down its sockets (lib/srvtx.h) for a
 * client scenario without a capture: the sandbox's private area */
static void server_tx_path(const wc_sandbox *sb, char *buf, size_t n)
{
	snprintf(buf, n, "%s/server-transcript", sb->tmp);
}

/* Waits with pauses of 1, then 2 ms until p has bound a port of proto (a UDP
 * port in the ephemeral range alone is taken once p is proven blocked, unless
 * binds_itself: the reference, told --port 0), p ends,
 * p is proven blocked (-3), or ms pass and p is asleep (-2) or has spent the
 * CPU budget (-4). The pause is a poll() on p's descriptors,
 * so its end is seen at once. A look costs ~50 us (sock_diag); longer pauses
 * only added to each scenario the time between the bind and the look (a
 * Python server binds 15-60 ms after its start, and pauses growing to 32 ms
 * added ~15 ms). Past ms it goes on while p works (wc_idle_working), up to
 * the CPU budget. Every BLOCKED_LOOK_MS it also looks at p's threads: a
 * program blocked before binding (every thread asleep with no timeout, twice,
 * nothing run between: waiting for standard input, a lock, a child) will
 * never bind, and the wait ends there (-3), with where it waits in blocked. */
#define BLOCKED_LOOK_MS 50

/* The kernel's ephemeral ports (ip_local_port_range): where a socket that
 * sent before it bound was put (autobind). */
static void ephemeral_range(unsigned *lo, unsigned *hi)
{
	/* read once: discovery asks every millisecond or two while it waits */
	static unsigned range[2];

	if (!range[1]) {
		FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
		if (!f || fscanf(f, "%u %u", &range[0], &range[1]) != 2 || !range[1]) {
			range[0] = 32768;
			range[1] = 60999;
		}
		if (f)
			fclose(f);
	}
	*lo = range[0];
	*hi = range[1];
}

/* Of the sockets found, the one a server most likely serves on: a port out of
 * the ephemeral range first (the one a program chose), IPv4 first (an IPv6
 * socket may be IPV6_V6ONLY beside it). *weak: only ephemeral ports were
 * found, which a socket that sent before it bound gets too (issue 18: a
 * child's flood to [::1]:9 was taken for the server). */
static int pick_bound(int proto, const wc_bound *found, int n, int *weak)
{
	unsigned lo, hi;
	int best = 0, best_rank = -1;

	ephemeral_range(&lo, &hi);
	for (int k = 0; k < n; k++) {
		int eph = found[k].port >= lo && found[k].port <= hi;
		int rank = (eph ? 0 : 2) + (found[k].family == AF_INET);
		if (rank > best_rank) {
			best = k;
			best_rank = rank;
		}
	}
	*weak = proto == IPPROTO_UDP && best_rank < 2; /* listen() is never automatic */
	return best;
}
/* Host mode: the scenario's sandbox, whose program's sockets discovery keeps
 * (the tables there hold every socket of the machine's namespace). */
static const wc_sandbox *host_sb;

/* wc_discover, and in host mode only the sockets of the program whose init is init */
static int discover(int proto, pid_t netns_of, pid_t init, wc_bound *out, int max)
{
	int n = wc_discover(proto, netns_of, out, max);

	if (host_sb && n > 0)
		n = wc_host_keep_ours(out, n, init, host_sb->drop_priv, host_sb->run_uid);
	return n;
}

#define WAIT_BOUND_MAX_MS 20000 /* however much it works, a bind is not waited for longer */
static int wait_bound(wc_proc *p, int proto, pid_t netns_of, int ms, int binds_itself, wc_bound *b, int64_t *took,
		      char *blocked, size_t bn)
{
	int64_t start = wc_now_ms(), until = start + ms, next_look = start + BLOCKED_LOOK_MS;
	int marked = 0;
	int pause = 1, rc, calm = 0, proofs = 0;
	wc_idle idle;

	wc_idle_init_proc(&idle, p);
	for (;;) {
		wc_bound found[64];
		int n = discover(proto, netns_of, p->init, found, 64), weak = 0;
		if (n > 0) {
			int k = pick_bound(proto, found, n, &weak);
			*b = found[k];
			*took = wc_now_ms() - start;
			rc = 0;
			/* an ephemeral port alone is taken once the program is seen
			 * asleep (a server waiting in recvfrom), or at the end of the
			 * wait, not while it works on (maybe towards its bind); the
			 * reference, told --port 0, binds the kernel's pick itself
			 * before it sends anything (three looks 50 ms apart cost each
			 * client scenario ~140 ms) */
			if (!weak || proofs >= 2 || binds_itself)
				break;
		}
		if (p->exited) {
			rc = -1;
			break;
		}
		if (wc_now_ms() >= next_look) {
			wc_idle_state st = wc_idle_check(&idle, blocked, bn);
			if (!marked++)
				wc_idle_mark(&idle);
			/* proven twice in a row, over three looks: with no port bound it
			 * never binds; with an ephemeral one alone, that is its port */
			proofs = st == WC_IDLE_BLOCKED && idle.cur.at_ms - idle.prev.at_ms >= BLOCKED_LOOK_MS
				 ? proofs + 1
				 : 0;
			if (proofs >= 2) {
				rc = n > 0 ? 0 : -3;
				break;
			}
			/* the time is up: over once the program is asleep in no timed
			 * call (a sleep before the bind is waited for: a slow start on a
			 * loaded machine had its one-second sleep fall on the timeout),
			 * or has kept a CPU busy through the budget, or at the hard
			 * limit */
			calm = wc_idle_working(&idle, st) || st == WC_IDLE_TIMED ? 0 : calm + 1;
			if (wc_now_ms() >= until && calm >= WC_IDLE_CALM_LOOKS) {
				rc = n > 0 ? 0 : -2;
				break;
			}
			if (wc_now_ms() >= until &&
			    wc_idle_busiest_ms(&idle) >= (ms > WC_IDLE_SPIN_CPU_MS ? ms : WC_IDLE_SPIN_CPU_MS)) {
				rc = n > 0 ? 0 : -4;
				break;
			}
			if (wc_now_ms() >= start + WAIT_BOUND_MAX_MS) {
				rc = n > 0 ? 0 : wc_idle_working(&idle, st) ? -4 : -2;
				break;
			}
			next_look = wc_now_ms() + BLOCKED_LOOK_MS;
		}
		wc_proc_wait(p, pause);
		pause = 2;
	}
	if (rc == 0 && bn)
		blocked[0] = 0; /* else the last look: where it waits, or what it was doing */
	wc_idle_free(&idle);
	return rc;
}

#define REF_AT WC_RUN_REF_AT
#define LAB_AT WC_RUN_LAB_AT

void wc_run_spec(const wc_run_opts *o, const wc_sandbox *sb, int trusted, const char *labdir, wc_run_binds *b,
		 wc_proc_spec *s)
{
	memset(s, 0, sizeof(*s));
	s->cwd = sb->work;
	s->drop_priv = sb->drop_priv;
	s->uid = sb->run_uid;
	s->gid = sb->run_gid;
	s->limits = o->limits;
	if (trusted) {
		s->limits.data_bytes = 0;
		s->sanitizer_env = 1;
	} else {
		s->unbuffered = 1;
		s->cgroup = 1;
	}
	s->out_max = o->out_max;
	s->sync_fd = s->sync_other = -1;
	/* everything read-only but the program's copy; the folder around it (the
	 * canary beside the copy) readable */
	if (o->host) {
		/* no mount namespace: the reference programs and the lab's files
		 * were copied beside the copy (wc_host_sandbox_enter) */
		s->host = 1;
		return;
	}
	s->jail = sb->tmp;
	s->writable[0] = sb->work;
	s->writable[1] = o->writable[0] ? o->writable : NULL;
	snprintf(b->ref_at, sizeof(b->ref_at), "%s/%s", sb->tmp, WC_SANDBOX_REF);
	snprintf(b->lab_at, sizeof(b->lab_at), "%s/%s", sb->tmp, WC_SANDBOX_LAB);
	s->bind_from[0] = o->refdir;
	s->bind_to[0] = b->ref_at;
	if (labdir) {
		s->bind_from[1] = labdir;
		s->bind_to[1] = b->lab_at;
	}
}

/* wc_run_spec for a scenario (NULL: none) and its lab folder */
typedef struct visible {
	char lab[600];
	wc_run_binds b;
} visible;

static void prog_spec(const wc_run_opts *o, const wc_sandbox *sb, int trusted, const wc_scenario *sc, visible *vis,
		      wc_proc_spec *s)
{
	wc_run_spec(o, sb, trusted, sc ? wc_scenario_dir(sc, 1, vis->lab, sizeof(vis->lab)) : NULL, &vis->b, s);
}

/* argv of a reference program: REF_AT/prog, then the words of extra (space-separated),
 * where {lab} stands for the lab's folder, LAB_AT. */
static void ref_argv(const char *prog, const char *fixed, const char *extra, char *store, size_t storelen, char **argv,
		     int max)
{
	int n = 0;
	char *s, *save = NULL, words[1200] = "";
	const char *at;

	extra = extra ? extra : "";
	while ((at = strstr(extra, "{lab}")) != NULL) {
		snprintf(words + strlen(words), sizeof(words) - strlen(words), "%.*s%s", (int)(at - extra), extra,
			 LAB_AT);
		extra = at + 5;
	}
	snprintf(words + strlen(words), sizeof(words) - strlen(words), "%s", extra);
	snprintf(store, storelen, "%s/%s %s %s", REF_AT, prog, fixed ? fixed : "", words);
	for (s = strtok_r(store, " ", &save); s && n < max - 1; s = strtok_r(NULL, " ", &save))
		argv[n++] = s;
	argv[n] = NULL;
}

/* A reference server of a lab that appends a name gets it whole, spaces and all. */
static void add_name(const wc_job *job, char **argv, int max)
{
	int n = 0;

	if (!job->lab->needs_name)
		return;
	while (argv[n])
		n++;
	if (n + 2 < max) {
		argv[n++] = "--name";
		argv[n++] = (char *)job->student;
		argv[n] = NULL;
	}
}

static void ready_failure(wc_record *r, int rc, const char *who, int proto, int ms, pid_t netns_of, pid_t init)
{
	char how[160];
	size_t len;

	wc_proc_describe(&r->prog, how, sizeof(how));
	if (rc == -1)
		/* a bind seen by no look (bound and gone between two) is possible:
		 * said as what was seen (issue 18) */
		snprintf(r->ready_err, sizeof(r->ready_err), "the %s %s before a bound %s port was seen", who, how,
			 proto == IPPROTO_TCP ? "TCP" : "UDP");
	else if (rc == -3)
		snprintf(r->ready_err, sizeof(r->ready_err),
			 "the %s is blocked before binding a %s port, nothing will wake it", who,
			 proto == IPPROTO_TCP ? "TCP" : "UDP");
	else if (rc == -4)
		snprintf(r->ready_err, sizeof(r->ready_err), "the %s kept a CPU busy without binding a %s port", who,
			 proto == IPPROTO_TCP ? "TCP" : "UDP");
	else
		snprintf(r->ready_err, sizeof(r->ready_err), "the %s bound no %s port within %d ms", who,
			 proto == IPPROTO_TCP ? "TCP" : "UDP", ms);
	len = strlen(r->ready_err);
	if (rc != -1 && len < sizeof(r->ready_err)) {
		/* a server of the other transport (a TCP server graded in a UDP lab) is told so */
		int other = proto == IPPROTO_TCP ? IPPROTO_UDP : IPPROTO_TCP;
		wc_bound b[8];
		char where[96];
		int n = discover(other, netns_of, init, b, 8);
		if (n > 0) {
			wc_bound_str(&b[0], where, sizeof(where));
			snprintf(r->ready_err + len, sizeof(r->ready_err) - len,
				 "; it %s %s: this lab's %s uses %s", other == IPPROTO_TCP ? "listens on" : "bound", where,
				 who, proto == IPPROTO_TCP ? "TCP (SOCK_STREAM)" : "UDP (SOCK_DGRAM)");
		}
	}
}

/* err: "cannot start the WHO: " and p's start_err; a path of the sandbox explained */
static void start_failure(const wc_run_opts *o, char *err, size_t errlen, const char *who, const wc_proc *p)
{
	int w = snprintf(err, errlen, "cannot start the %s: %s", who, p->start_err);

	if (w > 0 && (size_t)w < errlen && strstr(p->start_err, "'" REF_AT "/"))
		snprintf(err + w, errlen - (size_t)w, " (%s: the reference programs of '%s')", REF_AT, o->refdir);
}

#define HOST_SERVER "10.0.0.1"
#define HOST_HARNESS "10.0.0.2"

/* Two hosts: a veth pair between this namespace (wc0, HOST_HARNESS) and the
 * one of process pid (wc1, HOST_SERVER), both with an MTU that carries any
 * datagram unfragmented. Enters the other namespace to set its side up. */
static int wire_two_hosts(pid_t pid, char *err, size_t errlen)
{
	char path[64];
	int here, there, rc = -1;

	if (wc_veth_create("wc0", "wc1", pid, err, errlen) < 0 || wc_link_set_mtu("wc0", 65535, err, errlen) < 0 ||
	    wc_addr_add("wc0", HOST_HARNESS "/24", err, errlen) < 0 || wc_link_up("wc0", err, errlen) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	here = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	there = open(path, O_RDONLY | O_CLOEXEC);
	if (here < 0 || there < 0) {
		snprintf(err, errlen, "open %s: %s", here < 0 ? "/proc/thread-self/ns/net" : path, strerror(errno));
	} else if (setns(there, CLONE_NEWNET) < 0) {
		snprintf(err, errlen, "setns %s: %s", path, strerror(errno));
	} else {
		rc = wc_link_up("lo", err, errlen) < 0 || wc_link_set_mtu("wc1", 65535, err, errlen) < 0 ||
				     wc_addr_add("wc1", HOST_SERVER "/24", err, errlen) < 0 ||
				     wc_link_up("wc1", err, errlen) < 0 ||
				     wc_sysctl_write("/proc/sys/net/ipv4/ip_unprivileged_port_start", "0", err, errlen) < 0
			     ? -1
			     : 0;
		if (setns(here, CLONE_NEWNET) < 0) {
			snprintf(err, errlen, "setns back: %s", strerror(errno));
			rc = -1;
		}
	}
	if (here >= 0)
		close(here);
	if (there >= 0)
		close(there);
	return rc;
}

static int is_loopback(const wc_bound *b)
{
	static const uint8_t v6lo[16] = {[15] = 1};
	return b->family == AF_INET ? b->addr[0] == 127 : !memcmp(b->addr, v6lo, 16);
}

static int is_wildcard(const wc_bound *b)
{
	static const uint8_t zero[16];
	return !memcmp(b->addr, zero, b->family == AF_INET ? 4 : 16);
}

/* Host mode: the server ended before binding, saying its address was in use,
 * and a socket of proto that is not the scenario's holds a port out of the
 * ephemeral range on this machine: the port it hard-coded is taken by
 * something else (the machine shares its ports with the scenario). An ERROR
 * naming the holders, in r->setup_err; 1 then, else 0. */
static int host_port_taken(wc_record *r, int proto)
{
	wc_bound b[64];
	unsigned lo, hi;
	int n, w = 0, held = 0;
	const char *err = wc_buf_cstr(&r->prog.err), *out = wc_buf_cstr(&r->prog.out);

	wc_proc_wait(&r->prog, -1);
	if (!r->prog.exited || !(strstr(err, "ddress already in use") || strstr(out, "ddress already in use")))
		return 0;
	ephemeral_range(&lo, &hi);
	n = wc_discover(proto, 0, b, 64);
	for (int i = 0; i < n; i++) {
		char who[160], where[96];
		if (b[i].port >= lo && b[i].port <= hi)
			continue;
		wc_host_port_holder(proto, b[i].port, who, sizeof(who));
		wc_bound_str(&b[i], where, sizeof(where));
		if (!w)
			w = snprintf(r->setup_err, sizeof(r->setup_err),
				     "host mode: the server could not bind (address already in use), and on this "
				     "machine's network namespace, which host mode shares, ");
		if (w > 0 && (size_t)w < sizeof(r->setup_err))
			w += snprintf(r->setup_err + w, sizeof(r->setup_err) - (size_t)w, "%s%s is held by %s",
				      held++ ? "; " : "", where, who[0] ? who : "a socket");
	}
	return w > 0;
}

static void run_server_test(const wc_run_opts *o, const wc_job *job, const wc_sandbox *sb, wc_record *r,
			    wc_capture **cap, int64_t deadline)
{
	const wc_variant *var = wc_lab_variant(job->lab, job->variant);
	int two = job->sc->hosts == 2, sync[2] = {-1, -1};
	char store[2048], *argv[32];
	wc_proc_spec spec;
	visible vis;
	wc_addr target;
	int rc;

	prog_spec(o, sb, job->server_cmd == NULL, job->sc, &vis, &spec);
	if (job->server_cmd) {
		spec.shell_cmd = job->server_cmd;
	} else {
		ref_argv(job->lab->ref_server, "", var ? var->server_args : "", store, sizeof(store), argv, 32);
		add_name(job, argv, 32);
		spec.argv = argv;
	}
	if (two) {
		if (pipe2(sync, O_CLOEXEC) < 0) {
			snprintf(r->setup_err, sizeof(r->setup_err), "pipe: %s", strerror(errno));
			return;
		}
		spec.new_netns = 1;
		spec.sync_fd = sync[0];
		spec.sync_other = sync[1];
	}
	rc = wc_proc_start(&spec, &r->prog, r->setup_err, sizeof(r->setup_err));
	if (two)
		close(sync[0]);
	if (rc < 0) {
		if (two)
			close(sync[1]);
		return;
	}
	r->prog_started = 1;
	if (two) {
		/* the capture runs on the harness's side of the wire before the program does */
		if (wire_two_hosts(r->prog.init, r->setup_err, sizeof(r->setup_err)) == 0)
			*cap = wc_capture_open_scoped("wc0", r->pcap, r->setup_err, sizeof(r->setup_err));
		if (*cap && wc_capture_ready(*cap, r->setup_err, sizeof(r->setup_err)) < 0)
			; /* the program is not let go; the caller stops the capture */
		else if (*cap && write(sync[1], "g", 1) != 1)
			snprintf(r->setup_err, sizeof(r->setup_err), "cannot start the program: %s", strerror(errno));
		close(sync[1]);
		if (!*cap || r->setup_err[0])
			return;
	}
	rc = wait_bound(&r->prog, job->lab->proto, two ? r->prog.init : 0, o->ready_ms, 0, &r->bound, &r->ready_ms,
			r->ready_blocked, sizeof(r->ready_blocked));
	if (rc < 0 && r->prog.start_err[0]) {
		/* the sandbox failed, not the program */
		start_failure(o, r->setup_err, sizeof(r->setup_err), "server", &r->prog);
		return;
	}
	if (rc < 0 && host_sb && host_port_taken(r, job->lab->proto))
		return; /* this machine's port, not the program's fault */
	if (rc < 0) {
		ready_failure(r, rc, "server", job->lab->proto, o->ready_ms, two ? r->prog.init : 0, r->prog.init);
		return;
	}
	r->have_bound = 1;
	/* from here on the capture keeps the scenario's own traffic: the
	 * server's port, then each endpoint's (the driver adds them); none
	 * where the driver's transcript takes its place */
	if (*cap && (wc_capture_ready(*cap, r->setup_err, sizeof(r->setup_err)) < 0 ||
		     wc_capture_keep_port(*cap, r->bound.port, r->setup_err, sizeof(r->setup_err)) < 0))
		return;
	wc_bound_target(&r->bound, &target);
	if (two && is_loopback(&r->bound)) {
		char b[96];
		wc_bound_str(&r->bound, b, sizeof(b));
		snprintf(r->ready_err, sizeof(r->ready_err),
			 "the server bound %s, which another host cannot reach (bind '' for every address)", b);
		return;
	}
	if (two && is_wildcard(&r->bound))
		wc_addr_parse(HOST_SERVER, r->bound.port, &target, r->setup_err, sizeof(r->setup_err));
	if (wc_drive(r, &target, *cap, o->host, deadline, r->setup_err, sizeof(r->setup_err)) < 0)
		return;
}

/* Makes path an empty file the sandbox's programs may write. 0, or -1 with
 * "WHAT 'PATH': ..." in err. */
static int own_file(const wc_sandbox *sb, const char *path, const char *what, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || (sb->drop_priv && fchown(fd, sb->run_uid, sb->run_gid) < 0)) {
		snprintf(err, errlen, "%s '%s': %s", what, path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

static void run_client_test(const wc_run_opts *o, const wc_job *job, const wc_sandbox *sb, wc_record *r,
			    wc_capture *cap, int64_t deadline)
{
	const wc_variant *var = wc_lab_variant(job->lab, job->variant);
	char store[2048], cstore[2048], *argv[32], *cargv[32], err[WC_ERRLEN];
	wc_proc_spec spec;
	visible vis;
	wc_addr none;
	int rc;

	char shim[1200], tfile[700], env_port[64], env_file[760], sfile[700], env_tx[760];

	if (!host_sb && (wc_route_add_default("lo", AF_INET, r->setup_err, sizeof(r->setup_err)) < 0 ||
			 wc_route_add_default("lo", AF_INET6, r->setup_err, sizeof(r->setup_err)) < 0))
		return;
	/* the peer: the reference server, on a port of its own choosing, IPv4 and IPv6 */
	prog_spec(o, sb, 1, job->sc, &vis, &spec);
	ref_argv(job->lab->ref_server, "--bind :: --port 0 --verbose", var ? var->server_args : "", store, sizeof(store),
		 argv, 32);
	add_name(job, argv, 32);
	spec.argv = argv;
	if (r->tx) {
		/* no capture: the reference server writes down what its sockets do */
		server_tx_path(sb, sfile, sizeof(sfile));
		if (own_file(sb, sfile, "the reference server's transcript", r->setup_err, sizeof(r->setup_err)) < 0)
			return;
		snprintf(env_tx, sizeof(env_tx), "%s=%s", WC_SRVTX_ENV, sfile);
		spec.env[0] = env_tx;
	}
	if (wc_proc_start(&spec, &r->ref, r->setup_err, sizeof(r->setup_err)) < 0)
		return;
	r->ref_started = 1;
	rc = wait_bound(&r->ref, job->lab->proto, 0, o->ready_ms, 1, &r->bound, &r->ready_ms, NULL, 0);
	if (rc < 0 && r->ref.start_err[0]) {
		start_failure(o, r->setup_err, sizeof(r->setup_err), "reference server", &r->ref);
		return;
	}
	if (rc < 0) {
		snprintf(r->setup_err, sizeof(r->setup_err), "the reference server did not start: %s",
			 r->ref.err.len ? wc_buf_cstr(&r->ref.err) : "no port bound");
		return;
	}
	r->have_bound = 1;
	if (host_sb) {
		/* no nftables of its own (issue 19): the client's connect and sends
		 * are rewritten by the LD_PRELOAD shim, which writes where it aimed
		 * to tfile; the capture keeps the reference server's port */
		snprintf(shim, sizeof(shim), "%s/%s/%s", sb->tmp, WC_SANDBOX_REF, WC_REDIRECT_SHIM);
		snprintf(tfile, sizeof(tfile), "%s/targets", sb->tmp);
		if (access(shim, R_OK) < 0) {
			snprintf(r->setup_err, sizeof(r->setup_err),
				 "host mode: the redirect shim '%s' is missing (make all builds it beside the reference "
				 "programs): %s", shim, strerror(errno));
			return;
		}
		if (own_file(sb, tfile, "host mode: the shim's file of targets", r->setup_err, sizeof(r->setup_err)) < 0)
			return;
		if (cap && wc_capture_keep_port(cap, r->bound.port, r->setup_err, sizeof(r->setup_err)) < 0)
			return;
	} else if (wc_redirect_install(r->bound.port, r->setup_err, sizeof(r->setup_err)) < 0)
		return;
	if (cap && wc_capture_ready(cap, r->setup_err, sizeof(r->setup_err)) < 0)
		return;
	/* the client under test */
	prog_spec(o, sb, job->client_cmd == NULL, job->sc, &vis, &spec);
	spec.want_stdin = 1;
	if (job->client_cmd) {
		spec.shell_cmd = job->client_cmd;
	} else {
		ref_argv(job->lab->ref_client, "", var ? var->client_args : "", cstore, sizeof(cstore), cargv, 32);
		spec.argv = cargv;
	}
	if (host_sb) {
		spec.uid_shared = 1; /* the reference server's uid too */
		snprintf(env_port, sizeof(env_port), "WIRECHECK_REDIRECT_PORT=%u", (unsigned)r->bound.port);
		snprintf(env_file, sizeof(env_file), "WIRECHECK_TARGETS=%s", tfile);
		spec.preload = shim;
		spec.env[0] = env_port;
		spec.env[1] = env_file;
	}
	if (wc_proc_start(&spec, &r->prog, r->setup_err, sizeof(r->setup_err)) < 0)
		return;
	r->prog_started = 1;
	memset(&none, 0, sizeof(none));
	if (wc_drive(r, &none, NULL, o->host, deadline, r->setup_err, sizeof(r->setup_err)) < 0)
		return;
	if (host_sb) {
		r->targets_by_shim = 1;
		if (wc_redirect_targets_file(tfile, r->targets, WC_MAX_TARGETS, &r->ntargets, err, sizeof(err)) < 0 &&
		    r->ntargets == 0)
			snprintf(r->setup_err, sizeof(r->setup_err), "reading the shim's targets: %s", err);
	} else if (wc_redirect_targets(r->targets, WC_MAX_TARGETS, &r->ntargets, err, sizeof(err)) < 0 &&
		   r->ntargets == 0)
		snprintf(r->setup_err, sizeof(r->setup_err), "reading the redirect's targets: %s", err);
}

/* Is the socket the server bound still open in its namespace? */
static int socket_still_there(const wc_bound *b, pid_t netns_of)
{
	wc_bound now[64];
	int n = wc_discover(b->proto, netns_of, now, 64);

	for (int i = 0; i < n; i++)
		if (now[i].inode == b->inode)
			return 1;
	return 0;
}

/* Waits until the sockets on the reference server's port hold nothing it has
 * not taken (connections not accepted, bytes or datagrams not read), or ms
 * pass: pauses of 1 ms, looked at through /proc/net. */
static void ref_drained(const wc_bound *b, int ms)
{
	int64_t until = wc_now_ms() + ms;

	while (wc_port_unread(b->proto, b->port) > 0 && wc_now_ms() < until)
		poll(NULL, 0, 1);
}

static int pcap_path(const wc_run_opts *o, const wc_job *job, char *buf, size_t n)
{
	int w = snprintf(buf, n, "%s/%s/%s/%s.pcap", o->captures, job->impl, job->sc->lab, job->label);
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

void wc_run_one(const wc_run_opts *o, const wc_job *job, wc_verdict *v)
{
	const wc_scenario *sc = job->sc;
	wc_record r;
	wc_sandbox sb;
	wc_capture *cap = NULL;
	wc_transcript tx;
	char err[WC_ERRLEN];
	int64_t deadline;
	int cap_stopped = 0;

	memset(&r, 0, sizeof(r));
	memset(&sb, 0, sizeof(sb));
	r.sc = sc;
	r.hex = job->hex;
	r.started_ms = wc_now_ms();
	r.prog.init = r.ref.init = -1;
	wc_transcript_init(&tx);
	r.ev = calloc((size_t)sc->nsteps, sizeof(*r.ev));
	if (!r.ev) {
		snprintf(r.setup_err, sizeof(r.setup_err), "out of memory");
		goto judge;
	}
	if (job->lab->needs_name && wc_scenario_bind_name((wc_scenario *)sc, job->student) < 0) {
		/* this worker's own copy of the scenario */
		snprintf(r.setup_err, sizeof(r.setup_err), "out of memory");
		goto judge;
	}
	if (pcap_path(o, job, r.pcap, sizeof(r.pcap)) < 0) {
		snprintf(r.setup_err, sizeof(r.setup_err), "the capture path under '%s' is too long", o->captures);
		goto judge;
	}
	if (o->host && !wc_run_host_can(sc)) {
		snprintf(r.setup_err, sizeof(r.setup_err),
			 "not run in host mode: a two-host scenario needs a veth pair between two network namespaces");
		goto judge;
	}
	if (o->host) {
		char lab[600];
		if (wc_host_sandbox_enter(&sb, job->dir, o->refdir, wc_scenario_dir(sc, 1, lab, sizeof(lab)), r.setup_err,
					  sizeof(r.setup_err)) < 0)
			goto leave;
		host_sb = &sb;
		wc_idle_read_as(sb.drop_priv, sb.run_uid, sb.run_gid);
	} else if (wc_sandbox_enter(&sb, job->dir, r.setup_err, sizeof(r.setup_err)) < 0)
		goto leave;
	if (job->lab->docroot) {
		char dir[600], from[1200];
		char sub[512] = "";
		const char *rest;
		snprintf(from, sizeof(from), "%s/%s", wc_scenario_dir(sc, 1, dir, sizeof(dir)), job->lab->docroot);
		/* a server run in a folder of the submission ("cd Lab2 && ...") serves the lab's files from there too */
		if (job->server_cmd)
			wc_manifest_cmd_folder(job->server_cmd, sub, sizeof(sub), &rest);
		if (wc_sandbox_add(&sb, from, NULL, WC_DOCROOT_MTIME, r.setup_err, sizeof(r.setup_err)) < 0 ||
		    (sub[0] && wc_sandbox_add(&sb, from, sub, WC_DOCROOT_MTIME, r.setup_err, sizeof(r.setup_err)) < 0) ||
		    wc_sandbox_canary(&sb, WC_CANARY_NAME, WC_CANARY_TEXT, r.setup_err, sizeof(r.setup_err)) < 0)
			goto leave;
	}
	if (o->reconstruct) {
		/* no capture can be opened: the driver writes down what its sockets do */
		r.tx = &tx;
		r.reconstructed = 1;
	} else if (sc->hosts == 1) {
		/* opens while the programs start; they wait for it before the first exchange */
		/* host mode's lo carries the machine's traffic: a client's capture
		 * keeps the reference server's port (run_client_test) */
		cap = sc->role == WC_TEST_SERVER || o->host
			      ? wc_capture_open_scoped("lo", r.pcap, r.setup_err, sizeof(r.setup_err))
						 : wc_capture_open("lo", r.pcap, r.setup_err, sizeof(r.setup_err));
		if (!cap)
			goto leave;
	}
	deadline = wc_now_ms() + sc->deadline_ms;
	if (sc->role == WC_TEST_SERVER)
		run_server_test(o, job, &sb, &r, &cap, deadline);
	else
		run_client_test(o, job, &sb, &r, cap, deadline);
	if (r.prog_started && sc->role == WC_TEST_SERVER && r.have_bound &&
	    !socket_still_there(&r.bound, sc->hosts == 2 ? r.prog.init : 0)) {
		/* its socket is gone: the program is ending (a crash in progress);
		 * let it finish, so its own exit status is what the report shows */
		int64_t until = wc_now_ms() + o->grace_ms;
		while (!r.prog.exited && wc_now_ms() < until)
			wc_proc_wait(&r.prog, (int)(until - wc_now_ms()));
	}
	/* Two hosts: the veth pair dies with the program's namespace, so the
	 * capture on it ends first; what comes after the last step is judged by
	 * no check anyway. */
	if (cap && sc->hosts == 2) {
		if (wc_capture_stop(cap, &r.cst, err, sizeof(err)) < 0 && !r.setup_err[0])
			snprintf(r.setup_err, sizeof(r.setup_err), "capture: %s", err);
		cap_stopped = 1;
	}
	if (r.prog_started)
		wc_proc_stop(&r.prog, o->grace_ms);
	/* an end after the steps, when the driver closed its sockets (a server
	 * killed by SIGPIPE writing to them), is not one the scenario asked about:
	 * the scenarios that grade surviving a client's leaving have steps for it
	 * (issue 15: the same server was named as crashed in some runs of
	 * http/two-clients, not in others) */
	r.prog_ended_early = r.prog_started && wc_proc_ended_by_itself(&r.prog) && !r.prog_outlived_steps;
	if (r.ref_started && r.tx && r.have_bound)
		/* its transcript holds only what it read: let it take what the
		 * client sent before it is stopped (a capture saw it on the wire) */
		ref_drained(&r.bound, RECONSTRUCT_DRAIN_MS);
	if (r.ref_started)
		wc_proc_stop(&r.ref, o->grace_ms);
	if (o->host)
		/* what escaped init (orphans of an init that was killed) goes too:
		 * every process of the uid this worker gave its programs */
		wc_host_kill_worker_uid(getpid());
	if (o->host && r.have_bound) {
		/* the next scenario binds the same hard-coded port in this same
		 * namespace: it must be free when this one is over */
		if (wc_host_wait_port_free(r.bound.proto, r.bound.port, 10000, err, sizeof(err)) < 0 && !r.setup_err[0])
			snprintf(r.setup_err, sizeof(r.setup_err), "%s", err);
	}
	if (cap && !cap_stopped && wc_capture_stop(cap, &r.cst, err, sizeof(err)) < 0 && !r.setup_err[0])
		snprintf(r.setup_err, sizeof(r.setup_err), "capture: %s", err);
	if (r.tx && sc->role == WC_TEST_CLIENT && r.ref_started && !r.setup_err[0]) {
		/* the reference server has ended: its transcript is whole */
		char sfile[700];
		server_tx_path(&sb, sfile, sizeof(sfile));
		if (wc_transcript_load_server(r.tx, sfile, err, sizeof(err)) < 0)
			snprintf(r.setup_err, sizeof(r.setup_err), "%s", err);
	}
	if (r.tx && !r.setup_err[0]) {
		if (wc_transcript_write_pcap(r.tx, r.pcap, &r.cst, err, sizeof(err)) < 0)
			snprintf(r.setup_err, sizeof(r.setup_err), "the reconstructed capture: %s", err);
		else if (wc_trace_load(r.pcap, &r.trace, err, sizeof(err)) < 0)
			snprintf(r.setup_err, sizeof(r.setup_err), "%s", err);
		else
			r.have_trace = 1;
	} else if (!cap) {
		if (!r.setup_err[0])
			snprintf(r.setup_err, sizeof(r.setup_err), "no capture was started");
	} else if (wc_trace_load(r.pcap, &r.trace, err, sizeof(err)) < 0) {
		if (!r.setup_err[0])
			snprintf(r.setup_err, sizeof(r.setup_err), "%s", err);
	} else {
		r.have_trace = 1;
	}
leave:
	wc_sandbox_leave(&sb);
	host_sb = NULL;
	wc_idle_read_as(0, 0, 0);
judge:
	r.ended_ms = wc_now_ms();
	wc_check(&r, v);
	if (r.prog_started)
		wc_proc_free(&r.prog);
	if (r.ref_started)
		wc_proc_free(&r.ref);
	wc_trace_free(&r.trace);
	wc_transcript_free(&tx);
	free(r.ev);
}

static int is_zombie(pid_t pid)
{
	char path[64], buf[512], *rp;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* pid (comm) STATE ...: comm may hold blanks and parentheses */
	rp = strrchr(buf, ')');
	errno = 0;
	return rp && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X');
}

/* A worker that is gone, or a zombie nobody reaped: what it made is stale. */
static int worker_gone(pid_t pid)
{
	errno = 0;
	return (kill(pid, 0) < 0 && errno == ESRCH) || (errno == 0 && is_zombie(pid));
}

int wc_run_clean_stale(void)
{
	const char *tmpdir = getenv("TMPDIR");
	char pat[600];
	glob_t g;
	int removed = wc_cgroup_clean_stale(worker_gone);

	snprintf(pat, sizeof(pat), "%s/wirecheck-*-*", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (glob(pat, 0, NULL, &g) != 0)
		return removed;
	for (size_t i = 0; i < g.gl_pathc; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;
		char *end;
		long pid = strtol(base + strlen("wirecheck-"), &end, 10);
		struct stat st;
		/* a worker's folder whose worker is gone (or a zombie nobody reaped), and ours to remove */
		if (pid <= 0 || *end != '-' || lstat(g.gl_pathv[i], &st) < 0 || !S_ISDIR(st.st_mode) ||
		    st.st_uid != geteuid() || (kill((pid_t)pid, 0) == 0 && !is_zombie((pid_t)pid)) ||
		    (errno != ESRCH && errno != 0))
			continue;
		if (wc_remove_tree(g.gl_pathv[i]) == 0)
			removed++;
	}
	globfree(&g);
	return removed;
}

/* ---- building a submission ---- */

static void remove_worker_tmp(pid_t pid);
static int reap_worker(pid_t pid, int *st, int block);
static int run_host; /* wc_run_all runs in host mode */

/* The sandboxes this run has numbered (wc_sandbox_number): builds and scenarios */
static unsigned sandbox_seq;

/* In the worker: the build in a sandbox; its message into fd. Returns the exit status of the worker. */
static int build_in_sandbox(const wc_run_opts *o, const char *src, const char *dst, const char *cmd, int timeout_ms,
			    int fd)
{
	wc_sandbox sb;
	wc_proc p;
	wc_proc_spec spec;
	visible vis;
	char msg[2048] = "", how[160];
	int rc = 1;
	int64_t until;

	memset(&p, 0, sizeof(p));
	p.init = -1;
	if ((o->host ? wc_host_sandbox_enter(&sb, src, NULL, NULL, msg, sizeof(msg))
		     : wc_sandbox_enter(&sb, src, msg, sizeof(msg))) < 0)
		goto out;
	prog_spec(o, &sb, 0, NULL, &vis, &spec);
	spec.shell_cmd = cmd;
	if (wc_proc_start(&spec, &p, msg, sizeof(msg)) < 0) {
		wc_proc_free(&p);
		goto out;
	}
	until = wc_now_ms() + timeout_ms;
	while (!p.exited && wc_now_ms() < until)
		wc_proc_wait(&p, (int)(until - wc_now_ms()));
	if (p.exited && p.start_err[0]) {
		start_failure(o, msg, sizeof(msg), "build", &p);
	} else if (!p.exited) {
		wc_proc_stop(&p, o->grace_ms);
		snprintf(msg, sizeof(msg), "'%s' did not finish within %d ms", cmd, timeout_ms);
	} else if (!WIFEXITED(p.status) || WEXITSTATUS(p.status) != 0) {
		const char *e = wc_buf_cstr(&p.err);
		size_t el = strlen(e);
		wc_proc_describe(&p, how, sizeof(how));
		/* the whole log (its last WC_BUILD_LOG_MAX bytes): the caller keeps it beside the report */
		snprintf(msg, sizeof(msg), "'%s' %s:\n", cmd, how);
		wc_write_all(fd, msg, strlen(msg));
		msg[0] = 0;
		if (el > WC_BUILD_LOG_MAX)
			e += el - WC_BUILD_LOG_MAX;
		wc_write_all(fd, e, strlen(e));
	} else if (wc_copy_tree(sb.work, dst, msg, sizeof(msg)) == 0) {
		rc = 0;
	}
	wc_proc_stop(&p, o->grace_ms);
	wc_proc_free(&p);
out:
	wc_sandbox_leave(&sb);
	if (msg[0])
		wc_write_all(fd, msg, strlen(msg));
	return rc;
}

int wc_run_build(const wc_run_opts *o, const char *src, const char *dst, const char *cmd, int timeout_ms, char *why,
		 size_t whylen)
{
	int fds[2], st = 0;
	size_t got = 0;
	pid_t pid;

	why[0] = 0;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		return -1;
	}
	unsigned seq = sandbox_seq++;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		snprintf(why, whylen, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_IGN);
		wc_sandbox_number((unsigned)getppid(), seq);
		exit(build_in_sandbox(o, src, dst, cmd, timeout_ms, fds[1]));
	}
	close(fds[1]);
	for (;;) {
		ssize_t r = read(fds[0], why + got, whylen - 1 - got);
		if (r > 0 && (got += (size_t)r) < whylen - 1)
			continue;
		if (r < 0 && errno == EINTR)
			continue;
		break;
	}
	why[got] = 0;
	close(fds[0]);
	reap_worker(pid, &st, 1);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (!why[0])
		snprintf(why, whylen, "the build worker ended with status %d", st);
	return -1;
}

/* ---- the pool ---- */

typedef struct worker {
	pid_t pid;
	int fd;
	int job;
	wc_buf in;
	int64_t kill_at;
} worker;

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	interrupted = sig;
}

void wc_run_catch_interrupts(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt; /* no SA_RESTART: a blocking call returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int wc_run_interrupted(void)
{
	return interrupted != 0;
}

/* The verdict crosses the pipe as its fixed part, then the detail text. */
static void send_verdict(int fd, const wc_verdict *v)
{
	wc_verdict fixed = *v;
	size_t dlen = v->detail.len;

	memset(&fixed.detail, 0, sizeof(fixed.detail));
	fixed.detail.len = dlen;
	wc_write_all(fd, &fixed, sizeof(fixed));
	if (dlen)
		wc_write_all(fd, v->detail.p, dlen);
}

/* Has the whole verdict come through the pipe? */
static int verdict_whole(const worker *w)
{
	wc_verdict fixed;

	if (w->in.len < sizeof(fixed))
		return 0;
	memcpy(&fixed, w->in.p, sizeof(fixed));
	return fixed.detail.len <= w->in.len - sizeof(fixed);
}

/* Workers whose verdict is in and that are still closing their captures:
 * reaped when they end, without holding up the next scenario. */
typedef struct ending {
	pid_t pid[128];
	int n;
} ending;

static void reap_ending(ending *e, int block)
{
	for (int i = 0; i < e->n;) {
		if (!reap_worker(e->pid[i], NULL, block)) {
			i++;
			continue;
		}
		e->pid[i] = e->pid[--e->n];
	}
}

static void take_verdict(worker *w, wc_verdict *v, int status)
{
	wc_verdict fixed;

	if (w->in.len >= sizeof(fixed)) {
		memcpy(&fixed, w->in.p, sizeof(fixed));
		wc_buf_free(&v->detail);
		*v = fixed;
		wc_buf_init(&v->detail, 64 * 1024);
		if (fixed.detail.len <= w->in.len - sizeof(fixed))
			wc_buf_put(&v->detail, w->in.p + sizeof(fixed), fixed.detail.len);
		return;
	}
	v->outcome = WC_ERROR;
	if (WIFSIGNALED(status))
		snprintf(v->summary, sizeof(v->summary), "the harness worker was killed by signal %d (%s)%s",
			 WTERMSIG(status), strsignal(WTERMSIG(status)),
			 w->kill_at && wc_now_ms() >= w->kill_at ? ": it overran the scenario's deadline" : "");
	else
		snprintf(v->summary, sizeof(v->summary), "the harness worker ended with status %d and no verdict",
			 WEXITSTATUS(status));
}

static void remove_worker_tmp(pid_t pid)
{
	const char *tmpdir = getenv("TMPDIR");
	char pat[600];
	glob_t g;

	snprintf(pat, sizeof(pat), "%s/wirecheck-%d-*", tmpdir && *tmpdir ? tmpdir : "/tmp", (int)pid);
	if (glob(pat, 0, NULL, &g) == 0)
		for (size_t i = 0; i < g.gl_pathc; i++)
			wc_remove_tree(g.gl_pathv[i]);
	globfree(&g);
	/* a worker killed at its deadline left its program's cgroup (the
	 * program dies with it: init has PDEATHSIG) */
	wc_cgroup_remove_worker(pid);
	/* in host mode no PID namespace takes the program's other processes
	 * with it: those of its uid are killed here */
	if (run_host)
		wc_host_kill_worker_uid(pid);
}

/*
 * Reaps worker pid once it has ended (block: waits for that; else 0 if it
 * runs still), its leftovers removed first: until it is reaped its pid is
 * given to no other process, so host mode's uid of that pid is no other
 * worker's yet, and the kill of every process of that uid reaches this
 * worker's leftovers alone. Reaped after, another wirecheck's worker could
 * have been given the pid meanwhile, and its program was killed (signal 9,
 * seen beside fork bombs that cycle through the pids). 1 once reaped, *st
 * (if not NULL) its status.
 */
static int reap_worker(pid_t pid, int *st, int block)
{
	siginfo_t si;
	int s = 0;

	memset(&si, 0, sizeof(si));
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT | (block ? 0 : WNOHANG)) < 0) {
		if (errno != EINTR) {
			si.si_pid = pid; /* not ours to wait for: nothing holds the pid */
			break;
		}
	}
	if (si.si_pid == 0)
		return 0;
	remove_worker_tmp(pid);
	while (waitpid(pid, &s, 0) < 0 && errno == EINTR)
		;
	if (st)
		*st = s;
	return 1;
}

/* May the scenario earn the rubric's credit for ASCII hex in a second run, its
 * messages spelled as hex text? A DNS scenario with a server under test whose
 * binary messages failed, that sends and expects DNS messages, no probe of hex
 * of its own (dns/hex-probe). */
static int hex_run_applies(const wc_job *job, const wc_verdict *v)
{
	const wc_scenario *sc = job->sc;
	int sends = 0, dns = 0;

	if (!sc->ascii_hex_credit || sc->role != WC_TEST_SERVER || v->outcome != WC_FAIL || v->credit_pct ||
	    !job->server_cmd)
		return 0;
	for (int i = 0; i < sc->nsteps; i++) {
		const wc_step *st = &sc->steps[i];
		if (st->as_hex || st->match == WC_MATCH_DNS_NOT_HEX)
			return 0;
		sends += st->kind == WC_STEP_SEND;
		dns += st->kind == WC_STEP_EXPECT && (st->match == WC_MATCH_DNS || st->match == WC_MATCH_DNS_RCODE);
	}
	return sends && dns;
}

/* A server of hex text fails every binary query, or dies of it. Under a
 * rubric's 'ascii-hex dns PERCENT' the scenario runs once more with each
 * message spelled as hex text; if the server then answers right in hex text,
 * that run's verdict (a FAIL worth PERCENT of the points) stands, saying what
 * the binary run got; else the binary run's verdict stands. */
static void hex_run(const wc_run_opts *o, const wc_job *job, wc_verdict *v)
{
	wc_job hj;
	wc_verdict h;

	if (!hex_run_applies(job, v))
		return;
	hj = *job;
	hj.hex = 1;
	wc_verdict_init(&h);
	wc_run_one(o, &hj, &h);
	if (h.outcome != WC_FAIL || !h.credit_pct) {
		wc_verdict_free(&h);
		return;
	}
	wc_buf_printf(&h.detail, "  the binary messages (RFC 1035), in the first run: %s\n", v->summary);
	wc_verdict_free(v);
	*v = h;
}

static int start_worker(const wc_run_opts *o, const wc_job *job, int idx, worker *w)
{
	int fds[2];
	pid_t pid;
	unsigned seq = sandbox_seq++;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		wc_verdict v;
		close(fds[0]);
		setpgid(0, 0); /* a terminal's ^C goes to the parent, which cleans up */
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_IGN);
		wc_sandbox_number((unsigned)getppid(), seq);
		wc_verdict_init(&v);
		wc_run_one(o, job, &v);
		if (v.outcome == WC_ERROR && v.drops) {
			/* a capture that lost frames cannot judge; once more */
			wc_verdict_free(&v);
			wc_verdict_init(&v);
			wc_run_one(o, job, &v);
			v.retried = 1;
		}
		hex_run(o, job, &v);
		send_verdict(fds[1], &v);
		/* the parent goes on as soon as the verdict is in; closing the
		 * capture sockets (~25 ms of kernel waits each) happens meanwhile */
		close(fds[1]);
		wc_capture_release();
		wc_redirect_release();
		exit(0); /* not _exit: coverage data is written at exit; stdio was flushed before fork */
	}
	close(fds[1]);
	memset(w, 0, sizeof(*w));
	w->pid = pid;
	w->fd = fds[0];
	w->job = idx;
	wc_buf_init(&w->in, 0);
	w->kill_at = wc_now_ms() + job->sc->deadline_ms + o->ready_ms + 10000;
	return 0;
}

int wc_run_all(const wc_run_opts *o, const wc_job *jobs, int n, wc_verdict *v,
	       void (*on_done)(int i, void *ctx), void *ctx)
{
	int max = o->jobs < 1 ? 1 : o->jobs > 64 ? 64 : o->jobs;
	worker *w = calloc((size_t)max, sizeof(*w));
	struct sigaction sa, old_int, old_term;
	int next = 0, running = 0;
	ending gone = {.n = 0};

	if (!w)
		return -1;
	run_host = o->host;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	while ((next < n || running) && !interrupted) {
		struct pollfd pfd[64];
		int64_t now = wc_now_ms(), wait = 1000;

		while (next < n && running < max) {
			int slot = 0;
			while (w[slot].pid)
				slot++;
			if (start_worker(o, &jobs[next], next, &w[slot]) < 0) {
				v[next].outcome = WC_ERROR;
				snprintf(v[next].summary, sizeof(v[next].summary), "cannot start a worker: %s",
					 strerror(errno));
				if (on_done)
					on_done(next, ctx);
			} else {
				running++;
			}
			next++;
		}
		for (int i = 0; i < max; i++) {
			pfd[i].fd = w[i].pid ? w[i].fd : -1;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
			if (w[i].pid && w[i].kill_at - now < wait)
				wait = w[i].kill_at - now;
		}
		if (poll(pfd, (nfds_t)max, wait < 0 ? 0 : (int)wait) < 0 && errno != EINTR)
			break;
		now = wc_now_ms();
		for (int i = 0; i < max; i++) {
			char buf[65536];
			ssize_t r = 0;
			int st;

			if (!w[i].pid)
				continue;
			if (pfd[i].revents) {
				r = read(w[i].fd, buf, sizeof(buf));
				if (r > 0) {
					wc_buf_put(&w[i].in, buf, (size_t)r);
					continue;
				}
				if (r < 0 && errno == EINTR)
					continue;
			} else if (now >= w[i].kill_at) {
				kill(w[i].pid, SIGKILL);
			} else {
				continue;
			}
			if (pfd[i].revents || r < 0) {
				close(w[i].fd);
				if (verdict_whole(&w[i]) && gone.n < (int)(sizeof(gone.pid) / sizeof(gone.pid[0]))) {
					gone.pid[gone.n++] = w[i].pid;
					st = 0;
				} else {
					reap_worker(w[i].pid, &st, 1);
				}
				take_verdict(&w[i], &v[w[i].job], st);
				wc_buf_free(&w[i].in);
				if (on_done)
					on_done(w[i].job, ctx);
				w[i].pid = 0;
				running--;
			}
		}
		reap_ending(&gone, 0);
	}
	if (interrupted)
		for (int i = 0; i < gone.n; i++)
			kill(gone.pid[i], SIGKILL);
	reap_ending(&gone, 1);
	if (interrupted) {
		for (int i = 0; i < max; i++) {
			if (!w[i].pid)
				continue;
			kill(w[i].pid, SIGKILL);
			reap_worker(w[i].pid, NULL, 1);
			close(w[i].fd);
			wc_buf_free(&w[i].in);
		}
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	free(w);
	return interrupted ? -1 : 0;
}
