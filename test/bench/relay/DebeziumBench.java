// The Debezium side of the relay benchmark: Debezium's PostgreSQL connector
// in its embedded engine, each record converted by Kafka Connect's
// JsonConverter (schemas off, as the relay's bench runs) and handed to a
// KafkaProducer (acks=all, idempotent), as Debezium Server's Kafka sink does:
// a batch is sent, every send acknowledged, and only then marked processed,
// so the connector's offsets (and the slot) move past acknowledged records only.
//
// usage: java -cp <jars>:<dir> DebeziumBench BOOTSTRAP TARGET [key=value ...]
//   key=value pairs set connector properties (database.port, topic.prefix,
//   slot.name, ...); producer.<name>=value set producer properties.
// Prints on stdout: "streaming <epoch ms>" when the connector's task has
// started, "half <epoch ms>" when TARGET/2 records are acknowledged, "done
// <records acknowledged> <epoch ms of the TARGET-th ack>" when TARGET are
// (TARGET 0: never), then waits for a line on stdin (or its end) and stops.

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

public final class DebeziumBench {

    private static final Properties connector = new Properties();
    private static final Properties producer = new Properties();

    private static void settings(String bootstrap, String[] args) {
        connector.setProperty("name", "pub_backoffice_bench");
        connector.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        connector.setProperty("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        connector.setProperty("offset.flush.interval.ms", "1000");
        connector.setProperty("database.hostname", "127.0.0.1");
        connector.setProperty("database.user", "postgres");
        connector.setProperty("database.password", "");
        connector.setProperty("database.dbname", "postgres");
        connector.setProperty("plugin.name", "pgoutput");
        connector.setProperty("publication.autocreate.mode", "all_tables");
        connector.setProperty("snapshot.mode", "no_data");
        // Debezium sleeps this long whenever the replication stream has
        // nothing pending (default 500 ms); the relay's bench polls every 5 ms.
        connector.setProperty("poll.interval.ms", "5");

        // The relay's producer settings (src/relay/producer.c), so that both
        // sides pay for the same batching and compression.
        producer.setProperty("bootstrap.servers", bootstrap);
        producer.setProperty("acks", "all");
        producer.setProperty("enable.idempotence", "true");
        producer.setProperty("compression.type", "lz4");
        producer.setProperty("linger.ms", "5");
        producer.setProperty("batch.size", "1000000");
        producer.setProperty("key.serializer", ByteArraySerializer.class.getName());
        producer.setProperty("value.serializer", ByteArraySerializer.class.getName());

        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0)
                throw new IllegalArgumentException("expected key=value, got " + a);
            String k = a.substring(0, eq), v = a.substring(eq + 1);
            if (k.startsWith("producer."))
                producer.setProperty(k.substring("producer.".length()), v);
            else
                connector.setProperty(k, v);
        }
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "false"), isKey);
        return c;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: DebeziumBench BOOTSTRAP TARGET [key=value ...]");
            System.exit(2);
        }
        String[] rest = new String[args.length - 2];
        System.arraycopy(args, 2, rest, 0, rest.length);
        settings(args[0], rest);
        final long target = Long.parseLong(args[1]);
        final JsonConverter keys = converter(true);
        final JsonConverter values = converter(false);
        final AtomicLong acked = new AtomicLong();
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final CountDownLatch halfway = new CountDownLatch(1);
        final CountDownLatch reached = new CountDownLatch(1);
        final AtomicLong halfwayAt = new AtomicLong();
        final AtomicLong reachedAt = new AtomicLong();

        try (KafkaProducer<byte[], byte[]> kafka = new KafkaProducer<>(producer)) {
            DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> sink = (batch, committer) -> {
                CountDownLatch pending = new CountDownLatch(batch.size());
                List<RecordChangeEvent<SourceRecord>> sent = new ArrayList<>(batch.size());
                for (RecordChangeEvent<SourceRecord> event : batch) {
                    SourceRecord r = event.record();
                    byte[] key = keys.fromConnectData(r.topic(), r.keySchema(), r.key());
                    byte[] value = values.fromConnectData(r.topic(), r.valueSchema(), r.value());
                    kafka.send(new ProducerRecord<>(r.topic(), key, value), (meta, e) -> {
                        if (e != null)
                            failure.compareAndSet(null, e);
                        else {
                            long n = acked.incrementAndGet();
                            if (n == target / 2) {
                                halfwayAt.set(System.currentTimeMillis());
                                halfway.countDown();
                            }
                            if (n == target) {
                                reachedAt.set(System.currentTimeMillis());
                                reached.countDown();
                            }
                        }
                        pending.countDown();
                    });
                    sent.add(event);
                }
                pending.await();
                if (failure.get() != null)
                    throw new InterruptedException("delivery failed: " + failure.get());
                for (RecordChangeEvent<SourceRecord> event : sent)
                    committer.markProcessed(event);
                committer.markBatchFinished();
            };
            DebeziumEngine<RecordChangeEvent<SourceRecord>> engine = DebeziumEngine
                    .create(ChangeEventFormat.of(Connect.class))
                    .using(connector)
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            System.out.println("streaming " + System.currentTimeMillis());
                            System.out.flush();
                        }
                    })
                    .using((success, message, error) -> {
                        if (!success)
                            System.err.println("engine stopped: " + message + (error == null ? "" : " " + error));
                    })
                    .notifying(sink)
                    .build();
            ExecutorService runner = Executors.newSingleThreadExecutor();
            Future<?> running = runner.submit(engine);
            if (target > 0) {
                while (!halfway.await(100, TimeUnit.MILLISECONDS) && !running.isDone())
                    ;
                System.out.println("half " + halfwayAt.get());
                System.out.flush();
                while (!reached.await(100, TimeUnit.MILLISECONDS) && !running.isDone())
                    ;
                System.out.println("done " + acked.get() + " " + reachedAt.get());
                System.out.flush();
            }
            new BufferedReader(new InputStreamReader(System.in)).readLine();
            engine.close();
            runner.shutdown();
            runner.awaitTermination(30, TimeUnit.SECONDS);
        }
        System.exit(0);
    }
}
