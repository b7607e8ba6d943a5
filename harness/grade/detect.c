/* detect.c - program files of a submission's tree: bounded search, name matching, what their source does */
#include "grade/detect.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- names ---- */

void wc_name_normalise(const char *name, char *out, size_t n)
{
	const char *dot = strrchr(name, '.');
	size_t o = 0, end = dot && dot != name ? (size_t)(dot - name) : strlen(name);

	for (size_t i = 0; i < end && o + 1 < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c == '-' || c == '_' || c == ' ' || c == '.')
			continue;
		out[o++] = (char)tolower(c);
	}
	if (n)
		out[o] = 0;
}

int wc_name_near(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;

	if (la == lb) {
		while (i < la && a[i] == b[i])
			i++;
		if (i == la)
			return 0; /* the same */
		/* one changed, or two next ones swapped */
		if (!strcmp(a + i + 1, b + i + 1))
			return 1;
		return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && !strcmp(a + i + 2, b + i + 2);
	}
	if (la + 1 == lb || lb + 1 == la) {
		const char *s = la < lb ? a : b, *l = la < lb ? b : a;
		while (s[i] && s[i] == l[i])
			i++;
		return !strcmp(s + i, l + i + 1);
	}
	return 0;
}

int wc_name_match(const char *name, const char *usual)
{
	const char *dot = strrchr(name, '.');
	size_t ul = strlen(usual);
	char norm[256], want[64];

	if (dot && (size_t)(dot - name) == ul && !strncasecmp(name, usual, ul))
		return WC_MATCH_EXACT;
	wc_name_normalise(name, norm, sizeof(norm));
	wc_name_normalise(usual, want, sizeof(want));
	if (!strcmp(norm, want))
		return WC_MATCH_NORM;
	if (!strncmp(norm, want, strlen(want)))
		return WC_MATCH_PREFIX;
	/* a near miss of a short name (server, client) is too often another word */
	if (strlen(want) > 6 && wc_name_near(norm, want))
		return WC_MATCH_NEAR;
	return WC_MATCH_NONE;
}

/* ---- what the source does ---- */

static int has(const char *text, const char *word)
{
	return strstr(text, word) != NULL;
}

static int has_i(const char *text, const char *word)
{
	return strcasestr(text, word) != NULL;
}

/* Java's new DatagramSocket(PORT): a bound UDP socket, the server's. */
static int java_bound_udp(const char *text)
{
	for (const char *p = text; (p = strstr(p, "new DatagramSocket(")) != NULL; p++) {
		const char *a = p + strlen("new DatagramSocket(");
		a += strspn(a, " \t");
		if (*a != ')')
			return 1;
	}
	return 0;
}

unsigned wc_source_classify(const char *text, size_t len)
{
	unsigned f = 0;
	int bind, recv, listen, sends;

	(void)len;
	if (has(text, "SOCK_DGRAM") || has(text, "DatagramSocket") || has(text, "DatagramChannel") ||
	    has(text, "UDPServer(") || has(text, "socketserver.UDP"))
		f |= WC_SRC_UDP;
	if (has(text, "SOCK_STREAM") || has(text, "ServerSocket") || has(text, "new Socket(") ||
	    has(text, "create_connection") || has(text, "socketserver.TCP") || has(text, "HTTPServer"))
		f |= WC_SRC_TCP;
	bind = has(text, "bind(") || java_bound_udp(text);
	recv = has(text, "recvfrom") || has(text, ".receive(");
	listen = has(text, "listen(") || has(text, "accept(") || has(text, "ServerSocket") ||
		 has(text, "serve_forever") || java_bound_udp(text);
	sends = has(text, "connect(") || has(text, "new Socket(") || has(text, "sendto") ||
		has(text, "create_connection") || has(text, ".send(");
	if (listen || (bind && recv))
		f |= WC_SRC_SERVER;
	else if (sends)
		f |= WC_SRC_CLIENT;
	if (has(text, "HTTP/1.") || has(text, "GET /") || has_i(text, "Content-Length") || has(text, "HTTPServer"))
		f |= WC_SRC_HTTP;
	if (has_i(text, "qtype") || has_i(text, "qdcount") || has_i(text, "0x8180") || has_i(text, "0x8400") ||
	    has_i(text, "HHHHHH") || has_i(text, "domain name") || has_i(text, "nxdomain"))
		f |= WC_SRC_DNS;
	if (has(text, "threading") || has(text, "_thread") || has(text, "Thread(") || has(text, "fork(") ||
	    has(text, "pthread_create") || has(text, "ThreadingMixIn") || has(text, "ForkingMixIn") ||
	    has(text, "Runnable") || has(text, "ExecutorService") || has(text, "selectors") ||
	    has(text, "select.select") || has(text, "epoll") || has(text, "asyncio"))
		f |= WC_SRC_CONCURRENT;
	return f;
}

void wc_source_describe(unsigned src, char *buf, size_t n)
{
	const char *proto = src & WC_SRC_HTTP ? "HTTP" : src & WC_SRC_DNS ? "DNS" : NULL;
	const char *tr = (src & WC_SRC_UDP) && !(src & WC_SRC_TCP) ? "UDP" :
			 (src & WC_SRC_TCP) && !(src & WC_SRC_UDP) ? "TCP" : NULL;
	const char *role = src & WC_SRC_SERVER ? "server" : src & WC_SRC_CLIENT ? "client" : "program";
	const char *what = proto ? proto : tr;

	if (!(src & (WC_SRC_UDP | WC_SRC_TCP | WC_SRC_SERVER | WC_SRC_CLIENT)) && !proto)
		snprintf(buf, n, "no socket code");
	else if (what)
		snprintf(buf, n, "%s %s %s", what[0] == 'H' ? "an" : "a", what, role);
	else
		snprintf(buf, n, "a socket %s", role);
}

int wc_source_fits(unsigned src, const char *lab, int server, char *why, size_t n)
{
	int dns = !strcmp(lab, "dns"), http = !strcmp(lab, "http");
	int udp = !strcmp(lab, "udp-echo") || dns;
	unsigned role = src & (WC_SRC_SERVER | WC_SRC_CLIENT);
	int fits;

	wc_source_describe(src, why, n);
	if (!(src & (WC_SRC_UDP | WC_SRC_TCP)) && !role)
		return 0;
	if ((src & WC_SRC_HTTP) && !http)
		return -1;
	if ((src & WC_SRC_DNS) && !dns && !http)
		return -1;
	if (udp && (src & WC_SRC_TCP) && !(src & WC_SRC_UDP))
		return -1;
	if (!udp && (src & WC_SRC_UDP) && !(src & WC_SRC_TCP))
		return -1;
	if (role && role != (server ? WC_SRC_SERVER : WC_SRC_CLIENT))
		return -1;
	fits = role != 0;
	if (http)
		fits = fits && (src & WC_SRC_HTTP);
	if (dns)
		fits = fits && (src & WC_SRC_DNS);
	return fits;
}

/* ---- the tree ---- */

static const char *const skipped_dirs[] = {"__pycache__", "node_modules", "build", "out", "target", "bin"};

static int skipped_dir(const char *path, const char *name)
{
	char cfg[4200];
	struct stat st;

	if (name[0] == '.')
		return 1;
	for (size_t i = 0; i < sizeof(skipped_dirs) / sizeof(skipped_dirs[0]); i++)
		if (!strcmp(name, skipped_dirs[i]))
			return 1;
	snprintf(cfg, sizeof(cfg), "%s/pyvenv.cfg", path);
	return lstat(cfg, &st) == 0;
}

/* 'p', 'j', 'c' for a program file's extension (any case), else 0. */
static char lang_of(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot || dot == name)
		return 0;
	return !strcasecmp(dot, ".py") ? 'p' : !strcasecmp(dot, ".java") ? 'j' : !strcasecmp(dot, ".c") ? 'c' : 0;
}

static int printable(const char *name)
{
	for (; *name; name++)
		if ((unsigned char)*name < 0x20 || *name == 0x7f)
			return 0;
	return 1;
}

/* The first WC_DETECT_READ bytes of path, classified; 0 when unreadable. */
static unsigned classify_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	char *text;
	size_t got = 0;
	unsigned f = 0;

	if (fd < 0)
		return 0;
	text = malloc(WC_DETECT_READ + 1);
	if (text) {
		ssize_t r;
		while (got < WC_DETECT_READ && (r = read(fd, text + got, WC_DETECT_READ - got)) > 0)
			got += (size_t)r;
		text[got] = 0;
		/* a NUL inside ends the text: what comes before it is still read */
		f = wc_source_classify(text, got);
		free(text);
	}
	close(fd);
	return f;
}

static int add_file(wc_tree *t, const char *full, const char *rel, char lang, int depth)
{
	wc_src_file *f;

	if (strlen(rel) >= sizeof(f->path))
		return 0; /* too long to name in a command: left alone */
	if (t->n == t->cap) {
		int nc = t->cap ? t->cap * 2 : 32;
		wc_src_file *nf = realloc(t->files, sizeof(*nf) * (size_t)nc);
		if (!nf)
			return -1;
		t->files = nf;
		t->cap = nc;
	}
	f = &t->files[t->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->path, sizeof(f->path), "%s", rel);
	f->lang = lang;
	f->depth = depth;
	f->src = classify_file(full);
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of folder path, sorted (the same plan on every machine); NULL if unreadable. */
static char **sorted_names(const char *path, int *n, wc_tree *t)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **v = NULL;

	*n = 0;
	if (!d)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		char **nv;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (++t->entries > WC_DETECT_FILES) {
			t->truncated = 1;
			break;
		}
		if (!(nv = realloc(v, sizeof(*v) * (size_t)(*n + 1))) || !(nv[*n] = strdup(e->d_name))) {
			v = nv ? nv : v;
			break;
		}
		v = nv;
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(v, (size_t)*n, sizeof(*v), by_path);
	return v;
}

static int scan(wc_tree *t, const char *full, const char *rel, int depth)
{
	int n, rc = 0;
	char **names = sorted_names(full, &n, t);

	for (int i = 0; i < n; i++) {
		char path[4200], sub[1200];
		struct stat st;
		const char *name = names[i];
		snprintf(path, sizeof(path), "%s/%s", full, name);
		snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", name);
		if (rc < 0 || !printable(name) || lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && !skipped_dir(path, name)) {
			if (depth >= WC_DETECT_DEPTH)
				t->truncated = 1;
			else if (strlen(sub) < sizeof(t->files[0].path))
				rc = scan(t, path, sub, depth + 1);
		} else if (S_ISREG(st.st_mode) && lang_of(name)) {
			rc = add_file(t, path, sub, lang_of(name), depth);
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int wc_tree_scan(const char *dir, wc_tree *t)
{
	memset(t, 0, sizeof(*t));
	return scan(t, dir, "", 0);
}

void wc_tree_free(wc_tree *t)
{
	free(t->files);
	memset(t, 0, sizeof(*t));
}

void wc_sh_quote(const char *s, char *out, size_t n)
{
	size_t o = 0;

	if (!n)
		return;
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/+-") == strlen(s)) {
		snprintf(out, n, "%s", s);
		return;
	}
	out[o++] = '\'';
	for (; *s && o + 5 < n; s++) {
		if (*s == '\'') {
			memcpy(out + o, "'\\''", 4);
			o += 4;
		} else {
			out[o++] = *s;
		}
	}
	if (o + 1 < n)
		out[o++] = '\'';
	out[o] = 0;
}
