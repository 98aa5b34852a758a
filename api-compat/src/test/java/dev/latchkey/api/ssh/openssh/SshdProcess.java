package dev.latchkey.api.ssh.openssh;

import dev.latchkey.testing.Commands;
import dev.latchkey.testing.FreePorts;
import dev.latchkey.testing.SshKeygen;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A private OpenSSH server for one test class: runs {@code /usr/sbin/sshd -D} as the current OS
 * user (no privilege separation is involved unless that user is root, and then it works too) on a
 * free port of 127.0.0.1, with its own configuration, pid file and log in a directory of the test.
 * Public-key authentication accepts certificates from the CA keys in {@code TrustedUserCAKeys} and,
 * when asked for, the keys in each user's {@code ~/.ssh/authorized_keys}. Always {@link #close()} it.
 */
public final class SshdProcess implements AutoCloseable {
    static final Path SSHD = Path.of("/usr/sbin/sshd");
    static final Path SSH = Path.of("/usr/bin/ssh");
    private static final Duration START_DEADLINE = Duration.ofSeconds(15);
    /** sshd run by root chroots its pre-authentication child here and refuses to start without it. */
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");

    private final Process process;
    private final int port;
    private final Path log;

    private SshdProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Fails (never skips) when OpenSSH is not installed: the end-to-end tests are part of the suite,
     * and {@code scripts/test} installs the packages on CI.
     */
    static void requireOpenSsh() {
        if (!Files.isExecutable(SSHD)) {
            throw new AssertionError(SSHD + " is missing: the OpenSSH end-to-end tests need the OpenSSH server. "
                    + "scripts/test installs openssh-server (and openssh-client) when run as root; "
                    + "otherwise install them yourself: apt-get install openssh-server openssh-client");
        }
        for (Path tool : List.of(SSH, SshKeygen.BINARY)) {
            if (!Files.isExecutable(tool)) {
                throw new AssertionError(tool + " is missing: the OpenSSH end-to-end tests need the OpenSSH client. "
                        + "scripts/test installs openssh-client (and openssh-server) when run as root; "
                        + "otherwise install them yourself: apt-get install openssh-server openssh-client");
            }
        }
    }

    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    /** The current end of the log: pass it to {@link #logSince} to see only what a later connection wrote. */
    public long logMark() {
        try {
            return Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }

    /** What sshd logged after {@code mark}. */
    public String logSince(long mark) {
        if (!Files.exists(log)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            if (length <= mark) {
                return "";
            }
            byte[] bytes = new byte[(int) (length - mark)];
            f.seek(mark);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + log, e);
        }
    }

    /**
     * Waits (a few seconds at most) until the log after {@code mark} contains {@code text}; returns
     * that part of the log. The line explaining a refusal is written before the client hears "no",
     * so this normally returns at once.
     */
    String awaitLog(long mark, String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            String since = logSince(mark);
            if (since.contains(text)) {
                return since;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sshd never logged \"" + text + "\"; it logged:\n" + since);
            }
            pause(50);
        }
    }

    @Override
    public void close() {
        Commands.kill(process);
    }

    /** Configuration of one server; {@link #start()} writes {@code sshd_config} and launches it. */
    public static final class Builder {
        private final Path dir;
        private Path hostKey;
        private Path hostCertificate;
        private Path trustedUserCaKeys;
        private Path revokedKeys;
        private boolean authorizedKeysFiles;
        private int fixedPort;
        private String logLevel = "VERBOSE";

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** A host private key; without one an Ed25519 key is generated with ssh-keygen. */
        public Builder hostKey(Path privateKey) {
            this.hostKey = privateKey;
            return this;
        }

        Builder hostCertificate(Path certificate) {
            this.hostCertificate = certificate;
            return this;
        }

        /** The file of CA public keys sshd trusts for user certificates (required). */
        Builder trustedUserCaKeys(Path file) {
            this.trustedUserCaKeys = file;
            return this;
        }

        /** The key revocation list sshd reads on every authentication ({@code RevokedKeys}). */
        Builder revokedKeys(Path file) {
            this.revokedKeys = file;
            return this;
        }

        /**
         * Public keys from each user's {@code ~/.ssh/authorized_keys}, as a stock sshd (for dynamic
         * keys), instead of CA-signed certificates only.
         */
        public Builder authorizedKeysFiles() {
            this.authorizedKeysFiles = true;
            return this;
        }

        /** Listen on this port (e.g. to restart a host with another key); otherwise a free one. */
        public Builder port(int port) {
            this.fixedPort = port;
            return this;
        }

        /** {@code VERBOSE} by default; {@code DEBUG2} also explains why a CA is not trusted. */
        Builder logLevel(String level) {
            this.logLevel = level;
            return this;
        }

        public SshdProcess start() {
            requireOpenSsh();
            if (trustedUserCaKeys == null && !authorizedKeysFiles) {
                throw new IllegalStateException("trustedUserCaKeys or authorizedKeysFiles is required");
            }
            try {
                Files.createDirectories(dir);
                if (hostKey == null) {
                    hostKey = SshKeygen.generate(dir, "ssh_host_ed25519_key", "ed25519", 0).privateKeyFile();
                }
                Path log = dir.resolve("sshd.log");
                Path config = dir.resolve("sshd_config");
                List<String> failures = new ArrayList<>();
                for (int attempt = 0; attempt < 5; attempt++) {
                    int port = fixedPort > 0 ? fixedPort : freePort();
                    Files.writeString(config, config(port));
                    if (isRoot(config)) {
                        preparePrivilegeSeparation();
                    }
                    long mark = Files.exists(log) ? Files.size(log) : 0;
                    Process p = new ProcessBuilder(SSHD.toString(), "-D", "-f", config.toString(), "-E", log.toString())
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.out").toFile()))
                            .redirectErrorStream(true)
                            .start();
                    SshdProcess sshd = new SshdProcess(p, port, log);
                    String failure = sshd.awaitListening(mark, dir.resolve("sshd.out"));
                    if (failure == null) {
                        return sshd;
                    }
                    sshd.close();
                    failures.add(failure);
                    if (!failure.contains("Cannot bind any address") && !failure.contains("Address already in use")) {
                        break;
                    }
                    if (fixedPort > 0) {
                        pause(500);
                    }
                }
                throw new AssertionError("sshd did not start:\n" + String.join("\n----\n", failures));
            } catch (IOException e) {
                throw new AssertionError("cannot prepare sshd in " + dir, e);
            }
        }

        private String config(int port) {
            StringBuilder c = new StringBuilder()
                    .append("ListenAddress 127.0.0.1:").append(port).append('\n')
                    .append("HostKey ").append(quote(hostKey)).append('\n');
            if (hostCertificate != null) {
                c.append("HostCertificate ").append(quote(hostCertificate)).append('\n');
            }
            return c.append("PidFile ").append(quote(dir.resolve("sshd.pid"))).append('\n')
                    .append("AuthorizedKeysFile ").append(authorizedKeysFiles ? ".ssh/authorized_keys" : "none").append('\n')
                    .append("PasswordAuthentication no\n")
                    .append("KbdInteractiveAuthentication no\n")
                    .append("UsePAM no\n")
                    .append("StrictModes no\n")
                    .append(trustedUserCaKeys == null ? "" : "TrustedUserCAKeys " + quote(trustedUserCaKeys) + "\n")
                    .append(revokedKeys == null ? "" : "RevokedKeys " + quote(revokedKeys) + "\n")
                    .append("PermitRootLogin prohibit-password\n")
                    .append("PrintMotd no\n")
                    .append("LogLevel ").append(logLevel).append('\n')
                    .toString();
        }
    }

    /**
     * Polls the port until sshd accepts a connection; returns null when it does, or the reason
     * (with sshd's output) when the process died or the deadline passed.
     */
    private String awaitListening(long logMark, Path out) throws IOException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                return "sshd exited with " + process.exitValue() + "; log:\n" + logSince(logMark)
                        + "\noutput:\n" + (Files.exists(out) ? Files.readString(out) : "");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return null;
            } catch (IOException notYet) {
                pause(50);
            }
        }
        return "sshd did not accept connections on 127.0.0.1:" + port + " within " + START_DEADLINE + "; log:\n"
                + logSince(logMark);
    }

    static int freePort() {
        return FreePorts.next();
    }

    /** True when this JVM runs as root: a file it just created is owned by uid 0. */
    private static boolean isRoot(Path createdFile) throws IOException {
        return ((Integer) Files.getAttribute(createdFile, "unix:uid")) == 0;
    }

    private static void preparePrivilegeSeparation() throws IOException {
        if (!Files.isDirectory(PRIVSEP_DIR)) {
            // normally made by the openssh-server service; containers that never started it lack it
            Files.createDirectories(PRIVSEP_DIR, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
        }
    }

    private static String quote(Path p) {
        return "\"" + p.toAbsolutePath() + "\"";
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
