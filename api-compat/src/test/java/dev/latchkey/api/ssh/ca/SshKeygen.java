package dev.latchkey.api.ssh.ca;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The independent oracle of the CA tests: the real OpenSSH {@code ssh-keygen} (9.2), run with
 * {@code TZ=UTC}. It makes the keys clients would use, and {@code ssh-keygen -L} both verifies a
 * certificate's CA signature (it refuses to print a certificate whose signature is wrong) and
 * shows its fields.
 */
final class SshKeygen {
    static final String BINARY = "/usr/bin/ssh-keygen";
    private static final AtomicInteger FILES = new AtomicInteger();
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("latchkey-ssh-ca-");
            Runtime.getRuntime().addShutdownHook(new Thread(SshKeygen::deleteDir));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SshKeygen() {
    }

    private static void deleteDir() {
        try (var files = Files.walk(DIR)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // best effort: it is a temporary directory
        }
    }

    /** A key pair made by ssh-keygen: the files, the public line as written, and its fingerprint. */
    record KeyPair(Path privateKeyFile, Path publicKeyFile, String privateKeyText, String publicKeyText,
                   Fingerprint fingerprint) {
        /** {@code "<type> <base64>"}: the public file without comment and newline. */
        String line() {
            String[] t = publicKeyText.strip().split(" ");
            return t[0] + " " + t[1];
        }

        String type() {
            return publicKeyText.split(" ")[0];
        }

        String base64() {
            return publicKeyText.split(" ")[1].strip();
        }

        /** Vault's {@code {{public_key_hash}}}: hex SHA-256 of the key blob. */
        String blobSha256Hex() {
            return sha256Hex(Base64.getDecoder().decode(base64()));
        }
    }

    /** {@code ssh-keygen -l}: {@code <bits> SHA256:<b64> <comment> (<LABEL>)}. */
    record Fingerprint(int bits, String sha256, String label) {
    }

    /**
     * {@code ssh-keygen -t type [-b bits] [-m format]} with an empty passphrase.
     *
     * @param bits   0 for ssh-keygen's default
     * @param format null for OpenSSH's own format, else {@code PEM} or {@code PKCS8}
     */
    static KeyPair generate(String type, int bits, String format) {
        return generate(type, bits, format, "");
    }

    static KeyPair generate(String type, int bits, String format, String passphrase) {
        Path key = DIR.resolve("key-" + FILES.incrementAndGet());
        List<String> args = new ArrayList<>(List.of(BINARY, "-q", "-t", type, "-N", passphrase,
                "-C", "latchkey-test@" + type, "-f", key.toString()));
        if (bits > 0) {
            args.addAll(List.of("-b", Integer.toString(bits)));
        }
        if (format != null) {
            args.addAll(List.of("-m", format));
        }
        run(args);
        try {
            Path pub = Path.of(key + ".pub");
            String pubText = Files.readString(pub);
            return new KeyPair(key, pub, Files.readString(key), pubText, fingerprintOfFile(pub));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code ssh-keygen -lf} of a public key (or certificate) line. */
    static Fingerprint fingerprint(String keyLine) {
        return fingerprintOfFile(write("pub", keyLine.endsWith("\n") ? keyLine : keyLine + "\n"));
    }

    private static Fingerprint fingerprintOfFile(Path file) {
        String out = run(List.of(BINARY, "-l", "-E", "sha256", "-f", file.toString())).strip();
        Matcher m = Pattern.compile("^(\\d+) (SHA256:\\S+) .*\\((\\S+)\\)$").matcher(out);
        if (!m.matches()) {
            throw new AssertionError("unexpected ssh-keygen -l output: " + out);
        }
        return new Fingerprint(Integer.parseInt(m.group(1)), m.group(2), m.group(3));
    }

    /** {@code ssh-keygen -y -f} of a private key written with mode 0600: the public key line. */
    static String publicKeyOf(String privateKeyPem) {
        Path file = write("priv", privateKeyPem);
        return run(List.of(BINARY, "-y", "-f", file.toString())).strip();
    }

    /** A certificate as {@code ssh-keygen -L} shows it (times in UTC). */
    record CertInfo(String type, String publicKeyLabel, String publicKeyFingerprint, String caLabel,
                    String caFingerprint, String caAlgorithm, String keyId, String serial, String valid,
                    Instant validFrom, Instant validTo, List<String> principals, List<String> criticalOptions,
                    List<String> extensions, String raw) {
    }

    /** Runs {@code ssh-keygen -L} on a certificate line; fails if ssh-keygen refuses it. */
    static CertInfo inspect(String certLine) {
        Path file = write("cert.pub", certLine);
        String out = run(List.of(BINARY, "-L", "-f", file.toString()));
        String type = null;
        String pkLabel = null;
        String pkFp = null;
        String caLabel = null;
        String caFp = null;
        String caAlg = null;
        String keyId = null;
        String serial = null;
        String valid = null;
        List<String> principals = null;
        List<String> critical = null;
        List<String> extensions = null;
        List<String> current = null;
        String[] lines = out.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("                ")) {
                if (current == null) {
                    throw new AssertionError("list item outside a section in:\n" + out);
                }
                current.add(line.strip());
                continue;
            }
            String s = line.strip();
            int colon = s.indexOf(':');
            String name = s.substring(0, colon);
            String value = s.substring(colon + 1).strip();
            current = null;
            switch (name) {
                case "Type" -> type = value;
                case "Public key" -> {
                    String[] t = value.split(" ");
                    pkLabel = t[0];
                    pkFp = t[1];
                }
                case "Signing CA" -> {
                    Matcher m = Pattern.compile("^(\\S+) (SHA256:\\S+) \\(using (\\S+)\\)$").matcher(value);
                    if (!m.matches()) {
                        throw new AssertionError("unexpected Signing CA line: " + value);
                    }
                    caLabel = m.group(1);
                    caFp = m.group(2);
                    caAlg = m.group(3);
                }
                case "Key ID" -> keyId = value.substring(1, value.length() - 1);
                case "Serial" -> serial = value;
                case "Valid" -> valid = value;
                case "Principals" -> principals = current = section(value);
                case "Critical Options" -> critical = current = section(value);
                case "Extensions" -> extensions = current = section(value);
                default -> throw new AssertionError("unexpected ssh-keygen -L line: " + line);
            }
        }
        Instant from = null;
        Instant to = null;
        Matcher m = Pattern.compile("^from (\\S+) to (\\S+)$").matcher(valid == null ? "" : valid);
        if (m.matches()) {
            from = LocalDateTime.parse(m.group(1)).toInstant(ZoneOffset.UTC);
            to = LocalDateTime.parse(m.group(2)).toInstant(ZoneOffset.UTC);
        }
        return new CertInfo(type, pkLabel, pkFp, caLabel, caFp, caAlg, keyId, serial, valid, from, to, principals,
                critical, extensions, out);
    }

    private static List<String> section(String value) {
        List<String> items = new ArrayList<>();
        if (!value.isEmpty() && !value.equals("(none)")) {
            throw new AssertionError("unexpected section header value: " + value);
        }
        return items;
    }

    /** How ssh-keygen -L shows a certificate option it does not know, with value {@code v}: the wrapped string. */
    static String unknownOption(String name, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        String hex = String.format("%08x", v.length) + HexFormat.of().formatHex(v);
        return name + " UNKNOWN OPTION: " + hex + " (len " + (v.length + 4) + ")";
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Writes text to a fresh 0600 file in the test directory. */
    static Path write(String suffix, String text) {
        Path file = DIR.resolve("f-" + FILES.incrementAndGet() + "-" + suffix);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return file;
    }

    /** Runs a command with TZ=UTC; fails with its output unless it exits 0. */
    static String run(List<String> command) {
        try {
            Path err = DIR.resolve("stderr-" + FILES.incrementAndGet());
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("TZ", "UTC");
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            String stderr = Files.readString(err);
            Files.deleteIfExists(err);
            String stdout = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError(command + " exited " + p.exitValue() + ": " + stdout + stderr);
            }
            return stdout;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The {@code ssh-keygen -L} / {@code -l} label of a public key type. */
    static String label(String sshType) {
        if (sshType.startsWith("ssh-rsa")) {
            return "RSA";
        }
        if (sshType.startsWith("ecdsa-")) {
            return "ECDSA";
        }
        if (sshType.startsWith("ssh-ed25519")) {
            return "ED25519";
        }
        if (sshType.startsWith("ssh-dss")) {
            return "DSA";
        }
        throw new AssertionError("no label for " + sshType);
    }
}
