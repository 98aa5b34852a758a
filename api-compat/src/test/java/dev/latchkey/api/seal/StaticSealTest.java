package dev.latchkey.api.seal;

import dev.latchkey.engine.random.Randomness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The static seal's configuration, read as OpenBao's static wrapper reads it, and its wrapping. */
class StaticSealTest {
    private static final byte[] KEY = HexFormat.of().parseHex("542a91c2aff86797e8dfa16adf86dcbea5706410791b319798936a1b08e4ef8b");

    @TempDir
    Path dir;

    /** Every encoding the wrapper takes gives the same key: the value one wraps, another unwraps. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(textBlock = """
            hex literal
            base64 literal
            raw url base64 literal
            raw file
            hex file
            base64 file
            env
            env override
            """)
    void everyEncodingOfOneKeyIsTheSameKey(String how) throws Exception {
        String hex = HexFormat.of().formatHex(KEY);
        String b64 = Base64.getEncoder().encodeToString(KEY);
        Map<String, String> stanza = new HashMap<>(Map.of("current_key_id", "k1"));
        Map<String, String> env = new HashMap<>();
        switch (how) {
            case "hex literal" -> stanza.put("current_key", hex);
            case "base64 literal" -> stanza.put("current_key", b64);
            case "raw url base64 literal" -> stanza.put("current_key", Base64.getUrlEncoder().withoutPadding().encodeToString(KEY));
            case "raw file" -> stanza.put("current_key", "file://" + Files.write(dir.resolve("raw"), KEY));
            case "hex file" -> stanza.put("current_key", "file://" + Files.writeString(dir.resolve("hex"), hex));
            case "base64 file" -> stanza.put("current_key", "file://" + Files.writeString(dir.resolve("b64"), b64));
            case "env" -> {
                stanza.put("current_key", "env://UNSEAL_KEY");
                env.put("UNSEAL_KEY", hex);
            }
            default -> {
                stanza.put("current_key", "this is overridden");
                env.put("BAO_STATIC_SEAL_CURRENT_KEY", b64);
            }
        }
        StaticSeal seal = StaticSeal.fromConfig(stanza, env);
        StaticSeal reference = StaticSeal.of("k1", KEY);
        byte[] wrapped = seal.wrap("core/hsm/kek", "kek".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("kek".getBytes(StandardCharsets.UTF_8), reference.unwrap("core/hsm/kek", wrapped));
        assertFalse(new String(wrapped, StandardCharsets.UTF_8).contains("kek\""), "wrapped, not in clear");
        assertTrue(new String(wrapped, StandardCharsets.UTF_8).contains("\"key_id\":\"k1\""));
    }

    /** OpenBao's refusals, in its order. */
    @ParameterizedTest(name = "[{index}] {2}")
    @CsvSource(delimiter = '|', textBlock = """
            k1  | <none>                 | missing required current key
            ''  | <key>                  | got empty current_key_id; please specify a permanent identifier for this key
            k1  | short                  | unknown encoding for AES-256 key: must be either a raw, hex, or base64-encoded
            k1  | <key-with-newline>     | unknown encoding for AES-256 key: must be either a raw, hex, or base64-encoded
            k1  | <hex-g>                | failed to hex decode current key: encoding/hex: invalid byte: U+0067 'g'
            k1  | <b64-bad>              | failed to base64 decode current key: illegal base64 data at input byte 0
            k1  | <b64-33>               | failed to create cipher: crypto/aes: invalid key size 33
            k1  | file:///no/such/file   | error reading file at file:///no/such/file: open /no/such/file: no such file or directory
            k1  | env://NOT_SET_ANYWHERE | environment variable NOT_SET_ANYWHERE unset
            """)
    void badConfigurationsAreRefusedWithOpenBaosTexts(String id, String key, String error) throws Exception {
        Map<String, String> stanza = new HashMap<>(Map.of("current_key_id", id));
        String hex = HexFormat.of().formatHex(KEY);
        switch (key) {
            case "<none>" -> { }
            case "<key>" -> stanza.put("current_key", hex);
            case "<key-with-newline>" -> stanza.put("current_key", "file://" + Files.writeString(dir.resolve("nl"), hex + "\n"));
            case "<hex-g>" -> stanza.put("current_key", "g" + hex.substring(1));
            case "<b64-bad>" -> stanza.put("current_key", "!" + Base64.getEncoder().encodeToString(KEY).substring(1));
            case "<b64-33>" -> stanza.put("current_key", Base64.getEncoder().encodeToString(new byte[33]));
            default -> stanza.put("current_key", key);
        }
        assertEquals(error, assertThrows(IllegalArgumentException.class, () -> StaticSeal.fromConfig(stanza, Map.of()))
                .getMessage());
    }

    @ParameterizedTest(name = "[{index}] {4}")
    @CsvSource(delimiter = '|', textBlock = """
            a | <k1> | ''  | <k2> | got empty previous_key_id with non-empty previous_key; please specify the matching key identifier
            a | <k1> | b   | ''   | got non-empty previous_key_id with empty previous_key; please specify the previous key or remove previous_key_id
            a | <k1> | b   | <k1> | current and previous key material match with different key identifiers
            a | <k1> | a   | <k2> | current and previous key material differs with same key identifiers
            """)
    void previousKeysMustMatchTheirIds(String currentId, String current, String previousId, String previous, String error) {
        String k1 = HexFormat.of().formatHex(KEY);
        String k2 = HexFormat.of().formatHex(Randomness.bytes(32));
        Map<String, String> stanza = Map.of("current_key_id", currentId, "current_key", current.equals("<k1>") ? k1 : k2,
                "previous_key_id", previousId,
                "previous_key", previous.isEmpty() ? "" : previous.equals("<k1>") ? k1 : k2);
        assertEquals(error, assertThrows(IllegalArgumentException.class, () -> StaticSeal.fromConfig(stanza, Map.of()))
                .getMessage());
    }

    @Test
    void unwrappingNeedsTheKeyTheValueNames() {
        byte[] other = Randomness.bytes(32);
        StaticSeal old = StaticSeal.of("old", other);
        byte[] wrapped = old.wrap("core/hsm/kek", new byte[] {1, 2, 3});
        assertEquals("unknown key id for data: `old`",
                assertThrows(IllegalStateException.class, () -> StaticSeal.of("new", KEY).unwrap("core/hsm/kek", wrapped))
                        .getMessage());
        assertThrows(IllegalStateException.class, () -> StaticSeal.of("old", KEY).unwrap("core/hsm/kek", wrapped),
                "same ID, another key: authentication fails");
        assertThrows(IllegalStateException.class, () -> old.unwrap("core/recovery-key", wrapped), "moved to another path");
        StaticSeal rotating = StaticSeal.fromConfig(Map.of("current_key_id", "new", "current_key",
                HexFormat.of().formatHex(KEY), "previous_key_id", "old", "previous_key", HexFormat.of().formatHex(other)),
                Map.of());
        assertArrayEquals(new byte[] {1, 2, 3}, rotating.unwrap("core/hsm/kek", wrapped));
        assertTrue(rotating.wrappedWithOlderKey(wrapped));
        assertFalse(rotating.wrappedWithOlderKey(rotating.wrap("p", new byte[1])));
        assertFalse(rotating.toString().contains(HexFormat.of().formatHex(KEY)), "no key in its text");
    }
}
