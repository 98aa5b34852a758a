package dev.latchkey.api;

import dev.latchkey.engine.gocompat.GoFormat;
import dev.latchkey.engine.gocompat.GoStrconv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The flags of {@code latchkey server}, spelled as Vault spells them: {@code -flag=value},
 * {@code -flag value}, and the same with two dashes.
 */
record ServerFlags(boolean dev, DevOptions devOptions, List<Path> configPaths, String logLevel, String logFormat) {

    static ServerFlags parse(List<String> args) {
        boolean dev = false;
        List<Path> configPaths = new ArrayList<>();
        String logLevel = null;
        String logFormat = null;
        String rootToken = null;
        String listen = DevOptions.DEFAULT_ADDRESS;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.startsWith("--") ? arg.substring(2) : arg.startsWith("-") ? arg.substring(1) : null;
            if (name == null) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            switch (name) {
                case "dev" -> dev = value == null || devFlag(value);
                case "dev-root-token-id", "dev-listen-address", "config", "log-level", "log-format" -> {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException("flag -" + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    switch (name) {
                        case "dev-root-token-id" -> rootToken = value;
                        case "dev-listen-address" -> listen = value;
                        case "config" -> configPaths.add(Path.of(value)); // repeatable, as Vault's
                        case "log-level" -> logLevel = value;
                        default -> logFormat = value;
                    }
                }
                default -> throw new IllegalArgumentException("unknown flag -" + name);
            }
        }
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || colon == listen.length() - 1) {
            throw new IllegalArgumentException("-dev-listen-address must be HOST:PORT, got " + listen);
        }
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-dev-listen-address has a bad port: " + listen);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("-dev-listen-address has a port outside 0-65535: " + listen);
        }
        if (rootToken != null && rootToken.isBlank()) {
            throw new IllegalArgumentException("-dev-root-token-id cannot be empty");
        }
        return new ServerFlags(dev, new DevOptions(rootToken, host, port), List.copyOf(configPaths), logLevel, logFormat);
    }

    /** Go's flag package reads {@code -dev=value} with strconv.ParseBool, and says so when it cannot. */
    private static boolean devFlag(String value) {
        Boolean parsed = GoStrconv.parseBoolOrNull(value);
        if (parsed == null) {
            throw new IllegalArgumentException("invalid boolean value " + GoFormat.q(value) + " for -dev: parse error");
        }
        return parsed;
    }
}
