/* preflight.c - the checks before the first scenario (and 'wirecheck doctor'): each failure of the machine said once, in words */
#include "run/preflight.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/capture.h"
#include "sandbox/host.h"
#include "sandbox/netns.h"
#include "sandbox/proc.h"
#include "sandbox/redirect.h"
#include "sandbox/sandbox.h"
#include "sandbox/transcript.h"
#include "sock.h"

static wc_preflight_item *add(wc_preflight *pf, const char *name, int ok, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Appends an item (the last is overwritten when full). */
static wc_preflight_item *add(wc_preflight *pf, const char *name, int ok, const char *fmt, ...)
{
	wc_preflight_item *it = &pf->item[pf->n < WC_PREFLIGHT_MAX ? pf->n++ : WC_PREFLIGHT_MAX - 1];
	va_list ap;

	snprintf(it->name, sizeof(it->name), "%s", name);
	it->ok = ok;
	va_start(ap, fmt);
	vsnprintf(it->detail, sizeof(it->detail), fmt, ap);
	va_end(ap);
	if (!ok)
		pf->failed++;
	return it;
}

/* The reference programs and the labs' folders, as the harness sees them. 0 if all are there. */
static int check_files(const wc_run_opts *o, const char *fixtures, const wc_lab *const *labs, int nlabs,
		       wc_preflight *pf)
{
	struct stat st;
	int bad = 0, progs = 0;

	if (stat(o->refdir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		add(pf, "reference programs", 0,
		    "cannot open the folder of the reference programs '%s': %s (build them with 'make', or "
		    "install wirecheck with 'make install')",
		    o->refdir, stat(o->refdir, &st) < 0 ? strerror(errno) : "not a folder");
		bad = 1;
	} else {
		for (int i = 0; i < nlabs && !bad; i++) {
			const char *p[2] = {labs[i]->ref_server, labs[i]->ref_client};
			for (int k = 0; k < 2 && !bad; k++) {
				char path[1400];
				snprintf(path, sizeof(path), "%s/%s", o->refdir, p[k]);
				if (access(path, X_OK) < 0) {
					add(pf, "reference programs", 0,
					    "cannot run the reference program '%s': %s (build them with 'make')", path,
					    strerror(errno));
					bad = 1;
				}
				progs++;
			}
		}
		if (!bad)
			add(pf, "reference programs", 1, "%d in '%s'", progs, o->refdir);
	}
	for (int i = 0; i < nlabs; i++) {
		char path[1400];
		DIR *d;
		snprintf(path, sizeof(path), "%s/%s", fixtures, labs[i]->name);
		if ((d = opendir(path)) == NULL) {
			add(pf, "fixtures", 0,
			    "cannot open the scenarios of lab '%s', '%s': %s (--fixtures DIR or WIRECHECK_FIXTURES "
			    "names another folder)",
			    labs[i]->name, path, strerror(errno));
			return -1;
		}
		closedir(d);
	}
	add(pf, "fixtures", 1, "%d labs in '%s'", nlabs, fixtures);
	return bad ? -1 : 0;
}

/* Appends to script (at n) the files of lab's folder that variant v gives its
 * reference programs ({lab}/NAME in their arguments), as the jail shows them. */
static size_t lab_files(const wc_lab *lab, const wc_variant *v, char *script, size_t size, size_t n)
{
	const char *args[2] = {v->server_args, v->client_args};

	for (int k = 0; k < 2; k++) {
		const char *a = args[k] ? args[k] : "", *at;
		while ((at = strstr(a, "{lab}")) != NULL && n < size) {
			size_t len = strcspn(at + 5, " ");
			n += (size_t)snprintf(script + n, size - n, " %s/%s%.*s", WC_RUN_LAB_AT, lab->name, (int)len,
					      at + 5);
			a = at + 5 + len;
		}
	}
	return n;
}

/* In the worker, in the sandbox: a program in the jail, as the programs under
 * test run, can run every reference program and read the labs' files they
 * are given, through the binds the scenarios use (the fixtures folder bound
 * where a scenario's lab folder is, so ../lab/dns/table). */
static void check_jail(const wc_run_opts *o, const wc_sandbox *sb, const char *fixtures, const wc_lab *const *labs,
		       int nlabs, wc_preflight *pf)
{
	char script[4096], who[64], bad[1200];
	wc_run_binds b;
	wc_proc_spec spec;
	wc_proc p;
	size_t n;

	if (sb->drop_priv)
		snprintf(who, sizeof(who), "uid %u", (unsigned)sb->run_uid);
	else
		snprintf(who, sizeof(who), "your own uid");
	/* what execve needs of each reference program, and each file of a lab the
	 * references are given ({lab} in a variant's arguments: the DNS table),
	 * tested by the shell's test, access(2) as this user: no process per file */
	n = (size_t)snprintf(script, sizeof(script), "fail=0\nfor f in");
	for (int i = 0; i < nlabs && n < sizeof(script); i++) {
		n += (size_t)snprintf(script + n, sizeof(script) - n, " %s/%s %s/%s", WC_RUN_REF_AT, labs[i]->ref_server,
				      WC_RUN_REF_AT, labs[i]->ref_client);
		for (int v = 0; v < labs[i]->nvariants; v++)
			n = lab_files(labs[i], &labs[i]->variants[v], script, sizeof(script), n);
	}
	if (n < sizeof(script))
		n += (size_t)snprintf(script + n, sizeof(script) - n,
				      "; do\n"
				      "  case $f in\n"
				      "  " WC_RUN_REF_AT "/*) [ -x \"$f\" ] && [ -r \"$f\" ] || { echo \"cannot run the "
				      "reference program $f as %s\"; fail=1; } ;;\n"
				      "  *) [ -r \"$f\" ] || { echo \"cannot read the lab's file $f as %s\"; fail=1; } ;;\n"
				      "  esac\n"
				      "done\n"
				      "exit $fail\n",
				      who, who);
	if (n >= sizeof(script)) {
		add(pf, "sandbox", 0, "the check's script is too long");
		return;
	}
	wc_run_spec(o, sb, 1, fixtures, &b, &spec);
	spec.shell_cmd = script;
	spec.limits.cpu_s = 10;
	if (wc_proc_start(&spec, &p, bad, sizeof(bad)) < 0) {
		add(pf, "sandbox", 0, "cannot start a program in the sandbox: %s", bad);
		wc_proc_free(&p);
		return;
	}
	{
		int64_t until = wc_now_ms() + 20000;
		while (!p.exited && wc_now_ms() < until)
			wc_proc_wait(&p, (int)(until - wc_now_ms()));
	}
	wc_proc_stop(&p, 0);
	if (p.start_err[0]) {
		add(pf, "sandbox", 0, "cannot start a program in the sandbox: %s", p.start_err);
	} else if (p.killed || !WIFEXITED(p.status) || WEXITSTATUS(p.status) != 0) {
		char out[900], how[160];
		const char *err = wc_buf_cstr(&p.err);
		size_t ol;
		snprintf(out, sizeof(out), "%s", wc_buf_cstr(&p.out));
		for (ol = strlen(out); ol && out[ol - 1] == '\n'; ol--)
			out[ol - 1] = 0;
		for (char *nl = strchr(out, '\n'); nl; nl = strchr(nl, '\n'))
			*nl = ';';
		wc_proc_describe(&p, how, sizeof(how));
		add(pf, "sandbox", 0,
		    "%s%s%s%s (in the sandbox, %s is '%s' and %s is '%s', bound read-only: what the programs run "
		    "or read must be readable, and executable, by every user: chmod a+rX)",
		    out[0] ? out : "the check ", out[0] ? "" : how, !out[0] && *err ? ": " : "", !out[0] ? err : "",
		    WC_RUN_REF_AT, o->refdir, WC_RUN_LAB_AT, fixtures);
	} else {
		add(pf, "sandbox", 1, "programs run as %s %s", who,
		    o->host ? "in a private folder beside copies of the reference programs and the labs' files"
			    : "in a jail that reaches the reference programs and the labs' files");
	}
	wc_proc_free(&p);
}

/* In the worker: everything that needs the namespaces. */
/* Host mode: a client scenario's destinations are rewritten by the LD_PRELOAD
 * shim, copied beside the reference programs. It is there and it loads: a
 * child dlopen()s it (its constructor reads no target file there), so that a
 * shim built for another libc or left out of the build is said once, here,
 * and not as every client scenario's ERROR. */
static void check_shim(const wc_sandbox *sb, const char *refdir, wc_preflight *pf)
{
	char shim[1200], why[512] = "";
	int p[2];
	pid_t pid;
	ssize_t n;
	int st = 0;

	snprintf(shim, sizeof(shim), "%s/%s/%s", sb->tmp, WC_SANDBOX_REF, WC_REDIRECT_SHIM);
	if (access(shim, R_OK) < 0) {
		add(pf, "redirect shim", 0, "'%s/%s' is missing: %s (make all builds it beside the reference programs)",
		    refdir, WC_REDIRECT_SHIM, strerror(errno));
		return;
	}
	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		add(pf, "redirect shim", 0, "cannot try the shim: %s", strerror(errno));
		return;
	}
	if (pid == 0) {
		void *h = dlopen(shim, RTLD_NOW | RTLD_LOCAL);
		const char *e = h ? "" : dlerror();
		if (!h && write(p[1], e, strlen(e)) < 0)
			_exit(2);
		_exit(h ? 0 : 1);
	}
	close(p[1]);
	n = read(p[0], why, sizeof(why) - 1);
	why[n > 0 ? n : 0] = 0;
	close(p[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		add(pf, "redirect shim", 0, "'%s' does not load: %s", shim, why[0] ? why : "the trial ended on a signal");
	else
		add(pf, "redirect shim", 1, "a client's destinations are rewritten by %s (LD_PRELOAD; a static "
		    "binary is reported, not redirected)", WC_REDIRECT_SHIM);
}

static void check_namespaces(const wc_run_opts *o, const char *fixtures, const wc_lab *const *labs, int nlabs,
			     int needs, int files_ok, wc_preflight *pf)
{
	wc_sandbox sb;
	char err[1200], path[700];
	wc_capture *cap;
	wc_capture_stats cst;

	if (o->host) {
		/* host mode: nothing is entered; two-host scenarios are not run */
		if (wc_host_sandbox_enter(&sb, NULL, o->refdir, fixtures, err, sizeof(err)) < 0) {
			add(pf, "host mode", 0, "cannot make a scenario's private folder: %s", err);
			wc_sandbox_leave(&sb);
			return;
		}
		add(pf, "host mode", 1, "no namespace: %s; a private folder in '%s'", WC_HOST_LOSES, sb.tmp);
		if (files_ok)
			check_jail(o, &sb, fixtures, labs, nlabs, pf);
		if (needs & WC_NEED_REDIRECT)
			check_shim(&sb, o->refdir, pf);
		needs = 0;
	} else if (wc_sandbox_enter(&sb, NULL, err, sizeof(err)) < 0) {
		add(pf, "namespaces", 0, "cannot make a scenario's sandbox: %s", err);
		wc_sandbox_leave(&sb);
		return;
	} else {
		add(pf, "namespaces", 1, "%s, a private folder in '%s'",
		    sb.rootless ? "user and network namespaces (rootless)" : "network namespace (as root)", sb.tmp);
	}
	if (files_ok && !o->host)
		check_jail(o, &sb, fixtures, labs, nlabs, pf);
	if (needs & WC_NEED_VETH) {
		if (wc_veth_create("wcpf0", "wcpf1", 0, err, sizeof(err)) < 0)
			add(pf, "two hosts", 0, "cannot make a veth pair: %s (the kernel needs the veth module)", err);
		else
			add(pf, "two hosts", 1, "a veth pair can be made");
	}
	if (needs & WC_NEED_REDIRECT) {
		if (wc_route_add_default("lo", AF_INET, err, sizeof(err)) < 0 || wc_redirect_install(9, err, sizeof(err)) < 0)
			add(pf, "nftables", 0, "cannot install the redirect of a client scenario: %s (the kernel needs "
			    "nf_tables and nft_nat)", err);
		else
			add(pf, "nftables", 1, "the redirect of a client scenario installs");
	}
	snprintf(path, sizeof(path), "%s/preflight.pcap", sb.tmp);
	if (o->reconstruct) {
		add(pf, "capture", 1, "no capture (no CAP_NET_RAW): %s", WC_TRANSCRIPT_LOSES);
		wc_sandbox_leave(&sb);
		return;
	}
	cap = wc_capture_start("lo", path, err, sizeof(err));
	if (!cap) {
		add(pf, "capture", 0, "cannot capture on lo with libpcap: %s", err);
	} else if (wc_capture_stop(cap, &cst, err, sizeof(err)) < 0) {
		add(pf, "capture", 0, "cannot capture on lo with libpcap: %s", err);
	} else {
		add(pf, "capture", 1, "libpcap captures on lo");
	}
	wc_sandbox_leave(&sb);
}

/* The worker still closing its capture and nftables sockets (the kernel makes
 * each close wait ~25 ms): reaped by wc_preflight_reap, not waited for. */
static pid_t closing = -1;

void wc_preflight_reap(void)
{
	if (closing > 0)
		waitpid(closing, NULL, 0);
	closing = -1;
}

int wc_preflight_run(const wc_run_opts *o, const char *fixtures, const wc_lab *const *labs, int nlabs, int needs,
		     wc_preflight *pf)
{
	int fds[2], files_ok, st;
	size_t got = 0;
	pid_t pid;

	memset(pf, 0, sizeof(*pf));
	files_ok = check_files(o, fixtures, labs, nlabs, pf) == 0;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		add(pf, "namespaces", 0, "cannot make a pipe: %s", strerror(errno));
		return pf->failed;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		add(pf, "namespaces", 0, "cannot fork a worker: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return pf->failed;
	}
	if (pid == 0) {
		wc_preflight mine;
		close(fds[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
		signal(SIGPIPE, SIG_IGN);
		memset(&mine, 0, sizeof(mine));
		check_namespaces(o, fixtures, labs, nlabs, needs, files_ok, &mine);
		wc_write_all(fds[1], &mine, sizeof(mine));
		close(fds[1]);
		wc_capture_release();
		wc_redirect_release();
		exit(0); /* not _exit: coverage data is written at exit */
	}
	close(fds[1]);
	{
		wc_preflight *theirs = malloc(sizeof(*theirs));
		while (theirs && got < sizeof(*theirs)) {
			ssize_t r = read(fds[0], (char *)theirs + got, sizeof(*theirs) - got);
			if (r < 0 && errno == EINTR && wc_run_interrupted()) {
				kill(pid, SIGKILL); /* SIGINT or SIGTERM: the caller stops */
				break;
			}
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		close(fds[0]);
		if (theirs && got == sizeof(*theirs)) {
			wc_preflight_reap();
			closing = pid;
			for (int i = 0; i < theirs->n && i < WC_PREFLIGHT_MAX; i++)
				add(pf, theirs->item[i].name, theirs->item[i].ok, "%s", theirs->item[i].detail);
		} else {
			waitpid(pid, &st, 0);
			add(pf, "namespaces", 0, "the check's worker ended %s %d before its report",
			    WIFSIGNALED(st) ? "on signal" : "with status", WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
		}
		free(theirs);
	}
	return pf->failed;
}
