# pub_backoffice: PGXS build.  `make test` and `make demo` install what they
# need first (see test/deps.sh), so they work on a fresh Debian machine.

EXTENSION   = pub_backoffice
MODULE_big  = pub_backoffice
EXT_VERSION = 1.0

SRCS  = $(sort $(wildcard src/*.c src/*/*.c))
OBJS  = $(SRCS:.c=.o)

# The extension script is assembled from one file per area, in name order.
SQL_PARTS  = $(sort $(wildcard sql/extension/*.sql))
DATA_built = pub_backoffice--$(EXT_VERSION).sql
DATA       = $(wildcard sql/upgrade/*.sql)

# Every sql/*.sql is a pg_regress test with its expected/*.out.
REGRESS      = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
# run.sh passes the throwaway cluster in PBO_REGRESS_CONN (--host, --port, --user).
REGRESS_OPTS = --dbname=contrib_regression $(PBO_REGRESS_CONN)

PKG_DEPS    = rdkafka json-c
PG_CPPFLAGS = -Isrc $(shell pkg-config --cflags $(PKG_DEPS) 2>/dev/null) \
              -Wall -Wextra -Werror -Wno-unused-parameter \
              -Wno-missing-field-initializers -Wno-sign-compare
SHLIB_LINK  = $(shell pkg-config --libs $(PKG_DEPS) 2>/dev/null)
EXTRA_CLEAN = results regression.diffs regression.out

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

$(DATA_built): $(SQL_PARTS)
	cat $^ > $@
