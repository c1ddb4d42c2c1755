/*
 * statement_checks.h
 *		Statements writing pub tables take their CHECK expressions from the
 *		check cache.
 */
#ifndef STATEMENT_CHECKS_H
#define STATEMENT_CHECKS_H

extern void statement_checks_init(void);

#endif							/* STATEMENT_CHECKS_H */
