/* fuzz_scenario.c - libFuzzer target: wc_scenario_parse on any text, then $name binding and free */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scenario/scenario.h"
#include "fuzz.h"

/*
 * The input is the scenario text, not NUL-terminated, so the parser must keep
 * to (text, len). Its path is "fuzz.scn": '@file' payloads are read from the
 * working folder (the Makefile runs the target in build-fuzz/fuzz_scenario/,
 * which holds payload.txt).
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	wc_scenario sc;

	err[0] = 0;
	if (wc_scenario_parse("fuzz.scn", (const char *)data, size, &sc, err, sizeof(err)) < 0) {
		FUZZ_CHECK(sc.steps == NULL && sc.nsteps == 0);
		FUZZ_CHECK(memchr(err, 0, sizeof(err)) && err[0]);
		return 0;
	}
	FUZZ_CHECK(sc.nsteps > 0 && sc.neps >= 0 && sc.neps <= WC_MAX_ENDPOINTS);
	FUZZ_CHECK(sc.nvariants >= 0 && sc.nvariants <= WC_MAX_VARIANTS);
	for (int i = 0; i < sc.nsteps; i++) {
		const wc_step *st = &sc.steps[i];
		FUZZ_CHECK(st->ep >= -1 && st->ep < sc.neps);
		FUZZ_CHECK(st->nnames >= 0 && st->nnames <= WC_MAX_NAMES);
		FUZZ_CHECK(memchr(st->text, 0, sizeof(st->text)) != NULL);
		for (int k = 0; k < st->nnames; k++)
			FUZZ_CHECK(st->name_at[k] <= st->len && (k == 0 || st->name_at[k - 1] <= st->name_at[k]));
		if (st->data)
			fuzz_touch(st->data, st->len);
		fuzz_touch(wc_step_kind_str(st->kind), 1);
	}
	fuzz_sink ^= (uint8_t)wc_scenario_has_variant(&sc, "concurrent-threads");
	fuzz_touch(wc_level_str(sc.level), 1);
	if (wc_scenario_bind_name(&sc, "Ada Lovelace") == 0)
		for (int i = 0; i < sc.nsteps; i++) {
			FUZZ_CHECK(sc.steps[i].nnames == 0);
			if (sc.steps[i].data)
				fuzz_touch(sc.steps[i].data, sc.steps[i].len);
		}
	wc_scenario_free(&sc);
	return 0;
}
