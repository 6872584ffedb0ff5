/* script_vars.c: variables and their scopes, and the budget of one console
 * line. A block opens a scope and its :local variables die with it; :global
 * ones live as long as the console. The state is made on first use and freed
 * at exit. */
#include <stdlib.h>
#include <string.h>

#include "script.h"

struct var {
	char *name;
	struct val v;
};

struct scope {
	struct var *vars;
	int n;
};

struct sc_state {
	struct scope *scopes;		/* innermost last */
	int nscopes, capscopes;
	struct scope globals;
	int nvars;			/* alive, in all scopes */
	long long bytes;		/* their values' weight */
	long long steps;		/* this line's */
	long long delay_ms;		/* this line's */
	long long max_delay_ms;		/* per line: SC_MAXDELAY_MS unless a fuzzer says */
	long long max_steps;		/* per line: SC_MAXSTEPS unless a fuzzer says */
	int fatal;			/* a bound was hit: on-error does not catch it */
	int returning;			/* :return ran: blocks stop */
	struct val retval;
};

static struct sc_state *states[4];
static struct sc_state *sh_of_scope;	/* whose byte count free_scope keeps */

static void
free_scope(struct scope *sc)
{
	for (int i = 0; i < sc->n; i++) {
		if (sh_of_scope)
			sh_of_scope->bytes -= val_weight(&sc->vars[i].v);
		free(sc->vars[i].name);
		val_free(&sc->vars[i].v);
	}
	free(sc->vars);
	memset(sc, 0, sizeof(*sc));
}

static void
free_states(void)
{
	for (int i = 0; i < 4; i++) {
		struct sc_state *st = states[i];

		if (!st)
			continue;
		while (st->nscopes)
			free_scope(&st->scopes[--st->nscopes]);
		free(st->scopes);
		free_scope(&st->globals);
		val_free(&st->retval);
		free(st);
	}
}

static struct sc_state *
state(struct sh *sh)
{
	if (!sh->sc) {
		sh->sc = calloc(1, sizeof(*sh->sc));
		sh->sc->max_delay_ms = SC_MAXDELAY_MS;
		sh->sc->max_steps = SC_MAXSTEPS;
		for (int i = 0; i < 4; i++)
			if (!states[i]) {
				if (i == 0)
					atexit(free_states);
				states[i] = sh->sc;
				break;
			}
	}
	return sh->sc;
}

void
sc_push(struct sh *sh)
{
	struct sc_state *st = state(sh);

	if (st->nscopes == st->capscopes) {
		st->capscopes = st->capscopes ? st->capscopes * 2 : 16;
		st->scopes = realloc(st->scopes, sizeof(*st->scopes) * st->capscopes);
	}
	memset(&st->scopes[st->nscopes++], 0, sizeof(struct scope));
}

void
sc_pop(struct sh *sh)
{
	struct sc_state *st = state(sh);

	if (!st->nscopes)
		return;
	st->nvars -= st->scopes[st->nscopes - 1].n;
	sh_of_scope = st;
	free_scope(&st->scopes[--st->nscopes]);
	sh_of_scope = NULL;
}

static struct var *
find_in(struct scope *sc, const char *name)
{
	for (int i = 0; i < sc->n; i++)
		if (!strcmp(sc->vars[i].name, name))
			return &sc->vars[i];
	return NULL;
}

/* The innermost variable of that name, local first, then global. */
struct val *
sc_lookup(struct sh *sh, const char *name)
{
	struct sc_state *st = state(sh);
	struct var *v;

	for (int i = st->nscopes - 1; i >= 0; i--)
		if ((v = find_in(&st->scopes[i], name)))
			return &v->v;
	v = find_in(&st->globals, name);
	return v ? &v->v : NULL;
}

/* Give a variable a value (taken), within the bytes all variables may hold. */
int
sc_assign(struct sh *sh, size_t pos, struct val *slot, struct val *moved)
{
	struct sc_state *st = state(sh);
	long long delta = val_weight(moved) - val_weight(slot);

	if (st->bytes + delta > SC_MAXBYTES) {
		val_free(moved);
		st->fatal = 1;
		return sh_fail(sh, pos, "script stopped: variables hold more than %lld MiB",
			       SC_MAXBYTES >> 20);
	}
	st->bytes += delta;
	val_move(slot, moved);
	return 0;
}

/* A variable's value grew or shrank in place by delta bytes. */
int
sc_account(struct sh *sh, size_t pos, long long delta)
{
	struct sc_state *st = state(sh);

	st->bytes += delta;
	if (st->bytes <= SC_MAXBYTES)
		return 0;
	st->fatal = 1;
	return sh_fail(sh, pos, "script stopped: variables hold more than %lld MiB",
		       SC_MAXBYTES >> 20);
}

/* :local and :global. A :global without a value keeps the one it has. */
int
sc_define(struct sh *sh, size_t pos, const char *name, int global, struct val *moved)
{
	struct sc_state *st = state(sh);
	struct scope *sc;
	struct var *v;

	if (!global && !st->nscopes)
		sc_push(sh);
	sc = global ? &st->globals : &st->scopes[st->nscopes - 1];
	if ((v = find_in(sc, name))) {
		if (!global || moved->t != V_NIL)
			return sc_assign(sh, pos, &v->v, moved);
		val_free(moved);
		return 0;
	}
	if (st->nvars >= SC_MAXVARS) {
		val_free(moved);
		sc_set_fatal(sh);
		return sh_fail(sh, pos, "too many variables (at most %d)", SC_MAXVARS);
	}
	sc->vars = realloc(sc->vars, sizeof(*sc->vars) * (sc->n + 1));
	v = &sc->vars[sc->n++];
	v->name = strdup(name);
	memset(&v->v, 0, sizeof(v->v));
	st->bytes += val_weight(&v->v);
	st->nvars++;
	return sc_assign(sh, pos, &v->v, moved);
}

/* One more statement or loop turn of this line. */
int
sc_step(struct sh *sh, size_t pos)
{
	struct sc_state *st = state(sh);

	if (++st->steps <= st->max_steps)
		return 0;
	st->fatal = 1;
	return sh_fail(sh, pos, "script stopped: more than %lld steps in one line", st->max_steps);
}

int
sc_delay_budget(struct sh *sh, size_t pos, long long ms)
{
	struct sc_state *st = state(sh);

	if (ms < 0 || ms > st->max_delay_ms - st->delay_ms) {
		st->fatal = 1;
		return sh_fail(sh, pos, "script stopped: more than %lld seconds of :delay in one line",
			       st->max_delay_ms / 1000);
	}
	st->delay_ms += ms;
	return 0;
}

/* A fuzzer must not sleep nor spin long: it sets lower bounds. */
void
sc_set_limits(struct sh *sh, long long delay_ms, long long steps)
{
	state(sh)->max_delay_ms = delay_ms;
	state(sh)->max_steps = steps;
}

void
sc_line_start(struct sh *sh)
{
	struct sc_state *st = state(sh);

	st->steps = 0;
	st->delay_ms = 0;
	st->fatal = 0;
	st->returning = 0;
	val_free(&st->retval);
}

int
sc_fatal(struct sh *sh)
{
	return state(sh)->fatal;
}

void
sc_set_fatal(struct sh *sh)
{
	state(sh)->fatal = 1;
}

int
sc_returning(struct sh *sh)
{
	return state(sh)->returning;
}

void
sc_set_return(struct sh *sh, struct val *moved)
{
	struct sc_state *st = state(sh);

	val_move(&st->retval, moved);
	st->returning = 1;
}

void
sc_take_return(struct sh *sh, struct val *out)
{
	struct sc_state *st = state(sh);

	if (st->returning)
		val_move(out, &st->retval);
	st->returning = 0;
}
