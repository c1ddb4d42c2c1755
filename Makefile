# pub_backoffice: PGXS build.  `make test` and `make demo` install what they
# need first (see test/deps.sh), so they work on a fresh Debian machine.

EXTENSION   = pub_backoffice
MODULE_big  = pub_backoffice

SRCS  = $(sort $(wildcard src/*.c src/*/*.c))
OBJS  = $(SRCS:.c=.o)

# Version 1.0's script is assembled from one file per area, sql/extension/*.sql,
# in name order.  Each later version's parts sit in sql/extension/<version>/
# and make the update script from the version before; CREATE EXTENSION of the
# default version runs the 1.0 script and then the updates, so a new install
# and an updated one are built by the same statements.
SQL_PARTS  = $(sort $(wildcard sql/extension/*.sql))
SQL_1_1    = $(sort $(wildcard sql/extension/1.1/*.sql))
SQL_1_2    = $(sort $(wildcard sql/extension/1.2/*.sql))
SQL_1_3    = $(sort $(wildcard sql/extension/1.3/*.sql))
SQL_1_4    = $(sort $(wildcard sql/extension/1.4/*.sql))
DATA_built = pub_backoffice--1.0.sql pub_backoffice--1.0--1.1.sql pub_backoffice--1.1--1.2.sql \
              pub_backoffice--1.2--1.3.sql pub_backoffice--1.3--1.4.sql

# Every sql/*.sql is a pg_regress test with its expected/*.out.
REGRESS      = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
# run.sh passes the throwaway cluster in PBO_REGRESS_CONN (--host, --port, --user).
REGRESS_OPTS = --dbname=contrib_regression $(PBO_REGRESS_CONN)

PKG_DEPS    = rdkafka json-c
# -Wextra, less two warnings PostgreSQL's own headers (ilist.h, bufpage.h) and
# its callback signatures (unused arguments) set off; everything else is an error.
PG_CPPFLAGS = -Isrc $(shell pkg-config --cflags $(PKG_DEPS) 2>/dev/null) \
              -Wall -Wextra -Werror -Wno-unused-parameter \
              -Wno-missing-field-initializers \
              -MMD -MP
SHLIB_LINK  = $(shell pkg-config --libs $(PKG_DEPS) 2>/dev/null)
EXTRA_CLEAN = results regression.diffs regression.out $(OBJS:.o=.d)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

.DEFAULT_GOAL := all
.PHONY: test demo deps bench valgrind
test:
	bash test/run.sh
demo:
	bash demo/run.sh
deps:
	bash test/deps.sh
bench:
	bash test/bench/run.sh
valgrind:
	bash test/memcheck/valgrind.sh

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all:
	@echo "PostgreSQL 15 server headers are missing: run 'make deps' (or 'make test', which runs it)." >&2
	@exit 1
endif

# A header change rebuilds the objects that include it (-MMD above).  The
# JIT's .bc files are compiled with the same flags and wrote the same .d,
# naming only the .bc: the .o files then missed header changes (stale objects
# crashed decoder_snapshot).  The .d belongs to the .o.
BITCODE_CFLAGS += -MF /dev/null
-include $(OBJS:.o=.d)

pub_backoffice--1.0.sql: $(SQL_PARTS)
pub_backoffice--1.0--1.1.sql: $(SQL_1_1)
pub_backoffice--1.1--1.2.sql: $(SQL_1_2)
pub_backoffice--1.2--1.3.sql: $(SQL_1_3)
pub_backoffice--1.3--1.4.sql: $(SQL_1_4)
$(DATA_built):
	cat $^ > $@
