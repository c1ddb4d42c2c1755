/*
 * table_reader.h
 *		A pub table opened for reading by index, with a slot for its rows.
 */
#ifndef TABLE_READER_H
#define TABLE_READER_H

#include "executor/tuptable.h"
#include "utils/rel.h"
#include "utils/snapshot.h"

typedef struct ReadTable
{
	Relation	rel;
	TupleTableSlot *slot;
} ReadTable;

extern Oid	pub_relation(const char *relname);
extern void read_open(ReadTable *t, const char *relname);
extern void read_close(ReadTable *t);
extern bool read_by_id(ReadTable *t, int64 id, Snapshot snapshot);

#endif							/* TABLE_READER_H */
