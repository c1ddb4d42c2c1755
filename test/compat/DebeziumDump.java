// Runs Debezium's PostgreSQL connector in its embedded engine and writes each
// change record as one JSON line {"topic":…,"key":…,"value":…}, key and value
// rendered by Kafka Connect's JsonConverter, exactly as a Kafka consumer of a
// Debezium topic would receive them: with schemas.enable=true to OUT_FILE and
// with schemas.enable=false to OUT_FILE.bare.
//
// usage: java -cp <jars>:<dir> DebeziumDump OUT_FILE MAX_RECORDS IDLE_SECONDS [key=value ...]
//   Stops after MAX_RECORDS records, or after IDLE_SECONDS without a record once
//   at least one arrived.  key=value pairs override or extend the connector
//   properties below (database.port, topic.prefix, decimal.handling.mode, ...).
// It prints "streaming" on stderr when the connector's task has started.

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public final class DebeziumDump {

    private static Properties connectorProperties(String[] args) {
        Properties p = new Properties();
        p.setProperty("name", "pub_backoffice_compat");
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.setProperty("offset.flush.interval.ms", "1000");
        p.setProperty("database.hostname", "127.0.0.1");
        p.setProperty("database.port", "5432");
        p.setProperty("database.user", "postgres");
        p.setProperty("database.password", "");
        p.setProperty("database.dbname", "postgres");
        p.setProperty("topic.prefix", "compat");
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", "debezium_compat");
        p.setProperty("publication.name", "debezium_compat");
        p.setProperty("publication.autocreate.mode", "all_tables");
        p.setProperty("snapshot.mode", "no_data");
        for (int i = 3; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0)
                throw new IllegalArgumentException("expected key=value, got " + args[i]);
            p.setProperty(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return p;
    }

    private static JsonConverter converter(boolean isKey, boolean schemas) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", Boolean.toString(schemas)), isKey);
        return c;
    }

    /** One record as a {"topic","key","value"} line, key and value by the given converters. */
    private static String line(ObjectMapper mapper, SourceRecord r, JsonConverter keys, JsonConverter values)
            throws IOException {
        return "{\"topic\":" + mapper.writeValueAsString(r.topic())
                + ",\"key\":" + json(keys.fromConnectData(r.topic(), r.keySchema(), r.key()))
                + ",\"value\":" + json(values.fromConnectData(r.topic(), r.valueSchema(), r.value()))
                + "}\n";
    }

    /** JSON text of a converted key or value; a Kafka tombstone (null bytes) is JSON null. */
    private static String json(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: DebeziumDump OUT_FILE MAX_RECORDS IDLE_SECONDS [key=value ...]");
            System.exit(2);
        }
        final long maxRecords = Long.parseLong(args[1]);
        final long idleMillis = Long.parseLong(args[2]) * 1000L;
        final JsonConverter keys = converter(true, true);
        final JsonConverter values = converter(false, true);
        final JsonConverter bareKeys = converter(true, false);
        final JsonConverter bareValues = converter(false, false);
        final ObjectMapper mapper = new ObjectMapper();
        final AtomicLong written = new AtomicLong();
        final AtomicLong lastRecordAt = new AtomicLong(System.currentTimeMillis());

        try (BufferedWriter out = Files.newBufferedWriter(Paths.get(args[0]), StandardCharsets.UTF_8);
                BufferedWriter bare = Files.newBufferedWriter(Paths.get(args[0] + ".bare"), StandardCharsets.UTF_8)) {
            DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> consumer = (batch, committer) -> {
                for (RecordChangeEvent<SourceRecord> event : batch) {
                    SourceRecord r = event.record();
                    try {
                        // the bare line first: a reader that sees a record in OUT finds it in OUT.bare
                        bare.write(line(mapper, r, bareKeys, bareValues));
                        bare.flush();
                        out.write(line(mapper, r, keys, values));
                        out.flush();
                    }
                    catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                    written.incrementAndGet();
                    lastRecordAt.set(System.currentTimeMillis());
                    committer.markProcessed(event);
                }
                committer.markBatchFinished();
            };
            DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine
                    .create(ChangeEventFormat.of(Connect.class))
                    .using(connectorProperties(args))
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            System.err.println("streaming");
                        }
                    })
                    .using((success, message, error) -> {
                        if (!success)
                            System.err.println("engine stopped: " + message + (error == null ? "" : " " + error));
                    })
                    .notifying(consumer)
                    .build();
            ExecutorService runner = Executors.newSingleThreadExecutor();
            Future<?> running = runner.submit(engine);
            while (written.get() < maxRecords
                    && (written.get() == 0 || System.currentTimeMillis() - lastRecordAt.get() < idleMillis)
                    && !running.isDone()) {
                Thread.sleep(100);
            }
            engine.close();
            runner.shutdown();
            runner.awaitTermination(30, TimeUnit.SECONDS);
        }
        System.exit(0);
    }
}
