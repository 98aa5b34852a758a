package dev.latchkey.api;

import dev.latchkey.api.core.FatalErrors;
import dev.latchkey.api.core.SystemInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.LogManager;

/** {@code latchkey server -dev [...]} and {@code latchkey version}, with Vault's flag spelling. */
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
            System.err.println("Error: only -dev mode is available in this release; configuration files "
                    + "(-config=server.hcl) are not supported yet.");
            System.exit(1);
        }
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
        printDevBanner(flags.devOptions().host(), server.port(), server.unsealKey(), server.rootToken());
        stopped.await();
    }

    private static void printDevBanner(String host, int port, String unsealKey, String rootToken) {
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        String addr = "http://" + hostPart + ":" + port;
        PrintStream o = System.out;
        o.println("==> Latchkey server configuration:");
        o.println();
        o.println("             Api Address: " + addr);
        o.println("              Listener 1: tcp (addr: \"" + hostPart + ":" + port + "\", tls: \"disabled\")");
        o.println("               Log Level: info");
        o.println("                 Storage: inmem (Hazelcast, single member)");
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
