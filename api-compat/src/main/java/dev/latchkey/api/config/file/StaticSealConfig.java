package dev.latchkey.api.config.file;

/**
 * OpenBao's {@code seal "static" {}}: the barrier's key wrapped by a fixed 32-byte AES key from the
 * configuration, so the server unseals itself. Vault has no such seal; OpenBao's option names are
 * kept. A key is written as the key itself (hex or base64), {@code env://NAME} or
 * {@code file:///path}; it is kept here as written and resolved by the seal, so that this record
 * never holds key bytes read from elsewhere and its text never shows an inline key.
 *
 * @param currentKeyId  {@code current_key_id}
 * @param currentKey    {@code current_key}
 * @param previousKeyId {@code previous_key_id}, null when absent (it names the key being rotated out)
 * @param previousKey   {@code previous_key}, null when absent
 */
public record StaticSealConfig(String currentKeyId, String currentKey, String previousKeyId, String previousKey) {
    @Override
    public String toString() {
        return "StaticSealConfig[currentKeyId=" + currentKeyId + ", currentKey=" + shown(currentKey)
                + ", previousKeyId=" + previousKeyId + ", previousKey=" + shown(previousKey)
                + "]";
    }

    private static String shown(String key) {
        if (key == null || key.startsWith("env://") || key.startsWith("file://")) {
            return key;
        }
        return "<redacted>";
    }
}
