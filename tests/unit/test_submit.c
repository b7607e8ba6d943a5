/* test_submit.c - submission detection: the manifest's commands and the labs' usual file names */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario/lab.h"
#include "sandbox/sandbox.h"
#include "grade/submit.h"

#define TMPDIR_NAME "submit"
#include "tmpdir.h"

static const wc_sub_lab *lab(const wc_submission *s, const char *name)
{
	for (int i = 0; wc_lab_at(i); i++)
		if (!strcmp(wc_lab_at(i)->name, name))
			return &s->labs[i];
	fail_msg("no lab %s", name);
	return NULL;
}

static void test_python_names(void **state)
{
	wc_submission s;
	char err[256], what[2048];
	(void)state;

	put("udpserver.py", "");
	put("UDPClient.py", "");
	put("TCPServer.py", "");
	put("webserver.py", "");
	put("server.py", "");
	put("client.py", "");
	put("notes.txt", "");
	assert_int_equal(wc_submission_detect(dir, &s, err, sizeof(err)), 0);
	assert_string_equal(s.name, strrchr(dir, '/') + 1);
	assert_string_equal(lab(&s, "udp-echo")->server, "python3 udpserver.py");
	assert_string_equal(lab(&s, "udp-echo")->client, "python3 UDPClient.py");
	assert_string_equal(lab(&s, "udp-echo")->how, "udpserver.py and UDPClient.py");
	assert_string_equal(lab(&s, "tcp-echo")->server, "python3 TCPServer.py");
	assert_string_equal(lab(&s, "tcp-echo")->client, "");
	assert_string_equal(lab(&s, "http")->server, "python3 webserver.py");
	assert_string_equal(lab(&s, "dns")->server, "python3 server.py");
	assert_string_equal(lab(&s, "dns")->client, "python3 client.py");
	assert_string_equal(lab(&s, "name-echo")->server, "");
	assert_string_equal(s.build, "");
	wc_submission_describe(&s, what, sizeof(what));
	assert_non_null(strstr(what, "name-echo: nothing found"));
	assert_non_null(strstr(what, "http: webserver.py"));
}

static void test_java_and_c(void **state)
{
	wc_submission s;
	char err[256], what[2048];
	(void)state;

	put("UDPServer.java", "");
	put("tcpserver.c", "");
	put("TCPClient.c", "");
	assert_int_equal(wc_submission_detect(dir, &s, err, sizeof(err)), 0);
	assert_string_equal(lab(&s, "udp-echo")->server, "java UDPServer");
	assert_string_equal(lab(&s, "tcp-echo")->server, "./tcpserver");
	assert_string_equal(lab(&s, "tcp-echo")->client, "./TCPClient");
	assert_string_equal(s.build, "javac *.java && cc -O2 -o tcpserver tcpserver.c && cc -O2 -o TCPClient TCPClient.c");
	put("Makefile", "all:\n");
	assert_int_equal(wc_submission_detect(dir, &s, err, sizeof(err)), 0);
	assert_string_equal(s.build, "javac *.java && make");
	wc_submission_describe(&s, what, sizeof(what));
	assert_non_null(strstr(what, "built with 'javac *.java && make'"));
}

static void test_manifest(void **state)
{
	wc_submission s;
	char err[256];
	(void)state;

	put("UDPServer.py", "");
	put("wirecheck.manifest", "# mine\nname Bea Q\nbuild make all\nudp-echo.server python3 other.py\n"
				  "tcp-echo.variant concurrent\ntcp-echo.client ./cli --port 12000\n");
	assert_int_equal(wc_submission_detect(dir, &s, err, sizeof(err)), 0);
	assert_string_equal(s.student, "Bea Q");
	assert_string_equal(s.build, "make all");
	/* the manifest wins over the file names */
	assert_string_equal(lab(&s, "udp-echo")->server, "python3 other.py");
	assert_string_equal(lab(&s, "udp-echo")->how, "wirecheck.manifest");
	assert_string_equal(lab(&s, "tcp-echo")->client, "./cli --port 12000");
	assert_string_equal(lab(&s, "tcp-echo")->variant, "concurrent");

	put("wirecheck.manifest", "dns.sever python3 s.py\n");
	assert_int_equal(wc_submission_detect(dir, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "wirecheck.manifest:1: unknown key 'dns.sever' (a lab takes .server, .client, .variant, .server.VARIANT)"));
	put("wirecheck.manifest", "\nftp.server x\n");
	assert_int_equal(wc_submission_detect(dir, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "wirecheck.manifest:2: unknown lab 'ftp' in 'ftp.server'"));
	put("wirecheck.manifest", "tcp-echo.variant parallel\n");
	assert_int_equal(wc_submission_detect(dir, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "lab 'tcp-echo' has no variant 'parallel'"));
	put("wirecheck.manifest", "udp-echo.server\n");
	assert_int_equal(wc_submission_detect(dir, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'udp-echo.server' takes 1 to"));
}

static void test_not_a_folder(void **state)
{
	wc_submission s;
	char err[256], path[128];
	(void)state;

	snprintf(path, sizeof(path), "%s/nope", dir);
	assert_int_equal(wc_submission_detect(path, &s, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a folder"));
	/* a trailing slash does not change the name */
	snprintf(path, sizeof(path), "%s//", dir);
	assert_int_equal(wc_submission_detect(path, &s, err, sizeof(err)), 0);
	assert_string_equal(s.name, strrchr(dir, '/') + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_python_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_java_and_c, setup, teardown),
		cmocka_unit_test_setup_teardown(test_manifest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_folder, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
