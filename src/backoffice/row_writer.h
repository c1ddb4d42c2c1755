/*
 * row_writer.h
 *		Inserting and updating rows without a statement: heap, indexes and
 *		CHECK constraints as an INSERT or UPDATE would, with only the AFTER
 *		triggers the caller names.  For postings whose own rows satisfy by construction
 *		what the other triggers and foreign keys check (see sale_posting.c).
 */
#ifndef ROW_WRITER_H
#define ROW_WRITER_H

#include "nodes/execnodes.h"

typedef struct RowWriter RowWriter;
typedef struct RowWriterTable RowWriterTable;

extern RowWriter *row_writer_begin(void);
extern RowWriterTable *row_writer_table(RowWriter *w, const char *relname, const char *kept_trigger);
extern void row_start(RowWriterTable *t);
extern void row_start_from(RowWriterTable *t, TupleTableSlot *old);
extern void row_set(RowWriterTable *t, const char *column, Datum value, bool isnull);
extern Relation row_table_relation(RowWriterTable *t);
extern int64 row_next_id(RowWriterTable *t);
extern void row_insert(RowWriter *w, RowWriterTable *t);
extern Datum slot_column(TupleTableSlot *slot, const char *column, bool *isnull);
extern Datum slot_column_copy(TupleTableSlot *slot, const char *column, bool *isnull);
extern Datum row_coerce(RowWriterTable *t, const char *column, Datum value);
extern void row_update(RowWriter *w, RowWriterTable *t, TupleTableSlot *old);
extern void row_writer_end(RowWriter *w);

#endif							/* ROW_WRITER_H */
