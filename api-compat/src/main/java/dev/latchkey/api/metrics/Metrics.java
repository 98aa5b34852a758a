package dev.latchkey.api.metrics;

import dev.latchkey.api.config.TelemetryOptions;
import dev.latchkey.engine.lease.LeaseManager;
import dev.latchkey.engine.ssh.event.SshEvents;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Summary;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.ToLongFunction;

/**
 * The node's metrics, and the one place that knows the metrics library: the rest of the server
 * reports what happened through the methods here and never sees a Prometheus type.
 *
 * <p>Two sets of names. Where a metric means what one of Vault's means it has Vault's name, labels
 * and unit (timers as summaries in milliseconds, with the 0.5, 0.9 and 0.99 quantiles), so that
 * dashboards and alerts written for Vault read it unchanged. What Vault has no metric for is under
 * {@code latchkey_}, named as Prometheus recommends (base units, {@code _total} counters,
 * histograms for latency).
 *
 * <p>Every node is active, so every node reports {@code vault_core_active 1}, and each counts the
 * requests it served: sum them across nodes. The usage gauges (tokens, leases, entities) count
 * the cluster's shared storage, so every node reports the same figure: take their {@code max}.
 */
public final class Metrics {
    /** Vault's TTL label buckets ({@code creation_ttl}), upper bounds in seconds, with their names. */
    private static final long[] TTL_BOUNDS = {60, 600, 1200, 3600, 7200, 86_400, 172_800, 604_800, 2_592_000};
    private static final String[] TTL_NAMES = {"1m", "10m", "20m", "1h", "2h", "1d", "2d", "7d", "30d"};
    /** Upper bounds of the request latency histogram, in seconds: from half a millisecond to ten seconds. */
    private static final double[] LATENCY_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1, 2.5, 5, 10};
    private static final double[] STORAGE_BOUNDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1, 2.5};
    private static final String NAMESPACE = "root";

    private final TelemetryOptions options;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
    private final String gaugePrefix;
    private final long startedNanos = System.nanoTime();

    private final QueuedTimer handleRequest;
    private final QueuedTimer handleLoginRequest;
    private final QueuedTimer auditRequest;
    private final QueuedTimer auditResponse;
    private final UntypedCounters.Family auditRequestFailure;
    private final UntypedCounters.Family auditResponseFailure;
    private final UntypedCounters.Family tokenCreation;
    private final UntypedCounters.Family leaseCreation;

    private final Histogram requests;
    private final Counter otpIssued;
    private final Counter otpVerified;
    private final Counter otpRefused;
    private final Counter certificates;
    private final Counter dynamicKeys;
    private final Counter expirations;
    private final Histogram storageWrites;
    private final AtomicInteger inFlight = new AtomicInteger();

    private volatile NodeGauges node;
    private volatile NodeGauges.Usage usage;
    private volatile String cluster = "";

    /**
     * @param hostName put into gauge names unless {@code disable_hostname} is set, as Vault does
     */
    public Metrics(TelemetryOptions options, String hostName) {
        this.options = options;
        this.gaugePrefix = options.disableHostname() || hostName.isEmpty() ? "vault_"
                : "vault_" + hostName.replaceAll("[^A-Za-z0-9_]", "_") + "_";

        handleRequest = timer("vault_core_handle_request", "Time to handle a request other than a login, in milliseconds");
        handleLoginRequest = timer("vault_core_handle_login_request", "Time to handle a login request, in milliseconds");
        auditRequest = timer("vault_audit_log_request", "Time to write a request's audit entries to every device, in milliseconds");
        auditResponse = timer("vault_audit_log_response", "Time to write a response's audit entries to every device, in milliseconds");
        UntypedCounters counters = new UntypedCounters();
        auditRequestFailure = counters.family("vault_audit_log_request_failure",
                "Requests no enabled audit device could record (each refused)");
        auditResponseFailure = counters.family("vault_audit_log_response_failure",
                "Responses no enabled audit device could record");
        auditRequestFailure.add(0);
        auditResponseFailure.add(0);
        tokenCreation = counters.family("vault_token_creation", "Tokens created",
                "auth_method", "mount_point", "creation_ttl", "token_type", "namespace", "cluster");
        leaseCreation = counters.family("vault_secret_lease_creation", "Leases created by secrets engines",
                "secret_engine", "mount_point", "creation_ttl", "namespace", "cluster");
        registry.register(counters);

        requests = Histogram.builder().name("latchkey_http_request_duration_seconds")
                .help("HTTP requests by path family, method and status code, from the request's headers to its answer")
                .labelNames("family", "method", "code").classicOnly().classicUpperBounds(LATENCY_BOUNDS)
                .register(registry);
        otpIssued = Counter.builder().name("latchkey_otp_issued").help("OTPs issued by creds, by role")
                .labelNames("role").register(registry);
        otpVerified = Counter.builder().name("latchkey_otp_verified").help("OTPs redeemed by verify, by role")
                .labelNames("role").register(registry);
        otpRefused = Counter.builder().name("latchkey_otp_refused")
                .help("OTPs verify refused, by reason: empty, unknown (never issued, used or revoked) or expired")
                .labelNames("reason").register(registry);
        certificates = Counter.builder().name("latchkey_ssh_certificates_signed")
                .help("SSH certificates signed by sign or issue, by role, subject key type and certificate type")
                .labelNames("role", "key_type", "cert_type").register(registry);
        dynamicKeys = Counter.builder().name("latchkey_dynamic_key_changes")
                .help("Dynamic keys installed on or removed from target hosts, by outcome; a failed removal is retried by the lease reaper")
                .labelNames("change", "result").register(registry);
        expirations = Counter.builder().name("latchkey_lease_expirations")
                .help("Expired leases the reaper handled, by secret type: revoked, or retrying after a failed revocation "
                        + "(a dynamic key its host would not let go of, say)")
                .labelNames("secret_type", "result").register(registry);
        storageWrites = Histogram.builder().name("latchkey_storage_write_duration_seconds")
                .help("Writes to the replicated storage, by store and operation")
                .labelNames("store", "op").classicOnly().classicUpperBounds(STORAGE_BOUNDS).register(registry);
        // present at zero from the start, so that a rate() over them is 0 rather than empty
        for (SshEvents.VerifyRefusal reason : SshEvents.VerifyRefusal.values()) {
            otpRefused.labelValues(reason.label());
        }
        for (SshEvents.KeyChange change : SshEvents.KeyChange.values()) {
            dynamicKeys.labelValues(change.label(), "ok");
            dynamicKeys.labelValues(change.label(), "failed");
        }
        registerGauges();
        JvmMetrics.builder().register(registry);
    }

    /**
     * A Vault timer: a summary over the last minute. Every request observes one or three of these,
     * and each observation goes into every age bucket's quantile sketch, whose cost grows as its
     * error bound tightens: two buckets and a 0.5% bound on the 0.99 quantile keep that small.
     */
    private QueuedTimer timer(String name, String help) {
        return new QueuedTimer(Summary.builder().name(name).help(help)
                .quantile(0.5, 0.05).quantile(0.9, 0.01).quantile(0.99, 0.005)
                .maxAgeSeconds(60).numberOfAgeBuckets(2)
                .register(registry));
    }

    /**
     * A summary fed through a queue. The client's summary keeps its sliding window under a lock,
     * and with every worker observing it directly the workers queued behind one another (seen as
     * monitor waits of over 10 ms under load). Here an observation is queued without a lock, and
     * whichever thread finds nobody draining folds the queue into the summary; the others go on.
     */
    private static final class QueuedTimer {
        private static final int MAX_QUEUED = 100_000;
        private static final int DRAIN_BATCH = 4096;

        private final Summary summary;
        private final ConcurrentLinkedQueue<Double> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger queued = new AtomicInteger();
        private final AtomicBoolean draining = new AtomicBoolean();

        QueuedTimer(Summary summary) {
            this.summary = summary;
        }

        void observe(double millis) {
            if (queued.incrementAndGet() > MAX_QUEUED) {
                queued.decrementAndGet(); // nobody has drained for a long while: drop rather than grow
                return;
            }
            queue.offer(millis);
            drain();
        }

        void drain() {
            if (!draining.compareAndSet(false, true)) {
                return;
            }
            try {
                Double v;
                for (int n = 0; n < DRAIN_BATCH && (v = queue.poll()) != null; n++) {
                    queued.decrementAndGet();
                    summary.observe(v);
                }
            } finally {
                draining.set(false);
            }
        }
    }

    private void registerGauges() {
        clusterGauge("core_unsealed", "1 when the node is unsealed, 0 when sealed", () -> unsealed() ? 1 : 0);
        clusterGauge("core_active", "1 when the node serves requests: every unsealed Latchkey node is active",
                () -> unsealed() ? 1 : 0);
        clusterGauge("core_in_flight_requests", "Requests being handled now", inFlight::get);
        GaugeWithCallback.builder().name(gaugePrefix + "core_mount_table_num_entries")
                .help("Mounts, by table (auth or logical) and locality")
                .labelNames("type", "local", "cluster")
                .callback(cb -> {
                    NodeGauges n = node;
                    if (n != null && n.unsealed()) {
                        String c = cluster();
                        n.mounts().forEach((kind, count) -> cb.call(count, kind.table(), Boolean.toString(kind.local()), c));
                    }
                }).register(registry);
        usageGauge("expire_num_leases", "Leases stored (recounted every usage_gauge_period)", NodeGauges.Usage::leases);
        usageGauge("token_count", "Live service tokens (recounted every usage_gauge_period)", NodeGauges.Usage::tokens);
        usageGauge("identity_entity_count", "Identity entities (recounted every usage_gauge_period)",
                NodeGauges.Usage::entities);
        GaugeWithCallback.builder().name("latchkey_leases_due")
                .help("Leases this node revokes that are past their expiry, or a failed revocation's retry time, "
                        + "and not yet revoked: its share of the reaper's backlog (sum across nodes); recounted every "
                        + "usage_gauge_period")
                .callback(cb -> {
                    NodeGauges.Usage u = usage;
                    if (u != null) {
                        cb.call(u.leasesDue());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("latchkey_cluster_members").help("Cluster members this node sees, itself included")
                .callback(cb -> {
                    NodeGauges n = node;
                    cb.call(n == null ? 1 : n.members());
                }).register(registry);
        GaugeWithCallback.builder().name("latchkey_cluster_quorum")
                .help("1 when this node sees a quorum of its cluster and serves requests, 0 when it refuses them")
                .callback(cb -> {
                    NodeGauges n = node;
                    cb.call(n == null || n.quorum() ? 1 : 0);
                }).register(registry);
        // Vault's Go runtime gauges, with the JVM's nearest figures
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        plainGauge("runtime_alloc_bytes", "Heap in use, in bytes", () -> memory.getHeapMemoryUsage().getUsed());
        plainGauge("runtime_sys_bytes", "Heap and non-heap memory committed by the JVM, in bytes",
                () -> memory.getHeapMemoryUsage().getCommitted() + memory.getNonHeapMemoryUsage().getCommitted());
        plainGauge("runtime_num_goroutines", "Live JVM threads", () -> ManagementFactory.getThreadMXBean().getThreadCount());
        plainGauge("runtime_total_gc_runs", "Garbage collections since start", () -> {
            long runs = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                runs += Math.max(0, gc.getCollectionCount());
            }
            return runs;
        });
    }

    /** A Vault gauge with Vault's {@code cluster} label. */
    private void clusterGauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(gaugePrefix + name).help(help).labelNames("cluster")
                .callback(cb -> cb.call(value.getAsDouble(), cluster())).register(registry);
    }

    private void plainGauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(gaugePrefix + name).help(help)
                .callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    /** A gauge of stored things, from the last count; absent until the first count. */
    private void usageGauge(String name, String help, ToLongFunction<NodeGauges.Usage> value) {
        GaugeWithCallback.builder().name(gaugePrefix + name).help(help).labelNames("namespace", "cluster")
                .callback(cb -> {
                    NodeGauges.Usage u = usage;
                    if (u != null) {
                        cb.call(value.applyAsLong(u), NAMESPACE, cluster());
                    }
                }).register(registry);
    }

    /** Starts reading the node's state for the gauges. */
    public void bind(NodeGauges gauges) {
        this.node = gauges;
    }

    /**
     * Recounts what is stored, for the usage gauges. Runs on a schedule ({@code usage_gauge_period});
     * does nothing while the node is sealed.
     */
    public void recountUsage() {
        NodeGauges n = node;
        if (n != null && n.unsealed()) {
            learnClusterName();
            usage = n.usage();
        }
    }

    /** Whether the usage gauges are recounted at all ({@code usage_gauge_period = "none"} turns them off). */
    public boolean countsUsage() {
        return !options.usageGaugePeriod().isZero();
    }

    public TelemetryOptions options() {
        return options;
    }

    private boolean unsealed() {
        NodeGauges n = node;
        return n != null && n.unsealed();
    }

    /**
     * The cluster's name as last learnt. Never reads it: counters are bumped on whatever thread
     * completed a request's storage operation, a storage library's own among them, which must
     * not wait on a read of its own storage.
     */
    private String cluster() {
        return cluster;
    }

    /**
     * Reads the cluster's name once the node is unsealed, and keeps it (it never changes). Called
     * from the node's housekeeping and before each scrape, never from a request.
     */
    public void learnClusterName() {
        NodeGauges n = node;
        if (cluster.isEmpty() && n != null && n.unsealed()) {
            try {
                String c = n.clusterName();
                cluster = c == null ? "" : c;
            } catch (RuntimeException sealedMeanwhile) {
                // asked again next time
            }
        }
    }

    // ---- what the server reports ----

    /** A request has arrived; returns its start, for {@link #requestAnswered}. */
    public long requestArrived() {
        inFlight.incrementAndGet();
        return System.nanoTime();
    }

    /**
     * A request has been answered.
     *
     * @param family  a bounded name for what was asked, e.g. {@code ssh/creds} or {@code system/health}
     * @param login   whether it was a login (Vault times those apart)
     */
    public void requestAnswered(long arrivedNanos, String family, String method, int status, boolean login) {
        inFlight.decrementAndGet();
        long nanos = System.nanoTime() - arrivedNanos;
        (login ? handleLoginRequest : handleRequest).observe(nanos / 1e6);
        requests.labelValues(family, method, Integer.toString(status)).observe(nanos / 1e9);
    }

    /** A token was created, by a login or by the token store. */
    public void tokenCreated(String authMethod, String mountPoint, long ttlSeconds, String tokenType) {
        tokenCreation.inc(authMethod, mountPoint, ttlLabel(ttlSeconds), tokenType, NAMESPACE, cluster());
    }

    /** A secrets engine's secret was leased. */
    public void leaseCreated(String engineType, String mountPoint, long ttlSeconds) {
        leaseCreation.inc(engineType, mountPoint, ttlLabel(ttlSeconds), NAMESPACE, cluster());
    }

    /**
     * The audit devices were asked to record a request's (or a response's) entry.
     *
     * @param recorded whether at least one device did
     */
    public void audited(boolean request, long nanos, boolean recorded) {
        (request ? auditRequest : auditResponse).observe(nanos / 1e6);
        (request ? auditRequestFailure : auditResponseFailure).add(recorded ? 0 : 1);
    }

    /** A write to the replicated storage completed (or failed) after {@code nanos}. */
    public void storageWrite(String store, String op, long nanos) {
        storageWrites.labelValues(store, op).observe(nanos / 1e9);
    }

    /** Where the SSH engine reports what it issued, verified and installed. */
    public SshEvents sshEvents() {
        return new SshEvents() {
            @Override
            public void otpIssued(String role) {
                otpIssued.labelValues(role).inc();
            }

            @Override
            public void otpVerified(String role) {
                otpVerified.labelValues(role).inc();
            }

            @Override
            public void otpRefused(VerifyRefusal reason) {
                otpRefused.labelValues(reason.label()).inc();
            }

            @Override
            public void certificateSigned(String role, String keyType, String certType) {
                certificates.labelValues(role, keyType, certType).inc();
            }

            @Override
            public void dynamicKey(KeyChange change, boolean ok) {
                dynamicKeys.labelValues(change.label(), ok ? "ok" : "failed").inc();
            }
        };
    }

    /** Where the lease reaper reports what became of expired leases. */
    public LeaseManager.Events leaseEvents() {
        return new LeaseManager.Events() {
            @Override
            public void expiredRevoked(String secretType) {
                expirations.labelValues(secretType, "revoked").inc();
            }

            @Override
            public void expiredRetrying(String secretType) {
                expirations.labelValues(secretType, "retrying").inc();
            }
        };
    }

    /** Vault's {@code creation_ttl} label for a TTL in seconds (0: none, {@code +Inf}). */
    static String ttlLabel(long ttlSeconds) {
        if (ttlSeconds > 0) {
            for (int i = 0; i < TTL_BOUNDS.length; i++) {
                if (ttlSeconds <= TTL_BOUNDS[i]) {
                    return TTL_NAMES[i];
                }
            }
        }
        return "+Inf";
    }

    // ---- what sys/metrics answers ----

    private void drainTimers() {
        learnClusterName();
        for (QueuedTimer t : List.of(handleRequest, handleLoginRequest, auditRequest, auditResponse)) {
            t.drain();
        }
    }

    /** The Prometheus text exposition's content type. */
    public static String prometheusContentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    /** Every metric in Prometheus' text format. */
    public byte[] prometheusText() {
        drainTimers();
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
        try {
            text.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Every metric in the shape of Vault's JSON form (see {@link MetricsJson}). */
    public java.util.Map<String, Object> json() {
        drainTimers();
        MetricSnapshots snapshots = registry.scrape();
        return MetricsJson.of(snapshots, (System.nanoTime() - startedNanos) / 1e9);
    }
}
