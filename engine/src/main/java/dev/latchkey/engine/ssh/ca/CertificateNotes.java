package dev.latchkey.engine.ssh.ca;

import dev.latchkey.engine.framework.EngineException;

import java.nio.charset.StandardCharsets;

/**
 * The two notes a caller may attach to a certificate, at {@code sign} or {@code issue} and later
 * in the inventory, with the limits of ngrok's certificate records.
 */
public final class CertificateNotes {
    /** The longest {@code description}, in characters. */
    public static final int MAX_DESCRIPTION = 255;
    /** The longest {@code metadata}, in UTF-8 bytes. */
    public static final int MAX_METADATA_BYTES = 4096;

    private CertificateNotes() {
    }

    public static String description(String text) {
        int length = text.codePointCount(0, text.length());
        if (length > MAX_DESCRIPTION) {
            throw EngineException.user("description is " + length + " characters, longer than the " + MAX_DESCRIPTION
                    + " allowed");
        }
        return text;
    }

    public static String metadata(String text) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_METADATA_BYTES) {
            throw EngineException.user("metadata is " + bytes + " bytes, longer than the " + MAX_METADATA_BYTES + " allowed");
        }
        return text;
    }
}
