"""The Debezium side of the relay benchmark: DebeziumBench.java (Debezium's
PostgreSQL connector in its embedded engine, pgoutput, a KafkaProducer with
acks=all) run on the same database and broker as the relay.

For a backlog drain, the connector first runs once to create its slot (and
the publication), so that the backlog written afterwards waits in the slot as
it does for the relay; then it runs again with neither a schema nor a data
snapshot (snapshot.mode=configuration_based, what "never" was before
Debezium 3), which streams from the slot's position, and the time from its task starting to the
last acknowledgement is measured, and from the middle one to the last.  CPU time is the JVM's plus that of the
walsender decoding for it: both are work the relay does in its one process."""
import contextlib
import os
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SNAPSHOT = {
    "schema": ["snapshot.mode=no_data"],
    "none": ["snapshot.mode=configuration_based",
             "snapshot.mode.configuration.based.snapshot.schema=false",
             "snapshot.mode.configuration.based.snapshot.data=false",
             "snapshot.mode.configuration.based.start.stream=true"],
}
_classpath = None


def classpath():
    global _classpath
    if _classpath is None:
        _classpath = subprocess.run(["bash", os.path.join(HERE, "debezium_classpath.sh")],
                                    check=True, capture_output=True, text=True).stdout.strip()
    return _classpath


def cpu_seconds(pid):
    """User plus system CPU time of a process, all its threads."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Debezium:
    def __init__(self, prefix, sql, producer=()):
        self.prefix = "dbz" + prefix
        self.producer = [f"producer.{p}" for p in producer]
        self.sql = sql
        self.proc = None
        self.prepared = None
        classpath()             # fetch and compile before anything is timed

    def slot(self, name):
        return f"{self.prefix}_{name.split(':')[0]}"

    def _start(self, slot, target, snapshot):
        log = open(os.path.join(os.environ["PBO_DIR"], f"debezium-{slot}.log"), "a")
        self.proc = subprocess.Popen(
            ["java", "-Xmx1g", "-cp", classpath(), "DebeziumBench", os.environ["KAFKA_BOOTSTRAP"],
             str(target), f"database.port={os.environ['PGPORT']}", f"topic.prefix={self.prefix}",
             f"slot.name={slot}", "publication.name=dbz_bench"] + SNAPSHOT[snapshot] + self.producer,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
        return self._expect("streaming")

    def _expect(self, word):
        line = self.proc.stdout.readline().split()
        if not line or line[0] != word:
            raise SystemExit(f"DebeziumBench: expected {word!r}, got {line!r} "
                             f"(see {os.environ['PBO_DIR']}/debezium-*.log)")
        return [int(x) for x in line[1:]]

    def _walsender(self, slot, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            rows = self.sql("SELECT active_pid FROM pg_replication_slots WHERE slot_name = %s", slot)
            if rows and rows[0][0]:
                return rows[0][0]
            time.sleep(0.05)
        raise SystemExit(f"Debezium's slot {slot} never became active")

    def _stop(self, slot, drop):
        self.proc.stdin.close()
        self.proc.wait(timeout=120)
        self.proc = None
        while drop:
            rows = self.sql("SELECT active FROM pg_replication_slots WHERE slot_name = %s", slot)
            if not rows:
                return
            if not rows[0][0]:
                self.sql("SELECT pg_drop_replication_slot(%s)", slot)
                return
            time.sleep(0.05)

    def prepare(self, name):
        """Create the connector's slot before the backlog is written."""
        slot = self.slot(name)
        self._start(slot, 0, "schema")
        self._walsender(slot)
        self._stop(slot, drop=False)
        self.prepared = slot

    def drain(self, events):
        """Drain the backlog waiting in the slot prepare() made: events/s over
        all of it and over its second half (the JIT compiler has done most of
        its work by then), and CPU microseconds per event (the JVM from the
        task's start, and the walsender)."""
        slot = self.prepared
        (started,) = self._start(slot, events, "none")
        jvm_cpu = cpu_seconds(self.proc.pid)
        walsender = self._walsender(slot)
        (half,) = self._expect("half")
        acked, done = self._expect("done")
        if acked < events:
            raise SystemExit(f"Debezium stopped after {acked} of {events} events")
        cpu = cpu_seconds(self.proc.pid) - jvm_cpu + cpu_seconds(walsender)
        self._stop(slot, drop=True)
        rest = events - events // 2
        return events / ((done - started) / 1000), rest / ((done - half) / 1000), cpu / events * 1e6

    @contextlib.contextmanager
    def running(self, name):
        """The connector streaming (for the latency measurement)."""
        slot = self.slot(name)
        self._start(slot, 0, "schema")
        self._walsender(slot)
        try:
            yield
        finally:
            self._stop(slot, drop=True)
