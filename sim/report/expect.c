/*
 * Expectations judged after the run (see expect.h): each figure read from
 * the final state or from its `at:` capture, through the same summary
 * reader compare and diff use, or from the slabinfo text the kernel's
 * s_show printed. The verdicts go to the terminal, expect.json and
 * junit.xml (one test case per expectation, for CI systems).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libyaml first: alloc/env.h (via report.h) defines `current` */
#include "sim/report/summary.h"
#include "sim/workload/expect.h"
#include "sim/report/report.h"

/* One expectation's outcome. */
struct verdict {
	bool have;		/* the figure was read */
	bool num;
	struct fixed f;
	char value[128];	/* as read, for messages */
	bool pass;
	char why[400];		/* no value: why not */
};

/* ------------------------------------------------------------------ */
/* Reading a figure                                                     */
/* ------------------------------------------------------------------ */

/*
 * The value of column col of cache in slabinfo text: the header line
 * ("# name <active_objs> ...") says where each column is, so the plain
 * and statistics forms both read right. false when there is none.
 */
static bool slabinfo_value(const char *text, const char *cache,
			   const char *col, char *out, size_t len,
			   bool *no_cache)
{
	const char *line = text, *header = NULL;
	int want = -1;
	char tok[80];

	*no_cache = true;
	for (; line && *line; line = strchr(line, '\n'), line += !!line) {
		if (!strncmp(line, "# name", 6)) {
			header = line;
			continue;
		}
		size_t n = strlen(cache);
		if (strncmp(line, cache, n) || line[n] != ' ')
			continue;
		*no_cache = false;
		if (!header)
			return false;
		/* The column's position among the header's <...> names. */
		int k = 0;
		for (const char *p = header; *p && *p != '\n'; p++) {
			if (*p != '<')
				continue;
			size_t m = strcspn(p + 1, ">\n");
			if (m == strlen(col) && !strncmp(p + 1, col, m))
				want = k;
			k++;
		}
		if (want < 0)
			return false;
		/* The numbers after the name, skipping ':' and section words. */
		k = 0;
		for (const char *p = line + n; *p && *p != '\n';) {
			p += strspn(p, " \t");
			size_t m = strcspn(p, " \t\n");
			if (!m)
				break;
			snprintf(tok, sizeof(tok), "%.*s", (int)m, p);
			p += m;
			if (strspn(tok, "-0123456789") != strlen(tok))
				continue;
			if (k++ == want) {
				snprintf(out, len, "%s", tok);
				return true;
			}
		}
		return false;
	}
	return false;
}

/* The capture for an `at:` time; NULL when the run never got there. */
static const struct expect_capture *capture_at(const struct run_result *res,
					       uint64_t t)
{
	for (size_t i = 0; i < res->nr_caps; i++)
		if (res->caps[i].t == t)
			return res->caps[i].taken ? &res->caps[i] : NULL;
	return NULL;
}

static void read_summary(const struct wl_expect *e, const char *text,
			 struct verdict *v)
{
	struct summary s;
	char err[200];

	if (!summary_parse(text, strlen(text), &s, err, sizeof(err))) {
		snprintf(v->why, sizeof(v->why), "summary unreadable: %s", err);
		return;
	}
	yaml_node_t *n = summary_path(&s, summary_root(&s), e->what);
	switch (summary_kind(&s, n)) {
	case SV_NUM:
	case SV_BOOL:
	case SV_STR:
		v->have = true;
		v->num = summary_fixed(&s, n, &v->f);
		snprintf(v->value, sizeof(v->value), "%s", summary_text(n));
		break;
	case SV_NULL:
		snprintf(v->why, sizeof(v->why), "summary.json's %s is null "
			 "in this run", e->what);
		break;
	case SV_ARR:
	case SV_OBJ:
		snprintf(v->why, sizeof(v->why), "summary.json's %s is not "
			 "one figure but a %s (name one of its members)",
			 e->what, summary_kind(&s, n) == SV_ARR ? "list" : "section");
		break;
	default:
		snprintf(v->why, sizeof(v->why), "summary.json has no figure "
			 "'%s'", e->what);
		break;
	}
	summary_free(&s);
}

static void read_figure(const struct run_result *res, const char *final,
			const struct wl_expect *e, struct verdict *v)
{
	const struct expect_capture *c = NULL;
	bool no_cache;

	if (e->at_given) {
		c = capture_at(res, e->at);
		if (!c) {
			snprintf(v->why, sizeof(v->why), "the run ended at "
				 "%llu ns, before this at: time",
				 (unsigned long long)res->end_t);
			return;
		}
	}
	if (e->source == EX_SUMMARY) {
		read_summary(e, c ? c->summary.buf : final, v);
		return;
	}
	const char *text = c ? c->slabinfo.buf : res->final_slabinfo.buf;
	if (slabinfo_value(text ? text : "", e->cache, e->what, v->value,
			   sizeof(v->value), &no_cache)) {
		v->have = fixed_parse(v->value, &v->f);
		v->num = v->have;
	}
	if (!v->have)
		snprintf(v->why, sizeof(v->why), no_cache ?
			 "slabinfo has no cache '%s' at that time (a cache "
			 "must exist to be read)" :
			 "slabinfo's %s line has no %s column", e->cache, e->what);
}

/* ------------------------------------------------------------------ */
/* Judging                                                              */
/* ------------------------------------------------------------------ */

static int cmp_fixed(struct fixed a, struct fixed b)
{
	if (!fixed_align(&a, &b))	/* cannot happen within 6 places */
		return 0;
	return a.v < b.v ? -1 : a.v > b.v;
}

/*
 * Whether v meets e's bound; false with why set when the figure cannot be
 * compared at all (text against a number bound).
 */
static bool judge(const struct wl_expect *e, struct verdict *v)
{
	if (e->equal.given && !e->equal.num) {
		v->pass = !strcmp(v->value, e->equal.text);
		return true;
	}
	if (!v->num) {
		snprintf(v->why, sizeof(v->why), "'%s' is not a number; only "
			 "equal: takes text", v->value);
		return false;
	}
	v->pass = true;
	if (e->equal.given)
		v->pass = cmp_fixed(v->f, e->equal.f) == 0;
	if (e->min.given && cmp_fixed(v->f, e->min.f) < 0)
		v->pass = false;
	if (e->max.given && cmp_fixed(v->f, e->max.f) > 0)
		v->pass = false;
	return true;
}

/* ------------------------------------------------------------------ */
/* The files                                                            */
/* ------------------------------------------------------------------ */

static void json_bound(struct strbuf *sb, const struct ex_bound *b)
{
	char buf[48];

	if (!b->given)
		sb_puts(sb, "null");
	else if (b->num)
		sb_puts(sb, fixed_str(buf, sizeof(buf), b->f));
	else
		sb_put_json_str(sb, b->text);
}

/* Text for an XML attribute or element: markup characters escaped,
 * control characters (which XML 1.0 cannot carry) dropped. */
static void xml_text(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': sb_puts(sb, "&amp;"); break;
		case '<': sb_puts(sb, "&lt;"); break;
		case '>': sb_puts(sb, "&gt;"); break;
		case '"': sb_puts(sb, "&quot;"); break;
		case '\'': sb_puts(sb, "&apos;"); break;
		default:
			if ((unsigned char)*s >= 0x20 && *s != 0x7f)
				sb_putc(sb, *s);
		}
	}
}

unsigned int report_expectations(struct run_result *res)
{
	const struct workload *wl = res->wl;
	struct verdict *vs = xcalloc(wl->nr_expects, sizeof(*vs));
	struct strbuf final;
	unsigned int failed = 0;
	char name[400], bounds[200];

	sb_init(&final);
	report_summary_json(res, &final);
	for (size_t i = 0; i < wl->nr_expects; i++) {
		const struct wl_expect *e = &wl->expects[i];
		struct verdict *v = &vs[i];

		read_figure(res, final.buf, e, v);
		bool ok = v->have && judge(e, v);
		/* After a BUG a figure may be missing: a failure, not bad
		 * input, and the exit status stays the BUG's. */
		if (!ok && res->status == RUN_OK) {
			expect_name(e, name, sizeof(name));
			sb_free(&final);
			user_error("%s:%u:%u: expect: %s: %s", wl->file, e->line,
				   e->col, name, v->why);
		}
		if (!ok)
			v->pass = false;
		failed += !v->pass;
	}
	sb_free(&final);

	/* The terminal */
	struct strbuf *t = &res->expect_text;
	sb_init(t);
	sb_printf(t, "  expectations: %zu passed, %u failed\n",
		  wl->nr_expects - failed, failed);
	for (size_t i = 0; i < wl->nr_expects; i++) {
		expect_name(&wl->expects[i], name, sizeof(name));
		expect_bounds(&wl->expects[i], bounds, sizeof(bounds));
		sb_printf(t, "    %s  %s = %s (%s)\n", vs[i].pass ? "PASS" : "FAIL",
			  name, vs[i].have ? vs[i].value : vs[i].why, bounds);
	}

	/* expect.json */
	struct strbuf *j = &res->expect_json;
	sb_init(j);
	sb_printf(j, "{\n  \"passed\": %zu,\n  \"failed\": %u,\n"
		  "  \"expectations\": [", wl->nr_expects - failed, failed);
	for (size_t i = 0; i < wl->nr_expects; i++) {
		const struct wl_expect *e = &wl->expects[i];
		expect_name(e, name, sizeof(name));
		sb_puts(j, i ? ",\n    {\"name\": " : "\n    {\"name\": ");
		sb_put_json_str(j, name);
		sb_printf(j, ", \"source\": \"%s\", \"figure\": ",
			  e->source == EX_SUMMARY ? "summary" : "slabinfo");
		sb_put_json_str(j, e->what);
		sb_puts(j, ", \"cache\": ");
		if (e->source == EX_SLABINFO)
			sb_put_json_str(j, e->cache);
		else
			sb_puts(j, "null");
		if (e->at_given)
			sb_printf(j, ", \"at_ns\": %llu", (unsigned long long)e->at);
		else
			sb_puts(j, ", \"at_ns\": null");
		sb_puts(j, ", \"min\": ");
		json_bound(j, &e->min);
		sb_puts(j, ", \"max\": ");
		json_bound(j, &e->max);
		sb_puts(j, ", \"equal\": ");
		json_bound(j, &e->equal);
		sb_puts(j, ", \"value\": ");
		if (!vs[i].have)
			sb_puts(j, "null");
		else if (vs[i].num)
			sb_puts(j, vs[i].value);
		else
			sb_put_json_str(j, vs[i].value);
		sb_printf(j, ", \"pass\": %s, \"line\": %u, \"column\": %u}",
			  vs[i].pass ? "true" : "false", e->line, e->col);
	}
	sb_puts(j, "\n  ]\n}\n");

	/* junit.xml: no times (wall time must not reach an output) */
	struct strbuf *x = &res->junit;
	sb_init(x);
	sb_printf(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		  "<testsuites name=\"slabsim\" tests=\"%zu\" failures=\"%u\" "
		  "errors=\"0\">\n  <testsuite name=\"", wl->nr_expects, failed);
	xml_text(x, wl->name);
	sb_printf(x, "\" tests=\"%zu\" failures=\"%u\" errors=\"0\" "
		  "skipped=\"0\">\n", wl->nr_expects, failed);
	for (size_t i = 0; i < wl->nr_expects; i++) {
		const struct wl_expect *e = &wl->expects[i];
		expect_name(e, name, sizeof(name));
		expect_bounds(e, bounds, sizeof(bounds));
		sb_puts(x, "    <testcase classname=\"slabsim.");
		xml_text(x, wl->name);
		sb_puts(x, "\" name=\"");
		xml_text(x, name);
		sb_puts(x, " (");
		xml_text(x, bounds);
		sb_puts(x, ")\"");
		if (vs[i].pass) {
			sb_puts(x, "/>\n");
			continue;
		}
		struct strbuf msg;
		sb_init(&msg);
		sb_printf(&msg, "%s = %s, expected %s", name,
			  vs[i].have ? vs[i].value : vs[i].why, bounds);
		sb_puts(x, ">\n      <failure type=\"expectation\" message=\"");
		xml_text(x, msg.buf);
		sb_puts(x, "\">");
		xml_text(x, wl->file);
		sb_printf(x, ":%u:%u: ", e->line, e->col);
		xml_text(x, msg.buf);
		sb_puts(x, "</failure>\n    </testcase>\n");
		sb_free(&msg);
	}
	sb_puts(x, "  </testsuite>\n</testsuites>\n");
	free(vs);
	res->expect_failed = failed;
	return failed;
}
