/*
 * stream_count.c
 *		Streams a logical replication slot up to an end LSN and prints how
 *		many messages, lines and bytes the output plugin sent, discarding
 *		the data.
 *
 * The benchmark's consumer: unlike pg_recvlogical it makes no system call per
 * message, and unlike the SQL functions it builds no tuplestore, so the time
 * measured is the walsender's (decoding, the plugin, the protocol).
 *
 * With -l the messages are text whose lines are separated by '\n' (our
 * plugin packs several events into one message): lines are counted, and the
 * separators are not counted as bytes, so both figures compare with the SQL
 * function's rows and their octet_length.  Without it a message is a line.
 *
 *	usage: stream_count [-l] CONNINFO SLOT END_LSN [option=value ...]
 *	prints: <messages> <lines> <bytes>
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

static uint64_t
read_u64(const char *p)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | (unsigned char) p[i];
	return v;
}

/* '\n' separators in a message's data */
static uint64_t
count_newlines(const char *p, size_t len)
{
	uint64_t	n = 0;
	const char *end = p + len;

	while ((p = memchr(p, '\n', end - p)) != NULL)
	{
		n++;
		p++;
	}
	return n;
}

static uint64_t
parse_lsn(const char *s)
{
	unsigned int hi,
				lo;

	if (sscanf(s, "%X/%X", &hi, &lo) != 2)
	{
		fprintf(stderr, "bad LSN: %s\n", s);
		exit(2);
	}
	return ((uint64_t) hi << 32) | lo;
}

/* START_REPLICATION with the plugin options as ("name" 'value', ...). */
static char *
start_command(PGconn *conn, const char *slot, int nopts, char **opts)
{
	size_t		size = 256 + strlen(slot);
	char	   *cmd;

	for (int i = 0; i < nopts; i++)
		size += 2 * strlen(opts[i]) + 16;
	cmd = malloc(size);
	snprintf(cmd, size, "START_REPLICATION SLOT \"%s\" LOGICAL 0/0", slot);
	for (int i = 0; i < nopts; i++)
	{
		char	   *eq = strchr(opts[i], '=');
		char	   *value;

		if (eq == NULL)
		{
			fprintf(stderr, "expected option=value, got %s\n", opts[i]);
			exit(2);
		}
		*eq = '\0';
		value = PQescapeLiteral(conn, eq + 1, strlen(eq + 1));
		strcat(cmd, i == 0 ? " (" : ", ");
		strcat(cmd, "\"");
		strcat(cmd, opts[i]);
		strcat(cmd, "\" ");
		strcat(cmd, value);
		PQfreemem(value);
	}
	if (nopts > 0)
		strcat(cmd, ")");
	return cmd;
}

int
main(int argc, char **argv)
{
	PGconn	   *conn;
	PGresult   *res;
	uint64_t	end,
				messages = 0,
				separators = 0,
				bytes = 0;
	char	   *buf;
	int			len;
	int			lines = argc > 1 && strcmp(argv[1], "-l") == 0;

	argc -= lines;
	argv += lines;
	if (argc < 4)
	{
		fprintf(stderr, "usage: stream_count [-l] CONNINFO SLOT END_LSN [option=value ...]\n");
		return 2;
	}
	end = parse_lsn(argv[3]);
	conn = PQconnectdb(argv[1]);
	if (PQstatus(conn) != CONNECTION_OK)
	{
		fprintf(stderr, "%s", PQerrorMessage(conn));
		return 1;
	}
	res = PQexec(conn, start_command(conn, argv[2], argc - 4, argv + 4));
	if (PQresultStatus(res) != PGRES_COPY_BOTH)
	{
		fprintf(stderr, "%s", PQerrorMessage(conn));
		return 1;
	}
	PQclear(res);
	while ((len = PQgetCopyData(conn, &buf, 0)) > 0)
	{
		/* 'w': XLogData (start, end, time, data); 'k': keepalive (end, time, reply) */
		if (buf[0] == 'w' && len >= 25)
		{
			if (read_u64(buf + 1) > end)
				break;
			messages++;
			bytes += len - 25;
			if (lines)
				separators += count_newlines(buf + 25, len - 25);
		}
		else if (buf[0] == 'k' && len >= 17 && read_u64(buf + 1) >= end)
			break;
		PQfreemem(buf);
	}
	if (len == -2)
	{
		fprintf(stderr, "%s", PQerrorMessage(conn));
		return 1;
	}
	printf("%llu %llu %llu\n", (unsigned long long) messages,
		   (unsigned long long) (messages + separators),
		   (unsigned long long) (bytes - separators));
	PQfinish(conn);
	return 0;
}
