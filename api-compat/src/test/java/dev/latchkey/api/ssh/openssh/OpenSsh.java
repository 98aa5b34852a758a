package dev.latchkey.api.ssh.openssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The OpenSSH client tools as the tests use them: ssh-keygen for keys and certificate dumps, ssh for logins. */
final class OpenSsh {
    static final Duration SSH_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration KEYGEN_TIMEOUT = Duration.ofSeconds(30);

    private OpenSsh() {
    }

    /** The OS account the tests log in as (sshd runs as this user too). */
    static String user() {
        return System.getProperty("user.name");
    }

    /**
     * Generates a key pair without passphrase: {@code type} is {@code ed25519}, {@code rsa} (3072 bits)
     * or {@code ecdsa} (P-256). Returns the private key path; the public key is that path + ".pub".
     */
    static Path keygen(Path dir, String name, String type) {
        Path key = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(SshdProcess.SSH_KEYGEN.toString(), "-q", "-t", type, "-N", "",
                "-C", name, "-f", key.toString()));
        if (type.equals("ecdsa")) {
            cmd.addAll(List.of("-b", "256"));
        }
        Commands.succeeded(Commands.run(KEYGEN_TIMEOUT, cmd));
        return key;
    }

    static Path pub(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** Writes a secret file with mode 600, as ssh insists for private keys. */
    static Path writePrivate(Path file, String text) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new AssertionError("cannot write " + file, e);
        }
    }

    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new AssertionError("cannot write " + file, e);
        }
    }

    /** {@code ssh-keygen -l} of a key or certificate file. */
    record Fingerprint(int bits, String sha256, String type) {
    }

    static Fingerprint fingerprint(Path keyFile) {
        String line = Commands.succeeded(Commands.run(KEYGEN_TIMEOUT, SshdProcess.SSH_KEYGEN.toString(), "-l", "-f",
                keyFile.toString())).stdout().trim();
        Matcher m = Pattern.compile("^(\\d+) (SHA256:\\S+) .*\\(([A-Z0-9-]+)\\)$").matcher(line);
        if (!m.matches()) {
            throw new AssertionError("unexpected ssh-keygen -l output: " + line);
        }
        return new Fingerprint(Integer.parseInt(m.group(1)), m.group(2), m.group(3));
    }

    /** The lowercase hex SHA-256 of a public key's wire encoding: Latchkey's {@code {{public_key_hash}}} (§3.10.5). */
    static String publicKeyHash(Path publicKeyFile) {
        String blob = read(publicKeyFile).trim().split(" ")[1];
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(blob)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The certificate algorithm for a public key file: its key type + {@code -cert-v01@openssh.com}. */
    static String certificateAlgorithm(Path publicKeyFile) {
        return read(publicKeyFile).trim().split(" ")[0] + "-cert-v01@openssh.com";
    }

    /** A certificate as {@code ssh-keygen -L} (OpenSSH's own parser) shows it. */
    record Certificate(String type, String signingCa, String keyId, String serial, Instant validFrom, Instant validTo,
                       List<String> principals, List<String> criticalOptions, List<String> extensions) {
    }

    static Certificate certificate(Path certFile) {
        String text = Commands.succeeded(Commands.run(KEYGEN_TIMEOUT, Map.of("TZ", "UTC"),
                List.of(SshdProcess.SSH_KEYGEN.toString(), "-L", "-f", certFile.toString()))).stdout();
        String type = null;
        String ca = null;
        String keyId = null;
        String serial = null;
        Instant from = null;
        Instant to = null;
        List<String> principals = new ArrayList<>();
        List<String> critical = new ArrayList<>();
        List<String> extensions = new ArrayList<>();
        List<String> section = null;
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (raw.startsWith("                ") && section != null) {
                section.add(line);
                continue;
            }
            section = null;
            if (line.startsWith("Type: ")) {
                type = line.substring(6);
            } else if (line.startsWith("Signing CA: ")) {
                ca = line.substring(12);
            } else if (line.startsWith("Key ID: ")) {
                keyId = line.substring(8).replaceAll("^\"|\"$", "");
            } else if (line.startsWith("Serial: ")) {
                serial = line.substring(8);
            } else if (line.startsWith("Valid: from ")) {
                String[] parts = line.substring(12).split(" to ");
                from = LocalDateTime.parse(parts[0]).toInstant(ZoneOffset.UTC);
                to = LocalDateTime.parse(parts[1]).toInstant(ZoneOffset.UTC);
            } else if (line.startsWith("Principals:")) {
                section = principals;
            } else if (line.startsWith("Critical Options:")) {
                section = critical;
            } else if (line.startsWith("Extensions:")) {
                section = extensions;
            }
        }
        return new Certificate(type, ca, keyId, serial, from, to, principals, critical, extensions);
    }

    /** An ssh login attempt to a {@link SshdProcess}; every option is explicit (no user or system config). */
    static final class Login {
        private final SshdProcess sshd;
        private final List<String> identity = new ArrayList<>();
        private String user = OpenSsh.user();
        private Path knownHosts;
        private String strict = "no";
        private boolean verbose;

        private Login(SshdProcess sshd) {
            this.sshd = sshd;
        }

        static Login to(SshdProcess sshd) {
            return new Login(sshd);
        }

        /** Log in as this account instead of the one the tests run as. */
        Login as(String account) {
            this.user = account;
            return this;
        }

        /** {@code -i key -o CertificateFile=cert}. */
        Login keyAndCertificate(Path key, Path certificate) {
            identity.addAll(List.of("-i", key.toString(), "-o", "CertificateFile=" + certificate));
            return this;
        }

        /** A raw {@code -i} (the {@code vault ssh} CLI passes its certificate file this way too). */
        Login identityFile(Path file) {
            identity.addAll(List.of("-i", file.toString()));
            return this;
        }

        Login knownHosts(Path file, String strictHostKeyChecking) {
            this.knownHosts = file;
            this.strict = strictHostKeyChecking;
            return this;
        }

        Login verbose() {
            this.verbose = true;
            return this;
        }

        Commands.Result run(String... command) {
            if (knownHosts == null) {
                throw new IllegalStateException("call knownHosts first");
            }
            List<String> cmd = new ArrayList<>(List.of(SshdProcess.SSH.toString(), "-F", "/dev/null"));
            if (verbose) {
                cmd.add("-v");
            }
            cmd.addAll(identity);
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
