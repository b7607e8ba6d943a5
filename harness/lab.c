/* lab.c - the lab table (LABS.md): one row per lab, its reference programs and variants */
#include "lab.h"

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
