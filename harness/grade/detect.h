/* detect.h - a submission's program files: found anywhere in its tree, matched by name, read for what they do */
#ifndef WC_DETECT_H
#define WC_DETECT_H

#include <stddef.h>

#define WC_DETECT_DEPTH 6     /* folders below the submission searched */
#define WC_DETECT_FILES 4000  /* entries looked at, at most, in one submission */
#define WC_DETECT_READ 262144 /* bytes of a source file read */

/* How well a file's name matches a usual name, best first; 0: not at all. */
enum wc_match {
	WC_MATCH_NONE = 0,
	WC_MATCH_EXACT,   /* the usual name, any case: UDPServer.py */
	WC_MATCH_NORM,    /* the same without case, '-', '_', spaces: udp-server.py */
	WC_MATCH_PREFIX,  /* the usual name and more: TCPServerThreaded.py */
	WC_MATCH_NEAR,    /* one letter off, or two swapped: UPDClient.py (a guess) */
	WC_MATCH_CONTENT, /* its name fits another program; its source fits this one (a guess) */
};

/* What a source file does, from its text (static evidence, nothing run). */
enum wc_src {
	WC_SRC_UDP = 1,    /* SOCK_DGRAM, DatagramSocket */
	WC_SRC_TCP = 2,    /* SOCK_STREAM, ServerSocket, new Socket( */
	WC_SRC_SERVER = 4, /* listens, accepts, or binds and receives */
	WC_SRC_CLIENT = 8, /* connects or sends, and is no server */
	WC_SRC_HTTP = 16,  /* HTTP/1., GET /, Content-Length */
	WC_SRC_DNS = 32,   /* QTYPE, 0x8180, a 6-short header, 'Domain Name' */
	WC_SRC_CONCURRENT = 64, /* a thread or a process per client: threading, fork(), new Thread(,
				   pthread_create, ThreadingMixIn, select/epoll */
};

/* A program file of the tree. */
typedef struct wc_src_file {
	char path[512]; /* relative to the submission: "Lab2/UDPServer.py" */
	char lang;      /* 'p' Python, 'j' Java, 'c' C */
	int depth;      /* folders above it within the submission: 0 at the top */
	unsigned src;   /* enum wc_src bits */
} wc_src_file;

/* The files found in a tree, and what the search skipped or stopped at. */
typedef struct wc_tree {
	wc_src_file *files;
	int n, cap;
	int entries;       /* entries looked at */
	int truncated;     /* the entry cap or the depth cap was reached */
} wc_tree;

/* name without its extension, lower case, '-', '_', '.', spaces dropped, into out. */
void wc_name_normalise(const char *name, char *out, size_t n);
/* 1 when a and b differ by one letter added, dropped, changed, or two next ones swapped. */
int wc_name_near(const char *a, const char *b);
/* How file name (with extension) matches usual (a base name, any case): enum wc_match. */
int wc_name_match(const char *name, const char *usual);

/* The enum wc_src bits of a source text. */
unsigned wc_source_classify(const char *text, size_t len);
/* "a UDP server", "an HTTP client", "no socket code" into buf. */
void wc_source_describe(unsigned src, char *buf, size_t n);
/*
 * Whether a program doing src fits the lab's server (server 1) or client:
 * 1 its source says so, 0 it says nothing either way (no socket code seen),
 * -1 it says otherwise, with the reason into why ("an HTTP client").
 */
int wc_source_fits(unsigned src, const char *lab, int server, char *why, size_t n);

/*
 * Finds the .py, .java and .c files under dir (any case), skipping hidden
 * folders, .git, virtual environments (a pyvenv.cfg), __pycache__,
 * node_modules and build output (build, out, target, bin); no symbolic link
 * is followed; at most WC_DETECT_DEPTH folders down and WC_DETECT_FILES
 * entries. Each file's source is classified. 0, or -1 out of memory.
 */
int wc_tree_scan(const char *dir, wc_tree *t);
void wc_tree_free(wc_tree *t);

/* s quoted for sh when it needs it ('a b' -> "'a b'"), into out. */
void wc_sh_quote(const char *s, char *out, size_t n);

#endif
