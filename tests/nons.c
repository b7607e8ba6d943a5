/* nons.c - runs a command under the limits of a Docker container's default
 * profile, as graders start submissions (Gradescope, PrairieLearn, Tango,
 * GitLab's Docker executor), without Docker: Docker's default capabilities
 * only (bounding, permitted, effective, inheritable, ambient), no_new_privs,
 * and a seccomp filter that refuses namespaces as Docker's does: unshare,
 * setns and clone with a CLONE_NEW* flag fail with EPERM, clone3 with ENOSYS
 * (so that libc falls back to clone, whose flags the filter can see).
 *
 *   nons [--no-net-raw] COMMAND [ARG...]
 *
 * --no-net-raw drops CAP_NET_RAW too (docker run --cap-drop NET_RAW): no
 * packet socket, no capture. Exit 125 when the limits cannot be set. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT 47
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

#if defined(__x86_64__)
#define NONS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define NONS_ARCH AUDIT_ARCH_AARCH64
#else
#error "nons: add this architecture's AUDIT_ARCH"
#endif

#define NS_FLAGS                                                                                              \
	(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP | \
	 CLONE_NEWTIME)

/* Docker's default capability set (moby's oci/caps/defaults.go). */
static const int docker_caps[] = {CAP_CHOWN,	  CAP_DAC_OVERRIDE, CAP_FOWNER,		  CAP_FSETID,
				  CAP_KILL,	  CAP_SETGID,	    CAP_SETUID,		  CAP_SETPCAP,
				  CAP_NET_BIND_SERVICE, CAP_NET_RAW, CAP_SYS_CHROOT,	  CAP_MKNOD,
				  CAP_AUDIT_WRITE, CAP_SETFCAP};

static void die(const char *what)
{
	fprintf(stderr, "nons: %s: %s\n", what, strerror(errno));
	exit(125);
}

static int kept(int cap, int net_raw)
{
	if (cap == CAP_NET_RAW && !net_raw)
		return 0;
	for (size_t i = 0; i < sizeof(docker_caps) / sizeof(docker_caps[0]); i++)
		if (docker_caps[i] == cap)
			return 1;
	return 0;
}

static void drop_caps(int net_raw)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	int last = CAP_LAST_CAP;
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "r");

	if (f) {
		if (fscanf(f, "%d", &last) != 1)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	/* the bounding set first: it needs CAP_SETPCAP, which stays */
	for (int c = 0; c <= last; c++)
		if (!kept(c, net_raw) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			die("PR_CAPBSET_DROP");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		die("PR_CAP_AMBIENT_CLEAR_ALL");
	if (syscall(SYS_capget, &h, d) < 0)
		die("capget");
	for (int c = 0; c < 64; c++) {
		unsigned bit = 1u << (c % 32);
		if (kept(c, net_raw))
			continue;
		d[c / 32].effective &= ~bit;
		d[c / 32].permitted &= ~bit;
		d[c / 32].inheritable &= ~bit;
	}
	if (syscall(SYS_capset, &h, d) < 0)
		die("capset");
}

#define LD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define LD_ARG0_LO BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))

static void refuse_namespaces(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NONS_ARCH, 1, 0),
		RET(SECCOMP_RET_KILL_PROCESS),
		LD_NR,
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_unshare, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_setns, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 6, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 1, 0),
		RET(SECCOMP_RET_ALLOW),
		/* clone: the flags are its first argument (the low 32 bits hold them all) */
		LD_ARG0_LO,
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NS_FLAGS, 0, 1),
		/* unshare, setns and clone with a namespace flag: */
		RET(SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
		RET(SECCOMP_RET_ALLOW),
		/* clone3: its flags are behind a pointer, so it is refused whole, as Docker does */
		RET(SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA)),
	};
	struct sock_fprog prog = {(unsigned short)(sizeof(f) / sizeof(f[0])), f};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("PR_SET_NO_NEW_PRIVS");
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		die("PR_SET_SECCOMP");
}

int main(int argc, char **argv)
{
	int net_raw = 1, i = 1;

	if (i < argc && !strcmp(argv[i], "--no-net-raw")) {
		net_raw = 0;
		i++;
	}
	if (i >= argc || argv[i][0] == '-') {
		fprintf(stderr, "usage: nons [--no-net-raw] COMMAND [ARG...]\n"
				"runs COMMAND with Docker's default capabilities and a seccomp filter\n"
				"that refuses namespaces (unshare, setns, clone CLONE_NEW*; clone3: ENOSYS)\n");
		return 2;
	}
	drop_caps(net_raw);
	refuse_namespaces();
	execvp(argv[i], argv + i);
	fprintf(stderr, "nons: cannot run '%s': %s\n", argv[i], strerror(errno));
	return 127;
}
