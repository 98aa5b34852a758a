package dev.latchkey.api;

import dev.latchkey.api.config.file.ConfigException;
import dev.latchkey.api.config.file.ConfigInputs;
import dev.latchkey.api.config.file.ConfigLoader;
import dev.latchkey.api.config.file.ListenerConfig;
import dev.latchkey.api.config.file.ServerConfig;
import dev.latchkey.api.core.FatalErrors;
import dev.latchkey.api.core.SystemInfo;
import dev.latchkey.api.hostsync.HostSync;
import dev.latchkey.api.http.ListenerUnavailableException;
import dev.latchkey.cluster.ClusterStartException;
import dev.latchkey.cluster.durable.DurableStoreException;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;

/**
 * {@code latchkey server -dev [...]}, {@code latchkey host-sync [...]} and {@code latchkey version},
 * with Vault's flag spelling.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        FatalErrors.install();
        configureLogging();
        List<String> a = Arrays.asList(args);
        if (a.isEmpty() || a.get(0).equals("-h") || a.get(0).equals("--help") || a.get(0).equals("help")) {
            usage(System.out);
            return;
        }
        switch (a.get(0)) {
            case "version", "-version", "--version" ->
                    System.out.println("Latchkey v" + BuildInfo.version() + " (Vault API " + SystemInfo.VAULT_VERSION + ")");
            case "server" -> server(a.subList(1, a.size()));
            case "host-sync" ->
                    System.exit(HostSync.run(a.subList(1, a.size()), System.getenv(), System.out, System.err));
            default -> {
                System.err.println("Unknown command: " + a.get(0));
                usage(System.err);
                System.exit(1);
            }
        }
    }

    private static void server(List<String> args) throws InterruptedException {
        ServerFlags flags;
        try {
            flags = ServerFlags.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("Error: " + e.getMessage());
            usage(System.err);
            System.exit(1);
            return;
        }
        if (!flags.dev()) {
            configured(flags);
            return;
        }
        ConfigLoader.LogSettings logs;
        try {
            logs = ConfigLoader.logSettings(new ConfigInputs(System.getenv(), flags.logLevel(), flags.logFormat()));
        } catch (ConfigException e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(1);
            return;
        }
        Logs.applyLevel(logs.level());
        Logs.applyFormat(logs.format());
        LatchkeyServer server;
        try {
            server = LatchkeyServer.startDev(flags.devOptions());
        } catch (RuntimeException e) {
            System.err.println("Error initializing dev mode: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("==> Latchkey shutdown triggered");
            server.close();
            stopped.countDown();
        }, "latchkey-shutdown"));
        printDevBanner(flags.devOptions().host(), server.port(), server.unsealKey(), server.rootToken(), logs.level());
        stopped.await();
    }

    /**
     * {@code server -config=PATH...}: the node the files describe, uninitialised and sealed until
     * {@code sys/init} and {@code sys/unseal} (or its static seal) open it. A configuration error
     * stops start-up with one line per problem, naming file, line and fix.
     */
    private static void configured(ServerFlags flags) throws InterruptedException {
        if (flags.configPaths().isEmpty()) {
            System.err.println("Must specify at least one config path using -config");
            System.exit(1);
        }
        ConfigLoader.Loaded loaded;
        NodeOptions options;
        try {
            loaded = ConfigLoader.load(flags.configPaths(),
                    new ConfigInputs(System.getenv(), flags.logLevel(), flags.logFormat()));
            options = ConfiguredNode.options(loaded.config(), System.getenv());
        } catch (ConfigException e) {
            System.err.println("Error loading configuration:");
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        } catch (IllegalArgumentException | DurableStoreException e) {
            System.err.println("Error in configuration: " + e.getMessage());
            System.exit(1);
            return;
        }
        loaded.warnings().forEach(w -> System.err.println("WARNING! " + w));
        ServerConfig config = loaded.config();
        Logs.applyLevel(config.logLevel());
        Logs.applyFormat(config.logFormat());
        LatchkeyServer server;
        try {
            server = LatchkeyServer.start(options);
        } catch (ListenerUnavailableException e) {
            ListenerConfig l = config.listeners().get(e.index());
            System.err.println("Error starting the server: " + l.origin() + ": " + e.getMessage() + "; "
                    + (e.inUse() ? "stop the process that listens there (ss -ltnp shows it) or choose another address"
                    : "use an address of this machine, or 0.0.0.0 for all of them"));
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            ClusterStartException member = clusterCause(e);
            System.err.println("Error starting the server: " + (member == null ? e.getMessage()
                    : config.cluster().origin() + ": " + member.getMessage() + "; " + member.fix()));
            System.exit(1);
            return;
        }
        Path pidFile = config.pidFile();
        if (pidFile != null) {
            try {
                Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
            } catch (IOException e) {
                System.err.println("Error writing pid_file " + pidFile + ": " + e.getMessage());
                server.close();
                System.exit(1);
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("==> Latchkey shutdown triggered");
            server.close();
            if (pidFile != null) {
                try {
                    Files.deleteIfExists(pidFile);
                } catch (IOException ignored) {
                    // nothing more to do on the way out
                }
            }
            stopped.countDown();
        }, "latchkey-shutdown"));
        Signals.onHangUp(() -> reload(flags, server));
        printConfiguredBanner(config, server);
        stopped.await();
    }

    private static ClusterStartException clusterCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ClusterStartException member) {
                return member;
            }
        }
        return null;
    }

    /**
     * SIGHUP, as Vault takes it: the configuration files are read again and their log level applied,
     * and each TLS listener re-reads its certificate and key files. Storage, seal and addresses stay
     * as they started. A file that no longer loads changes nothing and says why.
     */
    private static void reload(ServerFlags flags, LatchkeyServer server) {
        System.out.println("==> Latchkey reload triggered");
        try {
            ServerConfig fresh = ConfigLoader.load(flags.configPaths(),
                    new ConfigInputs(System.getenv(), flags.logLevel(), flags.logFormat())).config();
            Logs.applyLevel(fresh.logLevel());
            System.out.println("==> Log level is " + fresh.logLevel());
        } catch (ConfigException e) {
            System.err.println("Reload failed, the log level is unchanged:");
            System.err.println(e.getMessage());
        }
        server.reopenAuditFiles();
        List<String> failures = server.reloadTls();
        failures.forEach(f -> System.err.println("TLS reload failed, keeping the old certificate: " + f));
        if (failures.isEmpty()) {
            System.out.println("==> TLS certificates reloaded");
        }
    }

    private static void printConfiguredBanner(ServerConfig config, LatchkeyServer server) {
        PrintStream o = System.out;
        o.println("==> Latchkey server configuration:");
        o.println();
        List<Integer> ports = server.ports();
        for (int i = 0; i < config.listeners().size(); i++) {
            ListenerConfig l = config.listeners().get(i);
            String host = l.host().contains(":") ? "[" + l.host() + "]" : l.host();
            o.println("              Listener " + (i + 1) + ": tcp (addr: \"" + host + ":" + ports.get(i) + "\", tls: \""
                    + (l.tlsDisabled() ? "disabled" : "enabled") + "\")");
        }
        o.println("               Log Level: " + config.logLevel());
        o.println("                 Storage: " + ConfiguredNode.storageType(config.storage()));
        o.println("                    Seal: " + (config.seal() == null ? "shamir" : "static"));
        if (config.cluster() != null) {
            o.println("                 Cluster: " + config.cluster().name() + " (member: \"" + config.cluster().address()
                    + "\", members: " + config.cluster().members() + ", backups: " + config.cluster().backupCount() + ")");
        }
        o.println("                 Version: Latchkey v" + BuildInfo.version() + " (Vault API "
                + SystemInfo.VAULT_VERSION + ")");
        o.println();
        o.println("==> Latchkey server started! Log data will stream in below:");
        o.println();
        o.flush();
    }

    private static void printDevBanner(String host, int port, String unsealKey, String rootToken, String logLevel) {
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        String addr = "http://" + hostPart + ":" + port;
        PrintStream o = System.out;
        o.println("==> Latchkey server configuration:");
        o.println();
        o.println("             Api Address: " + addr);
        o.println("              Listener 1: tcp (addr: \"" + hostPart + ":" + port + "\", tls: \"disabled\")");
        o.println("               Log Level: " + logLevel);
        o.println("                 Storage: inmem");
        o.println("                 Version: Latchkey v" + BuildInfo.version() + " (Vault API "
                + SystemInfo.VAULT_VERSION + ")");
        o.println();
        o.println("==> Latchkey server started! Log data will stream in below:");
        o.println();
        o.println("WARNING! dev mode is enabled! In this mode, Latchkey runs entirely in-memory");
        o.println("and starts unsealed with a single unseal key. Nothing is mounted: enable the SSH engine with");
        o.println("'vault secrets enable ssh' first.");
        o.println();
        o.println("You may need to set the following environment variables:");
        o.println();
        o.println("    $ export VAULT_ADDR='" + addr + "'");
        o.println("    $ export VAULT_TOKEN='" + rootToken + "'");
        o.println();
        o.println("The unseal key and root token are displayed below in case you want to");
        o.println("seal/unseal Latchkey or re-authenticate.");
        o.println();
        o.println("Unseal Key: " + unsealKey);
        o.println("Root Token: " + rootToken);
        o.println();
        o.println("Development mode should NOT be used in production installations!");
        o.println();
        o.flush();
    }

    private static void usage(PrintStream out) {
        out.println("Usage: latchkey <command> [options]");
        out.println();
        out.println("  server -dev [-dev-root-token-id=ID] [-dev-listen-address=HOST:PORT]");
        out.println("                      start an unsealed in-memory single node (default 127.0.0.1:8200)");
        out.println("  server -config=PATH [-config=PATH...] [-log-level=LEVEL] [-log-format=standard|json]");
        out.println("                      start the node a configuration file (HCL or JSON) describes, sealed");
        out.println("  host-sync [--addr URL] [--mount ssh] [--dir /etc/ssh/latchkey] [--ca-cert FILE] [--timeout 10s]");
        out.println("                      keep this host's CA keys and KRL for sshd current (host-sync -h: details)");
        out.println("  version             print the version");
    }

    /** Uses the bundled one-line-per-event config unless the operator named another. */
    private static void configureLogging() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return;
        }
        try (InputStream in = Main.class.getResourceAsStream("/logging.properties")) {
            if (in != null) {
                LogManager.getLogManager().readConfiguration(in);
            }
        } catch (IOException e) {
            System.err.println("could not read the logging configuration: " + e.getMessage());
        }
    }
}
