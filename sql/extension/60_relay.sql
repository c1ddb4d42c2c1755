-- The relay: status view and control functions of the background worker that
-- streams decoded changes to Kafka (src/relay/).

CREATE FUNCTION pub.relay_status_row(
    OUT state text, OUT pid integer, OUT database text, OUT slot text,
    OUT last_acked_lsn pg_lsn, OUT lag_bytes bigint, OUT lag_seconds double precision,
    OUT events_sent bigint, OUT bytes_sent bigint, OUT batches bigint, OUT retries bigint,
    OUT queue_depth bigint, OUT broker_rtt_ms double precision,
    OUT last_error text, OUT last_error_at timestamptz,
    OUT snapshot_table text, OUT snapshot_rows_done bigint, OUT snapshot_rows_total bigint,
    OUT started_at timestamptz)
RETURNS record
LANGUAGE c VOLATILE STRICT
AS 'MODULE_PATHNAME', 'pub_relay_status';
COMMENT ON FUNCTION pub.relay_status_row() IS
    'The relay worker''s status from shared memory; read it through the view pub.relay_status';

CREATE VIEW pub.relay_status AS SELECT * FROM pub.relay_status_row();
COMMENT ON VIEW pub.relay_status IS
    'The Kafka relay: state, slot, last LSN Kafka acknowledged, lag in bytes and seconds, '
    'events and bytes sent, batches, retries, producer queue depth, broker round-trip time, '
    'last error, initial snapshot progress';

CREATE FUNCTION pub.relay_start() RETURNS boolean
LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'pub_relay_start';
COMMENT ON FUNCTION pub.relay_start() IS
    'Start the relay worker (after pub.relay_stop()); it resumes at its slot''s confirmed position';

CREATE FUNCTION pub.relay_stop() RETURNS boolean
LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'pub_relay_stop';
COMMENT ON FUNCTION pub.relay_stop() IS
    'Stop the relay worker after it flushed what is in flight; its slot keeps the WAL until pub.relay_start()';

CREATE FUNCTION pub.relay_restart() RETURNS boolean
LANGUAGE c VOLATILE AS 'MODULE_PATHNAME', 'pub_relay_restart';
COMMENT ON FUNCTION pub.relay_restart() IS
    'Stop and start the relay worker, e.g. to retry after fixing the brokers';

REVOKE ALL ON FUNCTION pub.relay_status_row(), pub.relay_start(), pub.relay_stop(),
    pub.relay_restart() FROM PUBLIC;
