/* lab.c - the lab table (LABS.md): one row per lab, its reference programs and variants */
#include "scenario/lab.h"

#include <netinet/in.h>
#include <string.h>

static const wc_lab lab_table[] = {
	{
		.name = "udp-echo",
		.title = "UDP uppercase echo (LABS.md 1)",
		.proto = IPPROTO_UDP,
		.ref_server = "udp-echo-server",
		.ref_client = "udp-echo-client",
		.variants = {
			{"plain", "the slides' UDPServer.py and UDPClient.py", "", ""},
			{"quit", "second course: a 'quit' datagram ends the server; the client asks a name, then loops until 'quit'",
			 "--quit", "--loop --ask-name"},
		},
		.nvariants = 2,
	},
	{
		.name = "tcp-echo",
		.title = "TCP uppercase echo (LABS.md 2)",
		.proto = IPPROTO_TCP,
		.ref_server = "tcp-echo-server",
		.ref_client = "tcp-echo-client",
		.variants = {
			{"oneshot", "the slides' TCPServer.py: one sentence per connection, then close", "--variant oneshot", ""},
			{"session", "second course: replies until 'quit', one client at a time", "--variant session", "--loop"},
			{"concurrent", "as session, several clients at once (reference: epoll)",
			 "--variant concurrent --concurrency epoll", "--loop"},
			{"concurrent-threads", "the reference's thread per client", "--variant concurrent --concurrency threads",
			 "--loop"},
			{"concurrent-fork", "the reference's process per client", "--variant concurrent --concurrency fork",
			 "--loop"},
		},
		.nvariants = 5,
	},
	{
		.name = "name-echo",
		.title = "'append your name' concurrent echo (LABS.md 3)",
		.proto = IPPROTO_TCP,
		.ref_server = "name-echo-server",
		.ref_client = "name-echo-client",
		.variants = {
			{"plain", "each line comes back with the student's name appended", "", ""},
		},
		.nvariants = 1,
		.needs_name = 1,
	},
	{
		.name = "http",
		.title = "web server for GET and HEAD (LABS.md 4)",
		.proto = IPPROTO_TCP,
		.ref_server = "http-server",
		.ref_client = "http-client",
		.variants = {
			{"plain", "files of the server's folder (fixtures/http/docroot is copied in)", "", ""},
		},
		.nvariants = 1,
		.docroot = "docroot",
	},
	{
		.name = "dns",
		.title = "authoritative DNS server and client over UDP (LABS.md 5)",
		.proto = IPPROTO_UDP,
		.ref_server = "dns-server",
		.ref_client = "dns-client",
		.variants = {
			{"plain", "the table of fixtures/dns/table", "--table {lab}/table", ""},
		},
		.nvariants = 1,
	},
};

const wc_lab *wc_lab_at(int i)
{
	return i >= 0 && (size_t)i < sizeof(lab_table) / sizeof(lab_table[0]) ? &lab_table[i] : NULL;
}

const wc_lab *wc_lab_find(const char *name)
{
	for (size_t i = 0; i < sizeof(lab_table) / sizeof(lab_table[0]); i++)
		if (!strcmp(lab_table[i].name, name))
			return &lab_table[i];
	return NULL;
}

const wc_variant *wc_lab_variant(const wc_lab *lab, const char *name)
{
	for (int i = 0; i < lab->nvariants; i++)
		if (!strcmp(lab->variants[i].name, name))
			return &lab->variants[i];
	return NULL;
}
