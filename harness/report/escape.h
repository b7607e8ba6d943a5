/* escape.h - what the report writers share for text: escaping for XML, JSON and
 * HTML, and ISO times */
#ifndef WC_ESCAPE_H
#define WC_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* "2026-11-22T18:39:18" (UTC) into buf (at least 20 bytes). */
void wc_rep_iso_time(long long t, char *buf, size_t n);

/*
 * Escaping. Bytes that are not UTF-8 become U+FFFD. XML and HTML: & < > " ' as
 * entities; characters XML 1.0 does not allow (controls but tab, LF, CR;
 * U+FFFE, U+FFFF) as the text "\xNN" / "\uNNNN"; in attributes tab, LF and CR as
 * character references so they survive normalisation. JSON: as RFC 8259, plus
 * DEL, C1 controls, U+2028 and U+2029 as \uNNNN (so JSON is also YAML and JS safe).
 */
void wc_rep_xml(FILE *f, const char *s, size_t n, int attr);
void wc_rep_xmls(FILE *f, const char *s, int attr); /* s NUL-terminated, NULL as "" */
/* A JSON string with its quotes; NULL gives null. */
void wc_rep_json(FILE *f, const char *s, size_t n);
void wc_rep_jsons(FILE *f, const char *s);

#endif
