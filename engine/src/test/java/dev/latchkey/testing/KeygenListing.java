package dev.latchkey.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A certificate as {@code ssh-keygen -L} (OpenSSH's own parser) shows it, run with {@code TZ=UTC}.
 * The parser is strict: a line it does not know fails the test, so a new OpenSSH that prints more
 * is noticed rather than half read.
 *
 * @param type                 e.g. {@code ssh-ed25519-cert-v01@openssh.com user certificate}
 * @param publicKeyLabel       e.g. {@code ED25519-CERT}
 * @param publicKeyFingerprint {@code SHA256:…} of the certified key
 * @param caLabel              e.g. {@code RSA}
 * @param caFingerprint        {@code SHA256:…} of the CA key
 * @param caAlgorithm          the signature algorithm, e.g. {@code rsa-sha2-256}
 * @param keyId                without its quotes
 * @param serial               unsigned decimal
 * @param valid                as printed: {@code forever}, {@code after …}, {@code before …} or {@code from … to …}
 * @param validFrom            the start of a {@code from … to …} validity, else null
 * @param validTo              the end of a {@code from … to …} validity, else null
 * @param principals           empty for {@code (none)}
 * @param criticalOptions      {@code name value} per option, empty for {@code (none)}
 * @param extensions           one name (with its value if any) per extension, empty for {@code (none)}
 * @param raw                  the whole output
 */
public record KeygenListing(String type, String publicKeyLabel, String publicKeyFingerprint, String caLabel,
                            String caFingerprint, String caAlgorithm, String keyId, String serial, String valid,
                            Instant validFrom, Instant validTo, List<String> principals, List<String> criticalOptions,
                            List<String> extensions, String raw) {
    /** List items are indented further than the field names. */
    private static final String ITEM_INDENT = "                ";
    private static final Pattern SIGNING_CA = Pattern.compile("^(\\S+) (SHA256:\\S+) \\(using (\\S+)\\)$");
    private static final Pattern FROM_TO = Pattern.compile("^from (\\S+) to (\\S+)$");

    /** Parses the output of {@code ssh-keygen -L -f file}. */
    public static KeygenListing parse(String out) {
        Fields f = new Fields();
        List<String> current = null;
        List<String> lines = out.lines().toList();
        for (String line : lines.subList(1, lines.size())) { // the first line names the file
            if (line.startsWith(ITEM_INDENT)) {
                if (current == null) {
                    throw new AssertionError("list item outside a section in:\n" + out);
                }
                current.add(line.strip());
                continue;
            }
            String s = line.strip();
            int colon = s.indexOf(':');
            if (colon < 0) {
                throw new AssertionError("unexpected ssh-keygen -L line: " + line);
            }
            String value = s.substring(colon + 1).strip();
            current = null;
            switch (s.substring(0, colon)) {
                case "Type" -> f.type = value;
                case "Public key" -> {
                    String[] t = value.split(" ");
                    f.publicKeyLabel = t[0];
                    f.publicKeyFingerprint = t[1];
                }
                case "Signing CA" -> {
                    Matcher m = SIGNING_CA.matcher(value);
                    if (!m.matches()) {
                        throw new AssertionError("unexpected Signing CA line: " + value);
                    }
                    f.caLabel = m.group(1);
                    f.caFingerprint = m.group(2);
                    f.caAlgorithm = m.group(3);
                }
                case "Key ID" -> f.keyId = value.substring(1, value.length() - 1);
                case "Serial" -> f.serial = value;
                case "Valid" -> f.valid = value;
                case "Principals" -> f.principals = current = section(value);
                case "Critical Options" -> f.critical = current = section(value);
                case "Extensions" -> f.extensions = current = section(value);
                default -> throw new AssertionError("unexpected ssh-keygen -L line: " + line);
            }
        }
        Instant from = null;
        Instant to = null;
        Matcher m = FROM_TO.matcher(f.valid == null ? "" : f.valid);
        if (m.matches()) {
            from = LocalDateTime.parse(m.group(1)).toInstant(ZoneOffset.UTC);
            to = LocalDateTime.parse(m.group(2)).toInstant(ZoneOffset.UTC);
        }
        return new KeygenListing(f.type, f.publicKeyLabel, f.publicKeyFingerprint, f.caLabel, f.caFingerprint,
                f.caAlgorithm, f.keyId, f.serial, f.valid, from, to, f.principals, f.critical, f.extensions, out);
    }

    /** The output after the file name line, each line stripped of its indentation. */
    public List<String> lines() {
        return raw.lines().skip(1).map(String::strip).toList();
    }

    /** How {@code ssh-keygen -L} shows a certificate option it does not know, with value {@code v}: the wrapped string. */
    public static String unknownOption(String name, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        String hex = String.format("%08x", v.length) + HexFormat.of().formatHex(v);
        return name + " UNKNOWN OPTION: " + hex + " (len " + (v.length + 4) + ")";
    }

    /** The label {@code ssh-keygen -L} and {@code -l} print for a public key type. */
    public static String label(String sshType) {
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

    private static List<String> section(String value) {
        if (!value.isEmpty() && !value.equals("(none)")) {
            throw new AssertionError("unexpected section header value: " + value);
        }
        return new ArrayList<>();
    }

    /** The fields while they are read. */
    private static final class Fields {
        String type;
        String publicKeyLabel;
        String publicKeyFingerprint;
        String caLabel;
        String caFingerprint;
        String caAlgorithm;
        String keyId;
        String serial;
        String valid;
        List<String> principals;
        List<String> critical;
        List<String> extensions;
    }
}
