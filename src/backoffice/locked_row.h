/*
 * locked_row.h
 *		Fetching one row through a read table's index and locking it, as
 *		SELECT ... FOR UPDATE / FOR KEY SHARE would, without a statement.
 */
#ifndef LOCKED_ROW_H
#define LOCKED_ROW_H

#include "access/skey.h"
#include "nodes/lockoptions.h"
#include "utils/snapshot.h"

#include "backoffice/table_reader.h"

extern Snapshot locked_row_snapshot(void);
extern bool locked_row_fetch(ReadTable *t, ScanKey keys, int nkeys, LockTupleMode mode, Snapshot snapshot);

#endif							/* LOCKED_ROW_H */
