/*
 * table_reader.h
 *		A pub table opened for reading through one of its indexes, with a
 *		slot for its rows.
 */
#ifndef TABLE_READER_H
#define TABLE_READER_H

#include "access/genam.h"
#include "access/skey.h"
#include "storage/lockdefs.h"
#include "executor/tuptable.h"
#include "utils/rel.h"
#include "utils/snapshot.h"

typedef struct ReadTable
{
	Relation	rel;
	LOCKMODE	lockmode;		/* of rel */
	Relation	index;			/* the one it is read by, open as long as rel */
	TupleTableSlot *slot;
	IndexScanDesc scan;			/* kept for the next look-up, or NULL */
} ReadTable;

/* Called for each row of read_each in index order; returns false to stop. */
typedef bool (*RowVisitor) (TupleTableSlot *slot, void *arg);

extern Oid	pub_relation(const char *relname);
extern void read_open(ReadTable *t, const char *relname, const char *index);
extern void read_open_locking(ReadTable *t, const char *relname, const char *index, LOCKMODE mode);
extern void read_close(ReadTable *t);
extern bool read_by_id(ReadTable *t, int64 id, Snapshot snapshot);
extern bool read_first(ReadTable *t, ScanKey keys, int nkeys, Snapshot snapshot);
extern void read_each(ReadTable *t, ScanKey keys, int nkeys, Snapshot snapshot, RowVisitor visit, void *arg);

#endif							/* TABLE_READER_H */
