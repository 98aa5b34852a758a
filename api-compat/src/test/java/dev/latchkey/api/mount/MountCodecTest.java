package dev.latchkey.api.mount;

import dev.latchkey.engine.storage.CorruptRecordException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The stored mount table: Vault's field names, stable across releases. */
class MountCodecTest {
    private static final String STORED = """
            {"entries":[{"path":"ssh/","type":"ssh","description":"certs","accessor":"ssh_0a1b2c3d",\
            "uuid":"6f1c7c56-0a0e-4f5e-9d43-5c6d1b1f2a77","local":false,"seal_wrap":true,\
            "external_entropy_access":false,"options":{"version":"1"},"plugin_version":"",\
            "config":{"default_lease_ttl":3600,"max_lease_ttl":7200,"force_no_cache":false,\
            "listing_visibility":"hidden","audit_non_hmac_request_keys":["a"],\
            "audit_non_hmac_response_keys":[],"passthrough_request_headers":[],\
            "allowed_response_headers":["X-Custom"],"allowed_managed_keys":[],"token_type":""}}]}""";

    private static final MountEntry ENTRY = new MountEntry("ssh/", "ssh", "certs", "ssh_0a1b2c3d",
            "6f1c7c56-0a0e-4f5e-9d43-5c6d1b1f2a77", false, true, false, Map.of("version", "1"), "",
            new MountEntry.MountConfig(3600, 7200, false, "hidden", List.of("a"), List.of(), List.of(),
                    List.of("X-Custom"), List.of(), ""));

    @Test
    void writesEveryFieldUnderItsStoredName() {
        assertEquals(STORED, new String(MountCodec.encode(List.of(ENTRY)), StandardCharsets.UTF_8));
    }

    @Test
    void readsWhatItWrote() {
        assertEquals(List.of(ENTRY), MountCodec.decode(STORED.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void fieldsAnOlderEntryLacksReadAsTheirDefaults() {
        MountEntry bare = MountCodec.decode("""
                {"entries":[{"path":"ssh/","type":"ssh","accessor":"ssh_1","uuid":"u","future_field":1}]}"""
                .getBytes(StandardCharsets.UTF_8)).get(0);
        assertEquals(new MountEntry("ssh/", "ssh", "", "ssh_1", "u", false, false, false, null, "",
                MountEntry.MountConfig.defaults()), bare);
    }

    @Test
    void anUnreadableTableSaysSo() {
        assertThrows(CorruptRecordException.class, () -> MountCodec.decode("{\"entries\":7}".getBytes(StandardCharsets.UTF_8)));
    }
}
