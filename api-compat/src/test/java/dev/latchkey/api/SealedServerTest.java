package dev.latchkey.api;

import dev.latchkey.api.testing.SealedNode;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A production node over HTTP, from uninitialised through init, unseal, use, seal and unseal again,
 * with every status code and error row of the seal lifecycle, and what {@code vault operator
 * init/unseal/seal} and {@code vault status} read at each step.
 */
class SealedServerTest {
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    /** Paths behind the barrier, with and without a token, that a sealed node refuses with 503. */
    private static final List<String[]> BEHIND_THE_BARRIER = List.of(
            new String[] {"GET", "sys/mounts"}, new String[] {"GET", "auth/token/lookup-self"},
            new String[] {"POST", "ssh/verify"}, new String[] {"POST", "ssh/creds/otp"},
            new String[] {"GET", "sys/key-status"}, new String[] {"POST", "sys/rotate"},
            new String[] {"LIST", "sys/leases/lookup/"}, new String[] {"GET", "nothing/mounted/here"},
            new String[] {"DELETE", "sys/mounts/ssh"});

    private static void assertSealedEverywhere(SealedNode node, String token) {
        for (String[] call : BEHIND_THE_BARRIER) {
            for (String t : new String[] {"", token}) {
                Response r = node.withToken(t).contentType("application/json").body("{\"ip\":\"10.0.0.5\"}")
                        .request(call[0], "/v1/" + call[1]);
                r.then().statusCode(503).contentType("application/json");
                assertEquals("{\"errors\":[\"Vault is sealed\"]}", r.asString().strip(), call[1]);
                assertThat(r.header("Cache-Control"), startsWith("no-store"));
            }
        }
    }

    @Test
    void anUninitialisedNodeAnswersOnlyItsSealPaths() {
        try (SealedNode node = SealedNode.start()) {
            node.anonymous().get("/v1/sys/seal-status").then().statusCode(200)
                    .body("type", equalTo("shamir")).body("initialized", equalTo(false)).body("sealed", equalTo(true))
                    .body("t", equalTo(0)).body("n", equalTo(0)).body("progress", equalTo(0)).body("nonce", equalTo(""))
                    .body("version", equalTo("1.21.0")).body("migration", equalTo(false))
                    .body("recovery_seal", equalTo(false)).body("storage_type", equalTo("inmem"))
                    .body("$", not(hasKey("cluster_name"))).body("$", not(hasKey("cluster_id")));
            node.anonymous().get("/v1/sys/init").then().statusCode(200).body("initialized", equalTo(false));
            node.anonymous().get("/v1/sys/health").then().statusCode(501)
                    .body("initialized", equalTo(false)).body("sealed", equalTo(true)).body("standby", equalTo(true))
                    .body("$", not(hasKey("cluster_name")));
            node.anonymous().queryParam("uninitcode", "299").get("/v1/sys/health").then().statusCode(299);
            node.anonymous().head("/v1/sys/health").then().statusCode(501);
            leaderWithoutHa(node);
            node.unseal("000102030405060708090a0b0c0d0e0f").then().statusCode(400)
                    .body("errors", contains("Vault is not initialized"));
            node.put("sys/unseal", "{\"reset\":true}").then().statusCode(200).body("progress", equalTo(0));
            node.put("sys/seal", "").then().statusCode(204);
            node.put("sys/step-down", "").then().statusCode(204);
            assertSealedEverywhere(node, "hvs.nobody");
            // the body is parsed before the sealed check
            node.anonymous().contentType("application/json").body("{\"ip\":").post("/v1/ssh/verify").then()
                    .statusCode(400);
        }
    }

    /** Vault checks the seal parameters, in this order, before anything is created. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            {}                                                             | invalid seal configuration: shares must be at least one
            {"secret_shares":3}                                            | invalid seal configuration: threshold must be at least one
            {"secret_shares":3,"secret_threshold":1}                       | invalid seal configuration: threshold must be greater than one for multiple shares
            {"secret_shares":256,"secret_threshold":3}                     | invalid seal configuration: shares must be less than 256
            {"secret_shares":256,"secret_threshold":256}                   | invalid seal configuration: shares must be less than 256
            {"secret_shares":3,"secret_threshold":4}                       | invalid seal configuration: threshold cannot be larger than shares
            {"secret_shares":2,"secret_threshold":2,"pgp_keys":["a"]}      | incorrect number of PGP keys
            {"secret_shares":1,"secret_threshold":1,"pgp_keys":["ab$d"]}   | invalid seal configuration: error decoding given PGP key: illegal base64 data at input byte 2
            {"secret_shares":5,"secret_threshold":3,"recovery_shares":5}   | parameters recovery_shares not applicable to seal type shamir
            {"recovery_shares":5,"recovery_threshold":3,"recovery_pgp_keys":["x"]} | parameters recovery_shares,recovery_threshold,recovery_pgp_keys not applicable to seal type shamir
            {"secret_shares":"5","secret_threshold":3}                     | failed to parse JSON input: json: cannot unmarshal string into Go struct field InitRequest.secret_shares of type int
            """)
    void initIsRefusedWithVaultsRows(String body, String error) {
        try (SealedNode node = SealedNode.start()) {
            node.put("sys/init", body).then().statusCode(400).body("errors", contains(error));
            node.anonymous().get("/v1/sys/init").then().body("initialized", equalTo(false));
        }
    }

    @Test
    void initUnsealUseSealUnsealAgain() {
        try (SealedNode node = SealedNode.start()) {
            JsonPath init = node.init(5, 3);
            List<String> hex = init.getList("keys");
            List<String> b64 = init.getList("keys_base64");
            String root = init.getString("root_token");
            assertThat(hex, hasSize(5));
            assertThat(b64, hasSize(5));
            assertThat(root, matchesPattern("hvs\\.[0-9A-Za-z]{24}"));
            assertThat(init.getMap("$"), not(hasKey("recovery_keys")));
            for (int i = 0; i < 5; i++) {
                assertThat(hex.get(i), matchesPattern("[0-9a-f]{66}"));
                assertEquals(hex.get(i), HexFormat.of().formatHex(Base64.getDecoder().decode(b64.get(i))));
            }
            // initialised, still sealed
            node.anonymous().get("/v1/sys/init").then().body("initialized", equalTo(true));
            node.anonymous().get("/v1/sys/seal-status").then().statusCode(200).body("initialized", equalTo(true))
                    .body("sealed", equalTo(true)).body("t", equalTo(3)).body("n", equalTo(5))
                    .body("progress", equalTo(0)).body("nonce", equalTo("")).body("$", not(hasKey("cluster_name")));
            node.anonymous().get("/v1/sys/health").then().statusCode(503).body("initialized", equalTo(true))
                    .body("sealed", equalTo(true)).body("standby", equalTo(true)).body("$", not(hasKey("cluster_id")));
            node.anonymous().queryParam("sealedcode", "299").get("/v1/sys/health").then().statusCode(299);
            node.put("sys/init", "{\"secret_shares\":5,\"secret_threshold\":3}").then().statusCode(400)
                    .body("errors", contains("Vault is already initialized"));
            assertSealedEverywhere(node, root);
            leaderWithoutHa(node);

            // unseal: progress, one nonce for the attempt, a repeated share changes nothing
            JsonPath first = SealedNode.ok(node.unseal(hex.get(0)));
            assertEquals(1, first.getInt("progress"));
            String nonce = first.getString("nonce");
            assertThat(nonce, matchesPattern(UUID));
            JsonPath again = SealedNode.ok(node.unseal(b64.get(0)));
            assertEquals(1, again.getInt("progress"), "the same share again is ignored");
            assertEquals(nonce, again.getString("nonce"));
            JsonPath second = SealedNode.ok(node.unseal(b64.get(3)));
            assertEquals(2, second.getInt("progress"));
            assertEquals(nonce, second.getString("nonce"));
            assertEquals(true, second.getBoolean("sealed"));
            node.anonymous().get("/v1/sys/seal-status").then().body("progress", equalTo(2)).body("nonce", equalTo(nonce));
            JsonPath open = SealedNode.ok(node.unseal(hex.get(4)));
            assertEquals(false, open.getBoolean("sealed"));
            assertEquals(0, open.getInt("progress"));
            assertEquals("", open.getString("nonce"));
            assertThat(open.getString("cluster_name"), matchesPattern("vault-cluster-[0-9a-f]{8}"));
            assertThat(open.getString("cluster_id"), matchesPattern(UUID));
            node.anonymous().get("/v1/sys/health").then().statusCode(200).body("sealed", equalTo(false))
                    .body("standby", equalTo(false)).body("cluster_id", equalTo(open.getString("cluster_id")));
            // already unsealed: the key is not even looked at
            node.unseal(HexFormat.of().formatHex(new byte[20])).then().statusCode(200).body("sealed", equalTo(false));
            node.put("sys/unseal", "{\"reset\":true}").then().statusCode(400).body("errors", contains("vault is unsealed"));

            // use it: an SSH mount, an OTP role, a credential verified
            node.put(root, "sys/mounts/ssh", "{\"type\":\"ssh\"}").then().statusCode(204);
            node.put(root, "ssh/roles/otp", "{\"key_type\":\"otp\",\"default_user\":\"ubuntu\",\"cidr_list\":\"10.0.0.0/8\"}")
                    .then().statusCode(204);
            String otp = mint(node, root);
            verify(node, otp);
            String pending = mint(node, root); // minted before the seal, verified after it
            node.put(root, "sys/mounts/ca", "{\"type\":\"ssh\"}").then().statusCode(204);
            node.put(root, "ca/config/ca", "{\"key_type\":\"ed25519\"}").then().statusCode(200);
            String caKey = node.anonymous().get("/v1/ca/public_key").asString();
            String token = SealedNode.ok(node.put(root, "auth/token/create", "{\"policies\":[\"root\"]}"))
                    .getString("auth.client_token");

            // seal: every other path is 503, the keys are gone, the tokens and data are not
            node.put(root, "sys/seal", "").then().statusCode(204);
            node.anonymous().get("/v1/sys/seal-status").then().body("sealed", equalTo(true))
                    .body("$", not(hasKey("cluster_name")));
            node.anonymous().get("/v1/sys/health").then().statusCode(503);
            assertSealedEverywhere(node, root);
            assertEquals(true, node.server().cluster().barrier().isLocked(), "no keys in memory while sealed");
            node.put(root, "sys/seal", "").then().statusCode(204); // already sealed: a no-op

            // unseal with another three of the shares
            JsonPath reopened = node.unsealWith(List.of(b64.get(2), hex.get(1), b64.get(4)));
            assertEquals(false, reopened.getBoolean("sealed"));
            assertEquals(open.getString("cluster_id"), reopened.getString("cluster_id"));
            verify(node, pending);
            verify(node, mint(node, token));
            // the engines were unloaded with the seal and come back with what storage holds
            assertEquals(caKey, node.anonymous().get("/v1/ca/public_key").asString());
            node.put(root, "ca/roles/u", "{\"key_type\":\"ca\",\"allow_user_certificates\":true,"
                    + "\"allowed_users\":\"ops\",\"default_user\":\"ops\"}").then().statusCode(204);
            node.put(root, "ca/issue/u", "{\"key_type\":\"ed25519\",\"valid_principals\":\"ops\"}").then()
                    .statusCode(200).body("data.signed_key", startsWith("ssh-ed25519-cert-v01@openssh.com "));
            node.withToken(root).get("/v1/auth/token/lookup-self").then().statusCode(200)
                    .body("data.policies", contains("root"));
        }
    }

    @Test
    void wrongKeysDuplicateSharesAndReset() {
        try (SealedNode node = SealedNode.start()) {
            JsonPath init = node.init(3, 2);
            List<String> keys = init.getList("keys");
            byte[] k0 = HexFormat.of().parseHex(keys.get(0));
            byte[] k1 = HexFormat.of().parseHex(keys.get(1));

            // a share of the right shape that is not one: combining succeeds, decrypting fails
            byte[] forged = k1.clone();
            forged[0] ^= 0x55;
            node.unseal(keys.get(0)).then().statusCode(200).body("progress", equalTo(1));
            node.unseal(HexFormat.of().formatHex(forged)).then().statusCode(400).body("errors", contains(
                    "unable to retrieve stored keys: invalid key: failed to decrypt keys from storage: "
                            + "cipher: message authentication failed"));
            node.anonymous().get("/v1/sys/seal-status").then().body("sealed", equalTo(true))
                    .body("progress", equalTo(0)).body("nonce", equalTo(""));

            // two different shares with one x coordinate
            byte[] sameX = k1.clone();
            sameX[32] = k0[32];
            node.unseal(keys.get(0)).then().statusCode(200);
            node.unseal(HexFormat.of().formatHex(sameX)).then().statusCode(400)
                    .body("errors", contains("invalid key: failed to compute combined key: duplicate part detected"));

            // shares of different lengths
            node.unseal(keys.get(0)).then().statusCode(200);
            node.unseal(HexFormat.of().formatHex(java.util.Arrays.copyOf(k1, 20))).then().statusCode(400)
                    .body("errors", contains("invalid key: failed to compute combined key: all parts must be the same length"));

            // reset forgets a share
            node.unseal(keys.get(2)).then().statusCode(200).body("progress", equalTo(1));
            node.put("sys/unseal", "{\"reset\":true}").then().statusCode(200).body("progress", equalTo(0))
                    .body("nonce", equalTo("")).body("sealed", equalTo(true));
            node.anonymous().get("/v1/sys/seal-status").then().body("progress", equalTo(0));

            // the request rows checked before any share is taken
            node.put("sys/unseal", "{}").then().statusCode(400)
                    .body("errors", contains("'key' must be specified in request body as JSON, or 'reset' set to true"));
            node.unseal("not a key!").then().statusCode(400).body("errors", contains("'key' must be a valid hex or base64 string"));
            node.unseal("00010203").then().statusCode(400)
                    .body("errors", contains("invalid key: key is shorter than minimum 16 bytes"));
            node.unseal(Base64.getEncoder().encodeToString(new byte[34])).then().statusCode(400)
                    .body("errors", contains("invalid key: key is longer than maximum 33 bytes"));
            node.put("sys/unseal", "{\"key\":\"" + keys.get(0) + "\",\"migrate\":true}").then().statusCode(500)
                    .body("errors", contains("can't perform a seal migration, no migration seal found"));
            node.anonymous().get("/v1/sys/seal-status").then().body("progress", equalTo(0));
            node.anonymous().get("/v1/sys/unseal").then().statusCode(405);

            // and the right two still open it
            node.unsealWith(List.of(keys.get(2), keys.get(1)));
            node.anonymous().get("/v1/sys/seal-status").then().body("sealed", equalTo(false));
        }
    }

    @Test
    void oneShareIsTheKeyItself() {
        try (SealedNode node = SealedNode.start()) {
            JsonPath init = node.init(1, 1);
            String key = init.getList("keys").get(0).toString();
            assertThat(key, matchesPattern("[0-9a-f]{64}"));
            assertEquals(44, init.getList("keys_base64").get(0).toString().length());
            node.anonymous().get("/v1/sys/seal-status").then().body("t", equalTo(1)).body("n", equalTo(1));
            byte[] wrong = new byte[32];
            node.unseal(HexFormat.of().formatHex(wrong)).then().statusCode(400).body("errors[0]",
                    startsWith("unable to retrieve stored keys: invalid key: failed to decrypt keys from storage"));
            node.unseal(HexFormat.of().formatHex(new byte[33])).then().statusCode(400)
                    .body("errors", contains("invalid key: failed to setup unseal key: crypto/aes: invalid key size 33"));
            node.unseal(init.getList("keys_base64").get(0).toString()).then().statusCode(200).body("sealed", equalTo(false));
            node.put("sys/init", "{\"secret_shares\":1,\"secret_threshold\":1}").then().statusCode(400)
                    .body("errors", contains("Vault is already initialized"));
        }
    }

    /** {@code sys/seal} needs update and sudo on sys/seal; a missing or unknown token is a plain 403. */
    @Test
    void sealingNeedsARootToken() {
        try (SealedNode node = SealedNode.start()) {
            JsonPath init = node.init(1, 1);
            String root = init.getString("root_token");
            node.unsealWith(List.of(init.getList("keys").get(0).toString()));
            String limited = SealedNode.ok(node.put(root, "auth/token/create", "{\"policies\":[\"default\"]}"))
                    .getString("auth.client_token");
            node.put("sys/seal", "").then().statusCode(403).body("errors", contains("permission denied"));
            node.put("hvs.unknown00000000000000000", "sys/seal", "").then().statusCode(403)
                    .body("errors", contains("permission denied"));
            node.put(limited, "sys/seal", "").then().statusCode(403)
                    .body("errors", contains("1 error occurred:\n\t* permission denied\n\n"));
            node.put(limited, "sys/step-down", "").then().statusCode(403);
            node.put(root, "sys/step-down", "").then().statusCode(204);
            node.withToken(root).get("/v1/sys/seal").then().statusCode(405);
            node.put(root, "sys/seal", "{\"broken\":").then().statusCode(400);
            node.anonymous().get("/v1/sys/seal-status").then().body("sealed", equalTo(false));
            node.put(root, "sys/seal", "{}").then().statusCode(204);
            node.anonymous().get("/v1/sys/seal-status").then().body("sealed", equalTo(true));
        }
    }

    /** {@code sys/rotate} adds a term: values written before stay readable, new ones name the new term. */
    @Test
    void rotateAddsATermAndOldValuesStayReadable() {
        try (SealedNode node = SealedNode.start()) {
            JsonPath init = node.init(3, 2);
            String root = init.getString("root_token");
            List<String> keys = init.getList("keys");
            node.unsealWith(keys.subList(0, 2));
            JsonPath before = SealedNode.ok(node.withToken(root).get("/v1/sys/key-status").andReturn());
            assertEquals(1, before.getInt("data.term"));
            assertEquals(1, before.getInt("term"), "repeated at the top level, as Vault does");
            OffsetDateTime.parse(before.getString("data.install_time"));
            node.put(root, "sys/mounts/ssh", "{\"type\":\"ssh\"}").then().statusCode(204);
            node.put(root, "ssh/roles/old", "{\"key_type\":\"otp\",\"default_user\":\"old\",\"cidr_list\":\"10.0.0.0/8\"}")
                    .then().statusCode(204);

            String limited = SealedNode.ok(node.put(root, "auth/token/create", "{\"policies\":[\"default\"]}"))
                    .getString("auth.client_token");
            node.put(limited, "sys/rotate", "").then().statusCode(403);
            node.put(root, "sys/rotate", "").then().statusCode(204);
            JsonPath after = SealedNode.ok(node.withToken(root).get("/v1/sys/key-status").andReturn());
            assertEquals(2, after.getInt("data.term"));
            assertNotEquals(before.getString("data.install_time"), after.getString("data.install_time"));
            node.put(root, "ssh/roles/new", "{\"key_type\":\"otp\",\"default_user\":\"new\",\"cidr_list\":\"10.0.0.0/8\"}")
                    .then().statusCode(204);
            node.put(root, "sys/rotate/keyring", "").then().statusCode(204);

            List<Integer> terms = storedTerms(node);
            assertThat("values of every term are in storage", terms.contains(1) && terms.contains(2), equalTo(true));
            for (int round = 0; round < 2; round++) {
                node.withToken(root).get("/v1/ssh/roles/old").then().statusCode(200).body("data.default_user", equalTo("old"));
                node.withToken(root).get("/v1/ssh/roles/new").then().statusCode(200).body("data.default_user", equalTo("new"));
                node.withToken(root).get("/v1/sys/key-status").then().body("data.term", equalTo(3));
                // the rotated keyring is what storage holds: it survives a seal
                node.put(root, "sys/seal", "").then().statusCode(204);
                node.unsealWith(keys.subList(1, 3));
            }
        }
    }

    /** The terms the sealed values in the node's storage name (the first four bytes of each). */
    private static List<Integer> storedTerms(SealedNode node) {
        dev.latchkey.engine.storage.Storage physical = node.server().cluster().physical();
        List<Integer> terms = new ArrayList<>();
        collect(physical, "", terms);
        return terms;
    }

    private static void collect(dev.latchkey.engine.storage.Storage s, String prefix, List<Integer> terms) {
        for (String child : s.list(prefix)) {
            if (child.endsWith("/")) {
                collect(s, prefix + child, terms);
            } else if (!(prefix + child).startsWith("core/hsm/") && !(prefix + child).equals("core/keyring")
                    && !(prefix + child).equals("core/seal-config")) {
                byte[] v = s.get(prefix + child).orElseThrow();
                terms.add(((v[0] & 0xff) << 24) | ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff));
            }
        }
    }

    private static void leaderWithoutHa(SealedNode node) {
        Response r = node.anonymous().get("/v1/sys/leader");
        r.then().statusCode(200).body("ha_enabled", equalTo(false)).body("is_self", equalTo(false))
                .body("active_time", equalTo("0001-01-01T00:00:00Z")).body("leader_address", emptyString())
                .body("request_id", nullValue());
        Map<String, Object> body = r.jsonPath().getMap("$");
        assertThat(body, hasKey("performance_standby"));
    }

    private static String mint(SealedNode node, String token) {
        return SealedNode.ok(node.put(token, "ssh/creds/otp", "{\"ip\":\"10.0.0.5\"}")).getString("data.key");
    }

    private static void verify(SealedNode node, String otp) {
        node.put("ssh/verify", "{\"otp\":\"" + otp + "\"}").then().statusCode(200)
                .body("data.username", equalTo("ubuntu")).body("data.ip", equalTo("10.0.0.5"));
    }
}
