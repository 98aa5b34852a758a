package dev.latchkey.api.ssh.openssh;

import dev.latchkey.testing.Commands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The OpenSSH client as the tests use it: the account they log in as, and {@code ssh} logins. */
public final class OpenSsh {
    static final Duration SSH_TIMEOUT = Duration.ofSeconds(20);

    private OpenSsh() {
    }

    /** The OS account the tests log in as (sshd runs as this user too). */
    static String user() {
        return System.getProperty("user.name");
    }

    /** An ssh login attempt to a {@link SshdProcess}; every option is explicit (no user or system config). */
    public static final class Login {
        private final SshdProcess sshd;
        private final List<String> identity = new ArrayList<>();
        private String user = OpenSsh.user();
        private Path knownHosts;
        private String strict = "no";
        private boolean verbose;
        private final List<String> options = new ArrayList<>();

        private Login(SshdProcess sshd) {
            this.sshd = sshd;
        }

        public static Login to(SshdProcess sshd) {
            return new Login(sshd);
        }

        /** Log in as this account instead of the one the tests run as. */
        public Login as(String account) {
            this.user = account;
            return this;
        }

        /** {@code -i key -o CertificateFile=cert}. */
        Login keyAndCertificate(Path key, Path certificate) {
            identity.addAll(List.of("-i", key.toString(), "-o", "CertificateFile=" + certificate));
            return this;
        }

        /** A raw {@code -i} (the {@code vault ssh} CLI passes its certificate file this way too). */
        public Login identityFile(Path file) {
            identity.addAll(List.of("-i", file.toString()));
            return this;
        }

        public Login knownHosts(Path file, String strictHostKeyChecking) {
            this.knownHosts = file;
            this.strict = strictHostKeyChecking;
            return this;
        }

        /** One more {@code -o name=value}. */
        Login option(String nameAndValue) {
            options.addAll(List.of("-o", nameAndValue));
            return this;
        }

        Login verbose() {
            this.verbose = true;
            return this;
        }

        public Commands.Result run(String... command) {
            if (knownHosts == null) {
                throw new IllegalStateException("call knownHosts first");
            }
            List<String> cmd = new ArrayList<>(List.of(SshdProcess.SSH.toString(), "-F", "/dev/null"));
            if (verbose) {
                cmd.add("-v");
            }
            cmd.addAll(identity);
            cmd.addAll(options);
            cmd.addAll(List.of("-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                    "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                    "-o", "StrictHostKeyChecking=" + strict, "-o", "ConnectTimeout=5",
                    "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=2"));
            cmd.addAll(List.of("-p", String.valueOf(sshd.port()), user + "@127.0.0.1"));
            cmd.addAll(List.of(command));
            return Commands.run(SSH_TIMEOUT, cmd);
        }
    }

}
