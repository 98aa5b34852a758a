package dev.latchkey.api.config.file;

import dev.latchkey.api.config.JsonLimits;
import dev.latchkey.api.config.ListenerOptions;
import dev.latchkey.api.config.TelemetryOptions;
import dev.latchkey.api.http.tls.TlsSettings;
import dev.latchkey.api.http.tls.TlsVersion;
import dev.latchkey.engine.gocompat.Durations;
import dev.latchkey.engine.gocompat.GoParseException;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Reads {@code server -config} files the way Vault does and turns them into a {@link ServerConfig}.
 *
 * <p>Loading: each path is a file, or a directory whose {@code .hcl} and {@code .json} entries are
 * read in name order (sub-directories and editor leftovers {@code *~}, {@code .#*}, {@code #*#}
 * skipped). Files merge left to right: listeners and seals accumulate; a later {@code storage}
 * replaces an earlier one whole; other scalars take the later value; {@code default_lease_ttl} and
 * {@code max_lease_ttl} take the largest seen, as Vault does. Then the environment and flags
 * ({@link ConfigInputs}) are applied, then Vault's defaults.
 *
 * <p>Departures from Vault, on purpose: Vault only warns about a key it does not know; Latchkey
 * refuses it (a misspelt {@code tls_disable} should not silently serve cleartext), while keys that
 * Vault knows and Latchkey has no use for ({@code ui}, {@code disable_mlock}, ...) are collected into
 * one warning. Every problem in every file is reported, each as one line naming the file, the line
 * and the fix.
 */
public final class ConfigLoader {
    /** The result: the configuration and at most one warning line. */
    public record Loaded(ServerConfig config, List<String> warnings) {
        public Loaded {
            warnings = List.copyOf(warnings);
        }
    }

    static final long DEFAULT_TTL_SECONDS = 768 * 3600L;
    private static final String DEFAULT_ADDRESS = "127.0.0.1:8200";

    private static final Set<String> TOP_KEYS = Set.of("listener", "storage", "backend", "seal", "api_addr",
            "default_lease_ttl", "max_lease_ttl", "default_max_request_duration", "log_level", "log_format",
            "pid_file", "cluster", "telemetry");
    /** Vault's keys that mean nothing to a single Latchkey node. */
    private static final Set<String> TOP_IGNORED = Set.of("ui", "disable_mlock", "cluster_addr", "cluster_name",
            "disable_clustering", "ha_storage", "ha_backend", "cache_size", "disable_cache",
            "disable_printable_check", "plugin_directory", "plugin_file_uid", "plugin_file_permissions",
            "log_file", "log_rotate_bytes", "log_rotate_duration", "log_rotate_max_files", "log_requests_level",
            "raw_storage_endpoint", "introspection_endpoint", "enable_response_header_hostname",
            "enable_response_header_raft_node_id", "disable_performance_standby", "disable_sealwrap",
            "disable_indexing", "disable_sentinel_trace", "license_path", "administrative_namespace_path",
            "entropy", "experiments", "detect_deadlocks", "imprecise_lease_role_tracking", "cluster_cipher_suites",
            "user_lockout", "service_registration", "cloud", "allow_audit_log_prefixing",
            "unsafe_allow_api_audit_creation", "audit");
    private static final Set<String> LISTENER_KEYS = Set.of("address", "tls_disable", "tls_cert_file",
            "tls_key_file", "tls_min_version", "tls_max_version", "tls_client_ca_file",
            "tls_require_and_verify_client_cert", "tls_disable_client_certs", "max_request_size",
            "max_request_duration", "http_read_header_timeout", "http_read_timeout", "http_idle_timeout",
            "max_json_depth", "max_json_string_value_length", "max_json_object_entry_count",
            "max_json_array_element_count", "telemetry");
    private static final Set<String> LISTENER_IGNORED = Set.of("cluster_address", "tls_cipher_suites",
            "tls_prefer_server_cipher_suites", "http_write_timeout", "x_forwarded_for_authorized_addrs",
            "x_forwarded_for_hop_skips", "x_forwarded_for_reject_not_authorized",
            "x_forwarded_for_reject_not_present", "x_forwarded_for_client_cert_header",
            "x_forwarded_for_client_cert_header_decoders", "proxy_protocol_behavior",
            "proxy_protocol_authorized_addrs", "require_request_header", "profiling",
            "inflight_requests_logging", "cors_enabled", "cors_allowed_origins", "cors_allowed_headers",
            "custom_response_headers", "redact_addresses", "redact_cluster_name", "redact_version",
            "disable_replication_status_endpoints", "disable_request_limiter", "chroot_namespace", "agent_api");
    private static final Set<String> POSTGRES_IGNORED = Set.of("max_parallel", "max_idle_connections",
            "ha_enabled", "ha_table", "skip_create_table", "transaction_max_parallel", "max_connect_retries",
            "redirect_addr", "advertise_addr", "cluster_addr", "disable_clustering");
    private static final Set<String> FILE_STORAGE_IGNORED = Set.of("redirect_addr", "advertise_addr",
            "cluster_addr", "disable_clustering");
    private static final Set<String> TELEMETRY_KEYS = Set.of("prometheus_retention_time", "disable_hostname",
            "usage_gauge_period");
    /** Vault's telemetry keys for sinks and filters a Prometheus-scraped node does without. */
    private static final Set<String> TELEMETRY_IGNORED = Set.of("enable_hostname_label", "metrics_prefix",
            "maximum_gauge_cardinality", "lease_metrics_epsilon", "num_lease_metrics_buckets",
            "add_lease_metrics_namespace_labels", "add_mount_point_rollback_metrics", "filter_default", "prefix_filter",
            "statsite_address", "statsd_address", "dogstatsd_addr", "dogstatsd_tags", "circonus_api_token",
            "circonus_api_app", "circonus_api_url", "circonus_submission_interval", "circonus_submission_url",
            "circonus_check_id", "circonus_check_force_metric_activation", "circonus_check_instance_id",
            "circonus_check_search_tag", "circonus_check_display_name", "circonus_check_tags", "circonus_broker_id",
            "circonus_broker_select_tag", "stackdriver_project_id", "stackdriver_location", "stackdriver_namespace",
            "stackdriver_debug_logs");
    private static final Map<String, String> LOG_LEVELS = Map.of("trace", "trace", "debug", "debug", "info",
            "info", "notice", "info", "warn", "warn", "warning", "warn", "error", "error", "err", "error");

    private ConfigLoader() {
    }

    /**
     * Loads, merges, overrides and checks.
     *
     * @param paths  the {@code -config} values, in flag order; at least one
     * @throws ConfigException with every problem found
     */
    public static Loaded load(List<Path> paths, ConfigInputs inputs) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        Map<String, String> ignored = new LinkedHashMap<>();
        if (paths.isEmpty()) {
            throw new ConfigException(List.of(new ConfigProblem("server", 0,
                    "Must specify at least one config path using -config", "pass -config=/etc/latchkey/server.hcl")));
        }
        List<Path> files = expand(paths, problems);
        Merged merged = new Merged();
        for (Path file : files) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(new ConfigProblem(file.toString(), 0, "cannot read the file ("
                        + e.getClass().getSimpleName() + ")", "check the path and its permissions"));
                continue;
            }
            List<ConfigProblem> found = new ArrayList<>();
            new FileDecoder(file.toString(), text, found, ignored).decodeInto(merged);
            found.sort(Comparator.comparingInt(ConfigProblem::line));
            problems.addAll(found);
        }
        ServerConfig config = finish(merged, files, inputs, paths, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        List<String> warnings = new ArrayList<>();
        if (!ignored.isEmpty()) {
            List<String> named = new ArrayList<>();
            ignored.forEach((key, where) -> named.add(key + " (" + where + ")"));
            warnings.add("configuration keys Latchkey does not use were ignored: " + String.join(", ", named));
        }
        return new Loaded(config, warnings);
    }

    /** The log level (Vault's name, normalised) and format. */
    public record LogSettings(String level, ServerConfig.LogFormat format) {
    }

    /**
     * The log settings of a server without files ({@code -dev}): the flags, else the environment
     * ({@code VAULT_LOG_LEVEL}, {@code VAULT_LOG_FORMAT}), else info and standard.
     *
     * @throws ConfigException naming the flag or variable that holds an unknown value
     */
    public static LogSettings logSettings(ConfigInputs inputs) throws ConfigException {
        List<ConfigProblem> problems = new ArrayList<>();
        LogSettings logs = logSettings(null, null, null, null, inputs, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return logs;
    }

    /** Flag over environment over file, as Vault orders them. */
    private static LogSettings logSettings(String fileLevel, Origin fileLevelOrigin, String fileFormat,
                                           Origin fileFormatOrigin, ConfigInputs inputs, List<ConfigProblem> problems) {
        String levelRaw = fileLevel;
        Origin levelOrigin = fileLevelOrigin;
        if (nonEmpty(inputs.env().get("VAULT_LOG_LEVEL"))) {
            levelRaw = inputs.env().get("VAULT_LOG_LEVEL");
            levelOrigin = new Origin("environment VAULT_LOG_LEVEL", 0);
        }
        if (nonEmpty(inputs.logLevelFlag())) {
            levelRaw = inputs.logLevelFlag();
            levelOrigin = new Origin("flag -log-level", 0);
        }
        String level = "info";
        if (levelRaw != null) {
            level = LOG_LEVELS.get(levelRaw.trim().toLowerCase(Locale.ROOT));
            if (level == null) {
                problems.add(new ConfigProblem(levelOrigin.file(), levelOrigin.line(),
                        "unknown log level: " + levelRaw, "use one of trace, debug, info, warn, error"));
            }
        }
        String formatRaw = fileFormat;
        Origin formatOrigin = fileFormatOrigin;
        if (nonEmpty(inputs.env().get("VAULT_LOG_FORMAT"))) {
            formatRaw = inputs.env().get("VAULT_LOG_FORMAT");
            formatOrigin = new Origin("environment VAULT_LOG_FORMAT", 0);
        }
        if (nonEmpty(inputs.logFormatFlag())) {
            formatRaw = inputs.logFormatFlag();
            formatOrigin = new Origin("flag -log-format", 0);
        }
        ServerConfig.LogFormat format = ServerConfig.LogFormat.STANDARD;
        if (formatRaw != null) {
            switch (formatRaw.trim().toLowerCase(Locale.ROOT)) {
                case "standard", "" -> format = ServerConfig.LogFormat.STANDARD;
                case "json" -> format = ServerConfig.LogFormat.JSON;
                default -> problems.add(new ConfigProblem(formatOrigin.file(), formatOrigin.line(),
                        "unknown log format: " + formatRaw, "use standard or json"));
            }
        }
        return new LogSettings(level == null ? "info" : level, format);
    }

    /** The files a list of {@code -config} paths stands for, in load order. */
    static List<Path> expand(List<Path> paths, List<ConfigProblem> problems) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> entries = Files.list(path)) {
                    entries.filter(p -> !Files.isDirectory(p))
                            .filter(p -> {
                                String n = p.getFileName().toString();
                                return (n.endsWith(".hcl") || n.endsWith(".json")) && !n.startsWith(".#")
                                        && !(n.startsWith("#") && n.endsWith("#"));
                            })
                            .sorted()
                            .forEach(files::add);
                } catch (IOException e) {
                    problems.add(new ConfigProblem(path.toString(), 0, "cannot list the directory ("
                            + e.getClass().getSimpleName() + ")", "check the path and its permissions"));
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                problems.add(new ConfigProblem(path.toString(), 0, "no such file or directory",
                        "check the -config path"));
            }
        }
        return files;
    }

    /** Where a value came from, for problems found after merging. */
    record Origin(String file, int line) {
    }

    /** A listener read from a file; its request duration may still come from the top level. */
    record PartialListener(String host, int port, TlsSettings tls, long maxRequestSize, Long maxRequestDuration,
                           long readHeaderTimeout, long readTimeout, long idleTimeout, JsonLimits jsonLimits,
                           String origin, boolean unauthenticatedMetrics) {
    }

    /** The files merged so far. */
    static final class Merged {
        final List<PartialListener> listeners = new ArrayList<>();
        final List<StaticSealConfig> seals = new ArrayList<>();
        final List<Origin> sealOrigins = new ArrayList<>();
        StorageConfig storage;
        Origin storageOrigin;
        String apiAddr;
        Long defaultLeaseTtl;
        Origin defaultLeaseTtlOrigin;
        Long maxLeaseTtl;
        Origin maxLeaseTtlOrigin;
        Long defaultMaxRequestDuration;
        String logLevel;
        Origin logLevelOrigin;
        String logFormat;
        Origin logFormatOrigin;
        String pidFile;
        ClusterConfig cluster;
        TelemetryOptions telemetry;
    }

    private static ServerConfig finish(Merged m, List<Path> files, ConfigInputs inputs, List<Path> paths,
                                       List<ConfigProblem> problems) {
        // After a file that failed to read or parse, or a stanza with errors, "no storage" and "no
        // listener" would only repeat what is already said.
        boolean earlier = !problems.isEmpty();
        String where = files.isEmpty() ? paths.get(0).toString() : files.get(files.size() - 1).toString();
        Map<String, String> env = inputs.env();
        String apiAddr = firstNonEmpty(env.get("VAULT_API_ADDR"), env.get("VAULT_REDIRECT_ADDR"),
                env.get("VAULT_ADVERTISE_ADDR"), m.apiAddr, "");

        LogSettings logs = logSettings(m.logLevel, m.logLevelOrigin, m.logFormat, m.logFormatOrigin, inputs, problems);
        String level = logs.level();
        ServerConfig.LogFormat format = logs.format();

        StorageConfig storage = m.storage;
        String pgUrl = env.get("VAULT_PG_CONNECTION_URL");
        if (storage instanceof StorageConfig.Postgresql pg && nonEmpty(pgUrl)) {
            try {
                storage = postgres(pgUrl, pg.table());
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem("environment VAULT_PG_CONNECTION_URL", 0, e.getMessage(),
                        "write postgres://user:password@host:5432/db?sslmode=verify-full"));
            }
        }
        if (storage instanceof StorageConfig.Postgresql pg && pg.jdbcUrl().isEmpty()) {
            Origin o = m.storageOrigin;
            problems.add(new ConfigProblem(o.file(), o.line(), "missing connection_url",
                    "set connection_url in storage \"postgresql\" or VAULT_PG_CONNECTION_URL"));
        }
        if (storage == null && !files.isEmpty() && !earlier) {
            problems.add(new ConfigProblem(where, 0, "A storage backend must be specified",
                    "add storage \"file\" { path = \"/var/lib/latchkey\" } (or \"inmem\", \"postgresql\")"));
        }
        if (m.listeners.isEmpty() && !files.isEmpty() && !earlier) {
            problems.add(new ConfigProblem(where, 0, "no listener is configured",
                    "add listener \"tcp\" { address = \"127.0.0.1:8200\" ... }"));
        }
        StaticSealConfig seal = null;
        if (m.seals.size() > 1) {
            Origin second = m.sealOrigins.get(1);
            problems.add(new ConfigProblem(second.file(), second.line(), "only one seal block is supported",
                    "Latchkey does not migrate between seals; keep one seal \"static\" block, or none for Shamir"));
        } else if (m.seals.size() == 1) {
            seal = m.seals.get(0);
        }
        long defaultTtl = m.defaultLeaseTtl == null || m.defaultLeaseTtl == 0 ? DEFAULT_TTL_SECONDS : m.defaultLeaseTtl;
        long maxTtl = m.maxLeaseTtl == null || m.maxLeaseTtl == 0 ? DEFAULT_TTL_SECONDS : m.maxLeaseTtl;
        if (defaultTtl > maxTtl) {
            // Vault's trap: both default to 768h, so a max_lease_ttl alone below that fails.
            Origin o = m.defaultLeaseTtlOrigin != null ? m.defaultLeaseTtlOrigin
                    : m.maxLeaseTtlOrigin != null ? m.maxLeaseTtlOrigin : new Origin(where, 0);
            problems.add(new ConfigProblem(o.file(), o.line(), "cannot have DefaultLeaseTTL larger than MaxLeaseTTL",
                    "set default_lease_ttl at most max_lease_ttl (both default to 768h)"));
        }
        long defaultDuration = m.defaultMaxRequestDuration == null ? 90 : m.defaultMaxRequestDuration;
        List<ListenerConfig> listeners = new ArrayList<>();
        for (PartialListener l : m.listeners) {
            listeners.add(new ListenerConfig(l.host(), l.port(), l.tls(), l.maxRequestSize(),
                    l.maxRequestDuration() == null ? defaultDuration : l.maxRequestDuration(),
                    l.readHeaderTimeout(), l.readTimeout(), l.idleTimeout(), l.jsonLimits(), l.origin(),
                    l.unauthenticatedMetrics()));
        }
        ClusterConfig cluster = m.cluster;
        if (cluster != null && storage instanceof StorageConfig.File) {
            Origin o = m.storageOrigin;
            problems.add(new ConfigProblem(o.file(), o.line(), "storage \"file\" keeps one node's data on its own disk "
                    + "and cannot be shared by the members of a cluster",
                    "use storage \"postgresql\" for a cluster whose data must outlive its members, or \"inmem\""));
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new ServerConfig(listeners, storage, seal, apiAddr, defaultTtl, maxTtl, level, format,
                m.pidFile == null ? null : Path.of(m.pidFile), files, cluster,
                m.telemetry == null ? TelemetryOptions.NONE : m.telemetry);
    }

    /**
     * Vault's {@code postgres://user:pass@host:port/db?opts} (lib/pq's URL form), or a JDBC URL as it is.
     *
     * @throws IllegalArgumentException naming what is wrong, never the password
     */
    static StorageConfig.Postgresql postgres(String url, String table) {
        String u = url.trim();
        if (u.startsWith("jdbc:postgresql:")) {
            return new StorageConfig.Postgresql(u, null, null, table);
        }
        String rest;
        if (u.startsWith("postgres://")) {
            rest = u.substring("postgres://".length());
        } else if (u.startsWith("postgresql://")) {
            rest = u.substring("postgresql://".length());
        } else {
            throw new IllegalArgumentException("'connection_url' must be a postgres:// or jdbc:postgresql: URL");
        }
        String user = null;
        String password = null;
        int slash = rest.indexOf('/');
        int at = rest.lastIndexOf('@', slash < 0 ? rest.length() : slash);
        if (at >= 0) {
            String info = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        String hostPort = rest.indexOf('/') < 0 ? rest.split("\\?", 2)[0] : rest.substring(0, rest.indexOf('/'));
        if (hostPort.isEmpty()) {
            throw new IllegalArgumentException("'connection_url' names no host");
        }
        return new StorageConfig.Postgresql("jdbc:postgresql://" + rest, user, password, table);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (nonEmpty(v)) {
                return v;
            }
        }
        return "";
    }

    /** Reads one file's maps into {@link Merged}, adding problems and ignored keys as it goes. */
    private static final class FileDecoder {
        private final String file;
        private final String text;
        private final List<ConfigProblem> problems;
        private final Map<String, String> ignored;
        private KeyLocator locator;

        FileDecoder(String file, String text, List<ConfigProblem> problems, Map<String, String> ignored) {
            this.file = file;
            this.text = text;
            this.problems = problems;
            this.ignored = ignored;
        }

        void decodeInto(Merged m) {
            Map<String, Object> root;
            try {
                root = HclSource.parse(text);
            } catch (HclSource.SyntaxFailure e) {
                problems.add(new ConfigProblem(file, e.error.line(), "error loading configuration: "
                        + e.error.message(), "fix the syntax (HCL or JSON) at that line"));
                return;
            }
            locator = new KeyLocator(text);
            for (Map.Entry<String, Object> e : root.entrySet()) {
                String key = e.getKey();
                if (TOP_IGNORED.contains(key)) {
                    ignored.putIfAbsent(key, file + ":" + locator.topLevel(key));
                } else if (!TOP_KEYS.contains(key)) {
                    problem(locator.topLevel(key), "unknown configuration key " + key,
                            "remove it or correct its spelling");
                }
            }
            if (root.containsKey("telemetry")) {
                TelemetryOptions t = telemetry(root.get("telemetry"));
                if (t != null) {
                    m.telemetry = t;
                }
            }
            if (root.containsKey("cluster")) {
                ClusterConfig c = cluster(root.get("cluster"));
                if (c != null) {
                    m.cluster = c;
                }
            }
            m.apiAddr = string(root, "api_addr", m.apiAddr);
            m.pidFile = string(root, "pid_file", m.pidFile);
            if (root.containsKey("log_level")) {
                m.logLevel = string(root, "log_level", m.logLevel);
                m.logLevelOrigin = new Origin(file, locator.topLevel("log_level"));
            }
            if (root.containsKey("log_format")) {
                m.logFormat = string(root, "log_format", m.logFormat);
                m.logFormatOrigin = new Origin(file, locator.topLevel("log_format"));
            }
            Long d = duration(root.get("default_lease_ttl"), locator.topLevel("default_lease_ttl"), "default_lease_ttl");
            if (d != null && (m.defaultLeaseTtl == null || d > m.defaultLeaseTtl)) {
                m.defaultLeaseTtl = d;
                m.defaultLeaseTtlOrigin = new Origin(file, locator.topLevel("default_lease_ttl"));
            }
            Long x = duration(root.get("max_lease_ttl"), locator.topLevel("max_lease_ttl"), "max_lease_ttl");
            if (x != null && (m.maxLeaseTtl == null || x > m.maxLeaseTtl)) {
                m.maxLeaseTtl = x;
                m.maxLeaseTtlOrigin = new Origin(file, locator.topLevel("max_lease_ttl"));
            }
            Long dm = duration(root.get("default_max_request_duration"),
                    locator.topLevel("default_max_request_duration"), "default_max_request_duration");
            if (dm != null) {
                m.defaultMaxRequestDuration = dm;
            }
            int index = 0;
            for (Block b : blocks(root.get("listener"))) {
                PartialListener l = listener(b, index++);
                if (l != null) {
                    m.listeners.add(l);
                }
            }
            Object storageRaw = root.containsKey("storage") ? root.get("storage") : root.get("backend");
            String storageKey = root.containsKey("storage") ? "storage" : "backend";
            List<Block> storages = blocks(storageRaw);
            if (storages.size() > 1) {
                problem(locator.inBlock(storageKey, 1, null), "only one \"storage\" block is permitted",
                        "keep one storage block in this file");
            } else if (storages.size() == 1) {
                StorageConfig s = storage(storages.get(0), storageKey);
                if (s != null) {
                    m.storage = s;
                    m.storageOrigin = new Origin(file, locator.topLevel(storageKey));
                }
            }
            index = 0;
            for (Block b : blocks(root.get("seal"))) {
                int line = locator.inBlock("seal", index, null);
                StaticSealConfig seal = seal(b, index++);
                if (seal != null) {
                    m.seals.add(seal);
                    m.sealOrigins.add(new Origin(file, line));
                }
            }
        }

        private record Block(String type, Object body) {
        }

        /** Every labelled block under a key, in both the HCL shape and the JSON array shape. */
        private List<Block> blocks(Object raw) {
            List<Block> out = new ArrayList<>();
            if (raw instanceof List<?> list) {
                for (Object o : list) {
                    out.addAll(blocks(o));
                }
            } else if (raw instanceof Map<?, ?> map) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (e.getValue() instanceof List<?> bodies) {
                        for (Object body : bodies) {
                            out.add(new Block(String.valueOf(e.getKey()), body));
                        }
                    } else {
                        out.add(new Block(String.valueOf(e.getKey()), e.getValue()));
                    }
                }
            }
            return out;
        }

        private PartialListener listener(Block b, int index) {
            int blockLine = locator.inBlock("listener", index, null);
            if (!b.type().equals("tcp")) {
                problem(blockLine, "unsupported listener type \"" + b.type() + "\"",
                        "Latchkey listens on TCP only: write listener \"tcp\" { ... }");
                return null;
            }
            if (!(b.body() instanceof Map<?, ?> rawBody)) {
                problem(blockLine, "listener \"tcp\" must be a block", "write listener \"tcp\" { address = \"...\" }");
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) rawBody;
            int before = problems.size();
            for (String key : body.keySet()) {
                if (LISTENER_IGNORED.contains(key)) {
                    ignored.putIfAbsent("listener." + key, file + ":" + locator.inBlock("listener", index, key));
                } else if (!LISTENER_KEYS.contains(key)) {
                    problem(locator.inBlock("listener", index, key), "unknown key " + key + " in listener \"tcp\"",
                            "remove it or correct its spelling");
                }
            }
            String address = body.containsKey("address") ? str(body.get("address"), index, "address") : null;
            String host = "127.0.0.1";
            int port = 8200;
            if (address == null || address.isEmpty()) {
                address = DEFAULT_ADDRESS;
            }
            int colon = address.lastIndexOf(':');
            String h = colon < 0 ? "" : address.substring(0, colon);
            String p = colon < 0 ? "" : address.substring(colon + 1);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            } else if (h.contains(":")) {
                h = null; // an IPv6 address must be bracketed when it has a port
            }
            if (h == null || h.isEmpty() || !p.matches("[0-9]{1,5}") || Integer.parseInt(p) > 65535) {
                problem(locator.inBlock("listener", index, "address"), "listener address \"" + address
                        + "\" is not host:port", "write it like \"127.0.0.1:8200\" or \"[::1]:8200\"");
            } else {
                host = h;
                port = Integer.parseInt(p);
            }
            boolean tlsDisable = bool(body, "tls_disable", index, false);
            TlsSettings tls = null;
            if (!tlsDisable) {
                tls = tls(body, index, blockLine);
            } else {
                bool(body, "tls_require_and_verify_client_cert", index, false);
            }
            long maxSize = integer(body, "max_request_size", index, ListenerOptions.DEFAULT_MAX_REQUEST_BODY,
                    Long.MIN_VALUE, Long.MAX_VALUE);
            Long maxDuration = body.containsKey("max_request_duration")
                    ? duration(body.get("max_request_duration"), locator.inBlock("listener", index,
                    "max_request_duration"), "max_request_duration") : null;
            long readHeader = durationOr(body, "http_read_header_timeout", index, 10);
            long read = durationOr(body, "http_read_timeout", index, 30);
            long idle = durationOr(body, "http_idle_timeout", index, 300);
            JsonLimits v = JsonLimits.VAULT;
            JsonLimits limits = new JsonLimits(
                    (int) integer(body, "max_json_depth", index, v.maxDepth(), 1, Integer.MAX_VALUE),
                    (int) integer(body, "max_json_string_value_length", index, v.maxStringValueLength(), 1,
                            Integer.MAX_VALUE),
                    (int) integer(body, "max_json_object_entry_count", index, v.maxObjectEntryCount(), 1,
                            Integer.MAX_VALUE),
                    (int) integer(body, "max_json_array_element_count", index, v.maxArrayElementCount(), 1,
                            Integer.MAX_VALUE),
                    v.maxValues());
            boolean metrics = listenerTelemetry(body.get("telemetry"), index);
            if (problems.size() > before) {
                return null;
            }
            int addressLine = body.containsKey("address") ? locator.inBlock("listener", index, "address") : blockLine;
            return new PartialListener(host, port, tls, maxSize, maxDuration, readHeader, read, idle, limits,
                    file + ":" + addressLine, metrics);
        }

        /** A listener's {@code telemetry { unauthenticated_metrics_access = true }}; false when absent. */
        private boolean listenerTelemetry(Object raw, int index) {
            if (raw == null) {
                return false;
            }
            Object one = raw instanceof List<?> list && list.size() == 1 ? list.get(0) : raw;
            if (!(one instanceof Map<?, ?> rawBody)) {
                problem(locator.inBlock("listener", index, "telemetry"), "a listener's telemetry must be one block",
                        "write telemetry { unauthenticated_metrics_access = true }");
                return false;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) rawBody;
            for (String key : body.keySet()) {
                if (!key.equals("unauthenticated_metrics_access")) {
                    problem(locator.inBlock("listener", index, "telemetry"), "unknown key " + key
                            + " in a listener's telemetry", "the only key is unauthenticated_metrics_access");
                }
            }
            return bool(body, "unauthenticated_metrics_access", index, false);
        }

        /**
         * {@code telemetry { prometheus_retention_time, disable_hostname, usage_gauge_period }}; the
         * push sinks (statsd, Circonus, Stackdriver) and filters are Vault's and ignored with a warning.
         */
        private TelemetryOptions telemetry(Object raw) {
            int line = locator.topLevel("telemetry");
            Object one = raw instanceof List<?> list && list.size() == 1 ? list.get(0) : raw;
            if (!(one instanceof Map<?, ?> rawBody)) {
                problem(line, "telemetry must be one block", "write telemetry { prometheus_retention_time = \"24h\" }");
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) rawBody;
            int before = problems.size();
            onlyKeys(body, "telemetry", TELEMETRY_KEYS, TELEMETRY_IGNORED, "telemetry");
            Long retention = body.containsKey("prometheus_retention_time")
                    ? duration(body.get("prometheus_retention_time"), locator.inBlock("telemetry", 0,
                    "prometheus_retention_time"), "prometheus_retention_time")
                    : Long.valueOf(TelemetryOptions.DEFAULT_RETENTION.toSeconds());
            boolean disableHostname = bool(body, "disable_hostname", -2, false);
            Object periodRaw = body.get("usage_gauge_period");
            Long period = periodRaw == null ? Long.valueOf(TelemetryOptions.DEFAULT_USAGE_GAUGE_PERIOD.toSeconds())
                    : "none".equals(periodRaw) ? Long.valueOf(0)
                    : duration(periodRaw, locator.inBlock("telemetry", 0, "usage_gauge_period"), "usage_gauge_period");
            if (retention != null && retention < 0) {
                problem(locator.inBlock("telemetry", 0, "prometheus_retention_time"),
                        "prometheus_retention_time cannot be negative", "write 0 to turn Prometheus off, or a duration like \"24h\"");
            }
            if (period != null && period < 0) {
                problem(locator.inBlock("telemetry", 0, "usage_gauge_period"), "usage_gauge_period cannot be negative",
                        "write a duration like \"10m\", or \"none\"");
            }
            if (problems.size() > before || retention == null || period == null) {
                return null;
            }
            return new TelemetryOptions(Duration.ofSeconds(retention), disableHostname, Duration.ofSeconds(period));
        }

        private TlsSettings tls(Map<String, Object> body, int index, int blockLine) {
            String cert = body.containsKey("tls_cert_file") ? str(body.get("tls_cert_file"), index, "tls_cert_file") : null;
            String key = body.containsKey("tls_key_file") ? str(body.get("tls_key_file"), index, "tls_key_file") : null;
            String ca = body.containsKey("tls_client_ca_file")
                    ? str(body.get("tls_client_ca_file"), index, "tls_client_ca_file") : null;
            boolean require = bool(body, "tls_require_and_verify_client_cert", index, false);
            boolean disableClient = bool(body, "tls_disable_client_certs", index, false);
            TlsVersion min = version(body, "tls_min_version", index, TlsVersion.TLS12);
            TlsVersion max = version(body, "tls_max_version", index, TlsVersion.TLS13);
            boolean ok = true;
            if (cert == null || cert.isEmpty()) {
                problem(blockLine, "listener \"tcp\" serves TLS but has no tls_cert_file",
                        "set tls_cert_file and tls_key_file, or tls_disable = true");
                ok = false;
            }
            if (key == null || key.isEmpty()) {
                problem(blockLine, "listener \"tcp\" serves TLS but has no tls_key_file",
                        "set tls_cert_file and tls_key_file, or tls_disable = true");
                ok = false;
            }
            ok &= readable(cert, index, "tls_cert_file");
            ok &= readable(key, index, "tls_key_file");
            ok &= readable(ca, index, "tls_client_ca_file");
            if (!ok || min == null || max == null) {
                return null;
            }
            try {
                return new TlsSettings(Path.of(cert), Path.of(key), min, max, ca == null ? null : Path.of(ca),
                        require, disableClient);
            } catch (IllegalArgumentException e) {
                String at = e.getMessage().contains("tls_max_version") ? "tls_max_version"
                        : e.getMessage().contains("tls_client_ca_file") ? "tls_require_and_verify_client_cert"
                        : "tls_disable_client_certs";
                problem(locator.inBlock("listener", index, at), e.getMessage(), switch (at) {
                    case "tls_max_version" -> "raise tls_max_version or lower tls_min_version";
                    case "tls_require_and_verify_client_cert" -> "set tls_client_ca_file to the CA bundle of your clients";
                    default -> "keep only one of the two";
                });
                return null;
            }
        }

        private boolean readable(String path, int index, String key) {
            if (path == null || path.isEmpty()) {
                return true;
            }
            if (!Files.isReadable(Path.of(path)) || Files.isDirectory(Path.of(path))) {
                problem(locator.inBlock("listener", index, key), key + " " + path + " cannot be read",
                        "check that the file exists and the server's user may read it");
                return false;
            }
            return true;
        }

        private TlsVersion version(Map<String, Object> body, String key, int index, TlsVersion dflt) {
            if (!body.containsKey(key)) {
                return dflt;
            }
            String v = str(body.get(key), index, key);
            if (v == null) {
                return null;
            }
            try {
                return TlsVersion.parse(key, v);
            } catch (IllegalArgumentException e) {
                problem(locator.inBlock("listener", index, key), e.getMessage(), "use tls12 or tls13");
                return null;
            }
        }

        private StorageConfig storage(Block b, String storageKey) {
            int line = locator.topLevel(storageKey);
            if (!(b.body() instanceof Map<?, ?> rawBody)) {
                problem(line, "storage \"" + b.type() + "\" must be a block", "write storage \"file\" { path = \"...\" }");
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) rawBody;
            switch (b.type()) {
                case "inmem" -> {
                    onlyKeys(body, storageKey, Set.of(), FILE_STORAGE_IGNORED, "storage \"inmem\"");
                    return new StorageConfig.Inmem();
                }
                case "file" -> {
                    onlyKeys(body, storageKey, Set.of("path"), FILE_STORAGE_IGNORED, "storage \"file\"");
                    String path = body.containsKey("path") ? storageString(body.get("path")) : "";
                    if (path.isEmpty()) {
                        problem(line, "'path' must be set", "add path = \"/var/lib/latchkey\" to storage \"file\"");
                        return null;
                    }
                    return new StorageConfig.File(Path.of(path));
                }
                case "postgresql" -> {
                    onlyKeys(body, storageKey, Set.of("connection_url", "table"), POSTGRES_IGNORED,
                            "storage \"postgresql\"");
                    String url = body.containsKey("connection_url") ? storageString(body.get("connection_url")) : "";
                    String table = body.containsKey("table") ? storageString(body.get("table")) : "";
                    table = table.isEmpty() ? "latchkey_store" : table;
                    if (url.isEmpty()) {
                        // VAULT_PG_CONNECTION_URL may still supply it; finish() checks.
                        return new StorageConfig.Postgresql("", null, null, table);
                    }
                    try {
                        return postgres(url, table);
                    } catch (IllegalArgumentException e) {
                        problem(locator.inBlock(storageKey, 0, "connection_url"), e.getMessage(),
                                "write postgres://user:password@host:5432/db?sslmode=verify-full");
                        return null;
                    }
                }
                default -> {
                    problem(line, "Unknown storage type " + b.type(),
                            "Latchkey stores in \"file\", \"inmem\" or \"postgresql\"");
                    return null;
                }
            }
        }

        private void onlyKeys(Map<String, Object> body, String block, Set<String> known, Set<String> vaultOnly,
                              String what) {
            for (String key : body.keySet()) {
                if (vaultOnly.contains(key)) {
                    ignored.putIfAbsent(block + "." + key, file + ":" + locator.inBlock(block, 0, key));
                } else if (!known.contains(key)) {
                    problem(locator.inBlock(block, 0, key), "unknown key " + key + " in " + what,
                            known.isEmpty() ? "remove it" : "remove it; the keys are " + String.join(", ", new TreeSet<>(known)));
                }
            }
        }

        /** Vault hands storage options to the backend as text, whatever their HCL type. */
        private static String storageString(Object raw) {
            if (raw instanceof Double d && d == Math.rint(d)) {
                return Long.toString(d.longValue());
            }
            return raw == null ? "" : String.valueOf(raw);
        }

        /**
         * {@code cluster { name, address, members, backup_count, quorum }}. Latchkey's own: Vault
         * clusters through its storage (raft) and its {@code cluster_addr}, which mean nothing here.
         */
        private ClusterConfig cluster(Object raw) {
            int line = locator.topLevel("cluster");
            Object one = raw instanceof List<?> list && list.size() == 1 ? list.get(0) : raw;
            if (!(one instanceof Map<?, ?> rawBody)) {
                problem(line, "cluster must be one block", "write one cluster { name = ..., address = ..., members = [...] }");
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) rawBody;
            int before = problems.size();
            onlyKeys(body, "cluster", Set.of("name", "address", "members", "backup_count", "quorum"), Set.of(),
                    "cluster");
            Object nameRaw = body.get("name");
            String name = nameRaw instanceof String s ? s.strip() : null;
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
                problem(locator.inBlock("cluster", 0, nameRaw == null ? null : "name"),
                        nameRaw == null ? "cluster needs a name" : "cluster name " + show(nameRaw) + " is not a name",
                        "set name = \"prod\": letters, digits, '.', '_' and '-', the same on every member");
            }
            String[] address = clusterAddress(body.get("address"), "address");
            List<String> members = new ArrayList<>();
            Object membersRaw = body.get("members");
            if (!(membersRaw instanceof List<?> listed) || listed.isEmpty()) {
                problem(locator.inBlock("cluster", 0, membersRaw == null ? null : "members"),
                        "cluster needs its members", "list them: members = [\"10.0.0.5:5701\", \"10.0.0.6:5701\"]");
            } else {
                for (Object o : listed) {
                    String[] member = clusterAddress(o, "members");
                    if (member != null) {
                        String h = member[0].contains(":") ? "[" + member[0] + "]" : member[0];
                        members.add(h + ":" + member[1]);
                    }
                }
            }
            int backups = (int) clusterInteger(body, "backup_count", 1, 0, 6);
            int majority = members.size() / 2 + 1;
            int quorum = (int) clusterInteger(body, "quorum", majority, 1, Math.max(1, members.size()));
            if (problems.size() > before || address == null) {
                return null;
            }
            return new ClusterConfig(name, address[0], Integer.parseInt(address[1]), members, backups, quorum,
                    file + ":" + line);
        }

        /** {@code host:port} (port 5701 when left out) as {host, port}; null after a problem. */
        private String[] clusterAddress(Object raw, String key) {
            int line = locator.inBlock("cluster", 0, key);
            if (!(raw instanceof String s) || s.isBlank()) {
                problem(line, raw == null ? "cluster needs the address this member listens on"
                        : key + " must hold \"host:port\" strings, not " + show(raw),
                        key.equals("members") ? "write members = [\"10.0.0.5:5701\", \"10.0.0.6:5701\"]"
                                : "write address = \"10.0.0.5:5701\"");
                return null;
            }
            String text = s.strip();
            String host = text;
            String port = Integer.toString(ClusterConfig.DEFAULT_PORT);
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                host = close < 0 ? "" : text.substring(1, close);
                String rest = close < 0 ? "" : text.substring(close + 1);
                if (rest.startsWith(":")) {
                    port = rest.substring(1);
                } else if (!rest.isEmpty()) {
                    host = "";
                }
            } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
                host = text.substring(0, text.indexOf(':'));
                port = text.substring(text.indexOf(':') + 1);
            } else if (text.indexOf(':') >= 0) {
                host = ""; // an IPv6 address must be bracketed
            }
            if (host.isEmpty() || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) == 0
                    || Integer.parseInt(port) > 65535 || host.equals("0.0.0.0") || host.equals("::")) {
                problem(line, "cluster " + key + " \"" + text + "\" is not host:port of one interface",
                        "write \"10.0.0.5:5701\" or \"[fd00::5]:5701\": an address the other members can reach");
                return null;
            }
            return new String[] {host, port};
        }

        private long clusterInteger(Map<String, Object> body, String key, long dflt, long min, long max) {
            if (!body.containsKey(key)) {
                return dflt;
            }
            Object raw = body.get(key);
            if (raw instanceof Double d && d == Math.rint(d) && d >= min && d <= max) {
                return d.longValue();
            }
            if (raw instanceof String s && s.matches("[0-9]{1,9}") && Long.parseLong(s) >= min
                    && Long.parseLong(s) <= max) {
                return Long.parseLong(s);
            }
            problem(locator.inBlock("cluster", 0, key), key + " must be a whole number from " + min + " to " + max
                    + ", not " + show(raw), key.equals("quorum")
                    ? "a quorum is at most the number of members; a majority is the safe choice"
                    : "1 keeps every entry on two members");
            return dflt;
        }

        private StaticSealConfig seal(Block b, int index) {
            int line = locator.inBlock("seal", index, null);
            if (b.type().equals("shamir")) {
                return null;
            }
            if (!b.type().equals("static")) {
                problem(line, "seal type \"" + b.type() + "\" is not supported",
                        "use Shamir (no seal block) or seal \"static\" { current_key_id = ..., current_key = ... }");
                return null;
            }
            if (!(b.body() instanceof Map<?, ?> rawBody)) {
                problem(line, "seal \"static\" must be a block", "write seal \"static\" { ... }");
                return null;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> body = (Map<String, Object>) rawBody;
            int before = problems.size();
            for (String key : body.keySet()) {
                if (!Set.of("current_key_id", "current_key", "previous_key_id", "previous_key", "disabled")
                        .contains(key)) {
                    problem(locator.inBlock("seal", index, key), "unknown key " + key + " in seal \"static\"",
                            "the keys are current_key_id, current_key, previous_key_id, previous_key");
                }
            }
            if (bool(body, "disabled", -1, false)) {
                problem(locator.inBlock("seal", index, "disabled"), "a disabled seal is only used to migrate seals",
                        "Latchkey does not migrate seals; remove the block or disabled = true");
            }
            String id = sealString(body, "current_key_id", index);
            String key = sealString(body, "current_key", index);
            if (id == null || id.isEmpty() || key == null || key.isEmpty()) {
                problem(line, "seal \"static\" needs current_key_id and current_key",
                        "set current_key = \"file:///etc/latchkey/unseal.key\" (32 bytes: openssl rand -out FILE 32)");
            }
            String prevId = sealString(body, "previous_key_id", index);
            String prev = sealString(body, "previous_key", index);
            if ((prevId == null) != (prev == null)) {
                problem(line, "previous_key_id and previous_key go together", "set both or neither");
            }
            return problems.size() > before ? null : new StaticSealConfig(id, key, prevId, prev);
        }

        private String sealString(Map<String, Object> body, String key, int index) {
            Object raw = body.get(key);
            if (raw == null) {
                return null;
            }
            if (!(raw instanceof String s)) {
                problem(locator.inBlock("seal", index, key), key + " must be a string", "quote the value");
                return null;
            }
            return s;
        }

        private String string(Map<String, Object> root, String key, String previous) {
            if (!root.containsKey(key)) {
                return previous;
            }
            Object raw = root.get(key);
            if (!(raw instanceof String s)) {
                problem(locator.topLevel(key), key + " must be a string", "quote the value");
                return previous;
            }
            return s.isEmpty() ? previous : s;
        }

        private String str(Object raw, int index, String key) {
            if (raw instanceof String s) {
                return s;
            }
            problem(locator.inBlock("listener", index, key), key + " must be a string", "quote the value");
            return null;
        }

        /** Vault's booleans: true/false, 1/0, or any text Go's ParseBool reads. */
        private boolean bool(Map<String, Object> body, String key, int index, boolean dflt) {
            if (!body.containsKey(key)) {
                return dflt;
            }
            Object raw = body.get(key);
            if (raw instanceof Boolean b) {
                return b;
            }
            if (raw instanceof Double d && (d == 0 || d == 1)) {
                return d == 1;
            }
            if (raw instanceof String s) {
                switch (s) {
                    case "1", "t", "T", "TRUE", "true", "True" -> {
                        return true;
                    }
                    case "0", "f", "F", "FALSE", "false", "False" -> {
                        return false;
                    }
                    default -> {
                    }
                }
            }
            int line = index == -2 ? locator.inBlock("telemetry", 0, key)
                    : index < 0 ? locator.inBlock("seal", 0, key) : locator.inBlock("listener", index, key);
            problem(line, key + " must be a boolean, not " + show(raw), "write true or false");
            return dflt;
        }

        private long integer(Map<String, Object> body, String key, int index, long dflt, long min, long max) {
            if (!body.containsKey(key)) {
                return dflt;
            }
            Object raw = body.get(key);
            Long value = null;
            if (raw instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
                value = d.longValue();
            } else if (raw instanceof String s && s.matches("-?[0-9]{1,18}")) {
                value = Long.parseLong(s);
            }
            int line = locator.inBlock("listener", index, key);
            if (value == null) {
                problem(line, key + " must be a whole number, not " + show(raw), "write a number such as " + dflt);
                return dflt;
            }
            if (value < min || value > max) {
                problem(line, key + " " + value + " is out of range", "use a value from " + min + " to " + max);
                return dflt;
            }
            return value;
        }

        private long durationOr(Map<String, Object> body, String key, int index, long dflt) {
            Long v = body.containsKey(key) ? duration(body.get(key), locator.inBlock("listener", index, key), key) : null;
            return v == null ? dflt : v;
        }

        /** Vault's durations: seconds as a number or digit string, a Go duration, or days ({@code 7d}). */
        private Long duration(Object raw, int line, String key) {
            if (raw == null) {
                return null;
            }
            Object value = raw instanceof Double d && d == Math.rint(d) ? (Object) d.longValue() : raw;
            if (!(value instanceof String || value instanceof Long)) {
                problem(line, key + " must be a duration, not " + show(raw), "write it like \"90s\", \"1h30m\" or \"7d\"");
                return null;
            }
            try {
                return Durations.parseSeconds(value);
            } catch (GoParseException e) {
                problem(line, key + ": " + e.getMessage(), "write it like \"90s\", \"1h30m\" or \"7d\"");
                return null;
            }
        }

        private static String show(Object raw) {
            if (raw instanceof String s) {
                return "\"" + s + "\"";
            }
            if (raw instanceof Map) {
                return "a block";
            }
            if (raw instanceof List) {
                return "a list";
            }
            if (raw instanceof Double d && d == Math.rint(d)) {
                return Long.toString(d.longValue());
            }
            return String.valueOf(raw);
        }

        private void problem(int line, String message, String fix) {
            problems.add(new ConfigProblem(file, line, message, fix));
        }
    }
}
