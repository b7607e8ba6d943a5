/* prompt.h - the reference clients' terminal side: prompts, lines from standard input, replies flushed */
#ifndef WC_PROMPT_H
#define WC_PROMPT_H

#include <stddef.h>
#include <sys/types.h>

/* Prints prompt (nothing when NULL) and reads one line from standard input into
 * *line, which getline() allocates and grows (*cap its size; the caller frees
 * it), without its '\n' and a '\r' before that. Returns its length, -1 at the
 * end of input, -2 on a read error (errno set). */
ssize_t wc_prompt_line(const char *prompt, char **line, size_t *cap);
/* As wc_prompt_line(), for the next line a client sends. Returns its length;
 * -1 at the end of input when that is a fine end ('end_ok'); -2 once it has
 * said on stderr why no line came: "PROG: no input line to send" or
 * "PROG: read standard input: ...". */
ssize_t wc_prompt_next(const char *prog, const char *prompt, int end_ok, char **line, size_t *cap);
/* The second course's clients: asks "Enter your name: " and writes "NAME> "
 * (NAME cut to 64 bytes) into prompt[0..n), the name only shaping the prompt.
 * *line and *cap as for wc_prompt_line(). Returns 0, or -1 when no name came. */
int wc_prompt_name(char *prompt, size_t n, char **line, size_t *cap);
/* Flushes standard output. Returns 0, or -1 after saying on stderr
 * "PROG: write standard output: ...". */
int wc_prompt_flush(const char *prog);

#endif
