package dev.latchkey.api.ssh.dynamic;

import dev.latchkey.api.NodeOptions;
import dev.latchkey.api.ssh.openssh.HostAccounts;
import dev.latchkey.api.ssh.openssh.OpenSsh.Login;
import dev.latchkey.api.ssh.openssh.SilentHost;
import dev.latchkey.api.ssh.openssh.SshdProcess;
import dev.latchkey.api.testing.DevServer;
import dev.latchkey.api.testing.SealedNode;
import dev.latchkey.cluster.durable.sqlite.SqliteStore;
import dev.latchkey.testing.Commands;
import dev.latchkey.testing.SshKeygen;
import dev.latchkey.testing.TestFiles;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static dev.latchkey.api.ssh.openssh.HostAccounts.ADMIN;
import static dev.latchkey.api.ssh.openssh.HostAccounts.ALICE;
import static dev.latchkey.api.ssh.openssh.HostAccounts.BOB;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Dynamic keys end to end (Vault 1.12's dynamic roles): Latchkey logs in to a real OpenSSH sshd on a
 * loopback port as an admin with password-less sudo, installs a fresh key for a separate target
 * account, and removes it when the lease is revoked or expires. The login checks use the real
 * {@code ssh} client with the private key Latchkey returned. What creds refuse before or at the
 * connection (user names, missing admin keys, closed and silent ports) is the engine's
 * {@code DynamicCredsTest}.
 */
class DynamicKeyLoginTest {
    private static final String OK = "latchkey-dynamic-ok";
    private static final String DENIED = "Permission denied (publickey).";

    @TempDir
    static Path dir;
    static SshdProcess sshd;
    static SshKeygen.KeyPair hostKey;
    static SshKeygen.KeyPair adminEd25519;
    static SshKeygen.KeyPair adminRsa;
    static SshKeygen.KeyPair adminEcdsa;
    static String mount;

    @BeforeAll
    static void startHost() {
        HostAccounts.ensure();
        adminEd25519 = SshKeygen.generate(dir, "admin_ed25519", "ed25519", 0);
        adminRsa = SshKeygen.generate(dir, "admin_rsa", "rsa", 0);
        adminEcdsa = SshKeygen.generate(dir, "admin_ecdsa", "ecdsa", 0);
        HostAccounts.authorizeAdmin(adminEd25519, adminRsa, adminEcdsa);
        hostKey = SshKeygen.generate(dir, "host_ed25519", "ed25519", 0);
        sshd = SshdProcess.builder(dir.resolve("sshd")).hostKey(hostKey.privateKeyFile()).authorizedKeysFiles().start();
        mount = DevServer.enableSsh("dynamic-e2e");
        adminKeys(mount);
        role(mount, "web", sshd.port(), Map.of());
    }

    @AfterAll
    static void stopHost() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @BeforeEach
    void freshTargets() {
        HostAccounts.resetTarget(ALICE);
        HostAccounts.resetTarget(BOB);
    }

    @Test
    void issuedKeyLogsInAndRevokingTheLeaseRemovesIt() {
        JsonPath creds = creds(mount, "web", ALICE);
        assertEquals("dynamic", creds.getString("data.key_type"));
        assertEquals(ALICE, creds.getString("data.username"));
        assertEquals("127.0.0.1", creds.getString("data.ip"));
        assertEquals(sshd.port(), creds.getInt("data.port"));
        assertThat(creds.getString("data.key"), startsWith("-----BEGIN RSA PRIVATE KEY-----\n"));
        assertEquals(true, creds.getBoolean("renewable"));
        assertEquals(768 * 3600, creds.getInt("lease_duration"));
        Path key = saveKey(creds);
        String line = publicLine(key);
        assertEquals(List.of(line), HostAccounts.authorizedLines(ALICE));
        assertEquals(2048, SshKeygen.fingerprint(key).bits());

        assertLogsIn(ALICE, key);
        assertThat(HostAccounts.leftoversInAdminHome(), empty());

        revoke(creds.getString("lease_id")).then().statusCode(204);
        assertEquals(List.of(), HostAccounts.authorizedLines(ALICE));
        assertRefused(ALICE, key);
        revoke(creds.getString("lease_id")).then().statusCode(204);
        assertThat(HostAccounts.leftoversInAdminHome(), empty());
    }

    @Test
    void leaseThatExpiresByItselfRemovesTheKey() {
        String shortMount = "dynamic-ttl-" + System.nanoTime();
        DevServer.root().contentType("application/json")
                .body(Map.of("type", "ssh", "config", Map.of("default_lease_ttl", "2s", "max_lease_ttl", "2s")))
                .post("/v1/sys/mounts/" + shortMount).then().statusCode(204);
        adminKeys(shortMount);
        role(shortMount, "web", sshd.port(), Map.of());
        JsonPath creds = creds(shortMount, "web", ALICE);
        assertEquals(2, creds.getInt("lease_duration"));
        Path key = saveKey(creds);
        assertLogsIn(ALICE, key);

        String line = publicLine(key);
        awaitTrue("the expired lease's key removed from authorized_keys", Duration.ofSeconds(30),
                () -> !HostAccounts.authorizedLines(ALICE).contains(line));
        assertRefused(ALICE, key);
        awaitTrue("the expired lease deleted", Duration.ofSeconds(10),
                () -> lookup(creds.getString("lease_id")).statusCode() == 400);
    }

    /**
     * A node on {@code file} storage issues a key with a 3-second lease and stops. The lease runs out
     * while nothing is running; the node restarts over the same data directory and is unsealed, and
     * its reaper logs in once as the admin and removes the key, and the lease is gone.
     */
    @Test
    void aLeaseThatExpiredWhileTheNodeWasDownIsRevokedOnceAfterUnseal() throws Exception {
        Path data = dir.resolve("restart-data-" + System.nanoTime());
        String root;
        List<String> keys;
        String leaseId;
        Path key;
        try (SealedNode node = SealedNode.start(fileNode(data))) {
            JsonPath init = node.init(1, 1);
            root = init.getString("root_token");
            keys = init.getList("keys");
            node.unsealWith(keys);
            node.withToken(root).contentType("application/json").body(Map.of("type", "ssh", "config",
                    Map.of("default_lease_ttl", "3s", "max_lease_ttl", "3s"))).post("/v1/sys/mounts/ssh")
                    .then().statusCode(204);
            node.withToken(root).contentType("application/json").body(Map.of("key", adminEd25519.privateKeyText()))
                    .post("/v1/ssh/keys/admin").then().statusCode(204);
            node.withToken(root).contentType("application/json").body(Map.of("key_type", "dynamic", "key", "admin",
                    "admin_user", ADMIN, "default_user", ALICE, "cidr_list", "127.0.0.0/8", "port", sshd.port()))
                    .post("/v1/ssh/roles/web").then().statusCode(204);
            Response r = node.withToken(root).contentType("application/json")
                    .body(Map.of("ip", "127.0.0.1", "username", ALICE)).post("/v1/ssh/creds/web");
            assertThat(r.asString(), r.statusCode(), is(200));
            leaseId = r.jsonPath().getString("lease_id");
            key = saveKey(r.jsonPath());
            assertLogsIn(ALICE, key);
        }
        String line = publicLine(key);
        Thread.sleep(4_000); // the lease runs out while no node runs
        assertThat("nobody removed the key while the node was down", HostAccounts.authorizedLines(ALICE), hasItem(line));

        long mark = sshd.logMark();
        try (SealedNode node = SealedNode.start(fileNode(data))) {
            node.unsealWith(keys);
            awaitTrue("the expired lease's key removed after the restart", Duration.ofSeconds(30),
                    () -> !HostAccounts.authorizedLines(ALICE).contains(line));
            assertRefused(ALICE, key);
            awaitTrue("the expired lease deleted", Duration.ofSeconds(10), () -> node.withToken(root)
                    .contentType("application/json").body(Map.of("lease_id", leaseId)).put("/v1/sys/leases/lookup")
                    .statusCode() == 400);
            Thread.sleep(2_000); // room for a second revocation, were there one
            long adminLogins = sshd.logSince(mark).lines()
                    .filter(l -> l.contains("Accepted publickey for " + ADMIN + " ")).count();
            assertEquals(1, adminLogins, "one admin login removes the key: " + sshd.logSince(mark));
        }
    }

    private static NodeOptions fileNode(Path data) {
        return NodeOptions.inMemory("127.0.0.1", 0).withDurableStore(SqliteStore.open(data), "file");
    }

    /**
     * The reaper revokes dynamic leases off its own thread: while the uninstall of an expired lease
     * waits on a host that accepts TCP but never speaks SSH, an OTP on the same mount still expires
     * on time (an OTP is only as good as its prompt expiry).
     */
    @Test
    void aDeadHostDoesNotHoldBackOtherExpiries() throws IOException {
        String shortMount = "dynamic-dead-" + System.nanoTime();
        DevServer.root().contentType("application/json")
                .body(Map.of("type", "ssh", "config", Map.of("default_lease_ttl", "2s", "max_lease_ttl", "2s")))
                .post("/v1/sys/mounts/" + shortMount).then().statusCode(204);
        adminKeys(shortMount);
        SshdProcess host = SshdProcess.builder(dir.resolve("dead-" + System.nanoTime())).authorizedKeysFiles().start();
        int port = host.port();
        JsonPath dynamic;
        try {
            role(shortMount, "web", port, Map.of("connect_timeout", "30s"));
            dynamic = creds(shortMount, "web", ALICE);
        } finally {
            host.close();
        }
        post(shortMount, "roles/otp", Map.of("key_type", "otp", "default_user", ALICE, "cidr_list", "127.0.0.0/8"))
                .then().statusCode(204);
        try (SilentHost silent = new SilentHost(port)) {
            awaitTrue("the dynamic lease's revocation started against the dead host", Duration.ofSeconds(15),
                    () -> silent.connections() > 0);

            JsonPath otp = creds(shortMount, "otp", ALICE);
            awaitTrue("the OTP lease revoked at expiry", Duration.ofSeconds(10),
                    () -> lookup(otp.getString("lease_id")).statusCode() == 400);
            DevServer.anonymous().contentType("application/json").body(Map.of("otp", otp.getString("data.key")))
                    .post("/v1/" + shortMount + "/verify").then().statusCode(400);
            lookup(dynamic.getString("lease_id")).then().statusCode(200);
        } finally {
            DevServer.root().put("/v1/sys/leases/revoke-force/" + shortMount + "/creds").then().statusCode(204);
        }
    }

    @Test
    void twoLeasesForOneAccountAreIndependent() {
        JsonPath first = creds(mount, "web", BOB);
        JsonPath second = creds(mount, "web", BOB);
        Path firstKey = saveKey(first);
        Path secondKey = saveKey(second);
        assertEquals(List.of(publicLine(firstKey), publicLine(secondKey)), HostAccounts.authorizedLines(BOB));
        assertLogsIn(BOB, firstKey);
        assertLogsIn(BOB, secondKey);

        revoke(first.getString("lease_id")).then().statusCode(204);
        assertRefused(BOB, firstKey);
        assertLogsIn(BOB, secondKey);
        assertEquals(List.of(publicLine(secondKey)), HostAccounts.authorizedLines(BOB));

        revoke(second.getString("lease_id")).then().statusCode(204);
        assertRefused(BOB, secondKey);
    }

    /** The built-in script's flock: parallel installs and removals for one account lose no line. */
    @Test
    void parallelLeasesForOneAccountLoseNoLine() throws Exception {
        int n = 6;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<JsonPath>> issued = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                issued.add(pool.submit(() -> creds(mount, "web", BOB)));
            }
            List<JsonPath> leases = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (Future<JsonPath> f : issued) {
                JsonPath creds = f.get(2, TimeUnit.MINUTES);
                leases.add(creds);
                lines.add(publicLine(saveKey(creds)));
            }
            assertThat(HostAccounts.authorizedLines(BOB), containsInAnyOrder(lines.toArray()));

            List<Future<Integer>> revoked = new ArrayList<>();
            for (JsonPath creds : leases.subList(0, n - 1)) {
                revoked.add(pool.submit(() -> revoke(creds.getString("lease_id")).statusCode()));
            }
            for (Future<Integer> f : revoked) {
                assertEquals(204, f.get(2, TimeUnit.MINUTES));
            }
            assertEquals(List.of(lines.get(n - 1)), HostAccounts.authorizedLines(BOB));
            revoke(leases.get(n - 1).getString("lease_id")).then().statusCode(204);
            assertThat(HostAccounts.leftoversInAdminHome(), empty());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void keyOptionSpecsPrefixTheLineAndOtherLinesSurvive() throws IOException {
        SshKeygen.KeyPair existing = SshKeygen.generate(dir, "alice_own_" + System.nanoTime(), "ed25519", 0);
        Files.createDirectories(HostAccounts.authorizedKeys(ALICE).getParent());
        Files.writeString(HostAccounts.authorizedKeys(ALICE), existing.publicKeyText());
        String ownLine = existing.publicKeyText().strip();
        role(mount, "restricted", sshd.port(), Map.of("key_option_specs", "no-port-forwarding,no-agent-forwarding"));

        JsonPath creds = creds(mount, "restricted", ALICE);
        Path key = saveKey(creds);
        assertEquals(List.of(ownLine, "no-port-forwarding,no-agent-forwarding " + publicLine(key)),
                HostAccounts.authorizedLines(ALICE));
        assertLogsIn(ALICE, key);

        revoke(creds.getString("lease_id")).then().statusCode(204);
        assertEquals(List.of(ownLine), HostAccounts.authorizedLines(ALICE));
        assertLogsIn(ALICE, existing.privateKeyFile());
    }

    @ParameterizedTest(name = "admin key {0}")
    @ValueSource(strings = {"admin-rsa", "admin-ecdsa"})
    void everyAdminKeyTypeLogsIn(String adminKey) {
        role(mount, "via-" + adminKey, sshd.port(), Map.of("key", adminKey, "key_bits", 1024));
        JsonPath creds = creds(mount, "via-" + adminKey, ALICE);
        Path key = saveKey(creds);
        assertEquals(1024, SshKeygen.fingerprint(key).bits());
        assertLogsIn(ALICE, key);
        revoke(creds.getString("lease_id")).then().statusCode(204);
        assertRefused(ALICE, key);
    }

    @Test
    void renewingADynamicLeaseKeepsTheKey() {
        JsonPath creds = creds(mount, "web", ALICE);
        DevServer.root().contentType("application/json")
                .body(Map.of("lease_id", creds.getString("lease_id"), "increment", "1h"))
                .put("/v1/sys/leases/renew").then().statusCode(200)
                .body("lease_duration", equalTo(3600)).body("renewable", equalTo(true));
        assertLogsIn(ALICE, saveKey(creds));
        revoke(creds.getString("lease_id")).then().statusCode(204);
    }

    /**
     * Trust on first use: the first key a host shows is recorded; after the host comes back on the
     * same port with another key, creds are refused (nothing is installed) and revocation fails,
     * stays visible with its error and is retried until the operator forgets the old key.
     */
    @Test
    void changedHostKeyIsRefusedUnderTrustOnFirstUse() throws IOException {
        Path work = dir.resolve("rekeyed");
        SshKeygen.KeyPair firstKey = SshKeygen.generate(Files.createDirectories(work), "host_first", "ed25519", 0);
        SshKeygen.KeyPair secondKey = SshKeygen.generate(work, "host_second", "ed25519", 0);
        String tofuMount = DevServer.enableSsh("dynamic-tofu");
        adminKeys(tofuMount);
        String firstFp = firstKey.fingerprint().sha256();
        String secondFp = secondKey.fingerprint().sha256();

        SshdProcess host = SshdProcess.builder(work.resolve("first")).hostKey(firstKey.privateKeyFile())
                .authorizedKeysFiles().start();
        int port = host.port();
        String address = "127.0.0.1:" + port;
        JsonPath lease;
        try {
            role(tofuMount, "web", port, Map.of());
            role(tofuMount, "unchecked", port, Map.of("host_key_checking", "none"));
            lease = creds(tofuMount, "web", ALICE);
            DevServer.root().get("/v1/" + tofuMount + "/known_hosts/" + address).then().statusCode(200)
                    .body("data.fingerprint", equalTo(firstFp))
                    .body("data.key", equalTo(firstKey.line()));
        } finally {
            host.close();
        }
        List<String> before = HostAccounts.authorizedLines(ALICE);
        host = SshdProcess.builder(work.resolve("second")).hostKey(secondKey.privateKeyFile()).port(port)
                .authorizedKeysFiles().start();
        try {
            Response refused = credsResponse(tofuMount, "web", ALICE);
            refused.then().statusCode(502);
            String error = refused.jsonPath().getString("errors[0]");
            assertThat(error, startsWith("failed to add public key to authorized_keys file in target: " + address
                    + ": verify host key: HOST KEY CHANGED"));
            assertThat(error, containsString(secondFp));
            assertThat(error, containsString(firstFp));
            assertEquals(before, HostAccounts.authorizedLines(ALICE), "nothing may be installed on a changed host");

            String leaseId = lease.getString("lease_id");
            Response failedRevoke = revoke(leaseId);
            failedRevoke.then().statusCode(502);
            assertThat(failedRevoke.jsonPath().getString("errors[0]"), startsWith(
                    "error removing public key from authorized_keys file in target: " + address + ": verify host key"));
            lookup(leaseId).then().statusCode(200)
                    .body("data.revoke_attempts", greaterThanOrEqualTo(1))
                    .body("data.revoke_error", containsString("HOST KEY CHANGED"));
            assertLogsIn(ALICE, saveKey(lease));

            // Vault's behaviour, on request: no host key check at all
            JsonPath unchecked = creds(tofuMount, "unchecked", ALICE);
            revoke(unchecked.getString("lease_id")).then().statusCode(204);

            DevServer.root().delete("/v1/" + tofuMount + "/known_hosts/" + address).then().statusCode(204);
            awaitTrue("the failed revocation retried once the old host key was forgotten", Duration.ofSeconds(30),
                    () -> lookup(leaseId).statusCode() == 400);
            assertRefused(ALICE, saveKey(lease));
            DevServer.root().get("/v1/" + tofuMount + "/known_hosts/" + address).then().statusCode(200)
                    .body("data.fingerprint", equalTo(secondFp));
            DevServer.root().queryParam("list", "true").get("/v1/" + tofuMount + "/known_hosts").then()
                    .statusCode(200).body("data.keys", hasItem(address));
            JsonPath again = creds(tofuMount, "web", ALICE);
            assertLogsIn(ALICE, saveKey(again));
            revoke(again.getString("lease_id")).then().statusCode(204);
        } finally {
            host.close();
        }
    }

    @Test
    void pinnedFingerprintsAdmitOnlyThatHost() {
        String fingerprint = hostKey.fingerprint().sha256();
        SshKeygen.KeyPair other = SshKeygen.generate(dir, "not_the_host_" + System.nanoTime(), "ed25519", 0);
        String otherFp = other.fingerprint().sha256();
        role(mount, "pinned", sshd.port(), Map.of("host_key_fingerprints", otherFp + "," + fingerprint));
        DevServer.root().get("/v1/" + mount + "/roles/pinned").then().statusCode(200)
                .body("data.host_key_checking", equalTo("pinned"))
                .body("data.host_key_fingerprints", contains(otherFp, fingerprint));
        JsonPath creds = creds(mount, "pinned", ALICE);
        assertLogsIn(ALICE, saveKey(creds));
        revoke(creds.getString("lease_id")).then().statusCode(204);

        role(mount, "pinned-elsewhere", sshd.port(), Map.of("host_key_fingerprints", otherFp));
        Response refused = credsResponse(mount, "pinned-elsewhere", ALICE);
        refused.then().statusCode(502).body("errors[0]", equalTo(
                "failed to add public key to authorized_keys file in target: 127.0.0.1:" + sshd.port()
                        + ": verify host key: the host presented ssh-ed25519 key " + fingerprint
                        + ", which is not among the role's host_key_fingerprints"));
        assertEquals(List.of(), HostAccounts.authorizedLines(ALICE));
    }

    @Test
    void wrongAdminKeyIsAClearError() {
        SshKeygen.KeyPair stranger = SshKeygen.generate(dir, "stranger_" + System.nanoTime(), "ed25519", 0);
        post(mount, "keys/stranger", Map.of("key", stranger.privateKeyText())).then().statusCode(204);
        role(mount, "stranger", sshd.port(), Map.of("key", "stranger"));
        credsResponse(mount, "stranger", ALICE).then().statusCode(502).body("errors[0]", startsWith(
                "failed to add public key to authorized_keys file in target: 127.0.0.1:" + sshd.port()
                        + ": authenticate: the host refused the admin key for user \"" + ADMIN + "\""));
        assertEquals(List.of(), HostAccounts.authorizedLines(ALICE));
    }

    @Test
    void failingInstallScriptIsAClearErrorAndLeavesNothingBehind() {
        role(mount, "broken", sshd.port(), Map.of("install_script", "#!/bin/sh\necho 'disk full' >&2\nexit 3\n"));
        credsResponse(mount, "broken", ALICE).then().statusCode(502).body("errors[0]", equalTo(
                "failed to add public key to authorized_keys file in target: 127.0.0.1:" + sshd.port()
                        + ": run install script: the install script (install) exited with status 3: disk full"));
        assertEquals(List.of(), HostAccounts.authorizedLines(ALICE));
        assertThat(HostAccounts.leftoversInAdminHome(), empty());
    }

    @Test
    void scriptThatHangsIsStoppedByTheCommandTimeout() {
        role(mount, "hangs", sshd.port(), Map.of("install_script", "#!/bin/sh\nsleep 30\n", "command_timeout", "1s"));
        long start = System.nanoTime();
        credsResponse(mount, "hangs", ALICE).then().statusCode(502).body("errors[0]", equalTo(
                "failed to add public key to authorized_keys file in target: 127.0.0.1:" + sshd.port()
                        + ": run install script: did not finish within the command timeout (1s)"));
        assertThat("bounded by the command timeouts", System.nanoTime() - start < Duration.ofSeconds(20).toNanos(),
                is(true));
    }

    // ---- helpers

    private static void adminKeys(String mountPath) {
        post(mountPath, "keys/admin", Map.of("key", adminEd25519.privateKeyText())).then().statusCode(204);
        post(mountPath, "keys/admin-rsa", Map.of("key", adminRsa.privateKeyText())).then().statusCode(204);
        post(mountPath, "keys/admin-ecdsa", Map.of("key", adminEcdsa.privateKeyText())).then().statusCode(204);
    }

    private static void role(String mountPath, String name, int port, Map<String, Object> overrides) {
        Map<String, Object> body = new HashMap<>(Map.of("key_type", "dynamic", "key", "admin", "admin_user", ADMIN,
                "default_user", ALICE, "allowed_users", ALICE + "," + BOB, "cidr_list", "127.0.0.0/8", "port", port));
        body.putAll(overrides);
        post(mountPath, "roles/" + name, body).then().statusCode(204);
    }

    private static Response post(String mountPath, String path, Map<String, Object> body) {
        return DevServer.root().contentType("application/json").body(body).post("/v1/" + mountPath + "/" + path);
    }

    private static Response credsResponse(String mountPath, String role, String user) {
        return post(mountPath, "creds/" + role, Map.of("ip", "127.0.0.1", "username", user));
    }

    private static JsonPath creds(String mountPath, String role, String user) {
        Response r = credsResponse(mountPath, role, user);
        if (r.statusCode() != 200) {
            throw new AssertionError("creds/" + role + " answered " + r.statusCode() + " " + r.asString());
        }
        return r.jsonPath();
    }

    private static Response revoke(String leaseId) {
        return DevServer.root().contentType("application/json").body(Map.of("lease_id", leaseId))
                .put("/v1/sys/leases/revoke");
    }

    private static Response lookup(String leaseId) {
        return DevServer.root().contentType("application/json").body(Map.of("lease_id", leaseId))
                .put("/v1/sys/leases/lookup");
    }

    private static Path saveKey(JsonPath creds) {
        return TestFiles.writePrivate(dir.resolve("issued_" + System.nanoTime()), creds.getString("data.key"));
    }

    /** {@code ssh-rsa <base64>} of a private key file, as ssh-keygen derives it (comment dropped). */
    private static String publicLine(Path privateKey) {
        String out = SshKeygen.run("-y", "-f", privateKey.toString()).ok().stdout().strip();
        String[] parts = out.split(" ");
        return parts[0] + " " + parts[1];
    }

    private static Commands.Result login(String user, Path key) {
        return Login.to(sshd).as(user).identityFile(key).knownHosts(dir.resolve("client_known_hosts"), "no")
                .run("echo", OK);
    }

    private static void assertLogsIn(String user, Path key) {
        Commands.Result r = login(user, key);
        assertThat(r.describe(), r.stdout().strip(), equalTo(OK));
    }

    private static void assertRefused(String user, Path key) {
        Commands.Result r = login(user, key);
        assertThat(r.describe(), r.exitCode(), equalTo(255));
        assertThat(r.describe(), r.stderr(), containsString(DENIED));
        assertThat(r.stdout(), not(containsString(OK)));
    }

    private static void awaitTrue(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            SshdProcess.pause(200);
        }
    }
}
