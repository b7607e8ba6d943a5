/* test_cgroup.c - the pieces of the scenario cgroups: the hierarchies found in mountinfo, the counters read, the words of a memory limit */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <string.h>

#include "sandbox/cgroup.h"
#include "sandbox/proc.h"

/* Debian 12 booted with cgroup v1 (systemd.unified_cgroup_hierarchy=0): cpu
 * and cpuacct mounted together, cpuset beside them, a cgroup2 with no controller */
static const char *const hybrid =
	"22 27 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
	"26 22 0:24 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n"
	"27 26 0:25 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate\n"
	"28 26 0:26 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup "
	"rw,xattr,name=systemd\n"
	"31 26 0:29 / /sys/fs/cgroup/cpuset rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,cpuset\n"
	"32 26 0:30 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup "
	"rw,cpu,cpuacct\n"
	"33 26 0:31 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:16 - cgroup cgroup rw,memory\n"
	"35 26 0:33 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:18 - cgroup cgroup rw,pids";

static void test_mounts_v1(void **state)
{
	char mem[64], pids[64], cpu[64], v2[64];

	(void)state;
	wc_cgroup_mounts(hybrid, mem, pids, cpu, v2, sizeof(mem));
	assert_string_equal(mem, "/sys/fs/cgroup/memory");
	assert_string_equal(pids, "/sys/fs/cgroup/pids");
	assert_string_equal(cpu, "/sys/fs/cgroup/cpu,cpuacct"); /* not cpuset, not cpuacct alone */
	assert_string_equal(v2, "/sys/fs/cgroup/unified");
}

static void test_mounts_v2_only(void **state)
{
	char mem[64], pids[64], cpu[64], v2[64];

	(void)state;
	wc_cgroup_mounts("30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
			 "rw,nsdelegate,memory_recursiveprot\n",
			 mem, pids, cpu, v2, sizeof(mem));
	assert_string_equal(mem, "");
	assert_string_equal(pids, "");
	assert_string_equal(cpu, "");
	assert_string_equal(v2, "/sys/fs/cgroup");
}

static void test_mounts_none(void **state)
{
	char mem[64] = "x", pids[64] = "x", cpu[64] = "x", v2[64] = "x";

	(void)state;
	/* a mount point with an escaped blank, a truncated line, a memory option of another filesystem */
	wc_cgroup_mounts("40 1 0:40 / /mnt/my\\040cg rw - cgroup cgroup rw,memory\n"
			 "41 1 0:41 / /x rw\n"
			 "42 1 0:42 / /y rw - tmpfs tmpfs rw,memory",
			 mem, pids, cpu, v2, sizeof(mem));
	assert_string_equal(mem, "");
	assert_string_equal(pids, "");
	assert_string_equal(cpu, "");
	assert_string_equal(v2, "");
}

static void test_field(void **state)
{
	(void)state;
	assert_int_equal(wc_cgroup_field("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", "oom_kill"), 3);
	assert_int_equal(wc_cgroup_field("low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n", "oom"), 2);
	assert_int_equal(wc_cgroup_field("oom_kill_disable 0\nunder_oom 0\n", "oom_kill"), -1);
	assert_int_equal(wc_cgroup_field("", "oom_kill"), -1);
}

static void test_bytes_str(void **state)
{
	char b[32];

	(void)state;
	wc_cgroup_bytes_str(1LL << 30, b, sizeof(b));
	assert_string_equal(b, "1 GiB");
	wc_cgroup_bytes_str(512LL << 20, b, sizeof(b));
	assert_string_equal(b, "512 MiB");
	wc_cgroup_bytes_str(1536LL << 20, b, sizeof(b));
	assert_string_equal(b, "1536 MiB");
	wc_cgroup_bytes_str(3 * 1024, b, sizeof(b));
	assert_string_equal(b, "3 KiB");
	wc_cgroup_bytes_str(100, b, sizeof(b));
	assert_string_equal(b, "100 bytes");
}

/* The program killed by the limit: its end says why; a SIGKILL with no kill
 * of the limit says only the signal. */
static void test_describe_oom(void **state)
{
	wc_proc p;
	char how[200];

	(void)state;
	memset(&p, 0, sizeof(p));
	p.exited = 1;
	p.status = SIGKILL; /* a wait status: killed by signal 9 */
	wc_proc_describe(&p, how, sizeof(how));
	assert_string_equal(how, "was killed by signal 9 (Killed)");
	p.oom_kills = 1;
	p.oom_killed = 1;
	p.mem_limit = 1LL << 30;
	wc_proc_describe(&p, how, sizeof(how));
	assert_string_equal(how, "was killed by signal 9 (Killed): the scenario's memory limit (1 GiB for all its "
				 "processes together) was reached");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mounts_v1),     cmocka_unit_test(test_mounts_v2_only),
		cmocka_unit_test(test_mounts_none),   cmocka_unit_test(test_field),
		cmocka_unit_test(test_bytes_str),     cmocka_unit_test(test_describe_oom),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
