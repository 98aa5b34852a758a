package dev.latchkey.api.seal;

import dev.latchkey.cluster.AesGcm;
import dev.latchkey.cluster.BarrierException;
import dev.latchkey.engine.storage.CorruptRecordException;
import dev.latchkey.engine.storage.JsonValues;

import javax.crypto.SecretKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenBao's {@code seal "static"} auto-unseal (go-kms-wrapping's {@code wrappers/static}): a fixed
 * AES-256 key from the configuration wraps the node's key-encryption key, so a restarted node
 * unseals itself. Configured as OpenBao configures it:
 *
 * <pre>
 * seal "static" {
 *   current_key_id  = "20250606-1"
 *   current_key     = "file:///etc/latchkey/unseal.key"   # or env://VAR, or the key itself
 *   previous_key_id = "20250306-1"                        # optional, while rotating
 *   previous_key    = "file:///etc/latchkey/unseal-old.key"
 * }
 * </pre>
 *
 * A key value is read from a file ({@code file://PATH}, its bytes as they are, no trimming) or the
 * environment ({@code env://NAME}), or taken literally; then, by its length in bytes, it is hex (64),
 * standard base64 (44), unpadded URL-safe base64 (43) or the raw 32 bytes (32). The environment
 * variables {@code BAO_STATIC_SEAL_CURRENT_KEY}, {@code BAO_STATIC_SEAL_CURRENT_KEY_ID},
 * {@code BAO_STATIC_SEAL_PREVIOUS_KEY} and {@code BAO_STATIC_SEAL_PREVIOUS_KEY_ID} override the
 * stanza when set, and their values are keys themselves. Each wrapped value names the ID of the key
 * that wrapped it; the previous key only unwraps. The error texts are OpenBao's.
 */
public final class StaticSeal {
    public static final String TYPE = "static";
    static final String ENV_CURRENT_KEY = "BAO_STATIC_SEAL_CURRENT_KEY";
    static final String ENV_CURRENT_KEY_ID = "BAO_STATIC_SEAL_CURRENT_KEY_ID";
    static final String ENV_PREVIOUS_KEY = "BAO_STATIC_SEAL_PREVIOUS_KEY";
    static final String ENV_PREVIOUS_KEY_ID = "BAO_STATIC_SEAL_PREVIOUS_KEY_ID";

    private record Key(String id, SecretKey key) {
    }

    private final Key current;
    /** Null without a previous key. */
    private final Key previous;

    private StaticSeal(Key current, Key previous) {
        this.current = current;
        this.previous = previous;
    }

    /** A static seal with one key, as the configuration's {@code current_key} would give it. */
    public static StaticSeal of(String currentKeyId, byte[] currentKey32) {
        if (currentKeyId == null || currentKeyId.isEmpty()) {
            throw new IllegalArgumentException("got empty current_key_id; please specify a permanent identifier for this key");
        }
        return new StaticSeal(new Key(currentKeyId, aesKey(currentKey32)), null);
    }

    /**
     * The seal a {@code seal "static"} stanza describes.
     *
     * @param stanza its keys ({@code current_key}, {@code current_key_id}, {@code previous_key},
     *               {@code previous_key_id}) with their string values; others are ignored
     * @param env    the process environment ({@code System.getenv()})
     * @throws IllegalArgumentException with OpenBao's text when the keys cannot be read or used
     */
    public static StaticSeal fromConfig(Map<String, String> stanza, Map<String, String> env) {
        byte[] currentKey = resolve(stanza.getOrDefault("current_key", ""), env);
        byte[] previousKey = resolve(stanza.getOrDefault("previous_key", ""), env);
        String currentId = stanza.getOrDefault("current_key_id", "");
        String previousId = stanza.getOrDefault("previous_key_id", "");
        if (!env.getOrDefault(ENV_CURRENT_KEY, "").isEmpty()) {
            currentKey = utf8(env.get(ENV_CURRENT_KEY));
        }
        if (!env.getOrDefault(ENV_CURRENT_KEY_ID, "").isEmpty()) {
            currentId = env.get(ENV_CURRENT_KEY_ID);
        }
        if (!env.getOrDefault(ENV_PREVIOUS_KEY, "").isEmpty()) {
            previousKey = utf8(env.get(ENV_PREVIOUS_KEY));
        }
        if (!env.getOrDefault(ENV_PREVIOUS_KEY_ID, "").isEmpty()) {
            previousId = env.get(ENV_PREVIOUS_KEY_ID);
        }
        byte[] current = decode(currentKey, "current");
        if (current == null) {
            throw new IllegalArgumentException("missing required current key");
        }
        if (currentId.isEmpty()) {
            throw new IllegalArgumentException("got empty current_key_id; please specify a permanent identifier for this key");
        }
        byte[] prior = decode(previousKey, "previous");
        if (previousId.isEmpty() && prior != null) {
            throw new IllegalArgumentException(
                    "got empty previous_key_id with non-empty previous_key; please specify the matching key identifier");
        }
        if (!previousId.isEmpty() && prior == null) {
            throw new IllegalArgumentException("got non-empty previous_key_id with empty previous_key; please specify "
                    + "the previous key or remove previous_key_id");
        }
        boolean sameMaterial = MessageDigest.isEqual(current, prior == null ? new byte[0] : prior);
        if (sameMaterial && !previousId.equals(currentId)) {
            throw new IllegalArgumentException("current and previous key material match with different key identifiers");
        }
        if (!sameMaterial && previousId.equals(currentId)) {
            throw new IllegalArgumentException("current and previous key material differs with same key identifiers");
        }
        return new StaticSeal(new Key(currentId, aesKey(current)),
                prior == null ? null : new Key(previousId, aesKey(prior)));
    }

    /**
     * go-secure-stdlib's {@code ParsePath} as go-kms-wrapping calls it: a file's bytes as they are
     * (no trimming), an unset variable refused, anything else the value itself. Bytes, as Go holds
     * strings, so that a raw key read from a file keeps every byte.
     */
    private static byte[] resolve(String value, Map<String, String> env) {
        String trimmed = value.strip();
        if (trimmed.startsWith("file://")) {
            Path path = Path.of(trimmed.substring("file://".length()));
            try {
                return Files.readAllBytes(path);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("error reading file at " + trimmed + ": open " + path
                        + ": no such file or directory");
            } catch (IOException e) {
                throw new IllegalArgumentException("error reading file at " + trimmed + ": " + e.getMessage());
            }
        }
        if (trimmed.startsWith("env://")) {
            String name = trimmed.substring("env://".length());
            String v = env.get(name);
            if (v == null) {
                throw new IllegalArgumentException("environment variable " + name + " unset");
            }
            return utf8(v);
        }
        if (trimmed.startsWith("string://")) {
            return utf8(trimmed.substring("string://".length()));
        }
        return utf8(value);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A key by its length in bytes, as the static wrapper decodes it; null when empty. */
    private static byte[] decode(byte[] raw, String which) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        switch (raw.length) {
            case 64:
                for (int i = 0; i < raw.length; i++) {
                    if (Character.digit(raw[i] & 0xff, 16) < 0) {
                        int b = raw[i] & 0xff;
                        throw new IllegalArgumentException("failed to hex decode " + which + " key: encoding/hex: "
                                + "invalid byte: " + String.format("U+%04X", b)
                                + (b >= 0x20 && b < 0x7f ? " '" + (char) b + "'" : ""));
                    }
                }
                return HexFormat.of().parseHex(text);
            case 44:
                try {
                    return GoBase64.decode(raw);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("failed to base64 decode " + which + " key: " + e.getMessage());
                }
            case 43:
                for (int i = 0; i < raw.length; i++) {
                    int b = raw[i] & 0xff;
                    boolean url = Character.isLetterOrDigit(b) && b < 0x80 || b == '-' || b == '_';
                    if (!url) {
                        throw new IllegalArgumentException("failed to base64 decode " + which
                                + " key: illegal base64 data at input byte " + i);
                    }
                }
                return Base64.getUrlDecoder().decode(raw);
            case 32:
                return raw;
            case 0:
                return null;
            default:
                throw new IllegalArgumentException(
                        "unknown encoding for AES-256 key: must be either a raw, hex, or base64-encoded");
        }
    }

    private static SecretKey aesKey(byte[] key) {
        if (key.length != AesGcm.KEY_BYTES) {
            throw new IllegalArgumentException("failed to create cipher: crypto/aes: invalid key size " + key.length);
        }
        return AesGcm.key(key);
    }

    /** The ID of the key new values are wrapped with. */
    public String currentKeyId() {
        return current.id();
    }

    /** {@code plaintext} wrapped with the current key for {@code path}: JSON naming the key's ID. */
    byte[] wrap(String path, byte[] plaintext) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key_id", current.id());
        out.put("ciphertext", Base64.getEncoder().encodeToString(AesGcm.seal(current.key(), 1, path, plaintext)));
        return JsonValues.encode(out);
    }

    /** Whether a value {@link #wrap} made was wrapped with a key other than the current one. */
    boolean wrappedWithOlderKey(byte[] wrapped) {
        return !current.id().equals(JsonValues.decode(wrapped).get("key_id"));
    }

    /**
     * Unwraps a value {@link #wrap} made, with the key its ID names.
     *
     * @throws IllegalStateException when the ID is neither key's, or the key does not open it
     */
    byte[] unwrap(String path, byte[] wrapped) {
        Map<String, Object> in;
        try {
            in = JsonValues.decode(wrapped);
        } catch (CorruptRecordException e) {
            throw new IllegalStateException("the value the static seal wrapped at " + path + " is malformed");
        }
        Object id = in.get("key_id");
        Key key = current.id().equals(id) ? current : previous != null && previous.id().equals(id) ? previous : null;
        if (key == null) {
            throw new IllegalStateException("unknown key id for data: `" + id + "`");
        }
        try {
            return AesGcm.open(key.key(), path, Base64.getDecoder().decode((String) in.get("ciphertext")));
        } catch (BarrierException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("failed to open ciphertext: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "StaticSeal[current_key_id=" + current.id() + (previous == null ? "" : ", previous_key_id=" + previous.id()) + "]";
    }
}
