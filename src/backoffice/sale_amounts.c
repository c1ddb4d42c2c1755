/*
 * sale_amounts.c
 *		The signed amounts of a sale's journal entry, worked out as 1.1's
 *		posting statement did, with the same numeric functions:
 *		  payments	 Dr cash/card clearing, one line per method
 *		  revenue	 Cr sales by category, net of VAT; per VAT rate the nets
 *					 are rounded per category and the rounding cent goes to
 *					 the category with the largest gross (ties: by name)
 *		  vat_output Cr VAT per rate, rounded once per sale and rate
 *		  cogs		 Dr cost of goods by category; inventory Cr their sum
 *		sign is 1 for a sale, -1 for a void or refund.
 */
#include "postgres.h"

#include "catalog/pg_collation_d.h"
#include "catalog/pg_type_d.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "backoffice/numeric_ops.h"
#include "backoffice/sale_posting.h"

/* Sums of the lines of one VAT rate, or of one category at one rate. */
typedef struct RateGroup
{
	const char *category;		/* NULL for the rate's total */
	Datum		rate;
	Datum		gross;
	Datum		vat_full;
	Datum		rate_vat;
	Datum		net;
} RateGroup;

static JournalAmount *
amount(const char *role, const char *category, Datum value)
{
	JournalAmount *a = palloc0(sizeof(JournalAmount));

	a->role = role;
	a->category = category ? category : "";
	a->amount = value;
	return a;
}

/* The group of (category, rate), made on first use; category NULL: the rate's. */
static RateGroup *
rate_group(List **groups, const char *category, const SaleLine *l)
{
	ListCell   *lc;
	RateGroup  *g;

	foreach(lc, *groups)
	{
		g = lfirst(lc);
		if (num_cmp(g->rate, l->rate) == 0 &&
			(category == NULL ? g->category == NULL : g->category != NULL && strcmp(g->category, category) == 0))
			return g;
	}
	g = palloc0(sizeof(RateGroup));
	g->category = category;
	g->rate = l->rate;
	g->gross = num_int(0);
	g->vat_full = num_int(0);
	g->rate_vat = l->rate_vat;
	*groups = lappend(*groups, g);
	return g;
}

/* Orders a rate's categories: larger gross first, then by name (the database's collation). */
static bool
comes_first(const RateGroup *a, const RateGroup *b)
{
	int			c = num_cmp(a->gross, b->gross);

	if (c != 0)
		return c > 0;
	return DatumGetInt32(DirectFunctionCall2Coll(bttextcmp, DEFAULT_COLLATION_OID,
												 CStringGetTextDatum(a->category),
												 CStringGetTextDatum(b->category))) < 0;
}

/* Net per (category, rate): rounded, the rate's rounding difference to its first category. */
static void
split_nets(List *rates, List *cats)
{
	ListCell   *lr,
			   *lc;

	foreach(lr, rates)
	{
		RateGroup  *r = lfirst(lr);
		RateGroup  *first = NULL;
		Datum		rounded_sum = num_int(0);

		foreach(lc, cats)
		{
			RateGroup  *c = lfirst(lc);

			if (num_cmp(c->rate, r->rate) != 0)
				continue;
			c->net = num_round2(num_sub(c->gross, c->vat_full));
			rounded_sum = num_add(rounded_sum, c->net);
			if (first == NULL || comes_first(c, first))
				first = c;
		}
		first->net = num_add(first->net,
							 num_sub(num_sub(r->gross, r->rate_vat), rounded_sum));
	}
}

static JournalAmount *
find_category(List *amounts, const char *category)
{
	ListCell   *lc;

	foreach(lc, amounts)
	{
		JournalAmount *a = lfirst(lc);

		if (strcmp(a->category, category) == 0)
			return a;
	}
	return NULL;
}

/* Revenue per category (summed over its rates), in order of first appearance. */
static List *
revenue_amounts(List *cats, Datum neg)
{
	List	   *out = NIL;
	ListCell   *lc;

	foreach(lc, cats)
	{
		RateGroup  *c = lfirst(lc);
		JournalAmount *a = find_category(out, c->category);

		if (a == NULL)
		{
			a = amount("revenue", c->category, num_int(0));
			out = lappend(out, a);
		}
		a->amount = num_add(a->amount, num_mul(neg, c->net));
	}
	return out;
}

/* Payments: one amount per method. */
static List *
payment_amounts(const SaleHeader *h, Datum pos)
{
	List	   *out = NIL;
	ListCell   *lm,
			   *la;

	forboth(lm, h->methods, la, h->amounts)
		out = lappend(out, amount(lfirst(lm), NULL, num_mul(pos, PointerGetDatum(lfirst(la)))));
	return out;
}

static int
by_rate(const ListCell *a, const ListCell *b)
{
	return num_cmp(((RateGroup *) lfirst(a))->rate, ((RateGroup *) lfirst(b))->rate);
}

List *
sale_journal_amounts(List *lines, const SaleHeader *h, List *costs, int sign)
{
	Datum		pos = num_int(sign);
	Datum		neg = num_int(-sign);
	List	   *rates = NIL;
	List	   *cats = NIL;
	List	   *out;
	Datum		inventory = num_int(0);
	ListCell   *lc;

	foreach(lc, lines)
	{
		SaleLine   *l = lfirst(lc);
		RateGroup  *r = rate_group(&rates, NULL, l);
		RateGroup  *c = rate_group(&cats, l->category, l);

		r->gross = num_add(r->gross, l->gross);
		c->gross = num_add(c->gross, l->gross);
		c->vat_full = num_add(c->vat_full, l->vat_full);
	}
	list_sort(rates, by_rate);	/* VAT lines by rate, as 1.1 wrote them */
	split_nets(rates, cats);
	out = payment_amounts(h, pos);
	out = list_concat(out, revenue_amounts(cats, neg));
	foreach(lc, rates)
	{
		RateGroup  *r = lfirst(lc);
		JournalAmount *a = amount("vat_output", NULL, num_mul(neg, r->rate_vat));

		a->rate = r->rate;
		a->has_rate = true;
		out = lappend(out, a);
	}
	foreach(lc, costs)
	{
		CategoryCost *c = lfirst(lc);

		out = lappend(out, amount("cogs", c->category, num_mul(pos, c->cost)));
		inventory = num_add(inventory, c->cost);
	}
	if (costs != NIL)
		out = lappend(out, amount("inventory", NULL, num_mul(neg, inventory)));
	return out;
}
