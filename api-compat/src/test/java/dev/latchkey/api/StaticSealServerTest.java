package dev.latchkey.api;

import dev.latchkey.api.seal.StaticSeal;
import dev.latchkey.api.testing.SealedNode;
import dev.latchkey.engine.lease.LeaseStore;
import dev.latchkey.engine.lease.MemoryLeaseStore;
import dev.latchkey.engine.random.Randomness;
import dev.latchkey.engine.storage.MemoryStorage;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * OpenBao's {@code seal "static"}: init hands out recovery keys and the node unseals itself; a
 * second node over the same storage unseals itself when it starts; after a manual seal the
 * recovery keys unseal it.
 */
class StaticSealServerTest {
    @TempDir
    Path dir;

    private StaticSeal sealFromFile(byte[] key) throws Exception {
        Path file = dir.resolve("unseal-" + HexFormat.of().formatHex(key, 0, 4) + ".key");
        Files.write(file, key);
        return StaticSeal.fromConfig(Map.of("current_key_id", "20250606-1", "current_key", "file://" + file), Map.of());
    }

    @Test
    void aRestartedNodeUnsealsItselfAndRecoveryKeysUnsealAfterAManualSeal() throws Exception {
        MemoryStorage storage = new MemoryStorage();
        LeaseStore leases = new MemoryLeaseStore();
        byte[] key = Randomness.bytes(32);
        NodeOptions options = NodeOptions.inMemory("127.0.0.1", 0).withStorage(storage, barrier -> leases, "inmem")
                .withStaticSeal(sealFromFile(key));
        String root;
        String clusterId;
        List<String> recovery;
        try (SealedNode a = SealedNode.start(options)) {
            a.anonymous().get("/v1/sys/seal-status").then().statusCode(200).body("type", equalTo("static"))
                    .body("initialized", equalTo(false)).body("sealed", equalTo(true))
                    .body("recovery_seal", equalTo(true)).body("t", equalTo(0)).body("n", equalTo(0));
            a.anonymous().get("/v1/sys/health").then().statusCode(501);
            // the Shamir parameters do not apply; as `vault operator init` sends them for a Shamir seal
            a.put("sys/init", "{\"secret_shares\":5,\"secret_threshold\":3,\"stored_shares\":0,\"pgp_keys\":null,"
                    + "\"recovery_shares\":0,\"recovery_threshold\":0,\"recovery_pgp_keys\":null,\"root_token_pgp_key\":\"\"}")
                    .then().statusCode(400)
                    .body("errors", contains("parameters secret_shares,secret_threshold not applicable to seal type static"));
            a.put("sys/init", "{}").then().statusCode(400)
                    .body("errors", contains("recovery configuration must specify a positive number of shares"));
            a.put("sys/init", "{\"recovery_shares\":3,\"recovery_threshold\":1}").then().statusCode(400)
                    .body("errors", contains("invalid recovery configuration: threshold must be greater than one for multiple shares"));
            a.put("sys/init", "{\"recovery_shares\":3,\"recovery_threshold\":2,\"recovery_pgp_keys\":[\"a\"]}")
                    .then().statusCode(400).body("errors", contains("incorrect number of PGP keys for recovery"));

            // as `vault operator init` sends it for a recovery seal
            JsonPath init = SealedNode.ok(a.put("sys/init", "{\"secret_shares\":0,\"secret_threshold\":0,"
                    + "\"stored_shares\":0,\"pgp_keys\":null,\"recovery_shares\":5,\"recovery_threshold\":3,"
                    + "\"recovery_pgp_keys\":null,\"root_token_pgp_key\":\"\"}"));
            assertThat(init.getList("keys"), empty());
            assertThat(init.getList("keys_base64"), empty());
            assertThat(init.getList("recovery_keys"), hasSize(5));
            assertThat(init.getList("recovery_keys_base64"), hasSize(5));
            recovery = init.getList("recovery_keys");
            root = init.getString("root_token");
            // unsealed before the answer, reporting the recovery configuration
            JsonPath status = SealedNode.ok(a.anonymous().get("/v1/sys/seal-status").andReturn());
            assertEquals(false, status.getBoolean("sealed"));
            assertEquals("shamir", status.getString("type"), "the recovery configuration's type, as Vault reports it");
            assertEquals(3, status.getInt("t"));
            assertEquals(5, status.getInt("n"));
            assertEquals(true, status.getBoolean("recovery_seal"));
            clusterId = status.getString("cluster_id");
            a.anonymous().get("/v1/sys/health").then().statusCode(200);

            a.put(root, "sys/mounts/ssh", "{\"type\":\"ssh\"}").then().statusCode(204);
            a.put(root, "ssh/roles/otp", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\"}")
                    .then().statusCode(204);
        }

        // the same storage, a new node: it unseals itself as it starts
        try (SealedNode b = SealedNode.start(options)) {
            b.anonymous().get("/v1/sys/seal-status").then().body("sealed", equalTo(false))
                    .body("initialized", equalTo(true)).body("cluster_id", equalTo(clusterId));
            String otp = SealedNode.ok(b.put(root, "ssh/creds/otp", "{\"ip\":\"10.0.0.5\"}")).getString("data.key");
            b.put("ssh/verify", "{\"otp\":\"" + otp + "\"}").then().statusCode(200).body("data.username", equalTo("ubuntu"));

            // sealed by hand, it takes the recovery keys
            b.put(root, "sys/seal", "").then().statusCode(204);
            b.anonymous().get("/v1/ssh/public_key").then().statusCode(503);
            b.unseal(recovery.get(0)).then().statusCode(200).body("progress", equalTo(1)).body("t", equalTo(3));
            b.unseal(recovery.get(1)).then().statusCode(200).body("progress", equalTo(2));
            byte[] forged = HexFormat.of().parseHex(recovery.get(2));
            forged[5] ^= 1;
            b.unseal(HexFormat.of().formatHex(forged)).then().statusCode(400).body("errors",
                    contains("invalid key: failed to verify recovery key: recovery key does not match submitted values"));
            b.anonymous().get("/v1/sys/seal-status").then().body("sealed", equalTo(true)).body("progress", equalTo(0));
            JsonPath open = b.unsealWith(List.of(recovery.get(4), recovery.get(2), recovery.get(0)));
            assertEquals(false, open.getBoolean("sealed"));
            b.withToken(root).get("/v1/ssh/roles/otp").then().statusCode(200);
            b.put("sys/init", "{\"recovery_shares\":1,\"recovery_threshold\":1}").then().statusCode(400)
                    .body("errors", contains("Vault is already initialized"));
        }

        // another static key does not open it: the node starts, sealed
        try (SealedNode c = SealedNode.start(options.withStaticSeal(sealFromFile(Randomness.bytes(32))))) {
            c.anonymous().get("/v1/sys/seal-status").then().body("sealed", equalTo(true))
                    .body("initialized", equalTo(true)).body("$", not(hasKey("cluster_id")));
            c.anonymous().get("/v1/sys/health").then().statusCode(503);
        }

        // a Shamir node over storage a static seal initialised: Latchkey does not migrate seals
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SealedNode.start(options.withStaticSeal(null)));
        assertTrue(e.getMessage().contains("seal type \"static\""), e.getMessage());
    }

    /** Rotating the static key: the previous key opens what it wrapped, and the node rewraps with the current one. */
    @Test
    void aPreviousKeyUnsealsAndTheKeysAreRewrappedWithTheCurrentOne() throws Exception {
        MemoryStorage storage = new MemoryStorage();
        byte[] oldKey = Randomness.bytes(32);
        byte[] newKey = Randomness.bytes(32);
        NodeOptions options = NodeOptions.inMemory("127.0.0.1", 0).withStorage(storage, barrier -> new MemoryLeaseStore(), "inmem");
        try (SealedNode a = SealedNode.start(options.withStaticSeal(StaticSeal.of("old", oldKey)))) {
            SealedNode.ok(a.put("sys/init", "{\"recovery_shares\":1,\"recovery_threshold\":1}"));
        }
        StaticSeal rotating = StaticSeal.fromConfig(Map.of("current_key_id", "new",
                "current_key", HexFormat.of().formatHex(newKey), "previous_key_id", "old",
                "previous_key", java.util.Base64.getEncoder().encodeToString(oldKey)), Map.of());
        try (SealedNode b = SealedNode.start(options.withStaticSeal(rotating))) {
            b.anonymous().get("/v1/sys/seal-status").then().body("sealed", equalTo(false));
        }
        try (SealedNode c = SealedNode.start(options.withStaticSeal(StaticSeal.of("new", newKey)))) {
            c.anonymous().get("/v1/sys/seal-status").then().body("sealed", equalTo(false));
        }
    }
}
