/* subid.h - rootless, subordinate ids of the grading user (/etc/subuid, /etc/subgid), mapped with newuidmap and newgidmap: the programs under test never run as that user */
#ifndef WC_SUBID_H
#define WC_SUBID_H

#include <stddef.h>

/* The subordinate ids a rootless run maps, inside as outside: uids
 * uid_start.., gids gid_start.., count of each. */
typedef struct wc_subids {
	unsigned long uid_start, gid_start, count;
	char newuidmap[512], newgidmap[512]; /* the programs' paths */
} wc_subids;

/*
 * The first range of owner in text (the text of /etc/subuid or /etc/subgid:
 * lines OWNER:START:COUNT, OWNER a name or a number) whose OWNER is name or
 * the number id, and which holds neither the id own (the user's own id, mapped
 * beside it) nor 0. 1 with *start and *count, 0 if there is none.
 */
int wc_subid_find(const char *text, const char *name, unsigned long id, unsigned long own, unsigned long *start,
		  unsigned long *count);

/*
 * Rootless: can this user's programs run as subordinate ids? Probed once per
 * process (a worker inherits its parent's answer): not WIRECHECK_NO_SUBUID, a
 * name for the uid, the real gid the user's login group (newgidmap maps no
 * other), a range of the user's in /etc/subuid and in /etc/subgid, newuidmap
 * and newgidmap on PATH (else in /usr/bin). 1 with *ids and the ids in words
 * ("uids 100000-165535 and gids 100000-165535 of 'ann' (/etc/subuid,
 * /etc/subgid)"); 0 with why in words ("no range for 'ann' (uid 1000) in
 * /etc/subuid ...") and what to do in fix ("as root: usermod --add-subuids
 * ..."). ids, words and fix may be NULL.
 */
int wc_subids_usable(wc_subids *ids, char *words, size_t n, char *fix, size_t fixn);

/*
 * Unshares flags (CLONE_NEWUSER and others) and has the new user namespace map
 * the caller's own uid and gid and the subordinate ids, each inside as outside.
 * A process may map only its own id into a namespace of its own; newuidmap and
 * newgidmap (setuid root) may map the ranges of /etc/subuid: a helper forked
 * beforehand, still in the caller's user namespace, runs them on the caller's
 * pid once the caller has unshared, and the caller waits for it. setgroups
 * stays allowed (the programs drop their supplementary groups). 0, or -1 with
 * the reason in err (what newuidmap said, and what to do).
 */
int wc_subids_unshare(const wc_subids *ids, int flags, char *err, size_t errlen);

#endif
