package dev.latchkey.testing;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The independent oracle of the key and certificate tests: the real OpenSSH {@code ssh-keygen},
 * always run with {@code TZ=UTC} so that the times it prints are UTC. It makes the keys clients
 * would use, and {@code ssh-keygen -L} both verifies a certificate's CA signature (it refuses to
 * print a certificate whose signature is wrong) and shows its fields ({@link KeygenListing}).
 */
public final class SshKeygen {
    public static final Path BINARY = Path.of("/usr/bin/ssh-keygen");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern FINGERPRINT = Pattern.compile("^(\\d+) (SHA256:\\S+) .*\\((\\S+)\\)$");

    private SshKeygen() {
    }

    /** {@code ssh-keygen args…}; the caller decides whether a non-zero exit is a failure. */
    public static Commands.Result run(String... args) {
        return runWithInput(Path.of("/dev/null"), args);
    }

    /** As {@link #run}, with standard input read from a file. */
    public static Commands.Result runWithInput(Path stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        return Commands.run(TIMEOUT, Map.of("TZ", "UTC"), stdin, command);
    }

    /** A key pair made by ssh-keygen, as its two files. */
    public record KeyPair(Path privateKeyFile, Path publicKeyFile) {
        public String privateKeyText() {
            return TestFiles.read(privateKeyFile);
        }

        /** The public key file as written: {@code <type> <base64> <comment>} and a newline. */
        public String publicKeyText() {
            return TestFiles.read(publicKeyFile);
        }

        /** {@code "<type> <base64>"}: the public file without comment and newline. */
        public String line() {
            return type() + " " + base64();
        }

        public String type() {
            return publicKeyText().split(" ")[0];
        }

        public String base64() {
            return publicKeyText().split(" ")[1].strip();
        }

        /** Vault's {@code {{public_key_hash}}}: hex SHA-256 of the key blob. */
        public String blobSha256Hex() {
            return sha256Hex(Base64.getDecoder().decode(base64()));
        }

        public Fingerprint fingerprint() {
            return SshKeygen.fingerprint(publicKeyFile);
        }

        /** The certificate type OpenSSH names for this key: its key type + {@code -cert-v01@openssh.com}. */
        public String certificateType() {
            return type() + "-cert-v01@openssh.com";
        }

        /**
         * 16-character pieces of the private key file's base64 that encode more than public
         * material, to look for in answers that must not carry the private key. PEM and OpenSSH
         * containers embed the public key too (which answers legitimately show), so pieces whose 12
         * bytes lie inside the length-prefixed public key blob, or run on into the zero bytes that
         * start the next short length, are left out (certificates embed a CA key that way too).
         */
        public List<String> privateOnlyPieces() {
            byte[] blob = Base64.getDecoder().decode(base64());
            // As a length-prefixed string, followed by the three zero bytes that start a length under 256.
            byte[] prefixed = ByteBuffer.allocate(7 + blob.length).putInt(blob.length).put(blob).array();
            StringBuilder joined = new StringBuilder();
            for (String line : privateKeyText().split("\n")) {
                if (!line.startsWith("-----") && !line.contains(":")) {
                    joined.append(line.strip());
                }
            }
            String b64 = joined.toString();
            byte[] file = Base64.getDecoder().decode(b64);
            List<String> pieces = new ArrayList<>();
            for (int i = 0; i + 16 <= b64.length(); i += 4) {
                String piece = b64.substring(i, i + 16);
                int at = i / 4 * 3;
                if (!piece.contains("=") && at + 12 <= file.length
                        && indexOf(prefixed, Arrays.copyOfRange(file, at, at + 12)) < 0) {
                    pieces.add(piece);
                }
            }
            if (pieces.size() <= 4) {
                throw new AssertionError("the key file has too few private pieces to look for: " + privateKeyFile);
            }
            return pieces;
        }

        /** Where {@code ssh-keygen -s} writes the certificate of this key. */
        public Path certificateFile() {
            String pub = publicKeyFile.getFileName().toString();
            return publicKeyFile.resolveSibling(pub.substring(0, pub.length() - ".pub".length()) + "-cert.pub");
        }
    }

    /** {@code ssh-keygen -l}: {@code <bits> SHA256:<b64> <comment> (<LABEL>)}. */
    public record Fingerprint(int bits, String sha256, String label) {
    }

    /**
     * {@code ssh-keygen -q -t type [-b bits] -N '' -C name [options] -f dir/name}, creating {@code dir} if need be.
     *
     * @param bits    0 for ssh-keygen's default
     * @param options more flags, e.g. {@code "-m", "PEM"}; a {@code -N} among them replaces the empty passphrase
     */
    public static KeyPair generate(Path dir, String name, String type, int bits, String... options) {
        Path key = TestFiles.createDirectories(dir).resolve(name);
        List<String> args = new ArrayList<>(List.of("-q", "-t", type, "-C", name));
        if (!List.of(options).contains("-N")) {
            args.addAll(List.of("-N", ""));
        }
        if (bits > 0) {
            args.addAll(List.of("-b", Integer.toString(bits)));
        }
        args.addAll(List.of(options));
        args.addAll(List.of("-f", key.toString()));
        run(args.toArray(String[]::new)).ok();
        return new KeyPair(key, key.resolveSibling(name + ".pub"));
    }

    /** As {@link #generate(Path, String, String, int, String...)}, in the JVM's scratch directory. */
    public static KeyPair generate(String type, int bits, String... options) {
        Path file = TestFiles.fresh(type);
        return generate(file.getParent(), file.getFileName().toString(), type, bits, options);
    }

    /** {@code ssh-keygen -l -E sha256 -f} of a public key or certificate file. */
    public static Fingerprint fingerprint(Path file) {
        String out = run("-l", "-E", "sha256", "-f", file.toString()).ok().stdout().strip();
        Matcher m = FINGERPRINT.matcher(out);
        if (!m.matches()) {
            throw new AssertionError("unexpected ssh-keygen -l output: " + out);
        }
        return new Fingerprint(Integer.parseInt(m.group(1)), m.group(2), m.group(3));
    }

    /** {@code ssh-keygen -l} of a public key (or certificate) line. */
    public static Fingerprint fingerprint(String keyLine) {
        return fingerprint(TestFiles.write(TestFiles.fresh("pub"), keyLine.endsWith("\n") ? keyLine : keyLine + "\n"));
    }

    /** {@code ssh-keygen -y -f} of a private key (written with mode 0600): the public key line. */
    public static String publicKeyOf(String privateKeyPem) {
        Path file = TestFiles.writePrivate(TestFiles.fresh("priv"), privateKeyPem);
        return run("-y", "-f", file.toString()).ok().stdout().strip();
    }

    /** {@code ssh-keygen -L} of a certificate line; fails if ssh-keygen refuses it. */
    public static KeygenListing inspect(String certificateLine) {
        return inspect(TestFiles.write(TestFiles.fresh("cert.pub"), certificateLine));
    }

    /** {@code ssh-keygen -L} of a certificate file; fails if ssh-keygen refuses it. */
    public static KeygenListing inspect(Path certificateFile) {
        return KeygenListing.parse(run("-L", "-f", certificateFile.toString()).ok().stdout());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** Lowercase hex SHA-256: how Vault's {@code {{public_key_hash}}} shows a key blob. */
    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
