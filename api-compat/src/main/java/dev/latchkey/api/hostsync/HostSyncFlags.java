package dev.latchkey.api.hostsync;

import dev.latchkey.engine.gocompat.Durations;
import dev.latchkey.engine.gocompat.GoParseException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The flags of {@code latchkey host-sync}: {@code --flag value} or {@code --flag=value}, with one
 * dash as well, as the server's flags are read. The server address and the CA bundle fall back to
 * the environment variables the {@code vault} CLI reads, so a host configured for it needs no flags.
 *
 * @param addr    the server's base address, without a trailing slash
 * @param mount   the SSH mount's path, without surrounding slashes
 * @param dir     where the two files and their ETags are kept
 * @param caCert  the PEM bundle trusted for https, or null for the JDK's trust store
 * @param timeout how long each download may take, from connecting to its last byte
 */
record HostSyncFlags(URI addr, String mount, Path dir, Path caCert, Duration timeout) {
    private static final String DEFAULT_MOUNT = "ssh";
    private static final Path DEFAULT_DIR = Path.of("/etc/ssh/latchkey");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final String USAGE = """
            Usage: latchkey host-sync [--addr URL] [--mount ssh] [--dir /etc/ssh/latchkey] [--ca-cert FILE] [--timeout 10s]

            Fetches the SSH mount's CA keys (issuers/public_keys) and revocation list (krl) into
            DIR/trusted-user-ca-keys.pub and DIR/revoked-keys.krl, for sshd's TrustedUserCAKeys and
            RevokedKeys. Nothing is replaced unless the server's copy is valid; an unchanged copy
            costs a 304. Exits 0 when both files are current, 1 when either could not be updated.

              --addr URL       the server (default: $VAULT_ADDR)
              --mount PATH     the SSH secrets engine's mount (default: ssh)
              --dir DIR        where the files are kept (default: /etc/ssh/latchkey, created 0755)
              --ca-cert FILE   PEM certificates trusted for https (default: $VAULT_CACERT, else the JDK's)
              --timeout D      the longest each download may take, as a Go duration (default: 10s)
              -h, --help       this text""";

    private static final Set<String> HELP = Set.of("-h", "-help", "--help");
    private static final Set<String> WITH_VALUE = Set.of("addr", "mount", "dir", "ca-cert", "timeout");
    // Anything else in a segment (a space, "?", "%") or a "." or ".." segment would change the URL
    // rather than name a mount.
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]+");

    /** Whether the operator asked for help anywhere on the command line. */
    static boolean wantsHelp(List<String> args) {
        return args.stream().anyMatch(HELP::contains);
    }

    /**
     * Reads the flags, falling back to {@code VAULT_ADDR} and {@code VAULT_CACERT} in {@code env}.
     *
     * @throws IllegalArgumentException naming the flag at fault
     */
    static HostSyncFlags parse(List<String> args, Map<String, String> env) {
        String addr = env.get("VAULT_ADDR");
        String caCert = env.get("VAULT_CACERT");
        String mount = DEFAULT_MOUNT;
        String dir = DEFAULT_DIR.toString();
        String timeout = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg.startsWith("--") ? arg.substring(2) : arg.startsWith("-") ? arg.substring(1) : null;
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!WITH_VALUE.contains(name)) {
                throw new IllegalArgumentException("unknown flag --" + name);
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException("flag --" + name + " needs a value");
                }
                value = args.get(++i);
            }
            switch (name) {
                case "addr" -> addr = value;
                case "mount" -> mount = value;
                case "dir" -> dir = value;
                case "ca-cert" -> caCert = value;
                default -> timeout = value;
            }
        }
        return new HostSyncFlags(address(addr), mountPath(mount), directory(dir),
                caCert == null || caCert.isEmpty() ? null : Path.of(caCert), timeout(timeout));
    }

    private static URI address(String addr) {
        if (addr == null || addr.isEmpty()) {
            throw new IllegalArgumentException("no server address: pass --addr or set VAULT_ADDR");
        }
        URI uri;
        try {
            uri = new URI(addr.endsWith("/") ? addr.substring(0, addr.length() - 1) : addr);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--addr is not a URL: " + e.getMessage());
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            // not echoed: it may hold a password
            throw new IllegalArgumentException("--addr must not carry a query, a fragment or credentials");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("--addr must be an http:// or https:// URL with a host, got " + addr);
        }
        return uri;
    }

    private static String mountPath(String mount) {
        String trimmed = mount.replaceAll("^/+|/+$", "");
        for (String segment : trimmed.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("--mount must be a mount path such as ssh, got \"" + mount + "\"");
            }
        }
        return trimmed;
    }

    private static Path directory(String dir) {
        if (dir.isEmpty()) {
            throw new IllegalArgumentException("--dir cannot be empty");
        }
        return Path.of(dir);
    }

    private static Duration timeout(String text) {
        if (text == null) {
            return DEFAULT_TIMEOUT;
        }
        long nanos;
        try {
            nanos = Durations.parseGoDuration(text);
        } catch (GoParseException e) {
            throw new IllegalArgumentException("--timeout: " + e.getMessage());
        }
        if (nanos <= 0) {
            throw new IllegalArgumentException("--timeout must be positive, got " + text);
        }
        return Duration.ofNanos(nanos);
    }
}
