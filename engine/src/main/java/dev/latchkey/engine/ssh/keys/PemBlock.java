package dev.latchkey.engine.ssh.keys;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One RFC 7468 PEM block. Decoding follows Go's {@code pem.Decode} in spirit: text before the
 * first BEGIN line is ignored, RFC 1421 headers ({@code Proc-Type: ...}) are kept so that
 * legacy encrypted keys can be recognised, and the END line must name the same type.
 */
record PemBlock(String type, List<String> headers, byte[] bytes) {
    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";
    private static final int LINE = 64;

    static PemBlock decode(String text) {
        String[] lines = text.split("\r?\n", -1);
        int i = 0;
        while (i < lines.length && !isMarker(lines[i].strip(), BEGIN)) {
            i++;
        }
        if (i == lines.length) {
            throw new SshKeyException("no PEM block found");
        }
        String type = markerType(lines[i].strip(), BEGIN);
        List<String> headers = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (i++; i < lines.length; i++) {
            String line = lines[i].strip();
            if (isMarker(line, END)) {
                if (!markerType(line, END).equals(type)) {
                    throw new SshKeyException("PEM END line does not match its BEGIN line");
                }
                return new PemBlock(type, headers, SshBase64.decode(body.toString(), "PEM block"));
            }
            if (body.length() == 0 && line.indexOf(':') > 0) {
                headers.add(line);
            } else {
                body.append(line);
            }
        }
        throw new SshKeyException("PEM block has no END line");
    }

    /** RFC 1421 encryption, as {@code ssh-keygen -m PEM -N ...} writes it. */
    boolean legacyEncrypted() {
        return headers.stream().anyMatch(h -> h.startsWith("Proc-Type:") && h.contains("ENCRYPTED"));
    }

    /** Base64 in 64-character lines with a trailing newline, as Go's {@code pem.Encode}. */
    static String encode(String type, byte[] bytes) {
        String b64 = Base64.getEncoder().encodeToString(bytes);
        StringBuilder out = new StringBuilder(b64.length() + b64.length() / LINE + 80);
        out.append(BEGIN).append(type).append(DASHES).append('\n');
        for (int i = 0; i < b64.length(); i += LINE) {
            out.append(b64, i, Math.min(b64.length(), i + LINE)).append('\n');
        }
        return out.append(END).append(type).append(DASHES).append('\n').toString();
    }

    private static boolean isMarker(String line, String prefix) {
        return line.startsWith(prefix) && line.endsWith(DASHES) && line.length() >= prefix.length() + DASHES.length();
    }

    private static String markerType(String line, String prefix) {
        return line.substring(prefix.length(), line.length() - DASHES.length());
    }
}
