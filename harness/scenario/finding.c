/* finding.c - the catalog of fault IDs: what each means, whether it is shared
 * (graded once, in its subject's scenario) and the hint that fits every case */
#include "scenario/finding.h"

#include <string.h>

static const wc_finding_kind kinds[] = {
	/* http: the form of every response, graded once */
	{"http/crlf", WC_FAULT_SHARED, "the response head's lines end in LF alone, not CRLF",
	 "End the status line and each header line with \\r\\n, and the head with an empty line \\r\\n."},
	{"http/status-line", WC_FAULT_SHARED, "the status line is not 'HTTP/1.x NNN Reason'",
	 "Start the response with 'HTTP/1.1 200 OK' (the version, the status, a reason phrase)."},
	{"http/date", WC_FAULT_SHARED, "the Date header is missing, malformed or not the moment on the wire in GMT",
	 "Send Date as an IMF-fixdate in GMT: email.utils.formatdate(usegmt=True)."},
	{"http/server", WC_FAULT_SHARED, "the Server header is missing or empty", "Send a header 'Server: <a name>'."},
	{"http/last-modified", WC_FAULT_SHARED, "Last-Modified is missing, malformed or not the file's modification time",
	 "Send Last-Modified: the file's os.path.getmtime() as an IMF-fixdate in GMT."},
	{"http/content-length", WC_FAULT_SHARED, "Content-Length is missing or not the number of the body's bytes", ""},
	{"http/content-type", WC_FAULT_SHARED, "Content-Type is missing or not the type of the file's extension",
	 "Send Content-Type from the extension: text/html for .html, image/png for .png, text/plain for .txt."},
	{"http/connection", WC_FAULT_SHARED, "the Connection header is missing, not a token, or not what the server does",
	 "Send 'Connection: close' and close the client socket after the response."},
	{"http/keep-alive", WC_FAULT_SHARED, "the response says Connection: keep-alive, but the server closes the connection",
	 "Say 'Connection: close' if you close the socket after each response."},
	{"http/head-body", WC_FAULT_SHARED, "a response to HEAD carries a body", "Answer HEAD with the status line and headers only."},
	/* http: what a scenario's exchange is about, counted where seen */
	{"http/status", WC_FAULT_LOCAL, "the wrong status", ""},
	{"http/body", WC_FAULT_LOCAL, "the body is not the file's bytes", ""},
	{"http/malformed", WC_FAULT_ALWAYS, "the response is not an HTTP response, or its head never ends",
	 "Every response, an error too, is a status line, header lines, each ended by \\r\\n, and an empty line "
	 "\\r\\n."},
	{"http/outside-folder", WC_FAULT_LOCAL, "a file outside the server's folder was served", ""},
	/* dns: the form of every response, graded once */
	{"dns/id", WC_FAULT_SHARED, "the response does not carry the query's ID", "Copy the query's first two bytes into the response."},
	{"dns/flag-aa", WC_FAULT_SHARED, "the response does not set AA (the server is authoritative for its table)",
	 "Set the flags to 0x8400 for an answer (QR 1, AA 1), 0x8403 for NXDOMAIN."},
	{"dns/header", WC_FAULT_SHARED, "a header field other than ID, AA, RCODE and ANCOUNT is not the lab's "
			  "(QR, OPCODE, TC, RD, RA, Z, QDCOUNT, NSCOUNT, ARCOUNT)", ""},
	{"dns/answer-form", WC_FAULT_SHARED, "an answer record is not in the lab's form (NAME the pointer c0 0c, TYPE 1, "
					     "CLASS 1, a 4-byte TTL, RDLENGTH 4)",
	 "Build each answer with struct.pack('!HHHIH4s', 0xc00c, 1, 1, ttl, 4, socket.inet_aton(addr))."},
	{"dns/question-echo", WC_FAULT_SHARED, "the question is not echoed as it was sent", "Copy the question's bytes from the query as they came."},
	{"dns/ascii-hex", WC_FAULT_SHARED, "the server reads and writes ASCII hex text, not RFC 1035 messages",
	 "Send and read the message's bytes themselves (struct.pack, bytes), not their hex spelling."},
	/* dns: counted where seen */
	{"dns/rcode", WC_FAULT_LOCAL, "the wrong RCODE", ""},
	{"dns/ancount", WC_FAULT_LOCAL, "the wrong number of answers (ANCOUNT): a name found or not found wrongly", ""},
	{"dns/answer", WC_FAULT_LOCAL, "the answer records are not the table's, or not in the lab's form", ""},
	{"dns/printed-hex", WC_FAULT_LOCAL, "the hex printed is not the bytes on the wire, or not 16 bytes a line", ""},
	{"dns/malformed", WC_FAULT_ALWAYS, "the response is not a well-formed DNS message", ""},
};

const wc_finding_kind *wc_finding_kinds(int *n)
{
	*n = (int)(sizeof(kinds) / sizeof(kinds[0]));
	return kinds;
}

const wc_finding_kind *wc_finding_kind_of(const char *id)
{
	for (size_t i = 0; id && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].id, id))
			return &kinds[i];
	return NULL;
}

int wc_subject_has(const char *subject, const char *id)
{
	size_t n = strlen(id);

	for (const char *p = subject; p && *p;) {
		while (*p == ' ')
			p++;
		size_t w = strcspn(p, " ");
		if (w == n && !strncmp(p, id, n))
			return 1;
		p += w;
	}
	return 0;
}
